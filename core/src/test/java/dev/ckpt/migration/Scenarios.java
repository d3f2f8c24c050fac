package dev.ckpt.migration;

import dev.ckpt.migration.scenarios.M1750840837_add_foo;
import dev.ckpt.migration.scenarios.M1750841219_add_bar;
import dev.ckpt.migration.scenarios.M1750859824_add_baz;
import dev.ckpt.migration.scenarios.M1750859905_rename_baz;
import dev.ckpt.migration.scenarios.M1751895180_final;
import dev.ckpt.migration.scenarios.M1751895203_recent;
import dev.ckpt.torch.TorchCheckpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The reference's test migrations and the ways the tests run them. */
final class Scenarios {
    static final Class<?> FOO = M1750840837_add_foo.class;
    static final Class<?> BAR = M1750841219_add_bar.class;
    static final Class<?> BAZ = M1750859824_add_baz.class;
    static final Class<?> RENAME = M1750859905_rename_baz.class;
    static final Class<?> FINAL = M1751895180_final.class;
    static final Class<?> RECENT = M1751895203_recent.class;

    /** The first compatibility group only: the reference's {@code old_migrator}. */
    static final List<Class<?>> OLD = List.of(FOO, BAR, BAZ, RENAME);
    /** Every migration: the reference's {@code migrator}. */
    static final List<Class<?>> ALL = List.of(FOO, BAR, BAZ, RENAME, FINAL, RECENT);

    /** The version that replaces %NEXT_VERSION%. */
    static final String NEXT = "0.9.1";
    static final MigratorOptions OPTIONS = MigratorOptions.defaults(NEXT).withAppKey(MigrationOracle.APP);

    private Scenarios() {
    }

    static Migrator migrator(Class<?>... classes) {
        return new Migrator(MigrationSet.of(List.of(classes)), OPTIONS);
    }

    static Migrator migrator(List<Class<?>> classes) {
        return new Migrator(MigrationSet.of(classes), OPTIONS);
    }

    static Migrator migrator(MigratorOptions options, List<Class<?>> classes) {
        return new Migrator(MigrationSet.of(classes), options);
    }

    /** Applies without keeping a backup: how tests prepare a partly migrated checkpoint. */
    static void prepare(Path file, Class<?>... classes) throws IOException {
        migrator(OPTIONS.withBackup(false), List.of(classes)).apply(file);
    }

    static String name(Class<?> migration) {
        return MigrationName.ofClassName(migration.getSimpleName()).toString();
    }

    static List<String> names(Class<?>... migrations) {
        return names(List.of(migrations));
    }

    static List<String> names(List<Class<?>> migrations) {
        return migrations.stream().map(Scenarios::name).toList();
    }

    static String signature(Class<?> migration) {
        return MigrationSet.of(List.of(migration)).migrations().get(0).signature();
    }

    /** {@code + MIGRATE name [vX]} / {@code + ROLLBACK name [vX]}, as the report prints them. */
    static String line(Operation.Type type, Class<?> migration, String version) {
        return "+ " + type + " " + name(migration) + " [v" + version + "]";
    }

    static List<String> describe(List<Operation> operations) {
        return operations.stream().map(op -> op.type() + " " + op.name()).toList();
    }

    /** The checkpoint's tree as the engine reads it (Java side of a check). */
    static Map<Object, Object> root(Path file) throws IOException {
        try (TorchCheckpoint archive = TorchCheckpoint.open(file)) {
            return archive.rootDict();
        }
    }

    static List<String> recordNames(Path file) throws IOException {
        try (TorchCheckpoint archive = TorchCheckpoint.open(file)) {
            return CheckpointRecords.of(archive.file(), archive).read().stream().map(MigrationRecord::name).toList();
        }
    }

    static byte[] bytes(Path file) throws IOException {
        return Files.readAllBytes(file);
    }
}
