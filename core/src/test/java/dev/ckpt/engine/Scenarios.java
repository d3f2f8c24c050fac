package dev.ckpt.engine;

import dev.ckpt.engine.scenarios.M1750840837_add_foo;
import dev.ckpt.engine.scenarios.M1750841219_add_bar;
import dev.ckpt.engine.scenarios.M1750859824_add_baz;
import dev.ckpt.engine.scenarios.M1750859905_rename_baz;
import dev.ckpt.engine.scenarios.M1751895180_final;
import dev.ckpt.engine.scenarios.M1751895203_recent;
import dev.ckpt.torch.TorchCheckpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The reference's test migrations and the ways the tests run them. */
public final class Scenarios {
    public static final Class<?> FOO = M1750840837_add_foo.class;
    public static final Class<?> BAR = M1750841219_add_bar.class;
    public static final Class<?> BAZ = M1750859824_add_baz.class;
    public static final Class<?> RENAME = M1750859905_rename_baz.class;
    public static final Class<?> FINAL = M1751895180_final.class;
    public static final Class<?> RECENT = M1751895203_recent.class;

    /** The first compatibility group only: the reference's {@code old_migrator}. */
    public static final List<Class<?>> OLD = List.of(FOO, BAR, BAZ, RENAME);
    /** Every migration: the reference's {@code migrator}. */
    public static final List<Class<?>> ALL = List.of(FOO, BAR, BAZ, RENAME, FINAL, RECENT);

    /** The version that replaces %NEXT_VERSION%. */
    public static final String NEXT = "0.9.1";
    public static final MigratorOptions OPTIONS = MigratorOptions.defaults(NEXT).withAppKey(MigrationOracle.APP);

    private Scenarios() {
    }

    public static Migrator migrator(Class<?>... classes) {
        return new Migrator(MigrationSet.of(List.of(classes)), OPTIONS);
    }

    public static Migrator migrator(List<Class<?>> classes) {
        return new Migrator(MigrationSet.of(classes), OPTIONS);
    }

    public static Migrator migrator(MigratorOptions options, List<Class<?>> classes) {
        return new Migrator(MigrationSet.of(classes), options);
    }

    /** Applies without keeping a backup: how tests prepare a partly migrated checkpoint. */
    public static void prepare(Path file, Class<?>... classes) throws IOException {
        migrator(OPTIONS.withBackup(false), List.of(classes)).apply(file);
    }

    public static String name(Class<?> migration) {
        return MigrationName.ofClassName(migration.getSimpleName()).toString();
    }

    public static List<String> names(Class<?>... migrations) {
        return names(List.of(migrations));
    }

    public static List<String> names(List<Class<?>> migrations) {
        return migrations.stream().map(Scenarios::name).toList();
    }

    public static String signature(Class<?> migration) {
        return MigrationSet.of(List.of(migration)).migrations().get(0).signature();
    }

    /** {@code + MIGRATE name [vX]} / {@code + ROLLBACK name [vX]}, as the report prints them. */
    public static String line(Operation.Type type, Class<?> migration, String version) {
        return "+ " + type + " " + name(migration) + " [v" + version + "]";
    }

    public static List<String> describe(List<Operation> operations) {
        return operations.stream().map(op -> op.type() + " " + op.name()).toList();
    }

    /** The checkpoint's tree as the engine reads it (Java side of a check). */
    public static Map<Object, Object> root(Path file) throws IOException {
        try (TorchCheckpoint archive = TorchCheckpoint.open(file)) {
            return archive.rootDict();
        }
    }

    public static List<String> recordNames(Path file) throws IOException {
        try (TorchCheckpoint archive = TorchCheckpoint.open(file)) {
            return CheckpointRecords.of(archive.file(), archive).read().stream().map(MigrationRecord::name).toList();
        }
    }

    public static byte[] bytes(Path file) throws IOException {
        return Files.readAllBytes(file);
    }
}
