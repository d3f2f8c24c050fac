package dev.ckpt.testing;

import static dev.ckpt.engine.MigrationOracle.fixture;
import static dev.ckpt.engine.MigrationOracle.listing;
import static dev.ckpt.engine.Scenarios.ALL;
import static dev.ckpt.engine.Scenarios.FOO;
import static dev.ckpt.engine.Scenarios.OLD;
import static dev.ckpt.engine.Scenarios.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ckpt.engine.MigrationSet;
import dev.ckpt.engine.SourceCompiler;
import dev.ckpt.engine.scenarios.more.M1760000003_rename_encoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The round trip {@code validate} runs for every reversible migration: migrate then rollback gives
 * back an equal tree, and migrating again gives the first result. Broken migrations are compiled
 * while the test runs and must be reported (with the path of the difference), never thrown.
 */
@Tag("torch")
class RoundTripValidatorTest {
    private static final String SYNTHETIC = "synthetic.ckpt";

    @TempDir
    Path dir;

    @Test
    void correctMigrationsPassOnASampleAndOnTheSyntheticCheckpoint() throws IOException {
        Path sample = fixture("fresh", dir);
        byte[] before = bytes(sample);
        Path work = Files.createDirectory(dir.resolve("work"));
        RoundTripValidator validator = new RoundTripValidator(MigrationSet.of(OLD), work);

        assertEquals(List.of(), validator.roundTrips(List.of(sample)));
        assertEquals(List.of(), validator.roundTrips(List.of()));

        assertArrayEquals(before, bytes(sample), "the sample is only read");
        assertEquals(List.of(SYNTHETIC), listing(work), "no temporary checkpoint is left");
    }

    @Test
    void aStateDictMigrationPassesOnARealModelWithTensors() throws IOException {
        Path sample = fixture("model", dir);
        Path work = Files.createDirectory(dir.resolve("work"));
        RoundTripValidator validator = new RoundTripValidator(MigrationSet.of(List.of(M1760000003_rename_encoder.class)), work);

        assertEquals(List.of(), validator.roundTrips(List.of(sample)));
        assertEquals(List.of(), validator.roundTrips(List.of()));
    }

    @Test
    void migrationsAfterAFinalMigrationPassOnTheSyntheticCheckpoint() throws IOException {
        // The last group starts with the final migration: the synthetic checkpoint must be brought past it.
        Path sample = fixture("recent", dir);
        Path work = Files.createDirectory(dir.resolve("work"));
        RoundTripValidator validator = new RoundTripValidator(MigrationSet.of(ALL), work, "anemoi-models");

        assertEquals(List.of(), validator.roundTrips(List.of()));
        assertEquals(List.of(), validator.roundTrips(List.of(sample)));
    }

    @Test
    void aRollbackThatDoesNotUndoMigrateIsReportedWithThePathOfTheDifference() throws IOException {
        Path sample = fixture("fresh", dir);
        Class<?> broken = compile("M1790000000_bump_lightning", """
                checkpoint.root().put("pytorch-lightning_version", "2.1.0");
                """, """
                checkpoint.root().put("pytorch-lightning_version", "1.9.0");
                """);
        List<Class<?>> migrations = new ArrayList<>(OLD);
        migrations.add(broken);

        List<String> problems = validator(migrations).roundTrips(List.of(sample));
        List<String> synthetic = validator(migrations).roundTrips(List.of());

        String why = "rollback does not give back the checkpoint before migrate: pytorch-lightning_version: ";
        assertEquals(List.of("1790000000_bump_lightning on model.ckpt: " + why + "2.0.0 != 1.9.0"), problems);
        assertEquals(List.of("1790000000_bump_lightning on " + SYNTHETIC + ": " + why + "2.6.6 != 1.9.0"), synthetic);
    }

    @Test
    void aRollbackThatLeavesSomethingBehindIsReported() throws IOException {
        Class<?> broken = compile("M1790000001_add_two", """
                checkpoint.root().put("a", "a");
                checkpoint.config("hyper_parameters").set("depth", 12L);
                """, """
                checkpoint.root().remove("a");
                """);

        List<String> problems = validator(List.of(broken)).roundTrips(List.of());

        assertEquals(List.of("1790000001_add_two on " + SYNTHETIC
                + ": rollback does not give back the checkpoint before migrate: hyper_parameters: keys [model, lr] != [model, lr, depth]"),
                problems);
    }

    @Test
    void aDifferenceInsideAnOmegaConfConfigIsNamedByItsKeys() throws IOException {
        Class<?> broken = compile("M1790000004_widen", """
                checkpoint.config("hyper_parameters").set("model.hidden", 8L);
                """, """
                checkpoint.config("hyper_parameters").set("model.hidden", 5L);
                """);

        List<String> problems = validator(List.of(broken)).roundTrips(List.of());

        assertEquals(List.of("1790000004_widen on " + SYNTHETIC
                + ": rollback does not give back the checkpoint before migrate: hyper_parameters.model.hidden: 4 != 5"), problems);
    }

