package dev.ckpt.it.reliability;

import static dev.ckpt.it.reliability.FaultCheckpoints.lockFile;
import static dev.ckpt.it.reliability.FaultCheckpoints.sha256;
import static dev.ckpt.it.reliability.FaultCheckpoints.tempFiles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A faulty migration fails an {@link ApplyProcess} run cleanly: exit code 1, a message naming
 * the checkpoint, the migration and what it did wrong, the checkpoint byte-identical, no temp,
 * lock or backup file left. The faults: it throws half way through its changes; it leaves no root
 * (the Java form of a Python migration returning None); it stores a value no pickle can hold;
 * its setup deletes a class whose instance stays in the checkpoint, in strict mode. Without
 * strict mode that last one succeeds and torch.load reads the placeholder.
 */
class MigrationFaultsTest {
    @TempDir
    static Path made;
    private static Path original;

    @TempDir
    Path dir;
    private Path file;

    @BeforeAll
    static void makeCheckpoint() throws Exception {
        original = FaultCheckpoints.make(made.resolve("model.ckpt"), 4);
    }

    @BeforeEach
    void copyCheckpoint() throws IOException {
        file = Files.copy(original, dir.resolve("model.ckpt"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "throwing    | 1700000900_explodes        | false | migration 1700000900_explodes failed: java.lang.IllegalStateException: boom: the new layer names clash",
        "noroot      | 1700000900_loses_root      | false | migration 1700000900_loses_root left the checkpoint's root as null (Python None); it must stay a dict",
        "unpicklable | 1700000900_stores_thread   | false | migration 1700000900_stores_thread left a value that cannot be written: cannot pickle a value of Java java.lang.Thread",
        "deleting    | 1700000900_drop_namespace  | true  | args: argparse.Namespace (deleted by the setup of migration 1700000900_drop_namespace)",
    })
    void aFaultyMigrationFailsNamingItselfAndChangesNothing(String fault, String migration, boolean strict, String expected)
            throws Exception {
        String before = sha256(file);
        List<String> args = new ArrayList<>(List.of("--migrations=dev.ckpt.it.reliability.faults." + fault));
        if (strict) {
            args.add("--strict");
        }
        args.add(file.toString());

        String message = FaultProcess.apply(args.toArray(String[]::new)).assertFailure(file, migration, expected);

        assertTrue(message.endsWith("(the checkpoint was not changed)"), message);
        assertEquals(before, sha256(file));
        assertEquals(List.of(file), listing(), "no temp, lock or backup file");
    }

    @Test
    void withoutStrictModeThePlaceholderIsWrittenAndTorchLoadsIt() throws Exception {
        FaultProcess.Result apply = FaultProcess.apply("--migrations=dev.ckpt.it.reliability.faults.deleting", "--no-backup",
                file.toString());

        assertEquals(0, apply.exit(), apply::toString);
        assertTrue(apply.stdout().contains("WARNING placeholders for deleted classes are left and will be written as"
                + " plain dicts (key __ckpt_placeholder__): [args: argparse.Namespace (deleted by the setup of migration"
                + " 1700000900_drop_namespace)]"), apply::toString);
        FaultProcess.Result loaded = FaultProcess.run(FaultCheckpoints.PYTHON_TIMEOUT, List.of(ApplyProcesses.PYTHON.toString(),
                ApplyProcesses.checkpointsScript().toString(), "placeholder", file.toString()));
        assertEquals("placeholder", loaded.stdout().strip(), loaded::toString);
        assertEquals(List.of(), tempFiles(dir));
        assertFalse(Files.exists(lockFile(file)));
    }

    private List<Path> listing() throws IOException {
        try (var files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }
}
