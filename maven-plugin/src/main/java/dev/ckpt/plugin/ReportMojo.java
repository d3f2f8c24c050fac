package dev.ckpt.plugin;

import java.io.File;
import java.nio.file.Path;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * Writes the HTML report of a directory of checkpoints against the project's compiled migrations,
 * changing none of them: a status table (up to date, pending, extra, incompatible, failed; app
 * version, size, last migration, age), each checkpoint's history as a timeline and its tensor bytes
 * per module as a chart. One self-contained page: no script, nothing loaded from elsewhere. The
 * site report ({@code site-report}) puts the same page into {@code mvn site}.
 * {@code mvn compile checkpoint:report -Dcheckpoints=runs -Dreport=target/ckpt-report.html}
 */
@Mojo(name = "report", requiresDependencyResolution = ResolutionScope.RUNTIME, threadSafe = true)
public class ReportMojo extends AbstractMigrationsMojo {
    /** The directory of checkpoints: every .ckpt, .pt and .pth file under it. */
    @Parameter(property = "checkpoints", defaultValue = "${project.basedir}/checkpoints")
    protected File checkpoints;

    /** The HTML file to write (its directory is created). */
    @Parameter(property = "report", defaultValue = "${project.build.directory}/checkpoint-report.html")
    protected File report;

    @Override
    protected void run() throws MojoExecutionException, MojoFailureException {
        Path target = report.toPath();
        int shown = CheckpointReportPage.write(project, migrationsPackage, planningOptions(), checkpoints.toPath().toAbsolutePath().normalize(),
                target, getLog());
        getLog().info("Wrote " + display(target) + " (" + shown + " checkpoint" + (shown == 1 ? "" : "s") + ")");
    }
}
