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
 * @param embeddedTimeout   the wall-clock budget of one embedded rollback (code from the checkpoint)
 * @param allowDangerousGlobals write back a checkpoint that already names globals that can run
 *                          code when unpickled ({@code os.system}, {@code builtins.eval}, ...);
 *                          refused by default. Nothing may ever add one.
 */
public record MigratorOptions(String nextVersion, String appKey, boolean backup, boolean dryRun,
                              boolean trustEmbeddedRollbacks, boolean strictPlaceholders, Duration lockTimeout,
                              Duration embeddedTimeout, boolean allowDangerousGlobals) {
    public static final String DEFAULT_APP_KEY = "application";
    public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_EMBEDDED_TIMEOUT = Duration.ofSeconds(60);

    public static MigratorOptions defaults(String nextVersion) {
        return new MigratorOptions(nextVersion, DEFAULT_APP_KEY, true, false, false, false, DEFAULT_LOCK_TIMEOUT, DEFAULT_EMBEDDED_TIMEOUT, false);
    }

    public MigratorOptions withBackup(boolean backup) {
        return new MigratorOptions(nextVersion, appKey, backup, dryRun, trustEmbeddedRollbacks, strictPlaceholders, lockTimeout, embeddedTimeout, allowDangerousGlobals);
    }

    public MigratorOptions withDryRun(boolean dryRun) {
        return new MigratorOptions(nextVersion, appKey, backup, dryRun, trustEmbeddedRollbacks, strictPlaceholders, lockTimeout, embeddedTimeout, allowDangerousGlobals);
    }

    public MigratorOptions withAppKey(String appKey) {
        return new MigratorOptions(nextVersion, appKey, backup, dryRun, trustEmbeddedRollbacks, strictPlaceholders, lockTimeout, embeddedTimeout, allowDangerousGlobals);
    }

    public MigratorOptions withTrustEmbeddedRollbacks(boolean trust) {
        return new MigratorOptions(nextVersion, appKey, backup, dryRun, trust, strictPlaceholders, lockTimeout, embeddedTimeout, allowDangerousGlobals);
    }

    public MigratorOptions withStrictPlaceholders(boolean strict) {
        return new MigratorOptions(nextVersion, appKey, backup, dryRun, trustEmbeddedRollbacks, strict, lockTimeout, embeddedTimeout, allowDangerousGlobals);
    }

    public MigratorOptions withAllowDangerousGlobals(boolean allow) {
        return new MigratorOptions(nextVersion, appKey, backup, dryRun, trustEmbeddedRollbacks, strictPlaceholders, lockTimeout, embeddedTimeout, allow);
    }

    public MigratorOptions withEmbeddedTimeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the embedded rollback budget must be positive: " + timeout);
        }
        return new MigratorOptions(nextVersion, appKey, backup, dryRun, trustEmbeddedRollbacks, strictPlaceholders, lockTimeout, timeout,
                allowDangerousGlobals);
    }

    public MigratorOptions withLockTimeout(Duration timeout) {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("the lock timeout cannot be negative: " + timeout);
        }
        return new MigratorOptions(nextVersion, appKey, backup, dryRun, trustEmbeddedRollbacks, strictPlaceholders, timeout, embeddedTimeout, allowDangerousGlobals);
    }
}
