package dev.ckpt.plugin;

import java.io.File;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.apache.maven.reporting.AbstractMavenReport;
import org.apache.maven.reporting.MavenReportException;

/**
 * The checkpoints report in {@code mvn site} (declare the plugin under {@code <reporting>}): the page
 * {@code checkpoint:report} writes, as {@code checkpoints.html} of the site, linked from its
 * "Project Reports" menu. An external report: the page is self-contained, not framed by the site's skin.
 * Needs the compiled migrations: {@code mvn compile site}.
 */
@Mojo(name = "site-report", requiresDependencyResolution = ResolutionScope.RUNTIME, threadSafe = true)
public class SiteReportMojo extends AbstractMavenReport {
    /** The directory of checkpoints: every .ckpt, .pt and .pth file under it. */
    @Parameter(property = "checkpoints", defaultValue = "${project.basedir}/checkpoints")
    protected File checkpoints;

    /** The package of the migration classes, as for the other goals. */
    @Parameter(property = "checkpoint.migrationsPackage", defaultValue = "${project.groupId}.migrations")
    protected String migrationsPackage;

    /** The key of the application's version in the records, as for the other goals. */
    @Parameter(property = "checkpoint.appKey", defaultValue = "${project.artifactId}")
    protected String appKey;

    /** The version recorded for {@code %NEXT_VERSION%} migrations, as for the other goals. */
    @Parameter(property = "checkpoint.nextVersion", defaultValue = "${project.version}")
    protected String nextVersion;

    /** What a checkpoint without records is taken for ({@code reference}, {@code fail}, {@code baseline:<name>}), as for the other goals. */
    @Parameter(property = "checkpoint.recordless", defaultValue = "reference")
    protected String recordless;

    /**
     * Whether a checkpoint with migrations this code does not have is planned as rolled back
     * (newest first) or as refused, as for the other goals and {@code checkpoint:report}.
     */
    @Parameter(property = "checkpoint.rollbackExtras", defaultValue = "true")
    protected boolean rollbackExtras;

    /** Skips the report (as every goal of this plugin honours {@code -Dcheckpoint.skip}). */
    @Parameter(property = "checkpoint.skip", defaultValue = "false")
    protected boolean skip;

    /** False when skipped, or in a project without a checkpoints directory: {@code mvn site} goes on without the page. */
    @Override
    public boolean canGenerateReport() {
        return !skip && checkpoints.isDirectory();
    }

    @Override
    public String getOutputName() {
        return "checkpoints";
    }

    @Override
    public String getName(Locale locale) {
        return "Checkpoints";
    }

    @Override
    public String getDescription(Locale locale) {
        return "Where each checkpoint stands against this project's migrations: status, history, tensor sizes.";
    }

    @Override
    public boolean isExternalReport() {
        return true;
    }

    @Override
    protected void executeReport(Locale locale) throws MavenReportException {
        Path target = getReportOutputDirectory().toPath().resolve(getOutputName() + ".html");
        try {
            int shown = CheckpointReportPage.write(project, migrationsPackage, PlanningOptions.of(appKey, nextVersion, recordless, rollbackExtras),
                    checkpoints.toPath().toAbsolutePath().normalize(), target, getLog());
            getLog().info("Wrote " + target + " (" + shown + " checkpoint" + (shown == 1 ? "" : "s") + ")");
        } catch (MojoExecutionException | MojoFailureException e) {
            throw new MavenReportException(e.getMessage(), e);
        }
    }
}
