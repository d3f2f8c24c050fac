package dev.ckpt.plugin;

import dev.ckpt.migration.MigrationReport;
import dev.ckpt.migration.Migrator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.maven.model.FileSet;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * Brings checkpoints in line with the project's migrations, as the reference's sync does: rolls back
 * the migrations a checkpoint has but the code does not (newest first), then runs the missing ones in
 * order, recording each in the checkpoint. Prints one line per operation ({@code + MIGRATE name [vX]},
 * {@code + ROLLBACK name [vX]}) or "already up to date". Works on {@code -Dcheckpoint=PATH} or, without it,
 * on the configured {@code checkpoints} file set (many files run in parallel; none found is not an
 * error). A checkpoint too old for the
 * code fails the build; in a batch the others are still migrated, then the build fails listing each
 * failed file with its reason. Uses the project's compiled classes: bound to a phase it runs after
 * compile ({@code process-classes}); from the command line run {@code mvn compile checkpoint:apply}.
 */
@Mojo(name = "apply", defaultPhase = LifecyclePhase.PROCESS_CLASSES, requiresDependencyResolution = ResolutionScope.RUNTIME,
        threadSafe = true)
public class ApplyMojo extends AbstractRewriteMojo {
    /**
     * The checkpoints to migrate when no {@code -Dcheckpoint} is given: a {@code directory} (relative to
     * the project) with {@code includes} and {@code excludes} patterns such as {@code *.ckpt} or
     * {@code **}{@code /*.pt}. Without includes, every .ckpt, .pt and .pth file is taken. Backups are
     * written next to the checkpoints as &lt;stem&gt;-v&lt;version&gt;-&lt;count&gt;.&lt;ext&gt;: exclude
     * them (e.g. {@code *-v*.ckpt}) so a later build does not migrate them too. Example:
     * &lt;checkpoints&gt; &lt;directory&gt;checkpoints&lt;/directory&gt; &lt;includes&gt;&lt;include&gt;*.ckpt&lt;/include&gt;&lt;/includes&gt;
     * &lt;excludes&gt;&lt;exclude&gt;*-v*.ckpt&lt;/exclude&gt;&lt;/excludes&gt; &lt;/checkpoints&gt;
     */
    @Parameter
    protected FileSet checkpoints;

    /**
     * How many checkpoints of the file set are migrated at once; {@code 0} means one per available
     * processor. Each checkpoint is independent: a failure in one leaves the others running.
     */
    @Parameter(property = "checkpoint.threads", defaultValue = "0")
    protected int threads;

    @Override
    protected String goal() {
        return "apply";
    }

    @Override
    protected void run() throws MojoExecutionException, MojoFailureException {
        if (threads < 0) {
            throw new MojoFailureException("threads must be 0 (one per processor) or more, not " + threads);
        }
        List<Path> files;
        if (checkpoint != null) {
            files = List.of(existingCheckpoint(checkpoint, "-Dcheckpoint=PATH"));
        } else if (checkpoints != null) {
            Path directory = CheckpointFiles.directory(checkpoints, project.getBasedir().toPath());
            files = CheckpointFiles.scan(checkpoints, project.getBasedir().toPath());
            if (files.isEmpty()) {
                getLog().info("No checkpoint matches the checkpoints file set in " + display(directory)
                        + (directory.toFile().isDirectory() ? "" : " (no such directory)") + ": nothing to migrate");
                return;
            }
        } else {
            throw new MojoFailureException("No checkpoint to migrate: pass -Dcheckpoint=PATH, or configure a"
                    + " <checkpoints> file set (<directory>, <includes>, <excludes>) for the plugin");
        }
        withMigrator(true, migrator -> {
            if (files.size() == 1) {
                print(call(() -> migrator.apply(files.get(0))));
            } else {
                applyAll(migrator, files);
            }
        });
    }

    private void applyAll(Migrator migrator, List<Path> files) throws MojoFailureException {
        int pool = threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
        getLog().info("Migrating " + files.size() + " checkpoints, " + Math.min(pool, files.size()) + " at a time");
        Migrator.BatchResult result;
        try {
            result = migrator.applyAll(files, pool);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MojoFailureException("Interrupted while migrating checkpoints", e);
        }
        for (MigrationReport report : result.reports()) {
            print(report);
        }
        if (result.failures().isEmpty()) {
            return;
        }
        List<String> reasons = new ArrayList<>();
        for (Map.Entry<Path, Exception> failure : result.failures().entrySet()) {
            String reason = display(failure.getKey()) + ": " + reasonOf(failure.getKey(), translate(failure.getValue()));
            getLog().error(reason);
            reasons.add(reason);
        }
        throw new MojoFailureException(result.failures().size() + " of " + files.size()
                + " checkpoints could not be migrated (the others were; each failed file is unchanged):\n  - "
                + String.join("\n  - ", reasons));
    }

    /**
     * The error's message without the file name the core already put in front of it: {@code <file>: why}
     * becomes {@code why}, {@code <file> [record]: why} becomes {@code [record]: why}.
     */
    private static String reasonOf(Path file, Exception e) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        if (message.startsWith(file + ": ")) {
            return message.substring(file.toString().length() + 2);
        }
        return message.startsWith(file + " [") ? message.substring(file.toString().length() + 1) : message;
    }
}
