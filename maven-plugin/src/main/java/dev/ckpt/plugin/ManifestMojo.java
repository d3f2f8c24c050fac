package dev.ckpt.plugin;

import dev.ckpt.engine.MigrationManifest;
import dev.ckpt.engine.MigrationSet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * Writes the migrations manifest that training code reads to save checkpoints already registered
 * (the {@code ckpt_migrations} Python package: a Lightning callback, a function for plain
 * {@code torch.save} dicts): the current code's migrations and the exact records {@code register}
 * would stamp. It goes into the compiled classes, so the project's jar carries it as
 * {@code META-INF/ckpt/migrations.json}. Bound to {@code process-classes}, right after compile.
 */
@Mojo(name = "manifest", defaultPhase = LifecyclePhase.PROCESS_CLASSES, requiresDependencyResolution = ResolutionScope.RUNTIME,
        threadSafe = true)
public class ManifestMojo extends AbstractMigrationsMojo {
    /** Where to write the manifest. */
    @Parameter(property = "checkpoint.manifest", defaultValue = "${project.build.outputDirectory}/" + MigrationManifest.RESOURCE)
    protected java.io.File manifest;

    @Override
    protected void run() throws MojoExecutionException, MojoFailureException {
        try (ProjectMigrations classes = ProjectMigrations.of(project)) {
            if (!classes.compiled()) {
                throw new MojoFailureException("The project is not compiled (no " + display(classes.outputDirectory())
                        + "): run mvn compile checkpoint:manifest, or bind the goal to a phase after compile");
            }
            MigrationSet migrations = classes.discover(migrationsPackage, getLog());
            if (migrations.migrations().isEmpty()) {
                throw new MojoFailureException("No migrations in package " + migrationsPackage + ": no manifest to write");
            }
            Path target = manifest.toPath();
            try {
                Files.createDirectories(target.toAbsolutePath().getParent());
                Files.writeString(target, MigrationManifest.json(migrations, planningOptions()), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new MojoExecutionException("Cannot write " + target + ": " + e, e);
            }
            getLog().info("Wrote the migrations manifest (" + migrations.lastGroup().size() + " migrations, app key " + appKey
                    + ") to " + display(target));
        }
    }
}
