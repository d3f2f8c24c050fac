package dev.ckpt.io;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Makes one run at a time the writer of a checkpoint, across processes and threads: an OS file
 * lock on {@code .<name>.ckpt-lock} next to it. The OS drops the lock when its process dies (even
 * by kill -9), so a lock file left behind never blocks anyone; a normal release deletes it.
 *
 * <p>Two POSIX rules shape this class. Closing any descriptor of a file drops every lock the
 * process holds on it, so nothing here opens and closes the lock file while holding its lock, and
 * threads of this JVM queue in memory before touching it. And deleting a lock file races with a
 * waiter that already opened it: the waiter then locks a file no longer at the path. So after
 * locking, the holder opens the path a second time and keeps the lock only if the JVM reports
 * that second channel's file as the one it already holds locked (an overlapping lock).
 *
 * <p>The directory may be shared with strangers, so the lock file is never followed: a symbolic
 * link at its name is refused (the open uses {@code O_NOFOLLOW}), and so is a file with another
 * hard link, which could be someone else's file. Threads of this JVM queue on the lock's identity
 * (its directory's device and inode, and its name), so two paths to one file (a symlinked
 * directory) share one queue.
 */
public final class CheckpointLock implements Closeable {
    public static final String LOCK_SUFFIX = ".ckpt-lock";
    private static final long RETRY_MILLIS = 50;
    private static final Set<Object> HELD_IN_THIS_JVM = new HashSet<>();

    private final Path lockFile;
    private final Object identity;
    private final FileChannel channel;
    /** The second channel of the identity check; closing it before the release would drop the lock. */
    private final FileChannel atPath;
    private final FileLock lock;

    private CheckpointLock(Path lockFile, Object identity, FileChannel channel, FileChannel atPath, FileLock lock) {
        this.lockFile = lockFile;
        this.identity = identity;
        this.channel = channel;
        this.atPath = atPath;
        this.lock = lock;
    }

    /** The lock file of a checkpoint: {@code .<name>.ckpt-lock} in its directory. */
    public static Path lockFileOf(Path checkpoint) {
        Path absolute = checkpoint.toAbsolutePath().normalize();
        return absolute.resolveSibling("." + absolute.getFileName() + LOCK_SUFFIX);
    }

    /**
     * Takes the checkpoint's lock, waiting up to {@code timeout} while another run holds it.
     *
     * @throws CheckpointLockedException when it is still held after the timeout
     */
    public static CheckpointLock acquire(Path checkpoint, Duration timeout) throws IOException {
        Path lockFile = lockFileOf(checkpoint);
        Object identity = identityOf(checkpoint, lockFile);
        long deadline = System.nanoTime() + timeout.toNanos();
        reserveInThisJvm(checkpoint, identity, lockFile, timeout, deadline);
        try {
            while (true) {
                CheckpointLock held = tryAcquire(checkpoint, lockFile, identity);
                if (held != null) {
                    return held;
                }
                if (System.nanoTime() >= deadline) {
                    throw new CheckpointLockedException(checkpoint, lockFile, timeout, false, holderOf(lockFile));
                }
                pause(checkpoint);
            }
        } catch (IOException | RuntimeException e) {
            releaseInThisJvm(identity);
            throw e;
        }
    }

    /**
     * The lock's identity in this JVM: its directory's device and inode with its name, the same
     * through every path to that directory. (Not the checkpoint's inode: a write gives the
     * checkpoint a new one while the lock is held.)
     */
    private static Object identityOf(Path checkpoint, Path lockFile) throws IOException {
        try {
            Object directory = Files.readAttributes(lockFile.getParent(), java.nio.file.attribute.BasicFileAttributes.class).fileKey();
            return directory != null ? java.util.List.of(directory, lockFile.getFileName().toString()) : lockFile;
        } catch (NoSuchFileException e) {
            return lockFile;
        }
    }

    private static void reserveInThisJvm(Path checkpoint, Object identity, Path lockFile, Duration timeout, long deadline)
            throws IOException {
        while (true) {
            synchronized (HELD_IN_THIS_JVM) {
                if (HELD_IN_THIS_JVM.add(identity)) {
                    return;
                }
            }
            if (System.nanoTime() >= deadline) {
                throw new CheckpointLockedException(checkpoint, lockFile, timeout, true, null);
            }
            pause(checkpoint);
        }
    }

    private static void releaseInThisJvm(Object identity) {
        synchronized (HELD_IN_THIS_JVM) {
            HELD_IN_THIS_JVM.remove(identity);
        }
    }

