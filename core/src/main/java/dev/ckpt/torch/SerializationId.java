package dev.ckpt.torch;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * torch's {@code .data/serialization_id} ({@code PyTorchStreamWriter::writeSerializationId}):
 * 20 decimal digits of a hash combined over the names of the records written (in the iteration
 * order of the writer's {@code std::unordered_set}, see {@link StdUnorderedSet}), then 20 digits
 * of a hash combined over the CRC of every data descriptor written. torch finds descriptors by
 * looking at the first four bytes of each write, so a write of record data (or of a record
 * name) that starts with the descriptor signature counts as one too.
 */
final class SerializationId {
    private static final int DESCRIPTOR_SIGNATURE = 0x08074b50;

    private final List<String> names = new ArrayList<>();
    private long combinedCrc;

    /** One write of {@code length} bytes starting with {@code head}, as miniz hands it to torch. */
    void observeWrite(ByteBuffer head, long length) {
        if (length >= 8 && head.remaining() >= 8) {
            ByteBuffer le = head.duplicate().order(ByteOrder.LITTLE_ENDIAN);
            if (le.getInt(le.position()) == DESCRIPTOR_SIGNATURE) {
                observeDescriptor(le.getInt(le.position() + 4));
            }
        }
    }

    void observeWrite(byte[] data, long length) {
        observeWrite(ByteBuffer.wrap(data), length);
    }

    void observeDescriptor(int crc) {
        combinedCrc = hashCombine(combinedCrc, crc & 0xffffffffL);
    }

    void observeRecord(String fullName) {
        names.add(fullName);
    }

    /** The id torch would write now, for records named {@code prefix/...}. */
    String value(String prefix) {
        StdUnorderedSet set = new StdUnorderedSet();
        for (String name : names) {
            set.add(name.substring(prefix.length() + 1).getBytes(StandardCharsets.UTF_8));
        }
        long combinedNames = 0;
        for (byte[] name : set.iterationOrder()) {
            combinedNames = hashCombine(combinedNames, StdUnorderedSet.hash(name));
        }
        return pad20(Long.toUnsignedString(combinedNames)) + pad20(Long.toUnsignedString(combinedCrc));
    }

    /** {@code c10::hash_combine} on 64-bit size_t. */
    static long hashCombine(long seed, long value) {
        return seed ^ (value + 0x9e3779b9L + (seed << 6) + (seed >>> 2));
    }

    private static String pad20(String digits) {
        return "0".repeat(Math.max(0, 20 - digits.length())) + digits;
    }
}
