package dev.ckpt.plugin;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/** What every goal shares: the project, {@code skip}, and the package of the migration classes. */
abstract class AbstractCheckpointMojo extends AbstractMojo {
    /** The project the goal runs in (Maven's stand-in project when there is none). */
    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    protected MavenProject project;

    /** Skips the goal (every goal of this plugin honours {@code -Dcheckpoint.skip}). */
    @Parameter(property = "checkpoint.skip", defaultValue = "false")
    protected boolean skip;

    /**
     * The Java package that holds the migration classes (M&lt;unix-seconds&gt;_&lt;snake_case&gt;), in the
     * project's sources and on its class path. The default is the project's groupId followed by
     * {@code .migrations}; set it when the groupId is not a valid Java package name (e.g. it has a
     * {@code -}).
     */
    @Parameter(property = "checkpoint.migrationsPackage", defaultValue = "${project.groupId}.migrations")
    protected String migrationsPackage;

    @Override
    public final void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("Skipping: checkpoint.skip is set");
            return;
        }
        run();
    }

    /** The goal's work, once {@code skip} has been checked. */
    protected abstract void run() throws MojoExecutionException, MojoFailureException;

    /** True when the goal runs in a real project (not Maven's stand-in for goals that need none). */
    protected boolean inProject() {
        return project != null && project.getFile() != null;
    }

    /** A path as the user reads it best: relative to the project when it lies inside it. */
    protected String display(Path path) {
        if (inProject()) {
            Path base = project.getBasedir().toPath().toAbsolutePath().normalize();
            Path absolute = path.toAbsolutePath().normalize();
            if (absolute.startsWith(base) && !absolute.equals(base)) {
                return base.relativize(absolute).toString();
            }
        }
        return path.toString();
    }

    /**
     * Writes {@code text} (JSON) where {@code -Djson} says: to standard output when given bare or as
     * {@code -}, else to that file (relative to the project; its directory is created).
     */
    protected void writeJson(String json, String text) throws MojoExecutionException {
        if (json.isEmpty() || json.equals("true") || json.equals("-")) {
            // Raw, not through the log: with -q the output is exactly the JSON.
            System.out.print(text);
            System.out.flush();
            return;
        }
        Path target = Path.of(json);
        if (!target.isAbsolute() && project != null && project.getBasedir() != null) {
            target = project.getBasedir().toPath().resolve(target);
        }
        try {
            if (target.toAbsolutePath().getParent() != null) {
                Files.createDirectories(target.toAbsolutePath().getParent());
            }
            Files.writeString(target, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new MojoExecutionException("Cannot write " + target + ": " + e, e);
        }
        getLog().info("Wrote " + display(target));
    }

    /** Fails unless {@code file} is an existing regular file; {@code what} names the parameter. */
    protected static Path existingCheckpoint(File file, String what) throws MojoFailureException {
        if (file == null) {
            throw new MojoFailureException("No checkpoint given: pass " + what);
        }
        Path path = file.toPath().toAbsolutePath().normalize();
        if (!Files.isRegularFile(path)) {
            throw new MojoFailureException("No checkpoint file at " + path + " (" + what + ")");
        }
        return path;
    }
}
