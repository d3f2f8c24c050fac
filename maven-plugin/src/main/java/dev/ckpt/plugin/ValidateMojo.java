package dev.ckpt.plugin;

import dev.ckpt.engine.MigrationDescriptor;
import dev.ckpt.engine.MigrationSet;
import dev.ckpt.testing.RoundTripValidator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.model.FileSet;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * Checks the project's migrations, for CI: the classes are well formed, names are unique and ordered,
 * and every reversible migration survives a round trip: on each sample checkpoint (or a synthetic one)
 * brought to just before it, migrate then rollback gives back an equal tree, and migrating again gives
 * the same result as the first time. A rollback method on a class that is not {@code Reversible} is
 * a warning (it is never used; a generated stub stays one until it is written). Fails the build
 * listing every problem. Runs on the compiled
 * classes and runtime dependencies, as {@code apply} does; bound to a phase it runs in {@code verify}.
 */
@Mojo(name = "validate", defaultPhase = LifecyclePhase.VERIFY, requiresDependencyResolution = ResolutionScope.RUNTIME,
        threadSafe = true)
public class ValidateMojo extends AbstractMigrationsMojo {
    /**
     * Real checkpoints to run the round trips on (copies are used; the files are not changed): a
     * directory with includes and excludes, like {@code apply}'s {@code checkpoints}. Without samples,
     * a synthetic Lightning-shaped checkpoint is used.
     */
    @Parameter
    protected FileSet samples;

    /** Where the round trips write their temporary checkpoints. */
    @Parameter(defaultValue = "${project.build.directory}/checkpoint-validate", required = true)
    protected java.io.File workDirectory;

    @Override
    protected void run() throws MojoExecutionException, MojoFailureException {
        List<Path> sampleFiles = samples == null ? List.of() : CheckpointFiles.scan(samples, project.getBasedir().toPath());
        if (samples != null && sampleFiles.isEmpty()) {
            throw new MojoFailureException("The samples file set matches no checkpoint in "
                    + CheckpointFiles.directory(samples, project.getBasedir().toPath()));
        }
        try (ProjectMigrations classes = ProjectMigrations.of(project)) {
            if (!classes.compiled()) {
                throw new MojoFailureException("The project is not compiled (no " + display(classes.outputDirectory())
                        + "): run mvn compile checkpoint:validate, or bind the goal to a phase after compile");
            }
            MigrationSet migrations = classes.discover(migrationsPackage, getLog());
            if (migrations.migrations().isEmpty()) {
                getLog().warn("No migrations in package " + migrationsPackage + ": nothing to validate");
                return;
            }
            RoundTripValidator validator = new RoundTripValidator(migrations, workDirectory.toPath(), appKey);
            // A generated rollback stub that is not Reversible yet is harmless: it is never used.
            validator.unusedRollbacks().forEach(unused -> getLog().warn(unused));
            List<String> problems = call(() -> {
                Files.createDirectories(workDirectory.toPath());
                return validator.roundTrips(sampleFiles);
            });
            if (!problems.isEmpty()) {
                problems.forEach(problem -> getLog().error(problem));
                throw new MojoFailureException(problems.size() + " migration problem" + (problems.size() == 1 ? "" : "s")
                        + " in " + migrationsPackage + ":\n  - " + String.join("\n  - ", problems));
            }
            long reversible = migrations.lastGroup().stream().filter(MigrationDescriptor::isReversible).count();
            getLog().info(migrations.migrations().size() + " migrations well formed and in order; " + reversible
                    + " reversible, each proved by a round trip on "
                    + (sampleFiles.isEmpty() ? "a synthetic checkpoint" : sampleFiles.size() + " sample checkpoint(s)"));
        }
    }
}
