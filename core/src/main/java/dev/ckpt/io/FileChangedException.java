package dev.ckpt.io;

import java.io.IOException;
import java.nio.file.Path;

/** A file changed on disk between the moment it was read and the moment it was to be replaced. */
public class FileChangedException extends IOException {
    public FileChangedException(Path file, String what) {
        super(file + ": changed on disk since it was read (" + what + "); nothing was written, so the other"
                + " change is kept. Run again to migrate the file as it is now.");
    }
}
