package dev.ckpt.pickle;

import java.util.Arrays;

/**
 * The growing output of one write, framed for protocol 4 and up the way CPython's C pickler
 * frames: a frame is closed at the first opcode boundary after it reaches 64 KiB, frames under
 * 4 bytes lose their header, and payloads of 64 KiB or more are written outside any frame.
 */
final class PickleOutput {
    static final int FRAME_SIZE_TARGET = 64 * 1024;
    private static final int FRAME_SIZE_MIN = 4;
    private static final int FRAME_HEADER_SIZE = 9;

    private byte[] buf = new byte[8192];
    private int len;
    private boolean framing;
    private int frameStart = -1;

    void startFraming() {
        framing = true;
    }

    void write(int b) {
        openFrameIfNeeded();
        ensure(1);
        buf[len++] = (byte) b;
    }

    void write(byte[] bytes) {
        write(bytes, 0, bytes.length);
    }

    void write(byte[] bytes, int off, int n) {
        openFrameIfNeeded();
        ensure(n);
        System.arraycopy(bytes, off, buf, len, n);
        len += n;
    }

    void writeUint4(long v) {
        write((int) v & 0xff);
        write((int) (v >> 8) & 0xff);
        write((int) (v >> 16) & 0xff);
        write((int) (v >> 24) & 0xff);
    }

    void writeUint8(long v) {
        for (int i = 0; i < 8; i++) {
            write((int) (v >> 8 * i) & 0xff);
        }
    }

    /** An opcode header and its payload; a large payload goes outside frames, as CPython does. */
    void writeWithPayload(byte[] header, byte[] payload) {
        if (framing && payload.length >= FRAME_SIZE_TARGET) {
            commitFrame();
            framing = false;
            write(header);
            write(payload);
            framing = true;
        } else {
            write(header);
            write(payload);
        }
    }

    /** Closes the current frame once it has reached the target size. */
    void opcodeBoundary() {
        if (framing && frameStart >= 0 && len - frameStart - FRAME_HEADER_SIZE >= FRAME_SIZE_TARGET) {
            commitFrame();
        }
    }

    void commitFrame() {
        if (!framing || frameStart < 0) {
            return;
        }
        int frameLength = len - frameStart - FRAME_HEADER_SIZE;
        if (frameLength >= FRAME_SIZE_MIN) {
            buf[frameStart] = (byte) Opcode.FRAME.code();
            for (int i = 0; i < 8; i++) {
                buf[frameStart + 1 + i] = (byte) ((long) frameLength >> 8 * i);
            }
        } else {
            System.arraycopy(buf, frameStart + FRAME_HEADER_SIZE, buf, frameStart, frameLength);
            len -= FRAME_HEADER_SIZE;
        }
        frameStart = -1;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }

    private void openFrameIfNeeded() {
        if (framing && frameStart < 0) {
            ensure(FRAME_HEADER_SIZE);
            frameStart = len;
            len += FRAME_HEADER_SIZE;
        }
    }

    private void ensure(int n) {
        if (len + n > buf.length) {
            long wanted = Math.max((long) buf.length * 2, (long) len + n);
            if (wanted > Integer.MAX_VALUE - 16) {
                throw new PickleException("pickle output larger than 2 GiB");
            }
            buf = Arrays.copyOf(buf, (int) wanted);
        }
    }
}
