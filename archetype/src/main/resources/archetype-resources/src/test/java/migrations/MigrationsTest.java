package ${package}.migrations;

import dev.ckpt.testing.MigrationTester;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tests every migration of this package, new ones included: all of them apply to a Lightning-shaped
 * sample checkpoint made in Java and are recorded, and every Reversible one survives a round trip
 * (migrate, rollback, migrate again). Add your own checks on a checkpoint of your model, kept
 * under src/test/resources: {@code tester.applyAll(tester.sample("samples/epoch3.ckpt", dir),
 * checkpoint -> ...)}.
 */
class MigrationsTest {
    @TempDir
    Path dir;

    @Test
    void everyMigrationAppliesAndEveryReversibleOneRollsBack() throws IOException {
        MigrationTester.forPackage("${package}.migrations").verify(dir);
    }
}
