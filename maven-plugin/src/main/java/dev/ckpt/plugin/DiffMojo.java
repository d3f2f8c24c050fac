package dev.ckpt.plugin;

import dev.ckpt.diff.CheckpointDiff;
import dev.ckpt.diff.DiffMigration;
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
 * Compares two checkpoints, as Liquibase's diff compares two databases: tensors added, removed,
 * renamed (a shared prefix, or equal bytes), changed in dtype, shape or values; config and dict keys
 * added, removed, moved or changed; Python classes moved or vanished. Runs without a project.
 * {@code -Dcreate=NAME} (in a project) also writes the migration that turns {@code from} into
 * {@code to}'s structure into the migrations package, through the skeleton {@code create} uses;
 * what it could not decide is listed in a comment of its {@code migrate}. Changes nothing else.
 */
@Mojo(name = "diff", requiresProject = false, aggregator = true, threadSafe = true)
public class DiffMojo extends AbstractCheckpointMojo {
    /** The checkpoint saved by the old code. */
    @Parameter(property = "from")
    protected File from;

    /** A checkpoint saved by the new code. */
    @Parameter(property = "to")
    protected File to;

    /**
     * Also write the differences as JSON: to this file (its directory is created), or to standard
     * output when given bare ({@code -Djson}) or as {@code -}.
     */
    @Parameter(property = "json")
    protected String json;

    /** Writes a migration of this name (normalised as {@code create} does) performing the differences. */
    @Parameter(property = "create")
    protected String create;

    /** The source root the migrations package lives in. */
    @Parameter(property = "checkpoint.sourceDirectory", defaultValue = "${project.build.sourceDirectory}")
    protected File sourceDirectory;

    @Override
    protected void run() throws MojoExecutionException, MojoFailureException {
        Path before = existingCheckpoint(from, "-Dfrom=OLD.ckpt");
        Path after = existingCheckpoint(to, "-Dto=NEW.ckpt");
        if (create != null && !inProject()) {
            throw new MojoFailureException("-Dcreate writes into a project's migrations package: run it in the project"
                    + " (or drop -Dcreate to only compare)");
        }
        CheckpointDiff diff;
        try {
            diff = CheckpointDiff.compare(before, after);
        } catch (IOException | RuntimeException e) {
            throw new MojoFailureException("Cannot compare " + before + " with " + after + ": " + e.getMessage(), e);
        }
        diff.text().lines().forEach(getLog()::info);
        if (json != null) {
            writeJson(json, diff.json());
        }
        if (create != null) {
            createMigration(diff);
        }
    }

    private void createMigration(CheckpointDiff diff) throws MojoExecutionException, MojoFailureException {
        if (diff.onlyValuesDiffer()) {
            throw new MojoFailureException(diff.isEmpty() ? "nothing to migrate: the checkpoints do not differ"
                    : "nothing to migrate: the checkpoints differ only in values");
        }
        try {
            Path file = new MigrationSources(sourceDirectory.toPath(), migrationsPackage)
                    .create(create, new MigrationSkeleton.Options(false, false, false), DiffMigration.body(diff), Clock.systemUTC());
            getLog().info("Created " + display(file));
        } catch (IllegalArgumentException e) {
            throw new MojoFailureException(e.getMessage(), e);
        } catch (IOException e) {
            throw new MojoExecutionException("Cannot write the migration: " + e, e);
        }
    }
}
