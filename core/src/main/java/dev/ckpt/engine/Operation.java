package dev.ckpt.engine;

/**
 * One step of a plan: run a migration, roll one back, or register one as applied without running it
 * (a baseline).
 *
 * @param type      what to do
 * @param name      the migration
 * @param version   the application version it belongs to
 * @param migration the local migration class, or null when only the checkpoint's record knows it
 * @param record    the checkpoint's record (rollbacks), or null
 */
public record Operation(Type type, MigrationName name, String version, MigrationDescriptor migration, MigrationRecord record) {
    public enum Type { MIGRATE, ROLLBACK, REGISTER }

    /** How the reference prints it: {@code + MIGRATE 1750840837_add_foo [v0.8.1]}. */
    public String describe() {
        return "+ " + type + " " + name + " [v" + version + "]";
    }

    /** True when the rollback comes from the checkpoint (its embedded class bytes), not the local code. */
    public boolean usesEmbeddedRollback() {
        return type == Type.ROLLBACK && (migration == null || !migration.isReversible());
    }
}
