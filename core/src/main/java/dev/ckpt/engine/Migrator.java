package dev.ckpt.engine;

import dev.ckpt.api.Checkpoint;
import dev.ckpt.api.Reversible;
import dev.ckpt.io.AtomicFile;
import dev.ckpt.io.CheckpointLock;
import dev.ckpt.io.FileIdentity;
import dev.ckpt.pickle.PickleException;
import dev.ckpt.pickle.PickleReader;
import dev.ckpt.pickle.PickleWriter;
import dev.ckpt.pickle.PyGlobal;
import dev.ckpt.pickle.PythonTypes;
import dev.ckpt.pickle.Relocation;
import dev.ckpt.sandbox.EmbeddedRun;
import dev.ckpt.sandbox.UntrustedRollbackException;
import dev.ckpt.torch.GlobalSafety;
import dev.ckpt.torch.RewriteMode;
import dev.ckpt.torch.RewriteSummary;
import dev.ckpt.torch.TorchCheckpoint;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Applies a code base's migrations to checkpoint files: plan, then run every rollback and
 * migration in memory, record each in the checkpoint, and replace the file atomically (the
 * original kept as a backup by a hard link). Any failure leaves the file as it was. A run that
 * writes holds the checkpoint's {@link CheckpointLock}, removes temp files a killed run left, and
 * refuses to replace a file that changed on disk since it was read.
 */
public final class Migrator {
    /** Backups of one name, {@code <base>.2} to this: beyond, something is filling the directory. */
    private static final int MAX_BACKUP_SUFFIX = 10_000;
    /** Backups end with it, outside every checkpoint pattern ({@code *.ckpt}, {@code *.pt}). */
    public static final String BACKUP_SUFFIX = ".bak";
    /** Backup names taken by concurrent runs in a row before giving up. */
    private static final int MAX_NAME_ATTEMPTS = 10;

    private final MigrationSet migrations;
    private final MigratorOptions options;
    private final MigrationPlanner planner;

    public Migrator(MigrationSet migrations, MigratorOptions options) {
        this.migrations = migrations;
        this.options = options;
        this.planner = new MigrationPlanner(migrations, options);
    }

    /** What {@link #apply} would do, without changing anything. */
    public MigrationPlan plan(Path file) throws IOException {
        try (TorchCheckpoint archive = TorchCheckpoint.open(file)) {
            CheckpointRecords records = CheckpointRecords.of(file, archive);
            return planner.sync(records.read(), records.present());
        }
    }

    /** Brings the checkpoint in line with the code: rolls back its extra migrations, runs the missing ones. */
    public MigrationReport apply(Path file) throws IOException {
        return run(file, records -> planner.sync(records.read(), records.present()));
    }

    /**
     * The outcome of a batch: a report per migrated file, the error of each file that failed, and the
     * wall-clock time each file took (both kinds).
     */
    public record BatchResult(List<MigrationReport> reports, Map<Path, Exception> failures, Map<Path, Duration> elapsed) {
    }

