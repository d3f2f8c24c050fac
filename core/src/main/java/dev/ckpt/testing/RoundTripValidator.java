package dev.ckpt.testing;

import dev.ckpt.api.Checkpoint;
import dev.ckpt.api.Migration;
import dev.ckpt.api.Reversible;
import dev.ckpt.engine.MigrationDescriptor;
import dev.ckpt.engine.MigrationSet;
import dev.ckpt.engine.Migrator;
import dev.ckpt.engine.MigratorOptions;
import dev.ckpt.pickle.PickleReader;
import dev.ckpt.torch.TorchCheckpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Proves every reversible migration by a round trip, the free counterpart of Liquibase's
 * updateTestingRollback: on a checkpoint brought to just before the migration, migrate then
 * rollback must give back an equal tree, and migrating again must give the same result as the
 * first time. Also lists rollback methods that do not count because the class is not
 * {@link Reversible} (warnings: a generated stub stays one until it is written).
 */
public final class RoundTripValidator {
    private final MigrationSet migrations;
    private final Path workDir;
    private final String appKey;

    /** Temp files go to {@code workDir}, which must exist. Samples carry records of the default app key. */
    public RoundTripValidator(MigrationSet migrations, Path workDir) {
        this(migrations, workDir, MigratorOptions.DEFAULT_APP_KEY);
    }

    /** As the two-argument constructor, for samples whose records name the application {@code appKey}. */
    public RoundTripValidator(MigrationSet migrations, Path workDir, String appKey) {
        this.migrations = migrations;
        this.workDir = workDir;
        this.appKey = appKey;
    }

    /**
     * The problems of the reversible migrations of the last group on each sample ({@link LightningSample}
     * when there are none); empty when every round trip holds.
     */
    public List<String> roundTrips(List<Path> samples) throws IOException {
        List<String> problems = new ArrayList<>();
        List<Path> inputs = samples.isEmpty() ? List.of(synthetic()) : samples;
        List<MigrationDescriptor> group = migrations.lastGroup();
        for (Path sample : inputs) {
            for (int i = 0; i < group.size(); i++) {
                MigrationDescriptor migration = group.get(i);
                if (migration.isReversible()) {
                    String problem = roundTrip(sample, group.subList(0, i), migration);
                    if (problem != null) {
                        problems.add(migration.name() + " on " + sample.getFileName() + ": " + problem);
                    }
                }
            }
        }
        return problems;
    }

    /** Migrations with a rollback method that does not count, because the class is not {@link Reversible}. */
    public List<String> unusedRollbacks() {
        List<String> problems = new ArrayList<>();
        for (MigrationDescriptor migration : migrations.migrations()) {
            if (!migration.isReversible() && declaresRollback(migration.type())) {
                problems.add(migration.name() + " has a rollback method but does not implement Reversible, so it is never used");
            }
        }
        return problems;
    }

    private static boolean declaresRollback(Class<?> type) {
        try {
            type.getMethod("rollback", Checkpoint.class);
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    private String roundTrip(Path sample, List<MigrationDescriptor> before, MigrationDescriptor migration) throws IOException {
        Path base = workDir.resolve("base-" + migration.name() + ".ckpt");
        Path migrated = workDir.resolve("migrated-" + migration.name() + ".ckpt");
        Path restored = workDir.resolve("restored-" + migration.name() + ".ckpt");
        Path again = workDir.resolve("again-" + migration.name() + ".ckpt");
        try {
            Files.copy(sample, base, StandardCopyOption.REPLACE_EXISTING);
            List<Class<?>> earlier = new ArrayList<>(before.stream().map(d -> (Class<?>) d.type()).toList());
            if (!earlier.isEmpty()) {
                MigratorOptions options = MigratorOptions.defaults(null).withBackup(false).withAppKey(appKey);
                Migrator migrator = new Migrator(MigrationSet.of(earlier), options);
                if (before.get(0).isFinal() && migrator.plan(base).registered().isEmpty()) {
                    // A checkpoint without records counts as too old for a group that starts with a final
                    // migration: stamp it with that migration (as register does), then run the others.
                    new Migrator(MigrationSet.of(List.of(before.get(0).type())), options).register(base);
                }
                migrator.apply(base);
            }
            step("migrate", base, migrated, migration, true);
            step("rollback", migrated, restored, migration, false);
            step("migrate after the rollback", restored, again, migration, true);
            String rollbackDiff = differenceOf(base, restored);
            if (rollbackDiff != null) {
                return "rollback does not give back the checkpoint before migrate: " + rollbackDiff;
            }
            String againDiff = differenceOf(migrated, again);
            return againDiff == null ? null : "migrating again after the rollback gives another result: " + againDiff;
        } catch (IOException | RuntimeException e) {
            return e.getMessage();
        } finally {
            for (Path p : List.of(base, migrated, restored, again)) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Runs migrate or rollback on {@code in}, with its setup as relocation, writing {@code out}. */
    private static void step(String stage, Path in, Path out, MigrationDescriptor migration, boolean forward) throws IOException {
        try (TorchCheckpoint archive = TorchCheckpoint.open(in, new PickleReader().withRelocation(migration.relocation(forward)))) {
            Checkpoint checkpoint = Checkpoint.of(archive);
            Migration instance = migration.newInstance();
            try {
                if (forward) {
                    instance.migrate(checkpoint);
                } else {
                    ((Reversible) instance).rollback(checkpoint);
                }
            } catch (Exception | LinkageError | AssertionError e) {
                // As in Migrator: errors a migration's own code raises (a failed assert, a class missing at run time) are its failure too.
                throw new IllegalStateException(stage + " threw " + e, e);
            }
            archive.write(out);
        }
    }

    private static String differenceOf(Path a, Path b) throws IOException {
        try (TorchCheckpoint left = TorchCheckpoint.open(a); TorchCheckpoint right = TorchCheckpoint.open(b)) {
            return new TreeEquality(left, right).difference(left.root(), right.root());
        }
    }

    /** The Lightning sample, in the work directory. */
    private Path synthetic() throws IOException {
        return LightningSample.write(workDir.resolve("synthetic.ckpt"));
    }
}
