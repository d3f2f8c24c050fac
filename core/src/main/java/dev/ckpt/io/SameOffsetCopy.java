package dev.ckpt.io;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.ptr.LongByReference;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.Set;

/**
 * Copies the first bytes of one file into another at the same offsets, inside the kernel. With
 * {@code copy_file_range(2)} a file system with reflinks (XFS made with {@code reflink=1}, btrfs,
 * bcachefs, ZFS 2.2+) shares the blocks instead of copying them, as GNU {@code cp} does: a clone
 * needs equal, block-aligned offsets, so each call starts at a multiple of {@link #CHUNK} and the
 * kernel clones what it can and copies the unaligned tail. Elsewhere (ext4) the kernel copies the
 * bytes without passing them through this process.
 *
 * <p>Since JDK 20 (JDK-8292562) {@link FileChannel#transferTo} makes that call itself, so it is
 * used there. JDK 17 to 19 use {@code sendfile}, which never clones, so on Linux they make the call
 * directly through JNA where it can clone or copy on the server ({@link #CLONING_FILE_SYSTEMS});
 * elsewhere {@code sendfile} copies in the kernel as fast, without JNA's load (about 0.2 s once per
 * JVM). {@code -Dckpt.copy=jdk} always leaves it to {@code transferTo}, {@code -Dckpt.copy=direct}
 * always makes the direct call where JNA can; {@code transferTo} falls back to a plain copy where
 * nothing better exists.
 */
public final class SameOffsetCopy {
    /** One call's length: a power of two, so every call of a long copy starts block-aligned. */
    static final long CHUNK = 1L << 30;
    private static final int O_WRONLY = 1;
    /** The same value on x86-64 and aarch64, the two architectures the direct call is made on. */
    private static final int O_CLOEXEC = 0x80000;
    private static final int EXDEV = 18;
    private static final int EINVAL = 22;
    private static final int ENOSYS = 38;
    private static final int EOPNOTSUPP = 95;

    /** How the bytes went across. */
    public enum Method {
        /** {@code copy_file_range(2)}, called through JNA: a clone on reflink file systems. */
        COPY_FILE_RANGE,
        /** {@link FileChannel#transferTo}: {@code copy_file_range} on JDK 20+ on Linux, {@code sendfile} before. */
        TRANSFER_TO
    }

    private interface LibC extends Library {
        int open(String path, int flags) throws LastErrorException;

        long copy_file_range(int fdIn, LongByReference offIn, int fdOut, LongByReference offOut, long length, int flags)
                throws LastErrorException;

        int close(int fd) throws LastErrorException;
    }

    private SameOffsetCopy() {
    }

    /**
     * Copies bytes {@code [0, length)} of {@code source} to the same offsets of {@code target}
     * and leaves the target's channel positioned at {@code length}.
     *
     * @param sourceKey the file key ({@link BasicFileAttributes#fileKey}) of the file the source
     *                  channel reads: the direct call opens the path again and must find that file
     * @param targetKey the file key of the file the target channel writes
     */
    public static Method copy(Path source, Object sourceKey, FileChannel sourceChannel, Path target, Object targetKey,
                              FileChannel targetChannel, long length) throws IOException {
        long done = 0;
        Method method = Method.TRANSFER_TO;
        FileStore store = Files.getFileStore(target);
        if (directCall(store)) {
            // Only whole blocks, which a reflink file system clones: the last partial block is copied through the
            // target's own channel, so the descriptor opened here is closed clean (XFS keeps the speculative
            // preallocation of a file first closed with unwritten data until its background scan, minutes later)
            long blocks = length - length % blockSize(store);
            done = copyFileRange(source, sourceKey, target, targetKey, blocks);
            method = done == blocks ? Method.COPY_FILE_RANGE : Method.TRANSFER_TO;
        }
        targetChannel.position(done);
        while (done < length) {
            long n = sourceChannel.transferTo(done, Math.min(CHUNK - done % CHUNK, length - done), targetChannel);
            if (n <= 0) {
                throw endsEarly(source, done, length);
            }
            done += n;
        }
        targetChannel.position(length);
        return method;
    }

    /** The first JDK whose {@link FileChannel#transferTo} calls {@code copy_file_range} on Linux. */
    static final int JDK_WITH_COPY_FILE_RANGE = 20;

