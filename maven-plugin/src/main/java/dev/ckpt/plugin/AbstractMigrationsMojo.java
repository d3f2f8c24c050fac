package dev.ckpt.plugin;

import dev.ckpt.engine.IncompatibleCheckpointException;
import dev.ckpt.engine.MigrationDefinitionException;
import dev.ckpt.engine.MigrationFailedException;
import dev.ckpt.engine.MigratorOptions;
import dev.ckpt.io.CheckpointLockedException;
import dev.ckpt.io.FileChangedException;
import dev.ckpt.pickle.PickleException;
import dev.ckpt.sandbox.UntrustedRollbackException;
import dev.ckpt.torch.CheckpointFormatException;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;

/** Goals that read checkpoints against the project's migrations: how records name the application and its version. */
abstract class AbstractMigrationsMojo extends AbstractCheckpointMojo {
    /**
     * The key under which each migration record stores the application's version
     * (metadata.versions.&lt;appKey&gt;), as the reference stores {@code "anemoi-models": "0.8.1"}.
     * Also the application named in "too old" messages.
     */
    @Parameter(property = "checkpoint.appKey", defaultValue = "${project.artifactId}")
    protected String appKey;

    /**
     * The version recorded for migrations whose {@code @MigrationInfo(version = "%NEXT_VERSION%")} has not
     * been given a released version yet: the version being built, without {@code -SNAPSHOT} (the release
     * that will carry them, as "too old" messages name it). Stamping that version into the annotation at
     * release changes no signature: the signature is of the code, the version is recorded beside it.
     */
    @Parameter(property = "checkpoint.nextVersion", defaultValue = "${project.version}")
    protected String nextVersion;

    /**
     * What to do with a checkpoint that has no migration records at all: {@code reference} (the
     * reference's rule: it is older than every migration, so all of them run, or it is too old once a
     * final migration exists), {@code fail} (refuse it, naming {@code register}), or
     * {@code baseline:<migration name>} (take it as saved by code that had every migration up to that
     * one, stamp those, and run the rest). Training code that stamps its checkpoints (the ckpt-migrations
     * Python callback) never saves one.
     */
    @Parameter(property = "checkpoint.recordless", defaultValue = "reference")
    protected String recordless;

    /**
     * Rolls back the migrations a checkpoint has and this code does not (newest first), as the
     * reference's sync does. {@code false} refuses such a checkpoint instead, leaving it unchanged.
     */
    @Parameter(property = "checkpoint.rollbackExtras", defaultValue = "true")
    protected boolean rollbackExtras;

    /** How the project's migrations are planned against a checkpoint (what inspect shows and apply does). */
    protected MigratorOptions planningOptions() throws MojoFailureException {
        return PlanningOptions.of(appKey, nextVersion, recordless, rollbackExtras);
    }

    /** {@link #nextVersion} without a {@code -SNAPSHOT} suffix. */
    protected String releaseVersion() {
        return PlanningOptions.releaseVersion(nextVersion);
    }

    /**
     * The user-facing form of the engine's errors: what went wrong, with the file, and what to do.
     * Errors the checkpoint, the migrations or another run cause fail the build (MojoFailureException);
     * other I/O errors are build errors (MojoExecutionException).
     */
    protected static Exception translate(Exception e) {
        if (e instanceof UntrustedRollbackException) {
            return new MojoFailureException(e.getMessage()
                    + "\nWith this plugin, trust them with -Dcheckpoint.trustEmbeddedRollbacks=true.", e);
        }
        if (e instanceof IncompatibleCheckpointException || e instanceof MigrationFailedException
                || e instanceof MigrationDefinitionException || e instanceof CheckpointFormatException
                || e instanceof PickleException || e instanceof IllegalArgumentException
                || e instanceof CheckpointLockedException || e instanceof FileChangedException) {
            return new MojoFailureException(e.getMessage(), e);
        }
        if (e instanceof IOException) {
            return new MojoExecutionException(e.toString(), e);
        }
        return e;
    }

    /** Runs a call into core, turning its errors into Maven's. */
    protected <T> T call(CoreCall<T> call) throws MojoExecutionException, MojoFailureException {
        try {
            return call.run();
        } catch (IOException | RuntimeException e) {
            Exception translated = translate(e);
            if (translated instanceof MojoFailureException failure) {
                throw failure;
            }
            if (translated instanceof MojoExecutionException error) {
                throw error;
            }
            throw (RuntimeException) translated;
        }
    }

    /** One call into core. */
    @FunctionalInterface
    protected interface CoreCall<T> {
        T run() throws IOException;
    }
}
