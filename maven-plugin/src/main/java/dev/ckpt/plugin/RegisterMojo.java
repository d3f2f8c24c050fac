package dev.ckpt.plugin;

import java.nio.file.Path;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * Stamps a checkpoint that has no migration records (e.g. one just saved by training code that already
 * matches the project) as up to date with every migration of the current compatibility group, without
 * running them: the baseline of Flyway. {@code -Dbaseline=<migration>} stamps only the migrations up to
 * and including that one, for a checkpoint saved by an older release; a later apply runs the rest. A
 * checkpoint that already has records is refused; use {@code apply}. Prints one
 * {@code + REGISTER name [vX]} line per migration.
 */
@Mojo(name = "register", requiresDependencyResolution = ResolutionScope.RUNTIME, threadSafe = true)
public class RegisterMojo extends AbstractRewriteMojo {
    /** The newest migration the code that saved the checkpoint had (its name, e.g. 1750000000_rename_encoder). */
    @Parameter(property = "baseline")
    protected String baseline;

    @Override
    protected String goal() {
        return "register";
    }

    @Override
    protected void run() throws MojoExecutionException, MojoFailureException {
        Path file = existingCheckpoint(checkpoint, "-Dcheckpoint=PATH");
        withMigrator(true, migrator -> print(call(() -> migrator.register(file, blankToNull(baseline)))));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
