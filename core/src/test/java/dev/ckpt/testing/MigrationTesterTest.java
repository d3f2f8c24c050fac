package dev.ckpt.testing;

import static dev.ckpt.engine.Scenarios.ALL;
import static dev.ckpt.engine.Scenarios.FINAL;
import static dev.ckpt.engine.Scenarios.OLD;
import static dev.ckpt.engine.Scenarios.RECENT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ckpt.engine.CheckpointInspection;
import dev.ckpt.engine.IncompatibleCheckpointException;
import dev.ckpt.engine.MigrationName;
import dev.ckpt.engine.MigrationReport;
import dev.ckpt.engine.MigrationSet;
import dev.ckpt.engine.Migrator;
import dev.ckpt.engine.MigratorOptions;
import dev.ckpt.engine.SourceCompiler;
import dev.ckpt.template.MigrationSkeleton;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The helper teams use to test their own migrations (and the archetype's generated test uses). */
@Tag("torch")
class MigrationTesterTest {
    @TempDir
    Path dir;

    @Test
    void appliesEveryMigrationToTheLightningSampleAndChecksTheRecords() throws IOException {
        MigrationTester tester = MigrationTester.of(OLD);
        Path ckpt = tester.lightningSample(dir.resolve("sample.ckpt"));

        MigrationReport report = tester.applyAll(ckpt, checkpoint -> assertTrue(checkpoint.root().containsKey("state_dict")));

        assertEquals(OLD.size(), report.plan().missing().size());
        tester.assertRoundTrips(dir.resolve("work"));
        tester.verify(dir.resolve("all"));
    }

    @Test
    void aSampleFromTheTestResourcesIsCopiedAndMigratedLeavingTheResourceAlone() throws Exception {
        Path resources = Files.createDirectories(dir.resolve("test-classes/samples"));
        Path resource = LightningSample.write(resources.resolve("epoch3.ckpt"));
        byte[] before = Files.readAllBytes(resource);
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader testClassPath = new URLClassLoader(new URL[] {dir.resolve("test-classes").toUri().toURL()}, previous)) {
            Thread.currentThread().setContextClassLoader(testClassPath);
            MigrationTester tester = MigrationTester.of(OLD);
            Path copy = tester.sample("samples/epoch3.ckpt", dir.resolve("work"));
            tester.applyAll(copy, checkpoint -> assertEquals(OLD.size(), checkpoint.node("migrations").asList().size()));
            assertArrayEquals(before, Files.readAllBytes(resource), "the resource itself is never changed");

            AssertionError missing = assertThrows(AssertionError.class, () -> tester.sample("samples/none.ckpt", dir));
            assertTrue(missing.getMessage().contains("src/test/resources/samples/none.ckpt"), missing.getMessage());
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    @Test
    void aSampleOfYourApplicationNeedsItsAppKey() throws IOException {
        Path sample = LightningSample.write(dir.resolve("sample.ckpt"));
        new Migrator(MigrationSet.of(OLD.subList(0, 2)), MigratorOptions.defaults("1.0").withAppKey("demo-model").withBackup(false)).apply(sample);

        IncompatibleCheckpointException refused = assertThrows(IncompatibleCheckpointException.class, () -> MigrationTester.of(OLD).applyAll(sample));
        assertTrue(refused.getMessage().contains("belong to the application demo-model, not to application"), refused.getMessage());
        MigrationReport report = MigrationTester.of(OLD).withAppKey("demo-model").applyAll(sample);
        assertEquals(2, report.plan().missing().size());
    }

    @Test
    void aGroupStartingWithAFinalMigrationIsAppliedToAFreshCheckpoint() throws IOException {
        MigrationTester tester = MigrationTester.of(ALL);

        tester.verify(dir);

        MigrationTester onlyFinal = MigrationTester.of(List.of(FINAL));
        onlyFinal.verify(dir.resolve("final"));
        MigrationTester.of(List.of(FINAL, RECENT)).verify(dir.resolve("recent"));
    }

    @Test
    void findsTheMigrationsOfAPackageOnTheClassPath() {
        MigrationTester tester = MigrationTester.forPackage("dev.ckpt.engine.scenarios.more");
        assertTrue(tester.migrations().migrations().size() >= 2);
        AssertionError none = assertThrows(AssertionError.class, () -> MigrationTester.forPackage("no.such.pkg"));
        assertTrue(none.getMessage().contains("no.such.pkg"));
    }

    @Test
    void aRollbackThatDoesNotUndoMigrateFailsTheRoundTrip() throws IOException {
        String source = """
                package tester;

                import dev.ckpt.api.Checkpoint;
                import dev.ckpt.api.Migration;
                import dev.ckpt.api.MigrationInfo;
                import dev.ckpt.api.Reversible;

                @MigrationInfo(version = "1.0.0")
                public class M1790000000_bump extends Migration implements Reversible {
                    @Override
                    public void migrate(Checkpoint checkpoint) {
                        checkpoint.root().put("pytorch-lightning_version", "2.1.0");
                    }

                    @Override
                    public void rollback(Checkpoint checkpoint) {
                        checkpoint.root().put("pytorch-lightning_version", "1.9.0");
                    }
                }
                """;
        Class<?> broken = SourceCompiler.migration(dir.resolve("classes"), "tester.M1790000000_bump", source);
        List<Class<?>> migrations = new ArrayList<>(OLD);
        migrations.add(broken);
        MigrationTester tester = MigrationTester.of(migrations);

        tester.applyAll(tester.lightningSample(dir.resolve("sample.ckpt")));
        AssertionError error = assertThrows(AssertionError.class, () -> tester.verify(dir.resolve("work")));

        assertTrue(error.getMessage().contains("1790000000_bump on synthetic.ckpt: rollback does not give back"), error.getMessage());
    }

    @Test
    void aMigrationOfTheStateDictAndTheConfigIsVerifiedOnTheLightningSample() throws IOException {
        String source = """
                package tester3;

                import dev.ckpt.api.Checkpoint;
                import dev.ckpt.api.Migration;
                import dev.ckpt.api.MigrationInfo;
                import dev.ckpt.api.Reversible;

                @MigrationInfo(version = "1.0.0")
                public class M1790000002_encoder_to_backbone extends Migration implements Reversible {
                    @Override
                    public void migrate(Checkpoint checkpoint) {
                        checkpoint.stateDict().renamePrefix("model.encoder.", "model.backbone.");
                        checkpoint.config("hyper_parameters").set("model.hidden", 8L);
                    }

                    @Override
                    public void rollback(Checkpoint checkpoint) {
                        checkpoint.stateDict().renamePrefix("model.backbone.", "model.encoder.");
                        checkpoint.config("hyper_parameters").set("model.hidden", 4L);
                    }
                }
                """;
        Class<?> migration = SourceCompiler.migration(dir.resolve("classes3"), "tester3.M1790000002_encoder_to_backbone", source);
        MigrationTester tester = MigrationTester.of(List.of(migration));

        tester.verify(dir.resolve("work"));

        Path sample = tester.lightningSample(dir.resolve("sample.ckpt"));
        tester.applyAll(sample, checkpoint -> {
            assertEquals(List.of("model.backbone.weight", "model.backbone.bias", "model.head.weight", "model.head.bias"),
                    checkpoint.stateDict().keys());
            assertEquals(8L, checkpoint.config("hyper_parameters").getLong("model.hidden"));
        });
        assertEquals(List.of("migrate 1790000002_encoder_to_backbone"), CheckpointInspection.of(sample).history(),
                "the history lies in the DictConfig, as OmegaConf nodes");
    }

    @Test
    void aFreshSkeletonIsOnlyAWarning() throws IOException {
        String source = dev.ckpt.template.MigrationSkeleton.render("tester2", MigrationName.ofClassName("M1790000001_rename_layer"),
                new dev.ckpt.template.MigrationSkeleton.Options(false, false, false));
        Class<?> skeleton = SourceCompiler.migration(dir.resolve("classes2"), "tester2.M1790000001_rename_layer", source);
        MigrationTester tester = MigrationTester.of(List.of(skeleton));

        tester.verify(dir.resolve("work"));

        assertEquals(List.of("1790000001_rename_layer has a rollback method but does not implement Reversible, so it is never used"),
                tester.warnings());
    }
}
