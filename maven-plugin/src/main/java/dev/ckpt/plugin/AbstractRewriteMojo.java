package dev.ckpt.plugin;

import dev.ckpt.engine.MigrationReport;
import dev.ckpt.engine.MigrationSet;
import dev.ckpt.engine.Migrator;
import dev.ckpt.engine.MigratorOptions;
import dev.ckpt.io.SameOffsetCopy;
import dev.ckpt.torch.RewriteSummary;
import java.io.File;
import java.time.Duration;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Goals that rewrite checkpoints (apply, rollback, register): dry run, backup, and the safety
 * switches. Every write is atomic: a temp file in the same directory, checked, then a rename; a
 * failure leaves the checkpoint as it was. One run at a time writes a checkpoint (a lock file
 * {@code .<name>.ckpt-lock} next to it while it works).
 */
abstract class AbstractRewriteMojo extends AbstractMigrationsMojo {
    /** The checkpoint file to work on ({@code torch.save} output, e.g. {@code last.ckpt}). */
    @Parameter(property = "checkpoint")
    protected File checkpoint;

    /** Plans and runs everything in memory and prints what would happen, but writes nothing. */
    @Parameter(property = "dryRun", defaultValue = "false")
    protected boolean dryRun;

    /**
     * Keeps the original as &lt;stem&gt;-v&lt;version&gt;-&lt;count&gt;.&lt;ext&gt;.bak in the {@code backupDirectory}
     * (a hard link, so no copy is made; the reference's name, with {@code .bak} so that no checkpoint
     * pattern ever matches a backup).
     */
    @Parameter(property = "checkpoint.backup", defaultValue = "true")
    protected boolean backup;

    /**
     * Where backups go: a directory relative to each checkpoint's own directory (the default keeps them
     * beside the checkpoints, out of their way), or an absolute path. Hard links need the same file
     * system; elsewhere the original is copied.
     */
    @Parameter(property = "checkpoint.backupDirectory", defaultValue = MigratorOptions.DEFAULT_BACKUP_DIRECTORY)
    protected String backupDirectory;

    /**
     * Runs rollbacks embedded in a checkpoint (by a newer code base) without the bytecode allow-list
     * check. Only for checkpoints from a source you trust: the embedded code then runs with the full
     * rights of the build.
     */
    @Parameter(property = "checkpoint.trustEmbeddedRollbacks", defaultValue = "false")
    protected boolean trustEmbeddedRollbacks;

    /**
     * Fails instead of warning when placeholders for deleted Python classes are left in the result
     * (they are otherwise written as inert plain dicts, which even torch's weights-only loader reads).
     */
    @Parameter(property = "checkpoint.strictPlaceholders", defaultValue = "false")
    protected boolean strictPlaceholders;

    /**
     * Seconds to wait while another run (another build, another process) holds a checkpoint's lock
     * before failing; {@code 0} fails at once. The waiting run then reads the checkpoint as the other
     * one left it, so it usually finds it up to date.
     */
    @Parameter(property = "checkpoint.lockTimeout", defaultValue = "60")
    protected int lockTimeout;

    /**
     * Writes back a checkpoint that already names globals able to run code when torch.load
     * unpickles it ({@code os.system}, {@code builtins.eval}, {@code subprocess.Popen}, ...; inspect
     * lists them). Off by default: such a file may be an attack. Nothing ckpt runs may ever add one.
     */
    @Parameter(property = "checkpoint.allowDangerousGlobals", defaultValue = "false")
    protected boolean allowDangerousGlobals;

    /**
     * Writes every record of the new file anew, in torch's order. By default a rewrite takes over
     * the original's bytes up to the end of the tensor data it keeps unchanged (copied inside the
     * kernel, and cloned for free on file systems with reflinks: XFS, btrfs) and writes only the new
     * pickle and records after them, leaving the old pickle behind as dead bytes (at most 1 MiB or
     * an eighth of the file, else it compacts anyway; inspect shows them). Compacting also reads
     * every tensor byte and checks its CRC.
     */
    @Parameter(property = "checkpoint.compact", defaultValue = "false")
    protected boolean compact;