    /** Locks the file at the path, or returns null when another process holds it. */
    private static CheckpointLock tryAcquire(Path checkpoint, Path lockFile, Object identity) throws IOException {
        FileChannel channel = open(checkpoint, lockFile);
        FileChannel atPath = null;
        try {
            FileLock lock = tryLock(channel);
            if (lock != null) {
                atPath = openIfPresent(lockFile);
                if (atPath != null && isLockedByThisJvm(atPath)) {
                    requireOwnLockFile(checkpoint, lockFile);
                    writeHolder(channel);
                    return new CheckpointLock(lockFile, identity, channel, atPath, lock);
                }
                // Locked a file its holder has just deleted: let go and lock the one at the path now.
                lock.release();
            }
        } catch (IOException | RuntimeException e) {
            closeAll(channel, atPath);
            throw e;
        }
        closeAll(channel, atPath);
        return null;
    }

    private static FileChannel open(Path checkpoint, Path lockFile) throws IOException {
        try {
            return FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS);
        } catch (AccessDeniedException e) {
            throw new AccessDeniedException(lockFile.getParent().toString(), null,
                    "permission denied: cannot create the lock file " + lockFile.getFileName() + " next to " + checkpoint
                            + " (migrating a checkpoint needs write access to its directory)");
        } catch (IOException e) {
            if (Files.isSymbolicLink(lockFile)) {
                throw notOurs(checkpoint, lockFile, "a symbolic link");
            }
            throw DiskSpace.explainCreate(checkpoint.toAbsolutePath(), "to create the lock file " + lockFile.getFileName() + " next to it", e);
        }
    }

    /** The file at the lock's name is a plain file of its own: not a link to anything else. */
    private static void requireOwnLockFile(Path checkpoint, Path lockFile) throws IOException {
        Map<String, Object> attributes;
        try {
            attributes = Files.readAttributes(lockFile, "unix:nlink,mode", LinkOption.NOFOLLOW_LINKS);
        } catch (UnsupportedOperationException | IllegalArgumentException notUnix) {
            return;  // no unix attributes (Windows): the O_NOFOLLOW open is the guard there
        }
        int mode = (Integer) attributes.get("mode");
        if ((mode & 0170000) != 0100000) {
            throw notOurs(checkpoint, lockFile, "not a regular file");
        }
        if ((Integer) attributes.get("nlink") > 1) {
            throw notOurs(checkpoint, lockFile, "a hard link to a file with another name");
        }
    }

    private static IOException notOurs(Path checkpoint, Path lockFile, String what) {
        return new java.nio.file.FileSystemException(lockFile.toString(), null, what + " stands where ckpt keeps the lock of "
                + checkpoint + "; ckpt never writes through it. Remove it if nobody else uses it; the checkpoint was not changed");
    }

    private static FileChannel openIfPresent(Path lockFile) throws IOException {
        try {
            return FileChannel.open(lockFile, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** The JVM refuses a second lock on a file it holds locked: proof the path is the file we locked. */
    private static boolean isLockedByThisJvm(FileChannel atPath) throws IOException {
        try {
            FileLock other = atPath.tryLock(0, Long.MAX_VALUE, true);
            if (other != null) {
                other.release();
            }
            return false;
        } catch (OverlappingFileLockException e) {
            return true;
        }
    }

    /** Who holds the lock, for the message of a run that gives up; best effort (a full disk may refuse it). */
    private static void writeHolder(FileChannel channel) {
        try {
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(holder()), 0);
        } catch (IOException e) {
            // The lock holds without it; only the other run's message loses the holder's name.
        }
    }

    private static void closeAll(FileChannel... channels) throws IOException {
        for (FileChannel channel : channels) {
            if (channel != null) {
                channel.close();
            }
        }
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null;
        }
    }

    /** Process id, host and since when. */
    private static byte[] holder() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "unknown host";
        }
        return ("pid " + ProcessHandle.current().pid() + " on " + host + " since " + Instant.now()).getBytes(StandardCharsets.UTF_8);
    }

    /** Read only after giving up (this process holds no lock on the file then), never through a link, at most a line. */
    private static String holderOf(Path lockFile) {
        try (FileChannel in = FileChannel.open(lockFile, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            ByteBuffer text = ByteBuffer.allocate(256);
            while (text.hasRemaining() && in.read(text) > 0) {
                // fill up to the bound
            }
            return new String(text.array(), 0, text.position(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return null;
        }
    }

    private static void pause(Path checkpoint) throws IOException {
        try {
            Thread.sleep(RETRY_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(checkpoint + ": interrupted while waiting for its lock", e);
        }
    }

    public Path lockFile() {
        return lockFile;
    }

    /** Deletes the lock file while still holding the lock (see the class comment), then releases it. */
    @Override
    public void close() throws IOException {
        try {
            Files.deleteIfExists(lockFile);
        } finally {
            try {
                lock.release();
                closeAll(channel, atPath);
            } finally {
                releaseInThisJvm(identity);
            }
        }
    }
}
