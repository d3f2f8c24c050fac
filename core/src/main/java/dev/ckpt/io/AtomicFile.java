package dev.ckpt.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Replaces a file so that its path always holds either the old content or the complete new
 * content: the new content goes to a temp file in the same directory, is fsynced, checked, and
 * is renamed over the target; the directory is fsynced after. On any failure the temp file is
 * removed and the target is untouched. Temp files are named {@code .<name>.<digits>.ckpt-tmp};
 * one left by a killed process is never renamed by anyone, and {@link #removeStaleTemps} deletes
 * it on the next run.
 */
public final class AtomicFile {
    public static final String TEMP_SUFFIX = ".ckpt-tmp";

    /** Writes the new content into the channel of the temp file (at {@code file}, for copies the kernel makes into it). */
    @FunctionalInterface
    public interface Content {
        void writeTo(FileChannel channel, Path file) throws IOException;
    }

    /** Checks the durable temp file before it may replace the target; throws to refuse it. */
    @FunctionalInterface
    public interface WrittenCheck {
        void check(Path written) throws IOException;
    }

    /** Runs after the new content is durable and checked, just before it replaces the target. */
    @FunctionalInterface
    public interface BeforeRename {
        void run() throws IOException;
    }

    private AtomicFile() {
    }

    /**
     * Replaces {@code target} with what {@code content} writes.
     *
     * @param expectedBytes about how much will be written; refused at once when the file system
     *                      has less free space (0: no early check)
     */
    public static void replace(Path target, long expectedBytes, Content content, WrittenCheck check,
                               BeforeRename beforeRename) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        DiskSpace.require(absolute, expectedBytes);
        Path temp = createTemp(absolute);
        boolean moved = false;
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                content.writeTo(channel, temp);
                channel.force(true);
            } catch (IOException e) {
                Files.deleteIfExists(temp); // first, so the message counts the space it gives back
                throw DiskSpace.explainWrite(absolute, expectedBytes, e);
            }
            check.check(temp);
            // After writing: a read-only target's mode must not stop us writing the temp file.
            keepAttributes(absolute, temp);
            beforeRename.run();
            try {
                Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot replace " + absolute + " atomically on this file system", e);
            }
            moved = true;
            syncDirectory(dir);
        } finally {
            if (!moved) {
                Files.deleteIfExists(temp);
            }
        }
    }

    private static Path createTemp(Path target) throws IOException {
        try {
            return Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", TEMP_SUFFIX);
        } catch (AccessDeniedException e) {
            throw new AccessDeniedException(target.getParent().toString(), null, "permission denied: cannot create a file"
                    + " in this directory; " + target.getFileName() + " is replaced by writing the new content next to it");
        } catch (IOException e) {
            throw DiskSpace.explainCreate(target, "to create the temp file for the new content", e);
        }
    }

    /**
     * Deletes the temp files a killed or crashed run left next to {@code target}. Only safe while
     * holding the target's {@link CheckpointLock}: then no live run can be writing one.
     *
     * @return the files deleted
     */
    public static List<Path> removeStaleTemps(Path target) throws IOException {
        Path absolute = target.toAbsolutePath();
        Pattern ours = Pattern.compile(Pattern.quote("." + absolute.getFileName() + ".") + "\\d+" + Pattern.quote(TEMP_SUFFIX));
        List<Path> removed = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(absolute.getParent())) {
            for (Path entry : entries) {
                if (ours.matcher(entry.getFileName().toString()).matches() && Files.isRegularFile(entry)) {
                    Files.deleteIfExists(entry);
                    removed.add(entry);
                }
            }
        }
        return removed;
    }

    /**
     * A new file gets default permissions; a replaced one keeps its owner, group, mode and user
     * extended attributes (temp files start private and owned by whoever runs ckpt, often root).
     * An owner or group this process may not give the file is refused: the replacement would
     * otherwise lock its owner out.
     */
    private static void keepAttributes(Path target, Path temp) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(temp, PosixFileAttributeView.class);
        if (view == null) {
            return;
        }
        if (!Files.exists(target)) {
            view.setPermissions(PosixFilePermissions.fromString("rw-r--r--"));
            return;
        }
        PosixFileAttributes original = Files.readAttributes(target, PosixFileAttributes.class);
        PosixFileAttributes now = view.readAttributes();
        try {
            if (!original.owner().equals(now.owner())) {
                view.setOwner(original.owner());
            }
            if (!original.group().equals(now.group())) {
                view.setGroup(original.group());
            }
        } catch (IOException e) {
            throw new AccessDeniedException(target.toString(), null, "cannot give the new file the checkpoint's owner "
                    + original.owner().getName() + " and group " + original.group().getName()
                    + " (only root or its owner can); the checkpoint was not changed");
        }
        view.setPermissions(original.permissions());  // after chown, which may clear set-id bits
        ExtendedAttributes.copy(target, temp);
    }

    /**
     * Makes a rename or a new link in {@code dir} durable. Best effort: a file system that cannot
     * sync a directory must not turn a done rename into an error.
     */
    public static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Best effort: the rename is atomic either way; only its durability across a crash is at stake.
        }
    }
}
