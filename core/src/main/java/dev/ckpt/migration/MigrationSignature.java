package dev.ckpt.migration;

/** STUB until the real implementation lands. */
final class MigrationSignature {
    private MigrationSignature() {
    }

    static String of(Class<? extends Migration> migration) {
        return migration.getName();
    }
}
