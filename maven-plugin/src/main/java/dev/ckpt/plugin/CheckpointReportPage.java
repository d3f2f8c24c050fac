package dev.ckpt.plugin;

import dev.ckpt.engine.MigrationSet;
import dev.ckpt.engine.MigratorOptions;
import dev.ckpt.report.DirectoryReport;
import dev.ckpt.report.ReportPage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.apache.maven.model.FileSet;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.Log;
import org.apache.maven.project.MavenProject;

/**
 * The HTML report of a directory of checkpoints against the project's compiled migrations, written
 * to a file: what both {@code checkpoint:report} and the site report write. Reads the checkpoints only.
 */
final class CheckpointReportPage {
    private CheckpointReportPage() {
    }

    /** Writes the page to {@code target} (its directory is created) and returns how many checkpoints it shows. */
    static int write(MavenProject project, String migrationsPackage, MigratorOptions options, Path directory, Path target, Log log)
            throws MojoExecutionException, MojoFailureException {
        if (!Files.isDirectory(directory)) {
            throw new MojoFailureException("No checkpoint directory at " + directory + " (-Dcheckpoints=DIR)");
        }
        try (ProjectMigrations classes = ProjectMigrations.of(project)) {
            if (!classes.compiled()) {
                throw new MojoFailureException("The project is not compiled, so its migrations are unknown:"
                        + " run mvn compile first (mvn compile checkpoint:report, or mvn compile site)");
            }
            MigrationSet migrations = classes.discover(migrationsPackage, log);
            List<Path> files = CheckpointFiles.scan(everyCheckpointIn(directory), directory);
            String title = project.getName() == null ? project.getArtifactId() : project.getName();
            DirectoryReport report = DirectoryReport.of(directory, files, migrations, options, title, Clock.systemUTC());
            Path parent = target.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Files.writeString(target, ReportPage.render(report), StandardCharsets.UTF_8);
            return files.size();
        } catch (IOException e) {
            throw new MojoExecutionException("Cannot write " + target + ": " + e, e);
        }
    }

    private static FileSet everyCheckpointIn(Path directory) {
        FileSet set = new FileSet();
        set.setDirectory(directory.toString());
        return set;
    }
}
