package dev.ckpt.testing;

import dev.ckpt.api.Checkpoint;
import dev.ckpt.engine.MigrationDescriptor;
import dev.ckpt.engine.MigrationPlan;
import dev.ckpt.engine.MigrationRecord;
import dev.ckpt.engine.MigrationReport;
import dev.ckpt.engine.MigrationSet;
import dev.ckpt.engine.Migrator;
import dev.ckpt.engine.MigratorOptions;
import dev.ckpt.torch.TorchCheckpoint;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Tests a team's own migrations from a unit test, the way the build will run them. The test of a
 * project made by the {@code ckpt-migrations-archetype} uses it, so every new migration is tested
 * by default:
 *
 * <pre>{@code
 * @Test
 * void migrations(@TempDir Path dir) throws IOException {
 *     MigrationTester tester = MigrationTester.forPackage("com.example.model.migrations");
 *     Path ckpt = tester.lightningSample(dir.resolve("sample.ckpt"));  // or tester.sample("samples/epoch3.ckpt", dir)
 *     tester.applyAll(ckpt);        // every migration runs, the records name each of them
 *     tester.assertRoundTrips(dir); // every Reversible migration: migrate, rollback, migrate again
 * }
 * }</pre>
 *
 * <p>{@link #verify(Path)} does all of it in one call. Failures are {@link AssertionError}s naming
 * the migration and the problem. Rollback methods that do not count (the class does not implement
 * {@link dev.ckpt.api.Reversible}, as in a freshly created skeleton) are only {@link #warnings()}: the
 * {@code validate} goal reports them.
 */
public final class MigrationTester {
    private final MigrationSet migrations;
    private final String nextVersion;
    private final String appKey;

    private MigrationTester(MigrationSet migrations, String nextVersion, String appKey) {
        this.migrations = migrations;
        this.nextVersion = nextVersion;
        this.appKey = appKey;
    }

    /** The migrations of {@code packageName}, found with the context class loader (the test's class path). */
    public static MigrationTester forPackage(String packageName) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        MigrationSet set = MigrationSet.discover(loader != null ? loader : MigrationTester.class.getClassLoader(), packageName);
        if (set.migrations().isEmpty()) {
            throw new AssertionError("no migrations in package " + packageName + " on the class path");
        }
        return new MigrationTester(set, "0.0.0-test", MigratorOptions.DEFAULT_APP_KEY);
    }

    /** The given migration classes. */
    public static MigrationTester of(List<Class<?>> migrationClasses) {
        return new MigrationTester(MigrationSet.of(migrationClasses), "0.0.0-test", MigratorOptions.DEFAULT_APP_KEY);
    }

    /** The version {@code %NEXT_VERSION%} stands for in the records (default {@code 0.0.0-test}). */
    public MigrationTester withNextVersion(String version) {
        return new MigrationTester(migrations, version, appKey);
    }

    /**
     * The application the records name (default {@value MigratorOptions#DEFAULT_APP_KEY}): set it to the
     * project's {@code appKey} (its artifactId) to test on real checkpoints of your model, whose records name it.
     */
    public MigrationTester withAppKey(String key) {
        return new MigrationTester(migrations, nextVersion, key);
    }

    public MigrationSet migrations() {
        return migrations;
    }

    /** Writes the {@link LightningSample} to {@code file}: a Lightning checkpoint made without torch. */
    public Path lightningSample(Path file) throws IOException {
        return LightningSample.write(file);
    }

    /**
     * A copy in {@code workDir} of a checkpoint among the test resources (say
     * {@code src/test/resources/samples/epoch3.ckpt} as {@code "samples/epoch3.ckpt"}), found with the
     * context class loader; tests change the copy, never the resource.
     */
    public Path sample(String resource, Path workDir) throws IOException {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        String name = resource.startsWith("/") ? resource.substring(1) : resource;
        try (InputStream in = (loader != null ? loader : MigrationTester.class.getClassLoader()).getResourceAsStream(name)) {
            if (in == null) {
                throw new AssertionError("no test resource " + name + " on the class path (put it under src/test/resources/"
                        + name + ")");
            }
            Files.createDirectories(workDir);
            Path copy = workDir.resolve(Path.of(name).getFileName());
            Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
            return copy;
        }
    }

    /**
     * Applies every migration of the last compatibility group to {@code file} (without a backup).
     * A checkpoint without records is first stamped with the group's final migration, if it starts
     * with one, as {@code register} would. Then checks that the checkpoint is up to date and its
     * records name exactly the migrations of the group, in order.
     */
    public MigrationReport applyAll(Path file) throws IOException {
        MigratorOptions options = MigratorOptions.defaults(nextVersion).withAppKey(appKey).withBackup(false);
        List<MigrationDescriptor> group = migrations.lastGroup();
        Migrator migrator = new Migrator(migrations, options);
        if (!group.isEmpty() && group.get(0).isFinal() && migrator.plan(file).registered().isEmpty()) {
            new Migrator(MigrationSet.of(List.of(group.get(0).type())), options).register(file);
        }
        MigrationReport report = migrator.apply(file);
        MigrationPlan after = migrator.plan(file);
        if (!after.isUpToDate()) {
            throw new AssertionError("after apply " + file + " is not up to date: missing " + after.missing()
                    + ", extra " + after.extra());
        }
        List<String> recorded = after.registered().stream().map(MigrationRecord::name).toList();
        List<String> expected = group.stream().map(d -> d.name().toString()).toList();
        if (!recorded.equals(expected)) {
            throw new AssertionError("records of " + file + " are " + recorded + ", expected " + expected);
        }
        return report;
    }

    /**
     * Applies every migration to {@code file}, then lets {@code check} inspect the result through the
     * {@link Checkpoint} view migrations use (its {@code archive()} for the rest).
     */
    public MigrationReport applyAll(Path file, Consumer<Checkpoint> check) throws IOException {
        MigrationReport report = applyAll(file);
        try (TorchCheckpoint archive = TorchCheckpoint.open(file)) {
            check.accept(Checkpoint.of(archive));
        }
        return report;
    }

    /**
     * Round-trips every {@link dev.ckpt.api.Reversible} migration of the last group (migrate, rollback, migrate
     * again) on each sample, or on the {@link LightningSample} when none is given; fails with every
     * problem. Temp files go to {@code workDir}.
     */
    public void assertRoundTrips(Path workDir, Path... samples) throws IOException {
        Files.createDirectories(workDir);
        List<String> problems = new RoundTripValidator(migrations, workDir, appKey).roundTrips(List.of(samples));
        if (!problems.isEmpty()) {
            throw new AssertionError(problems.size() + " round trip(s) failed:\n  " + String.join("\n  ", problems));
        }
    }

    /** Rollback methods that do not count, because their class does not implement {@link dev.ckpt.api.Reversible}. */
    public List<String> warnings() {
        return new RoundTripValidator(migrations, Path.of(".")).unusedRollbacks();
    }

    /**
     * Everything at once, in {@code workDir}: applies all migrations to the {@link LightningSample}
     * and checks the records, round-trips every reversible migration on it, and prints the warnings.
     */
    public void verify(Path workDir) throws IOException {
        Files.createDirectories(workDir);
        applyAll(lightningSample(workDir.resolve("lightning-sample.ckpt")));
        assertRoundTrips(workDir);
        List<String> warnings = new ArrayList<>(warnings());
        for (String warning : warnings) {
            System.out.println("[ckpt] warning: " + warning);
        }
    }
}
