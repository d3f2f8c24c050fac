package dev.ckpt.plugin;

import java.nio.file.Path;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * Rolls a checkpoint back: every migration after -Dtarget=&lt;migration name&gt; (which stays
 * applied), or the newest {@code -Dcount=N}. Only migrations with a real rollback can be undone (the
 * project's {@code Reversible} migrations, or rollbacks a newer code base embedded in the checkpoint);
 * the plan is checked before anything runs. Dry run, backup and atomic writes as for {@code apply}.
 */
@Mojo(name = "rollback", requiresDependencyResolution = ResolutionScope.RUNTIME, threadSafe = true)
public class RollbackMojo extends AbstractRewriteMojo {
    /**
     * The migration to roll back to, as recorded ({@code 1750840837_rename_encoder}): every migration
     * after it is undone, newest first; it stays applied. Give this or {@code count}.
     */
    @Parameter(property = "target")
    protected String target;

    /** How many of the newest migrations to undo. Give this or {@code target}. */
    @Parameter(property = "count")
    protected Integer count;

    @Override
    protected String goal() {
        return "rollback";
    }

    @Override
    protected void run() throws MojoExecutionException, MojoFailureException {
        Path file = existingCheckpoint(checkpoint, "-Dcheckpoint=PATH");
        boolean hasTarget = target != null && !target.isBlank();
        if (hasTarget == (count != null)) {
            throw new MojoFailureException(hasTarget
                    ? "Give either -Dtarget=<migration name> or -Dcount=N, not both"
                    : "Say how far to roll back: -Dtarget=<migration name> (which stays applied) or -Dcount=N");
        }
        if (count != null && count < 1) {
            throw new MojoFailureException("-Dcount must be 1 or more, not " + count);
        }
        withMigrator(false, migrator -> print(call(() -> hasTarget
                ? migrator.rollbackTo(file, target.strip())
                : migrator.rollbackLast(file, count))));
    }
}
