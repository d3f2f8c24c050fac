package dev.ckpt.plugin;

import dev.ckpt.template.MigrationSkeleton;
import dev.ckpt.template.MigrationSources;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Creates a migration class M&lt;unix-seconds&gt;_&lt;snake_name&gt; in the migrations package, from the
 * skeleton the archetype uses too. The name is normalised as the reference does (lower case, {@code -}
 * and spaces to {@code _}); the timestamp is the current time, bumped past the newest existing
 * migration when needed. Every variant compiles as generated. The generated {@code rollback} does not
 * count until it undoes {@code migrate} and the class implements {@code Reversible}.
 */
@Mojo(name = "create", threadSafe = true)
public class CreateMojo extends AbstractCheckpointMojo {
    /** What the migration does, e.g. {@code rename-encoder} or {@code "Rename encoder"}. Required. */
    @Parameter(property = "name")
    protected String name;

    /**
     * Creates a final migration: checkpoints made before it can no longer be migrated past it (they are
     * refused as too old). A final migration has no body, setup or rollback; it cannot be combined with
     * {@code withSetup}.
     */
    @Parameter(property = "final", alias = "final", defaultValue = "false")
    protected boolean finalMigration;

    /** Adds a {@code migrateSetup} method, for Python classes and modules the change moved or deleted. */
    @Parameter(property = "withSetup", defaultValue = "false")
    protected boolean withSetup;

    /** Leaves out the {@code rollback} method: checkpoints will not be rolled back past this migration. */
    @Parameter(property = "noRollback", defaultValue = "false")
    protected boolean noRollback;

    /** The source root the migrations package lives in. */
    @Parameter(property = "checkpoint.sourceDirectory", defaultValue = "${project.build.sourceDirectory}", required = true)
    protected File sourceDirectory;

    @Override
    protected void run() throws MojoExecutionException, MojoFailureException {
        if (name == null || name.isBlank()) {
            throw new MojoFailureException("Name the migration: mvn checkpoint:create -Dname=rename-encoder"
                    + " (optionally -Dfinal, -DwithSetup or -DnoRollback)");
        }
        Path file;
        try {
            MigrationSkeleton.Options options = new MigrationSkeleton.Options(finalMigration, withSetup, noRollback);
            file = new MigrationSources(sourceDirectory.toPath(), migrationsPackage).create(name, options, Clock.systemUTC());
        } catch (IllegalArgumentException e) {
            throw new MojoFailureException(e.getMessage(), e);
        } catch (IOException e) {
            throw new MojoExecutionException("Cannot write the migration: " + e, e);
        }
        getLog().info("Created " + display(file));
    }
}
