package dev.ckpt.plugin;

import dev.ckpt.engine.MigrationReport;
import dev.ckpt.engine.Migrator;
import java.nio.file.Path;
import java.time.Duration;
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
 * failed file with its reason. Each file gets its time and size, the batch a summary, a long rewrite
 * progress lines. Uses the project's compiled classes. Bound to a phase it runs in
 * {@code prepare-package} by default: after the tests, so a failing migration test leaves every
 * checkpoint untouched. From the command line run {@code mvn compile checkpoint:apply}.
 */
@Mojo(name = "apply", defaultPhase = LifecyclePhase.PREPARE_PACKAGE, requiresDependencyResolution = ResolutionScope.RUNTIME,
        threadSafe = true)
public class ApplyMojo extends AbstractRewriteMojo {
    /**
     * The checkpoints to migrate when no {@code -Dcheckpoint} is given: a {@code directory} (relative to
     * the project) with {@code includes} and {@code excludes} patterns such as {@code *.ckpt} or
     * {@code **}{@code /*.pt}. Without includes, every .ckpt, .pt and .pth file is taken. Backups end
     * with {@code .bak} (in {@code backupDirectory}), so no pattern needs to exclude them; files with a
     * checkpoint's extension that the set leaves out are listed. Example:
     * &lt;checkpoints&gt; &lt;directory&gt;checkpoints&lt;/directory&gt; &lt;includes&gt;&lt;include&gt;*.ckpt&lt;/include&gt;&lt;/includes&gt; &lt;/checkpoints&gt;
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
            CheckpointFiles.Scan scan = CheckpointFiles.scanWithSkipped(checkpoints, project.getBasedir().toPath());
            scan.skipped().forEach(skipped -> getLog().info("Skipped " + display(skipped.file()) + ": " + skipped.why()));
            files = scan.files();
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
                long start = System.nanoTime();
                MigrationReport report = call(() -> migrator.apply(files.get(0)));
                print(report);
                getLog().info("  " + outcome(report, Duration.ofNanos(System.nanoTime() - start)));
            } else {
                applyAll(migrator, files);
            }
        });
    }

    private void applyAll(Migrator migrator, List<Path> files) throws MojoFailureException {
        int pool = threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
        getLog().info("Migrating " + files.size() + " checkpoints, " + Math.min(pool, files.size()) + " at a time");
        long start = System.nanoTime();
        Migrator.BatchResult result;
        try {
            result = migrator.applyAll(files, pool);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MojoFailureException("Interrupted while migrating checkpoints", e);
        }
        Duration total = Duration.ofNanos(System.nanoTime() - start);
        for (MigrationReport report : result.reports()) {
            print(report);
            getLog().info("  " + outcome(report, result.elapsed().get(report.file())));
        }
        // Counted over the files run: a file listed twice ran once.
        int ran = result.reports().size() + result.failures().size();
        long changed = result.reports().stream().filter(r -> r.written() || dryRun && !r.plan().isUpToDate()).count();
        String summary = result.reports().size() + " of " + ran + " checkpoints migrated or up to date ("
                + changed + (dryRun ? " to rewrite, dry run" : " rewritten") + ", " + (result.reports().size() - changed)
                + " unchanged), " + result.failures().size() + " failed, in " + seconds(total);
        if (result.failures().isEmpty()) {
            getLog().info(summary);
            return;
        }
        List<String> reasons = new ArrayList<>();
        for (Map.Entry<Path, Exception> failure : result.failures().entrySet()) {
            String reason = display(failure.getKey()) + ": " + reasonOf(failure.getKey(), translate(failure.getValue()));
            getLog().error(reason);
            reasons.add(reason);
        }
        getLog().error(summary);
        String others = result.reports().isEmpty() ? "none could be; each file is unchanged"
                : "the other " + result.reports().size() + " were; each failed file is unchanged";
        throw new MojoFailureException(result.failures().size() + " of " + ran
                + " checkpoints could not be migrated (" + others + "):\n  - " + String.join("\n  - ", reasons));
    }

    /** One file's outcome: rewritten or not, its size, and the time it took. */
    private static String outcome(MigrationReport report, Duration elapsed) {
        String what = report.written() ? "rewritten" : dryRunOrUnchanged(report);
        return what + ": " + Sizes.onDisk(report.file()) + " in " + seconds(elapsed);
    }

    private static String dryRunOrUnchanged(MigrationReport report) {
        return report.plan().isUpToDate() ? "unchanged" : "dry run, not written";
    }

    private static String seconds(Duration elapsed) {
        return elapsed == null ? "?" : String.format(java.util.Locale.ROOT, "%.2f s", elapsed.toNanos() / 1e9);
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
