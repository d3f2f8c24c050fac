package dev.ckpt.migration;

import java.time.Duration;

/**
 * How the {@link Migrator} runs.
 *
 * @param nextVersion       the project version that replaces {@code %NEXT_VERSION%}
 * @param appKey            the key of the application version in each record's {@code versions}
 * @param backup            keep the original as {@code <stem>-v<version>-<count>.<ext>} (a hard link)
 * @param dryRun            plan and run everything in memory, write nothing
 * @param trustEmbeddedRollbacks run embedded rollbacks without the bytecode allow-list check
 * @param strictPlaceholders fail when a deleted-class placeholder is left in the result
 * @param lockTimeout       how long to wait for another process's lock on the same checkpoint
 *                          before refusing ({@link Duration#ZERO}: refuse at once)
 */
public record MigratorOptions(String nextVersion, String appKey, boolean backup, boolean dryRun,
                              boolean trustEmbeddedRollbacks, boolean strictPlaceholders, Duration lockTimeout) {
    public static final String DEFAULT_APP_KEY = "application";
    public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(60);

    public static MigratorOptions defaults(String nextVersion) {
        return new MigratorOptions(nextVersion, DEFAULT_APP_KEY, true, false, false, false, DEFAULT_LOCK_TIMEOUT);
    }

    public MigratorOptions withBackup(boolean backup) {
        return new MigratorOptions(nextVersion, appKey, backup, dryRun, trustEmbeddedRollbacks, strictPlaceholders, lockTimeout);
    }

    public MigratorOptions withDryRun(boolean dryRun) {
        return new MigratorOptions(nextVersion, appKey, backup, dryRun, trustEmbeddedRollbacks, strictPlaceholders, lockTimeout);
    }

    public MigratorOptions withAppKey(String appKey) {
        return new MigratorOptions(nextVersion, appKey, backup, dryRun, trustEmbeddedRollbacks, strictPlaceholders, lockTimeout);
    }

    public MigratorOptions withTrustEmbeddedRollbacks(boolean trust) {
        return new MigratorOptions(nextVersion, appKey, backup, dryRun, trust, strictPlaceholders, lockTimeout);
    }

    public MigratorOptions withStrictPlaceholders(boolean strict) {
        return new MigratorOptions(nextVersion, appKey, backup, dryRun, trustEmbeddedRollbacks, strict, lockTimeout);
    }

    public MigratorOptions withLockTimeout(Duration timeout) {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("the lock timeout cannot be negative: " + timeout);
        }
        return new MigratorOptions(nextVersion, appKey, backup, dryRun, trustEmbeddedRollbacks, strictPlaceholders, timeout);
    }
}
