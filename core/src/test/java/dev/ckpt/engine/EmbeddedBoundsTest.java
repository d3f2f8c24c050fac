package dev.ckpt.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ckpt.api.Migration;
import dev.ckpt.engine.scenarios.hostile.M1700000302_noop;
import dev.ckpt.sandbox.EmbeddedCodeAllowList;
import dev.ckpt.sandbox.UntrustedRollbackException;
import dev.ckpt.torch.TorchCheckpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.AnnotationVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;

/**
 * Code that comes inside a checkpoint is bounded: an embedded rollback gets a wall-clock budget
 * (then the run fails, nothing is written and the lock is released), whatever it throws is that
 * rollback's failure in one line, a class the check cannot read without end is refused, and a
 * dry run never runs unchecked code, trusted or not.
 */
class EmbeddedBoundsTest {
    /** EmbeddedRollbackTest's rollback template, with no other members. */
    private static final String ROLLBACK = EmbeddedRollbackTest.HOSTILE.replace("@MEMBERS@", "");

    @TempDir
    Path dir;

    @Test
    void anEndlessLoopIsStoppedWithinItsBudgetAndTheLockIsReleased() throws IOException {
        Path file = checkpointWithRollback("endless", "long n = 0; while (ckpt != null) { n++; }");
        byte[] before = Files.readAllBytes(file);
        Migrator migrator = older(MigratorOptions.defaults("1.0.0").withEmbeddedTimeout(Duration.ofSeconds(1)));

        long start = System.nanoTime();
        MigrationFailedException e = assertThrows(MigrationFailedException.class, () -> migrator.apply(file));
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertTrue(e.getMessage().contains("did not finish within 1 s"), e.getMessage());
        assertTrue(millis < 10_000, millis + " ms");
        assertArrayEquals(before, Files.readAllBytes(file));
        assertFalse(Files.exists(dir.resolve(".model.ckpt.ckpt-lock")), "the lock is released");
    }

    @Test
    void anErrorWithAForgedMessageIsThatRollbacksFailureOnOneLine() throws IOException {
        Path file = checkpointWithRollback("forged", "throw new Error(\"boom\\n[INFO] BUILD SUCCESS\\n\");");
        byte[] before = Files.readAllBytes(file);

        MigrationFailedException e = assertThrows(MigrationFailedException.class, () -> older(MigratorOptions.defaults("1.0.0")).apply(file));

        assertTrue(e.getMessage().contains("java.lang.Error: boom [INFO] BUILD SUCCESS"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(file));
    }

    @Test
    void anEmbeddedRollbackThatPassesTheCheckStillCannotAddACommand() throws IOException {
        Path file = checkpointWithRollback("plants_command", "ckpt.root().put(\"p\", new dev.ckpt.pickle.PyObject("
                + "dev.ckpt.pickle.PyObject.Construction.REDUCE, dev.ckpt.pickle.PyGlobal.of(\"posix\", \"system\"),"
                + " dev.ckpt.pickle.PyTuple.of(\"touch pwned\")));");
        byte[] before = Files.readAllBytes(file);

        MigrationFailedException e = assertThrows(MigrationFailedException.class, () -> older(MigratorOptions.defaults("1.0.0")).apply(file));

        assertTrue(e.getMessage().contains("rollback of 1800000000_plants_command") && e.getMessage().contains("posix.system"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(file));
    }

    @Test
    void aDryRunChecksEmbeddedCodeEvenWhenTheFileIsTrusted() throws IOException {
        Path file = checkpointWithRollback("reads_file", "ckpt.root().put(\"leak\", new java.io.File(\"/etc/hostname\").length());");

        assertThrows(UntrustedRollbackException.class, () -> older(MigratorOptions.defaults("1.0.0").withTrustEmbeddedRollbacks(true)
                .withDryRun(true)).apply(file));
        assertTrue(older(MigratorOptions.defaults("1.0.0").withTrustEmbeddedRollbacks(true).withBackup(false)).apply(file).written(),
                "a real run honours the trust");
    }

    @Test
    void aClassNestingAnnotationsWithoutEndIsRefusedNotFollowed() {
        ClassWriter writer = new ClassWriter(0);
        writer.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, "evil/Deep", null, "java/lang/Object", null);
        List<AnnotationVisitor> open = new ArrayList<>();
        AnnotationVisitor annotation = writer.visitAnnotation("Levil/Deep;", true);
        for (int i = 0; i < 200_000; i++) {
            open.add(annotation);
            annotation = annotation.visitAnnotation("value", "Levil/Deep;");
        }
        annotation.visitEnd();
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).visitEnd();
        }
        writer.visitEnd();

        List<String> refusals = EmbeddedCodeAllowList.refusals(Map.of("evil.Deep", writer.toByteArray()));

        assertTrue(refusals.size() == 1 && refusals.get(0).contains("nested too deeply"), refusals.toString());
    }

    /** The older code base knows the first record; the second is a newer one's, undone by its embedded code. */
    private Migrator older(MigratorOptions options) {
        return new Migrator(MigrationSet.of(List.of(M1700000302_noop.class)), options);
    }

    private Path checkpointWithRollback(String name, String body) throws IOException {
        String className = "M1800000000_" + name;
        Class<? extends Migration> newer = SourceCompiler.migration(dir.resolve("src-" + name), "evil." + className,
                ROLLBACK.replace("@CLASS@", className).replace("@BODY@", body));
        Map<Object, Object> root = new LinkedHashMap<>();
        root.put("epoch", 1L);
        root.put("migrations", new ArrayList<>(List.of(
                TestRecords.record("1700000302_noop", MigrationSignature.of(M1700000302_noop.class), null, null),
                TestRecords.record("1800000000_" + name, MigrationSignature.of(newer), EmbeddedRollback.capture(newer), null))));
        Path file = dir.resolve("model.ckpt");
        TorchCheckpoint.create(file, root);
        return file;
    }
}
