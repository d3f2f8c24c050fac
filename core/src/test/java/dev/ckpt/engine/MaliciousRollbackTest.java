package dev.ckpt.engine;

import static dev.ckpt.engine.MigrationOracle.fixture;
import static dev.ckpt.engine.Scenarios.OPTIONS;
import static dev.ckpt.engine.Scenarios.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ckpt.api.Migration;
import dev.ckpt.sandbox.UntrustedRollbackException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rollback by value, end to end: a checkpoint migrated by a code base with migration N is rolled
 * back by an older one that has the migrations before N but not N; when N's embedded rollback reaches for the file system, the run is
 * refused before anything executes and the checkpoint stays byte-identical.
 */
@Tag("torch")
class MaliciousRollbackTest {
    private static final String CLASS = "evil.M1770000000_add_marker";

    @TempDir
    Path dir;

    private Class<? extends Migration> compiled(String rollbackBody) {
        return SourceCompiler.migration(dir.resolve("classes"), CLASS, """
                package evil;
                import dev.ckpt.api.*;
                @MigrationInfo(version = "2.0.0")
                public class M1770000000_add_marker extends Migration implements Reversible {
                    public void migrate(Checkpoint ckpt) { ckpt.root().put("marker", "set"); }
                    public void rollback(Checkpoint ckpt) throws Exception { %s }
                }
                """.formatted(rollbackBody));
    }

    @Test
    void aRollbackThatReadsFilesIsRefusedAndTheCheckpointIsUnchanged() throws IOException {
        Path file = fixture("fresh", dir);
        Path secret = Files.writeString(dir.resolve("secret.txt"), "do not read");
        Class<? extends Migration> evil = compiled("ckpt.root().put(\"stolen\", java.nio.file.Files.readString(java.nio.file.Path.of(\""
                + secret + "\"))); ckpt.root().remove(\"marker\");");
        new Migrator(MigrationSet.of(List.of(Scenarios.FOO, evil)), OPTIONS.withBackup(false)).apply(file);
        byte[] before = bytes(file);

        Migrator withoutN = new Migrator(MigrationSet.of(List.of(Scenarios.FOO)), OPTIONS);
        UntrustedRollbackException e = assertThrows(UntrustedRollbackException.class, () -> withoutN.apply(file));

        assertTrue(e.getMessage().contains("java/nio/file/Files") || e.getMessage().contains("java.nio.file.Files"), e.getMessage());
        assertArrayEquals(before, bytes(file), "the checkpoint is untouched");
        assertEquals(List.of(file.getFileName().toString(), "secret.txt", "classes"), listing(file.getParent()));
    }

    @Test
    void aHarmlessEmbeddedRollbackRunsWithoutTheCode() throws IOException {
        Path file = fixture("fresh", dir);
        Class<? extends Migration> plain = compiled("ckpt.root().remove(\"marker\");");
        new Migrator(MigrationSet.of(List.of(Scenarios.FOO, plain)), OPTIONS.withBackup(false)).apply(file);

        MigrationReport report = new Migrator(MigrationSet.of(List.of(Scenarios.FOO)), OPTIONS.withBackup(false)).apply(file);

        assertEquals(List.of("+ ROLLBACK 1770000000_add_marker [v2.0.0]"), report.lines());
        assertTrue(!Scenarios.root(file).containsKey("marker"));
    }

    private static List<String> listing(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted((a, b) -> a.equals("classes") ? 1 : b.equals("classes") ? -1 : a.compareTo(b)).toList();
        }
    }
}
