package dev.ckpt.plugin;

import dev.ckpt.inspect.CheckpointContents;
import dev.ckpt.inspect.PathGlob;
import dev.ckpt.inspect.ShowOptions;
import java.io.File;
import java.nio.file.Path;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Shows what a checkpoint holds, changing nothing and running nothing from it, in a project or
 * anywhere (no pom.xml needed): every tensor (name, dtype, shape, size) with totals per module,
 * OmegaConf configs as YAML, numpy arrays, the other values down to {@code depth}, the Python
 * globals it names with their safety class, and its migration records and history. Names are
 * paths as migrations write them ({@code state_dict["model.encoder.weight"]},
 * {@code hyper_parameters.model.hidden}). Reads torch.save files (zip or legacy) and plain pickles.
 * An aggregator: from the root of a multi-module build it runs once, a relative {@code -Dcheckpoint}
 * taken from the directory {@code mvn} was started in.
 */
@Mojo(name = "show", requiresProject = false, aggregator = true, threadSafe = true)
public class ShowMojo extends AbstractMigrationsMojo {
    /** The checkpoint (or pickle) file to show. */
    @Parameter(property = "checkpoint")
    protected File checkpoint;

    /** How many steps below the root values are listed; tensors, configs and arrays are listed at any depth. */
    @Parameter(property = "depth", defaultValue = "" + ShowOptions.DEFAULT_DEPTH)
    protected int depth;

    /**
     * Only the paths this glob matches ({@code *} any characters, dots included; {@code ?} one),
     * against the path as shown or without quotes: {@code state_dict.*encoder*}.
     */
    @Parameter(property = "filter")
    protected String filter;

    /**
     * Also write the contents as JSON: to this file (its directory is created), or to standard
     * output when given bare ({@code -Djson}) or as {@code -}.
     */
    @Parameter(property = "json")
    protected String json;

    @Override
    protected void run() throws MojoExecutionException, MojoFailureException {
        Path file = existingCheckpoint(checkpoint, "-Dcheckpoint=PATH");
        ShowOptions options;
        try {
            options = new ShowOptions(depth, PathGlob.of(filter));
        } catch (IllegalArgumentException e) {
            throw new MojoFailureException("-Ddepth: " + e.getMessage(), e);
        }
        CheckpointContents contents = call(() -> CheckpointContents.read(file, options));
        contents.text().lines().forEach(getLog()::info);
        if (json != null) {
            writeJson(json, contents.json());
        }
    }
}
