package dev.ckpt.plugin;

import dev.ckpt.template.FixOrder;
import dev.ckpt.template.MigrationSources;
import java.io.File;
import java.io.IOException;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * After a merge, renames (file and class) the migrations added since a git base ref whose timestamps
 * sort before the newest migration on that ref, so they run after it everywhere, as the reference's
 * fix-order does. Run it in a git work tree; the base ref must be fetched. Prints each rename.
 */
@Mojo(name = "fix-order", threadSafe = true)
public class FixOrderMojo extends AbstractCheckpointMojo {
    /** The git ref the branch is merged onto; its migrations keep their names. */
    @Parameter(property = "baseRef", defaultValue = "origin/main", required = true)
    protected String baseRef;

    /** The source root the migrations package lives in. */
    @Parameter(property = "checkpoint.sourceDirectory", defaultValue = "${project.build.sourceDirectory}", required = true)
    protected File sourceDirectory;

    @Override
    protected void run() throws MojoExecutionException, MojoFailureException {
        MigrationSources sources;
        List<FixOrder.Rename> renames;
        try {
            sources = new MigrationSources(sourceDirectory.toPath(), migrationsPackage);
            renames = FixOrder.run(project.getBasedir().toPath(), sources, baseRef);
        } catch (IllegalArgumentException e) {
            throw new MojoFailureException(e.getMessage(), e);
        } catch (IOException e) {
            throw new MojoFailureException(e.getMessage(), e);
        }
        if (renames.isEmpty()) {
            getLog().info("Nothing to rename: the migrations added since " + baseRef + " already sort after the ones on it");
            return;
        }
        for (FixOrder.Rename rename : renames) {
            getLog().info("Renamed " + rename.from() + " -> " + rename.to() + " (" + display(rename.file()) + ")");
        }
        getLog().info(renames.size() + " migration" + (renames.size() == 1 ? "" : "s")
                + " renamed to sort after " + baseRef + "; review and commit the renames");
    }
}
