package dev.ckpt.plugin;

import dev.ckpt.engine.CheckpointInspection;
import dev.ckpt.engine.MigrationPlan;
import dev.ckpt.engine.MigrationSet;
import dev.ckpt.engine.Migrator;
import dev.ckpt.engine.MigratorOptions;
import dev.ckpt.engine.PlanReport;
import java.io.File;
import java.nio.file.Path;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * Shows where a checkpoint stands, changing nothing. In a compiled project: every migration with its
 * status (applied, missing = to run, extra = to roll back), whether the checkpoint is compatible, and
 * migrations whose code changed since they ran. Outside a project (no pom.xml needed) or before the
 * project is compiled: the records and history the checkpoint carries. {@code -Djson=FILE} also
 * writes the same as JSON; a bare {@code -Djson} prints it to standard output (with {@code -q}, only
 * the JSON). Fails the build when the checkpoint is incompatible ({@code failOnIncompatible}, on by
 * default) or, with {@code -Dcheckpoint.failOnPending}, when it is not up to date, as Flyway's
 * validate does.
 */
@Mojo(name = "inspect", requiresProject = false, requiresDependencyResolution = ResolutionScope.RUNTIME, threadSafe = true)
public class InspectMojo extends AbstractMigrationsMojo {
    /** The checkpoint file to inspect. */
    @Parameter(property = "checkpoint")
    protected File checkpoint;

    /**
     * Also write the report as JSON: to this file (its directory is created), or to standard output
     * when given bare ({@code -Djson}) or as {@code -}.
     */
    @Parameter(property = "json")
    protected String json;

    /** Fails the build when the checkpoint cannot be migrated by this code (too old, another application). */
    @Parameter(property = "checkpoint.failOnIncompatible", defaultValue = "true")
    protected boolean failOnIncompatible;

    /** Fails the build when the checkpoint has migrations to run or to roll back (not up to date). */
    @Parameter(property = "checkpoint.failOnPending", defaultValue = "false")
    protected boolean failOnPending;

    @Override
    protected void run() throws MojoExecutionException, MojoFailureException {
        Path file = existingCheckpoint(checkpoint, "-Dcheckpoint=PATH");
        if (!inProject()) {
            showRecords(file);
            return;
        }
        try (ProjectMigrations classes = ProjectMigrations.of(project)) {
            if (!classes.compiled()) {
                getLog().warn("The project is not compiled, so its migrations are unknown: showing the checkpoint's"
                        + " own records (run mvn compile checkpoint:inspect to compare them with the code)");
                showRecords(file);
                return;
            }
            MigrationSet migrations = classes.discover(migrationsPackage, getLog());
            MigratorOptions options = planningOptions();
            Migrator migrator = call(() -> new Migrator(migrations, options));
            MigrationPlan plan = call(() -> migrator.plan(file));
            show(PlanReport.table(file, plan));
            show(call(() -> CheckpointInspection.sizeLine(java.nio.file.Files.size(file), dev.ckpt.torch.TorchCheckpoint.deadBytes(file))));
            if (json != null) {
                writeJson(json, PlanReport.json(file, plan));
            }
            if (failOnIncompatible && !plan.compatible()) {
                throw new MojoFailureException(file + ": incompatible with this code: " + plan.incompatibility()
                        + " (-Dcheckpoint.failOnIncompatible=false to only report it)");
            }
            if (failOnPending && !plan.isUpToDate()) {
                throw new MojoFailureException(file + ": not up to date: " + plan.missing().size() + " migration(s) to run, "
                        + plan.extra().size() + " to roll back" + (plan.baseline().isEmpty() ? "" : ", " + plan.baseline().size()
                        + " to stamp as a baseline") + " (run checkpoint:apply)");
            }
        }
    }

    private void showRecords(Path file) throws MojoExecutionException, MojoFailureException {
        CheckpointInspection inspection = call(() -> CheckpointInspection.of(file));
        show(inspection.table());
        if (json != null) {
            writeJson(json, inspection.json());
        }
    }

    private void show(String table) {
        table.lines().forEach(getLog()::info);
    }
}