    /**
     * File systems (as Linux names them) where {@code copy_file_range} does better than an in-kernel
     * copy: reflinks (XFS, btrfs, bcachefs, OCFS2), block cloning (ZFS 2.2+), a copy on the server (NFS
     * 4.2, SMB, Ceph).
     */
    static final Set<String> CLONING_FILE_SYSTEMS = Set.of("xfs", "btrfs", "bcachefs", "ocfs2", "zfs", "nfs", "nfs4", "cifs", "smb3", "ceph");

    /** Whether the copy into {@code target} calls {@code copy_file_range} through JNA (a JDK before 20 on Linux, see the class). */
    public static boolean directCall(Path target) throws IOException {
        return directCall(Files.getFileStore(target));
    }

    private static boolean directCall(FileStore store) {
        String choice = System.getProperty("ckpt.copy", "auto");
        return !choice.equals("jdk") && Runtime.version().feature() < JDK_WITH_COPY_FILE_RANGE && Platform.isLinux()
                && (Platform.ARCH.equals("x86-64") || Platform.ARCH.equals("aarch64"))
                && (choice.equals("direct") || CLONING_FILE_SYSTEMS.contains(store.type()))
                && Libc.INSTANCE != null;
    }

    /** Returns how many bytes were copied: all of them, or fewer when this file system turned the call down. */
    private static long copyFileRange(Path source, Object sourceKey, Path target, Object targetKey, long length) throws IOException {
        int in = open(source, 0, sourceKey);
        try {
            int out = open(target, O_WRONLY, targetKey);
            try {
                LongByReference inOffset = new LongByReference(0);
                LongByReference outOffset = new LongByReference(0);
                long done = 0;
                while (done < length) {
                    long n;
                    try {
                        n = Libc.INSTANCE.copy_file_range(in, inOffset, out, outOffset, Math.min(CHUNK - done % CHUNK, length - done), 0);
                    } catch (LastErrorException e) {
                        if (done == 0 && isUnsupported(e.getErrorCode())) {
                            return 0;  // another kernel or file system: the JDK's copy does it
                        }
                        throw new IOException(target + ": copying " + source + " failed at byte " + done + ": "
                                + e.getMessage().replaceFirst("^\\[\\d+\\] ", ""), e);
                    }
                    if (n == 0) {
                        throw endsEarly(source, done, length);
                    }
                    done += n;
                }
                return done;
            } finally {
                close(out);
            }
        } finally {
            close(in);
        }
    }

    /** The file system's block size (4096 where it will not say). */
    private static long blockSize(FileStore store) throws IOException {
        try {
            return Math.max(1, store.getBlockSize());
        } catch (UnsupportedOperationException e) {
            return 4096;
        }
    }

    private static IOException endsEarly(Path source, long done, long length) {
        return new IOException(source + ": the file ends at byte " + done + ", before the " + length + " bytes to copy");
    }

    private static boolean isUnsupported(int errno) {
        return errno == EXDEV || errno == EINVAL || errno == ENOSYS || errno == EOPNOTSUPP;
    }

    /** Opens a path and checks the descriptor reaches the file the caller already holds, not one put there since. */
    private static int open(Path path, int flags, Object expectedKey) throws IOException {
        int fd;
        try {
            fd = Libc.INSTANCE.open(path.toAbsolutePath().toString(), flags | O_CLOEXEC);
        } catch (LastErrorException e) {
            throw new IOException(path + ": cannot open it again to copy: " + e.getMessage(), e);
        }
        Object key = Files.readAttributes(Path.of("/proc/self/fd/" + fd), BasicFileAttributes.class).fileKey();
        if (expectedKey == null || !Objects.equals(key, expectedKey)) {
            close(fd);
            throw new FileChangedException(path, "another file was put in its place");
        }
        return fd;
    }

    private static void close(int fd) {
        try {
            Libc.INSTANCE.close(fd);
        } catch (LastErrorException e) {
            // a descriptor opened only to copy from or into; the channel's own close reports real errors
        }
    }

    /** libc, loaded on first use; null where JNA cannot load it. */
    private static final class Libc {
        static final LibC INSTANCE = load();

        private static LibC load() {
            try {
                return Native.load("c", LibC.class);
            } catch (UnsatisfiedLinkError | RuntimeException e) {
                return null;
            }
        }
    }
}
