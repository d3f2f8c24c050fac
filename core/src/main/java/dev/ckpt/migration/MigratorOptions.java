package dev.ckpt.migration;

/**
 * How the {@link Migrator} runs.
 *
 * @param nextVersion       the project version that replaces {@code %NEXT_VERSION%}
 * @param appKey            the key of the application version in each record's {@code versions}
 * @param backup            keep the original as {@code <stem>-v<version>-<count>.<ext>} (a hard link)
 * @param dryRun            plan and run everything in memory, write nothing
 * @param trustEmbeddedRollbacks run embedded rollbacks without the bytecode allow-list check
 * @param strictPlaceholders fail when a deleted-class placeholder is left in the result
 */
public record MigratorOptions(String nextVersion, String appKey, boolean backup, boolean dryRun,
                              boolean trustEmbeddedRollbacks, boolean strictPlaceholders) {
    public static final String DEFAULT_APP_KEY = "application";

    public static MigratorOptions defaults(String nextVersion) {
        return new MigratorOptions(nextVersion, DEFAULT_APP_KEY, true, false, false, false);
    }

    public MigratorOptions withBackup(boolean backup) {
        return new MigratorOptions(nextVersion, appKey, backup, dryRun, trustEmbeddedRollbacks, strictPlaceholders);
    }

    public MigratorOptions withDryRun(boolean dryRun) {
        return new MigratorOptions(nextVersion, appKey, backup, dryRun, trustEmbeddedRollbacks, strictPlaceholders);
    }

    public MigratorOptions withAppKey(String appKey) {
        return new MigratorOptions(nextVersion, appKey, backup, dryRun, trustEmbeddedRollbacks, strictPlaceholders);
    }

    public MigratorOptions withTrustEmbeddedRollbacks(boolean trust) {
        return new MigratorOptions(nextVersion, appKey, backup, dryRun, trust, strictPlaceholders);
    }

    public MigratorOptions withStrictPlaceholders(boolean strict) {
        return new MigratorOptions(nextVersion, appKey, backup, dryRun, trustEmbeddedRollbacks, strict);
    }
}