    protected MigratorOptions options() throws MojoFailureException {
        if (lockTimeout < 0) {
            throw new MojoFailureException("lockTimeout must be 0 (fail at once) or more seconds, not " + lockTimeout);
        }
        return planningOptions()
                .withBackup(backup)
                .withBackupDirectory(backupDirectory)
                .withProgress(new ProgressLog(getLog(), this::display))
                .withDryRun(dryRun)
                .withTrustEmbeddedRollbacks(trustEmbeddedRollbacks)
                .withStrictPlaceholders(strictPlaceholders)
                .withAllowDangerousGlobals(allowDangerousGlobals)
                .withCompact(compact)
                .withLockTimeout(Duration.ofSeconds(lockTimeout));
    }

    /**
     * Loads the project's migrations and hands a migrator to {@code work}. Without compiled classes, or
     * with no migration in the package, it fails rather than treat every record as extra.
     */
    protected void withMigrator(boolean requireMigrations, MigratorWork work) throws MojoExecutionException, MojoFailureException {
        try (ProjectMigrations classes = ProjectMigrations.of(project)) {
            if (requireMigrations && !classes.compiled()) {
                throw new MojoFailureException("The project is not compiled (no " + display(classes.outputDirectory())
                        + "): run the goal after compile, e.g. mvn compile checkpoint:" + goal());
            }
            MigrationSet migrations = classes.discover(migrationsPackage, getLog());
            if (requireMigrations && migrations.migrations().isEmpty()) {
                throw new MojoFailureException("No migrations in package " + migrationsPackage + " on the project's class path"
                        + " (classes M<unix-seconds>_<name>); create one with mvn checkpoint:create -Dname=..."
                        + " or set checkpoint.migrationsPackage");
            }
            MigratorOptions options = options();
            work.run(call(() -> new Migrator(migrations, options)));
        }
    }

    /** The goal's name, for messages. */
    protected abstract String goal();

    /** Work done with the project's migrator. */
    @FunctionalInterface
    protected interface MigratorWork {
        void run(Migrator migrator) throws MojoExecutionException, MojoFailureException;
    }

    /** Prints a report as the reference does: one line per operation, then where the original was kept, then what was written. */
    protected void print(MigrationReport report) {
        getLog().info(display(report.file()) + (dryRun ? " (dry run: nothing written)" : ""));
        report.lines().forEach(line -> getLog().info("  " + line));
        if (report.backup() != null) {
            getLog().info("  original kept as " + display(report.backup()) + " (" + Sizes.onDisk(report.backup())
                    + " kept on disk until it is deleted)");
        }
        if (report.rewrite() != null) {
            getLog().info("  " + rewritten(report.rewrite()));
        }
        report.warnings().forEach(warning -> getLog().warn(display(report.file()) + ": " + warning));
    }

    /** What the rewrite cost: {@code wrote 151 kB after 2.0 GB taken over as they were (copy_file_range); 119 kB dead}. */
    static String rewritten(RewriteSummary rewrite) {
        if (rewrite.clonedBytes() == 0) {
            return "wrote " + Sizes.human(rewrite.size()) + " (every record anew)";
        }
        String how = rewrite.copyMethod() == SameOffsetCopy.Method.COPY_FILE_RANGE ? "copy_file_range through JNA: cloned where the file system can"
                : "FileChannel.transferTo: copy_file_range on JDK 20+, cloned where the file system can; sendfile before";
        return "wrote " + Sizes.human(rewrite.writtenBytes()) + " after " + Sizes.human(rewrite.clonedBytes())
                + " taken over as they were (" + how + "); " + Sizes.human(rewrite.deadBytes()) + " dead (-Dcheckpoint.compact drops them)";
    }
}
