package dev.ckpt.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;

/**
 * Replaces a file so that its path always holds either the old content or the complete new
 * content: the new content goes to a temp file in the same directory, is fsynced, and is renamed
 * over the target; the directory is fsynced after. On any failure the temp file is removed and
 * the target is untouched. Temp files are named {@code .<name>.<random>.ckpt-tmp}.
 */
public final class AtomicFile {
    public static final String TEMP_SUFFIX = ".ckpt-tmp";

    /** Writes the new content into the channel of the temp file. */
    @FunctionalInterface
    public interface Content {
        void writeTo(FileChannel channel) throws IOException;
    }

    private AtomicFile() {
    }

    /** Runs after the new content is durable, just before it replaces the target. */
    @FunctionalInterface
    public interface BeforeRename {
        void run() throws IOException;
    }

    public static void replace(Path target, Content content) throws IOException {
        replace(target, content, () -> { });
    }

    public static void replace(Path target, Content content, BeforeRename beforeRename) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        Path temp = Files.createTempFile(dir, "." + absolute.getFileName() + ".", TEMP_SUFFIX);
        boolean moved = false;
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                content.writeTo(channel);
                channel.force(true);
            }
            // After writing: a read-only target's mode must not stop us writing the temp file.
            copyPermissions(absolute, temp);
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

    /** A new file gets default permissions; a replaced one keeps its own (temp files start private). */
    private static void copyPermissions(Path target, Path temp) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(temp, PosixFileAttributeView.class);
        if (view == null) {
            return;
        }
        if (Files.exists(target)) {
            view.setPermissions(Files.getPosixFilePermissions(target));
        } else {
            view.setPermissions(java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    /**
     * Makes the rename itself durable. The file is already replaced when this runs, so a file
     * system that cannot sync a directory must not turn that success into an error.
     */
    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Best effort: the rename is atomic either way; only its durability across a crash is at stake.
        }
    }
}
