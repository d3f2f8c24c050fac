package dev.ckpt.it.reliability.migrations;

import dev.ckpt.api.Checkpoint;
import dev.ckpt.api.Migration;
import dev.ckpt.api.MigrationInfo;
import dev.ckpt.api.Reversible;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Lets a test stop a run in the middle: with {@code -Dckpt.it.pause=FILE} it creates
 * {@code FILE.reached} and waits (at most two minutes) until FILE is deleted. Without the property
 * it does nothing. The checkpoint is open and read at that point; nothing is written yet.
 */
@MigrationInfo(version = "2.0.0")
public class M1700000300_pause_for_tests extends Migration implements Reversible {
    @Override
    public void migrate(Checkpoint checkpoint) {
        String pause = System.getProperty("ckpt.it.pause");
        if (pause == null) {
            return;
        }
        Path file = Path.of(pause);
        try {
            Files.createFile(file.resolveSibling(file.getFileName() + ".reached"));
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (Files.exists(file) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot signal the pause at " + file, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void rollback(Checkpoint checkpoint) {
    }
}