    /**
     * Applies to many independent checkpoints, {@code threads} at a time. A failing file does not
     * stop the others; it is reported with its error and left as it was. A file listed more than
     * once (even as another path to it: relative, with "..", through a symlinked directory) is migrated once.
     */
    public BatchResult applyAll(List<Path> files, int threads) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, files.size())));
        try {
            Map<Path, Future<MigrationReport>> running = new LinkedHashMap<>();
            Map<Path, Duration> elapsed = new java.util.concurrent.ConcurrentHashMap<>();
            Set<Path> submitted = new HashSet<>();
            for (Path file : files) {
                // A file listed twice is migrated once: two runs at once would race on its rename.
                if (submitted.add(sameFileKey(file))) {
                    running.put(file, pool.submit(() -> {
                        long start = System.nanoTime();
                        try {
                            return apply(file);
                        } finally {
                            elapsed.put(file, Duration.ofNanos(System.nanoTime() - start));
                        }
                    }));
                }
            }
            List<MigrationReport> reports = new ArrayList<>();
            Map<Path, Exception> failures = new LinkedHashMap<>();
            for (Map.Entry<Path, Future<MigrationReport>> entry : running.entrySet()) {
                try {
                    reports.add(entry.getValue().get());
                } catch (ExecutionException e) {
                    failures.put(entry.getKey(), e.getCause() instanceof Exception cause ? cause : e);
                }
            }
            return new BatchResult(reports, failures, Map.copyOf(elapsed));
        } finally {
            pool.shutdownNow();
        }
    }

    /** One key for every path to one file: its real path (through symlinked directories), else its absolute path. */
    private static Path sameFileKey(Path file) {
        try {
            return file.toRealPath();
        } catch (IOException e) {
            return file.toAbsolutePath().normalize();  // missing or unreachable: apply reports it
        }
    }

    /** Rolls back every migration after {@code target} (which stays applied). */
    public MigrationReport rollbackTo(Path file, String target) throws IOException {
        return run(file, records -> planner.rollbackTo(records.read(), target));
    }

    /** Rolls back the newest {@code count} migrations. */
    public MigrationReport rollbackLast(Path file, int count) throws IOException {
        return run(file, records -> planner.rollbackLast(records.read(), count));
    }

    /**
     * Stamps a checkpoint that has no migration records (e.g. one just saved by training code) as
     * up to date with every migration of the last compatibility group, without running them.
     */
    public MigrationReport register(Path file) throws IOException {
        return register(file, null);
    }

    /**
     * Stamps a checkpoint without records as saved by code that had every migration up to and
     * including {@code baseline} (its group's migrations from the group's start), without running
     * them; {@code null} stamps the whole last group. Flyway's baseline.
     */
    public MigrationReport register(Path file, String baseline) throws IOException {
        List<MigrationDescriptor> stamped = baseline == null ? migrations.lastGroup() : migrations.upTo(baseline);
        return locked(file, (target, warnings) -> registerLocked(target, stamped, warnings));
    }

    private MigrationReport registerLocked(Path file, List<MigrationDescriptor> stamped, List<String> warnings) throws IOException {
        try (TorchCheckpoint archive = TorchCheckpoint.open(file)) {
            refuseDangerousInput(file, archive);
            CheckpointRecords records = CheckpointRecords.of(file, archive);
            List<MigrationRecord> existing = records.read();
            if (!existing.isEmpty()) {
                throw new IncompatibleCheckpointException(file, "it already holds " + existing.size()
                        + " migration records; use apply to bring it up to date");
            }
            List<String> lines = stamp(records, stamped);
            records.save();
            MigrationPlan plan = planner.sync(records.read(), true);
            return finish(file, archive, plan, lines, warnings, existing);
        }
    }

    /** Records {@code stamped} as applied without running them, one {@code + REGISTER} line each. */
    private List<String> stamp(CheckpointRecords records, List<MigrationDescriptor> stamped) {
        records.ensurePresent();
        List<String> lines = new ArrayList<>();
        for (MigrationDescriptor migration : stamped) {
            records.append(migration, options.appKey(), options.nextVersion(), embeddedRollback(migration));
            lines.add("+ REGISTER " + migration.name() + " [v" + migration.version(options.nextVersion()) + "]");
        }
        return lines;
    }

    /**
     * Drops the record of {@code migration} from a checkpoint without running anything, noting it in
     * the history: the way out for an extra migration that cannot be rolled back and whose change no
     * longer matters. What the migration changed stays in the checkpoint. Only an extra (a record
     * the code does not bring the checkpoint to) may be forgotten unless {@code force}: forgetting a
     * migration the code has would make apply run it again on a checkpoint that already has its change.
     */
    public MigrationReport forget(Path file, String migration, boolean force) throws IOException {
        return locked(file, (target, warnings) -> {
            try (TorchCheckpoint archive = TorchCheckpoint.open(target)) {
                refuseDangerousInput(target, archive);
                CheckpointRecords records = CheckpointRecords.of(target, archive);
                List<MigrationRecord> before = records.read();
                if (!force) {
                    refuseForgettingNonExtra(target, before, records.present(), migration);
                }
                MigrationRecord forgotten = records.remove(migration);
                records.addHistory("forget", migration, forgotten.signature());
                records.save();
                MigrationPlan plan = planner.sync(records.read(), true);
                List<String> lines = List.of("- FORGET " + migration + " (its changes stay in the checkpoint; the history notes it)");
                return finish(target, archive, plan, lines, warnings, before);
            }
        });
    }

    private void refuseForgettingNonExtra(Path file, List<MigrationRecord> records, boolean present, String migration) {
        MigrationPlan plan = planner.sync(records, present);
        if (!plan.compatible()) {
            throw new IncompatibleCheckpointException(file, plan.incompatibility() + " (forget refuses it; force=true to drop "
                    + migration + " anyway)");
        }
        if (!plan.extraNames().contains(migration) && records.stream().anyMatch(r -> r.name().equals(migration))) {
            throw new IllegalArgumentException(file + ": " + migration + " is not an extra migration of this checkpoint: the code"
                    + " has it where the checkpoint does, so forgetting it would make apply run it again on a checkpoint that"
                    + " already has its change (force=true if that is what you want)");
        }
    }

    /** Work on one checkpoint that may write it; it adds its warnings to the list it is given. */
    @FunctionalInterface
    private interface Work {
        MigrationReport run(Path target, List<String> warnings) throws IOException;
    }

    /**
     * Runs {@code work} holding the checkpoint's lock, after removing the temp files a killed run
     * left next to it (no live run can be writing one while we hold the lock). A dry run writes
     * nothing, so it takes no lock.
     */
    private MigrationReport locked(Path file, Work work) throws IOException {
        List<String> warnings = new ArrayList<>();
        requireExisting(file);
        Path target = followLink(file, warnings);
        if (options.dryRun()) {
            return work.run(target, warnings);
        }
        try (CheckpointLock lock = CheckpointLock.acquire(target, options.lockTimeout())) {
            List<Path> stale = AtomicFile.removeStaleTemps(target);
            if (!stale.isEmpty()) {
                warnings.add("removed " + stale.size() + " temp file(s) left by an interrupted run: "
                        + stale.stream().map(p -> p.getFileName().toString()).toList());
            }
            return work.run(target, warnings);
        }
    }

    /**
     * A symbolic link to a checkpoint (runs/last.ckpt -> ../store/epoch10.ckpt) migrates the file
     * it points to, and stays a link: the lock, temp file and backup go beside that file.
     */
    private static Path followLink(Path file, List<String> warnings) throws IOException {
        if (!Files.isSymbolicLink(file)) {
            return file;
        }
        Path target = file.toRealPath();
        warnings.add(file + " is a symbolic link: migrating the file it points to, " + target + " (the link stays as it is)");
        return target;
    }

    /** Before locking: a missing file, or one behind a directory we may not enter, must say so, not create a lock file. */
    private static void requireExisting(Path file) throws IOException {
        try {
            Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "no such checkpoint file");
        } catch (AccessDeniedException e) {
            throw new AccessDeniedException(file.toString(), null,
                    "permission denied: cannot reach this checkpoint (a directory on its path may not be entered)");
        }
    }

    private MigrationReport run(Path file, Function<CheckpointRecords, MigrationPlan> planning) throws IOException {
        return locked(file, (target, warnings) -> runLocked(target, planning, warnings));
    }

    private MigrationReport runLocked(Path file, Function<CheckpointRecords, MigrationPlan> planning, List<String> warnings)
            throws IOException {
        MigrationPlan plan;
        TorchCheckpoint planned = TorchCheckpoint.open(file);
        try {
            refuseDangerousInput(file, planned);
            plan = planning.apply(CheckpointRecords.of(file, planned));
            if (!plan.compatible()) {
                throw new IncompatibleCheckpointException(file, plan.incompatibility());
            }
            if (!plan.blockers().isEmpty()) {
                throw new IncompatibleCheckpointException(file, String.join("; ", plan.blockers()));
            }
            plan.changedSignatures().forEach(name -> warnings.add("migration " + name
                    + " ran on this checkpoint with code that has changed since (its signature differs); re-run it if you can"));
            if (plan.operations().isEmpty() && plan.baseline().isEmpty()) {
                return new MigrationReport(file, plan, List.of("already up to date"), null, false, warnings, null);
            }
            Relocation relocation = planner.relocation(plan.operations());
            if (relocation.isEmpty()) {
                // Nothing moves, so the tree read to plan is the tree to migrate: the file is parsed once
                return migrate(file, planned, plan, warnings);
            }
            planned.close();
            try (TorchCheckpoint archive = TorchCheckpoint.open(file, new PickleReader().withRelocation(relocation))) {
                // The plan was made from what the file held then; it must still hold that.
                planned.identity().checkUnchanged(file);
                Set<String> relocatedIntoDanger = archive.addedDangerousGlobals();
                if (!relocatedIntoDanger.isEmpty()) {
                    throw new IncompatibleCheckpointException(file, "the setups of the planned operations (their module and class"
                            + " moves, or those a record's setup_context declares) would make it name globals that run code when it is"
                            + " loaded: " + described(relocatedIntoDanger) + "; refused (the checkpoint was not changed)");
                }
                return migrate(file, archive, plan, warnings);
            }
        } finally {
            planned.close();
        }
    }

    /** Runs the plan's baseline stamps and operations on the open archive, then writes it. */
    private MigrationReport migrate(Path file, TorchCheckpoint archive, MigrationPlan plan, List<String> warnings) throws IOException {
        List<String> lines = new ArrayList<>();
        if (!plan.baseline().isEmpty()) {
            CheckpointRecords records = CheckpointRecords.of(file, archive);
            stamp(records, plan.baseline().stream().map(Operation::migration).toList()).forEach(line -> lines.add(line + " (baseline " + options.recordless().baseline() + ")"));
            records.save();
        }
        for (Operation op : plan.operations()) {
            runOperation(file, archive, op);
            lines.add(op.describe());
        }
        return finish(file, archive, plan, lines, warnings, plan.registered());
    }

    private void runOperation(Path file, TorchCheckpoint archive, Operation op) throws IOException {
        Checkpoint checkpoint = Checkpoint.of(archive);
        boolean dictRoot = CheckpointRecords.keepsRecordsInTree(archive.root());
        String what = op.type() == Operation.Type.MIGRATE ? "migration" : "rollback of";
        try {
            if (op.type() == Operation.Type.MIGRATE) {
                op.migration().newInstance().migrate(checkpoint);
            } else if (op.usesEmbeddedRollback()) {
                // Loading runs the embedded classes' initializers: inside the budget too.
                EmbeddedRun.run(op.name().toString(), options.embeddedTimeout(), () -> reversible(op).rollback(checkpoint));
            } else {
                reversible(op).rollback(checkpoint);
            }
        } catch (UntrustedRollbackException e) {
            throw e;
        } catch (EmbeddedRun.Failed e) {
            if (e.getCause() instanceof UntrustedRollbackException refused) {
                throw refused;
            }
            throw MigrationFailedException.leftBroken(file, op.name().toString(), what, "failed: " + e.getMessage(), null);
        } catch (EmbeddedRun.OverBudget e) {
            throw MigrationFailedException.leftBroken(file, op.name().toString(), what, e.getMessage(), null);
        } catch (Exception | LinkageError | AssertionError e) {
            // Errors a migration's own code raises (a failed assert, a class missing at run time) name it too.
            throw new MigrationFailedException(file, op.name().toString(), what, e);
        }
        checkLeftWritable(file, archive, op, what, dictRoot);
        CheckpointRecords records = CheckpointRecords.of(file, archive);
        if (op.type() == Operation.Type.MIGRATE) {
            records.append(op.migration(), options.appKey(), options.nextVersion(), embeddedRollback(op.migration()));
            records.addHistory("migrate", op.name().toString(), op.migration().signature());
        } else {
            records.removeLast(op.name().toString());
            records.addHistory("rollback", op.name().toString(), op.record().signature());
        }
        records.save();
    }

    /** Blames the operation that left a dict root as something else (its records live there), or a value that cannot be pickled. */
    private static void checkLeftWritable(Path file, TorchCheckpoint archive, Operation op, String what, boolean dictRoot) {
        Object root = archive.root();
        if (dictRoot && !(root instanceof Map)) {
            throw MigrationFailedException.leftBroken(file, op.name().toString(), what, "left the checkpoint's root as "
                    + (root == null ? "null (Python None)" : "a " + PythonTypes.name(root)) + "; it must stay a dict", null);
        }
        Set<String> added;
        try {
            added = GlobalSafety.dangerousAmong(TorchCheckpoint.globalsOf(root));
        } catch (PickleException e) {
            throw MigrationFailedException.leftBroken(file, op.name().toString(), what,
                    "left a value that cannot be written: " + e.getMessage(), e);
        }
        // The setups' relocation was checked when the file was read: what is new now, this operation put there.
        added.removeAll(archive.globalsAtOpen());
        if (!added.isEmpty()) {
            throw MigrationFailedException.leftBroken(file, op.name().toString(), what,
                    "added globals that run code when the checkpoint is loaded: " + described(added), null);
        }
    }

    /**
     * A checkpoint that already names globals that can run code when unpickled may be an attack:
     * apply does not write it back unless the user says they trust it.
     */
    private void refuseDangerousInput(Path file, TorchCheckpoint archive) {
        Set<String> dangerous = GlobalSafety.dangerousAmong(archive.globalsAtOpen());
        if (!dangerous.isEmpty() && !options.allowDangerousGlobals()) {
            throw new IncompatibleCheckpointException(file, "it names globals that run code when torch.load unpickles it: "
                    + described(dangerous) + ". It may be a malicious file; ckpt does not write it back"
                    + " (allowDangerousGlobals / -Dcheckpoint.allowDangerousGlobals=true if you trust it); the checkpoint was not changed");
        }
    }

    /** Each global with why it is dangerous. */
    static String described(Set<String> globals) {
        return globals.stream().map(GlobalSafety::described).collect(java.util.stream.Collectors.joining(", "));
    }

    private Reversible reversible(Operation op) {
        if (!op.usesEmbeddedRollback()) {
            return (Reversible) op.migration().newInstance();
        }
        // A dry run never runs unchecked code: trust applies to runs that write.
        return EmbeddedRollback.load(op.record().rollback(), options.trustEmbeddedRollbacks() && !options.dryRun());
    }

    /** The rollback a record of {@code migration} carries: its class bytes when it is reversible. */
    static Object embeddedRollback(MigrationDescriptor migration) {
        return migration.isReversible() ? EmbeddedRollback.capture(migration.type()) : null;
    }

    /** Checks placeholders, then writes (unless a dry run) with the backup made just before the rename. */
    private MigrationReport finish(Path file, TorchCheckpoint archive, MigrationPlan plan, List<String> lines,
                                   List<String> warnings, List<MigrationRecord> before) throws IOException {
        List<String> placeholders = Placeholders.find(archive.root()).stream()
                .map(found -> found + deletedBy(found.reference(), plan.operations())).toList();
        if (!placeholders.isEmpty()) {
            if (options.strictPlaceholders()) {
                throw new IncompatibleCheckpointException(file, "placeholders for deleted classes are left (strict mode): "
                        + placeholders + " (the checkpoint was not changed)");
            }
            warnings.add("placeholders for deleted classes are left and will be written as plain dicts (key __ckpt_placeholder__): " + placeholders);
        }
        warnings.addAll(archive.weightsOnlyRegressions());
        if (options.dryRun()) {
            return new MigrationReport(file, plan, lines, null, false, warnings, null);
        }
        if (options.backup()) {
            backupDirectory(file);  // refuse a planted link before writing gigabytes, and again when linking
        }
        Path[] backup = {null};
        RewriteSummary rewrite;
        try {
            rewrite = archive.write(file, new PickleWriter(), () -> {
                if (options.backup()) {
                    backup[0] = keepOriginal(file, before);
                }
            }, (written, total) -> options.progress().written(file, written, total),
                    options.compact() ? RewriteMode.COMPACT : RewriteMode.CLONE_UNCHANGED);
        } catch (IOException | RuntimeException e) {
            if (backup[0] != null) {
                Files.deleteIfExists(backup[0]);  // ours only: whatever stood at the name before is not touched
            }
            throw e;
        }
        return new MigrationReport(file, plan, lines, backup[0], true, warnings, rewrite);
    }

    /** Which operation's setup deleted a class, followed through the moves of the setups before it. */
    private String deletedBy(PyGlobal original, List<Operation> operations) {
        PyGlobal current = original;
        for (Operation op : operations) {
            current = planner.relocation(op).relocate(current.module(), current.name());
            if (current.isDeleted()) {
                String what = op.type() == Operation.Type.MIGRATE ? "migration" : "rollback of";
                return " (deleted by the setup of " + what + " " + op.name() + ")";
            }
        }
        return "";
    }

    /**
     * Where the original is kept: {@code <stem>-v<version>-<count><ext>.bak} (the reference's name,
     * {@code <stem>-v<count>} without records, then {@code .bak} so no checkpoint pattern matches it)
     * in the backup directory, made unique (the directory is created just before the link). A symbolic link
     * there is refused, since whoever can write beside the checkpoint could point it anywhere.
     */
    private Path backupPath(Path file, List<MigrationRecord> records) throws IOException {
        Path directory = backupDirectory(file);
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot) : "";
        String version = records.isEmpty() ? null : fileNameSafe(records.get(records.size() - 1).appVersion(options.appKey()));
        String base = stem + "-v" + (version == null ? "" : version + "-") + records.size();
        Path candidate = directory.resolve(base + ext + BACKUP_SUFFIX);
        for (int n = 2; Files.exists(candidate, LinkOption.NOFOLLOW_LINKS); n++) {
            if (n > MAX_BACKUP_SUFFIX) {
                throw new IOException(file + ": " + MAX_BACKUP_SUFFIX + " backups named " + base + ".N" + ext + BACKUP_SUFFIX
                        + " already exist in " + directory + "; remove some (the checkpoint was not changed)");
            }
            candidate = directory.resolve(base + "." + n + ext + BACKUP_SUFFIX);
        }
        return candidate;
    }

    private Path backupDirectory(Path file) throws IOException {
        Path directory = file.toAbsolutePath().getParent().resolve(options.backupDirectory()).normalize();
        if (Files.isSymbolicLink(directory)) {
            throw new IOException(file + ": the backup directory " + directory + " is a symbolic link; refused (set the"
                    + " backup directory to where it points if that is meant; the checkpoint was not changed)");
        }
        if (Files.exists(directory, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(file + ": the backup directory " + directory + " is not a directory (the checkpoint was not changed)");
        }
        return directory;
    }

    /**
     * A version read from the checkpoint's own records, as a part of a file name: the file may
     * come from a stranger, so only letters, digits, '.', '_', '+' and '-' are kept (others become
     * '_'), never a leading dot, at most 40 characters; null when nothing is left.
     */
    static String fileNameSafe(String version) {
        if (version == null) {
            return null;
        }
        String safe = version.replaceAll("[^A-Za-z0-9._+-]", "_").replaceAll("^[.]+", "");
        safe = safe.substring(0, Math.min(safe.length(), 40));
        return safe.isEmpty() ? null : safe;
    }

    /**
     * Keeps the original under a free backup name, durably (the link's directory synced, a copy
     * forced to disk), just before the rename. A name another run took since it was chosen makes
     * this take the next one.
     */
    private Path keepOriginal(Path file, List<MigrationRecord> records) throws IOException {
        for (int attempt = 1; ; attempt++) {
            Path backup = backupPath(file, records);
            Path directory = backup.getParent();
            Files.createDirectories(directory);
            backupDirectory(file);  // nothing was planted there since the check before writing
            try {
                linkOrCopy(file, backup);
            } catch (FileAlreadyExistsException taken) {
                if (attempt == MAX_NAME_ATTEMPTS) {
                    throw taken;
                }
                continue;
            }
            AtomicFile.syncDirectory(directory);
            AtomicFile.syncDirectory(directory.getParent());
            return backup;
        }
    }

    /** A hard link keeps the original bytes without copying them; a copy (forced to disk) only where links are impossible. */
    private static void linkOrCopy(Path file, Path backup) throws IOException {
        try {
            Files.createLink(backup, file);
        } catch (FileAlreadyExistsException taken) {
            throw taken;
        } catch (UnsupportedOperationException | FileSystemException e) {
            Files.copy(file, backup);
            try (FileChannel copy = FileChannel.open(backup, StandardOpenOption.WRITE)) {
                copy.force(true);
            }
        }
    }
}
