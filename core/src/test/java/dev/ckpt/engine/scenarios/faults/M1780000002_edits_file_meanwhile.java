package dev.ckpt.engine.scenarios.faults;

import dev.ckpt.api.Checkpoint;
import dev.ckpt.api.Migration;
import dev.ckpt.api.MigrationInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Plays another program changing the checkpoint while a run works on it: with no
 * {@link #replacement} it appends a byte in place, with one it renames that file over it.
 */
@MigrationInfo(version = "0.9.0")
public class M1780000002_edits_file_meanwhile extends Migration {
    public static volatile Path replacement;

    @Override
    public void migrate(Checkpoint checkpoint) {
        Path file = checkpoint.archive().file();
        try {
            if (replacement == null) {
                Files.write(file, new byte[] {'x'}, StandardOpenOption.APPEND);
            } else {
                Files.move(replacement, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        checkpoint.root().put("migrated", true);
    }
}