    @Test
    void aDifferenceInsideAnOrderedDictIsNamedByItsQuotedKey() throws IOException {
        String metadata = "((java.util.Map<Object, Object>) ((dev.ckpt.pickle.PyObject) ((dev.ckpt.pickle.PyObject) checkpoint.root()"
                + ".get(\"state_dict\")).attributes().get(\"_metadata\")).dictItems().get(\"model.encoder\"))";
        Class<?> broken = compile("M1790000005_bump_version", metadata + ".put(\"version\", 2L);\n", metadata + ".put(\"version\", 3L);\n");

        List<String> problems = validator(List.of(broken)).roundTrips(List.of());

        assertEquals(List.of("1790000005_bump_version on " + SYNTHETIC
                + ": rollback does not give back the checkpoint before migrate: state_dict._metadata[\"model.encoder\"].version: 1 != 3"),
                problems);
    }

    @Test
    void aMigrationThatGivesAnotherResultAfterItsRollbackIsReported() throws IOException {
        Class<?> counter = compile("M1790000002_count_runs", """
                checkpoint.root().put("runs", (long) ++runs);
                """, """
                checkpoint.root().remove("runs");
                """);

        List<String> problems = validator(List.of(counter)).roundTrips(List.of());

        assertEquals(List.of("1790000002_count_runs on " + SYNTHETIC
                + ": migrating again after the rollback gives another result: runs: 1 != 2"), problems);
    }

    @Test
    void aMigrationThatThrowsOnTheSyntheticCheckpointIsReportedNotThrown() throws IOException {
        Class<?> needsLr = compile("M1790000003_scale_lr", """
                java.util.Map<Object, Object> hp = (java.util.Map<Object, Object>) checkpoint.root().get("hyper_parameters");
                hp.put("lr", ((Number) hp.get("lr")).doubleValue() * 2);
                """, """
                java.util.Map<Object, Object> hp = (java.util.Map<Object, Object>) checkpoint.root().get("hyper_parameters");
                hp.put("lr", ((Number) hp.get("lr")).doubleValue() / 2);
                """);
        Path work = Files.createDirectory(dir.resolve("work"));
        RoundTripValidator validator = new RoundTripValidator(MigrationSet.of(List.of(FOO, needsLr)), work);

        List<String> problems = validator.roundTrips(List.of());

        assertEquals(1, problems.size(), String.join("\n", problems));
        // Written for a plain dict: the synthetic checkpoint's hyper_parameters is an OmegaConf DictConfig.
        assertTrue(problems.get(0).startsWith("1790000003_scale_lr on " + SYNTHETIC + ": migrate threw java.lang.ClassCastException"),
                problems.get(0));
        assertEquals(List.of(SYNTHETIC), listing(work), "no temporary checkpoint is left after a failure");
        Path sample = fixture("fresh", dir);
        assertEquals(List.of(), validator.roundTrips(List.of(sample)), "the sample has hyper_parameters.lr (and x * 2 / 2 == x exactly)");
    }

    @Test
    void aMigrationThatThrowsAnErrorIsReportedNotThrown() throws IOException {
        Class<?> missingClass = compile("M1790000004_needs_gone", """
                throw new NoClassDefFoundError("com/example/Gone");
                """, "");

        List<String> problems = validator(List.of(missingClass)).roundTrips(List.of());

        assertEquals(List.of("1790000004_needs_gone on " + SYNTHETIC + ": migrate threw java.lang.NoClassDefFoundError: com/example/Gone"),
                problems);
    }

    @Test
    void aRollbackThatThrowsIsReported() throws IOException {
        Class<?> failingRollback = compile("M1790000005_no_way_back", """
                checkpoint.root().put("b", "b");
                """, """
                throw new IllegalStateException("cannot undo");
                """);

        List<String> problems = validator(List.of(failingRollback)).roundTrips(List.of());

        assertEquals(List.of("1790000005_no_way_back on " + SYNTHETIC + ": rollback threw java.lang.IllegalStateException: cannot undo"),
                problems);
    }

    private RoundTripValidator validator(List<Class<?>> migrations) throws IOException {
        Path work = Files.createTempDirectory(dir, "work");
        return new RoundTripValidator(MigrationSet.of(migrations), work);
    }

    /** A reversible migration {@code rt.<className>} with these bodies (and a static counter {@code runs}). */
    private Class<?> compile(String className, String migrate, String rollback) {
        String source = """
                package rt;

                import dev.ckpt.api.Checkpoint;
                import dev.ckpt.api.Migration;
                import dev.ckpt.api.MigrationInfo;
                import dev.ckpt.api.Reversible;

                @MigrationInfo(version = "1.0.0")
                @SuppressWarnings("unchecked")
                public class %s extends Migration implements Reversible {
                    static int runs;

                    @Override
                    public void migrate(Checkpoint checkpoint) {
                        %s
                    }

                    @Override
                    public void rollback(Checkpoint checkpoint) {
                        %s
                    }
                }
                """.formatted(className, migrate, rollback);
        return SourceCompiler.migration(dir.resolve("classes-" + className), "rt." + className, source);
    }
}
