package dev.ckpt.plugin;

import dev.ckpt.engine.MigratorOptions;
import dev.ckpt.engine.RecordlessPolicy;
import org.apache.maven.plugin.MojoFailureException;

/** The planning options from the goals' parameters: shared by the goals and the site report, which has another base class. */
final class PlanningOptions {
    private static final String SNAPSHOT = "-SNAPSHOT";

    private PlanningOptions() {
    }

    static MigratorOptions of(String appKey, String nextVersion, String recordless, boolean rollbackExtras) throws MojoFailureException {
        RecordlessPolicy policy;
        try {
            policy = RecordlessPolicy.parse(recordless);
        } catch (IllegalArgumentException e) {
            throw new MojoFailureException("checkpoint.recordless: " + e.getMessage(), e);
        }
        return MigratorOptions.defaults(releaseVersion(nextVersion))
                .withAppKey(appKey)
                .withRecordless(policy)
                .withRollbackExtras(rollbackExtras);
    }

    /** The version without a {@code -SNAPSHOT} suffix. */
    static String releaseVersion(String version) {
        return version.endsWith(SNAPSHOT) ? version.substring(0, version.length() - SNAPSHOT.length()) : version;
    }
}
