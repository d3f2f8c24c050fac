package dev.ckpt.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;

/** Copies a file's user extended attributes ({@code user.*}) where its file system has them. */
final class ExtendedAttributes {
    /** Larger values are refused rather than allocated: ext4 allows 4 KB a value, XFS 64 KB. */
    private static final int MAX_VALUE = 64 * 1024;

    private ExtendedAttributes() {
    }

    static void copy(Path from, Path to) throws IOException {
        if (!Files.getFileStore(from).supportsFileAttributeView(UserDefinedFileAttributeView.class)) {
            return;
        }
        UserDefinedFileAttributeView source = Files.getFileAttributeView(from, UserDefinedFileAttributeView.class);
        UserDefinedFileAttributeView target = Files.getFileAttributeView(to, UserDefinedFileAttributeView.class);
        for (String name : source.list()) {
            int size = source.size(name);
            if (size > MAX_VALUE) {
                throw new IOException(from + ": its extended attribute user." + name + " has " + size
                        + " bytes, more than the " + MAX_VALUE + " ckpt keeps; the checkpoint was not changed");
            }
            ByteBuffer value = ByteBuffer.allocate(size);
            source.read(name, value);
            target.write(name, value.flip());
        }
    }
}
