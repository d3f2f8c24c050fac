package dev.ckpt.plugin;

import java.nio.file.Path;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * Drops one migration's record from a checkpoint without running anything, and notes it in the
 * checkpoint's history ({@code "type": "forget"}): the way out for an extra migration that cannot
 * be rolled back (it has no rollback, or only a Python one) when what it changed no longer matters.
 * What the migration changed stays in the checkpoint. The migration must be named explicitly, and
 * must be an extra one (unknown to the code, or where the code does not have it) unless
 * {@code -Dforce}: {@code mvn checkpoint:forget -Dcheckpoint=last.ckpt -Dmigration=1750000000_rename_encoder}.
 * Runs on the compiled classes, as apply does.
 */
@Mojo(name = "forget", requiresDependencyResolution = ResolutionScope.RUNTIME, threadSafe = true)
public class ForgetMojo extends AbstractRewriteMojo {
    /** The name of the record to drop, exactly as inspect lists it. */
    @Parameter(property = "migration")
    protected String migration;

    /**
     * Also drops a record of a migration the code has, where the code has it: apply would then run it
     * again on a checkpoint that already has its change. Without it only extra records are dropped.
     */
    @Parameter(property = "force", defaultValue = "false")
    protected boolean force;

    @Override
    protected String goal() {
        return "forget";
    }

    @Override
    protected void run() throws MojoExecutionException, MojoFailureException {
        Path file = existingCheckpoint(checkpoint, "-Dcheckpoint=PATH");
        if (migration == null || migration.isBlank()) {
            throw new MojoFailureException("Name the record to drop: -Dmigration=<name> (inspect lists them)");
        }
        withMigrator(true, migrator -> print(call(() -> migrator.forget(file, migration.trim(), force))));
    }
}
