package dev.ckpt.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;

/**
 * What a file was when it was read: its inode (file key), size, modification time and, where
 * the file system has one, its change time (which also moves when the file is rewritten with
 * the old modification time restored). Compared again just before replacing the file, it tells
 * whether anyone changed or replaced the file in between.
 */
public record FileIdentity(Object fileKey, long size, FileTime modified, Object changed) {

    public static FileIdentity of(Path file) throws IOException {
        BasicFileAttributes basic = Files.readAttributes(file, BasicFileAttributes.class);
        return new FileIdentity(basic.fileKey(), basic.size(), basic.lastModifiedTime(), changeTime(file));
    }

    private static Object changeTime(Path file) throws IOException {
        try {
            return Files.getAttribute(file, "unix:ctime");
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * Fails unless {@code file} is still the file this identity was taken from, unchanged.
     *
     * @throws FileChangedException naming what changed
     */
    public void checkUnchanged(Path file) throws IOException {
        FileIdentity now;
        try {
            now = of(file);
        } catch (NoSuchFileException e) {
            throw new FileChangedException(file, "it was deleted or moved away");
        }
        if (fileKey != null && !fileKey.equals(now.fileKey)) {
            throw new FileChangedException(file, "another file was put in its place");
        }
        if (size != now.size) {
            throw new FileChangedException(file, "its size went from " + size + " to " + now.size + " bytes");
        }
        if (!modified.equals(now.modified)) {
            throw new FileChangedException(file, "it was modified at " + now.modified);
        }
        if (changed != null && !changed.equals(now.changed)) {
            throw new FileChangedException(file, "its inode changed at " + now.changed);
        }
    }
}
