package dev.ckpt.plugin;

import java.nio.file.Path;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * Stamps a checkpoint that has no migration records (e.g. one just saved by training code that already
 * matches the project) as up to date with every migration of the current compatibility group, without
 * running them: the baseline of Flyway. A checkpoint that already has records is refused; use
 * {@code apply}. Prints one {@code + REGISTER name [vX]} line per migration.
 */
@Mojo(name = "register", requiresDependencyResolution = ResolutionScope.RUNTIME, threadSafe = true)
public class RegisterMojo extends AbstractRewriteMojo {
    @Override
    protected String goal() {
        return "register";
    }

    @Override
    protected void run() throws MojoExecutionException, MojoFailureException {
        Path file = existingCheckpoint(checkpoint, "-Dcheckpoint=PATH");
        withMigrator(true, migrator -> print(call(() -> migrator.register(file))));
    }
}
