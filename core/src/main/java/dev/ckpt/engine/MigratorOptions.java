package dev.ckpt.engine;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How the {@link Migrator} runs. Immutable: each {@code with...} returns a changed copy.
 *
 * <ul>
 *   <li>{@code nextVersion}: the version that replaces {@code %NEXT_VERSION%}</li>
 *   <li>{@code appKey}: the key of the application version in each record's {@code versions}; records
 *       naming only other applications are refused, never rolled back</li>
 *   <li>{@code backup}: keep the original (a hard link) in {@code backupDirectory}</li>
 *   <li>{@code backupDirectory}: where backups go, relative to each checkpoint's directory or absolute
 *       (default {@value #DEFAULT_BACKUP_DIRECTORY})</li>
 *   <li>{@code dryRun}: plan and run everything in memory, write nothing</li>
 *   <li>{@code trustEmbeddedRollbacks}: run embedded rollbacks without the bytecode allow-list check</li>
 *   <li>{@code strictPlaceholders}: fail when a deleted-class placeholder is left in the result</li>
 *   <li>{@code lockTimeout}: how long to wait for another process's lock on the same checkpoint
 *       ({@link Duration#ZERO}: refuse at once)</li>
 *   <li>{@code embeddedTimeout}: the wall-clock budget of one embedded rollback (code from the checkpoint)</li>
 *   <li>{@code allowDangerousGlobals}: write back a checkpoint that already names globals that can run
 *       code when unpickled ({@code os.system}, {@code builtins.eval}, ...); nothing may ever add one</li>
 *   <li>{@code recordless}: what apply does with a checkpoint that has no migration records</li>
 *   <li>{@code progress}: told how far each rewrite is (file, bytes written, bytes expected)</li>
 *   <li>{@code compact}: write every record anew (no dead bytes, every copied byte CRC-checked) instead of
 *       taking over the unchanged start of the file ({@link dev.ckpt.torch.RewriteMode})</li>
 *   <li>{@code rollbackExtras}: roll back the migrations a checkpoint has and the code does not (the
 *       reference's sync); false refuses such a checkpoint instead</li>
 * </ul>
 */
public final class MigratorOptions {
    public static final String DEFAULT_APP_KEY = "application";
    public static final String DEFAULT_BACKUP_DIRECTORY = ".ckpt-backups";
    public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_EMBEDDED_TIMEOUT = Duration.ofSeconds(60);

    private String nextVersion;
    private String appKey = DEFAULT_APP_KEY;
    private boolean backup = true;
    private String backupDirectory = DEFAULT_BACKUP_DIRECTORY;
    private boolean dryRun;
    private boolean trustEmbeddedRollbacks;
    private boolean strictPlaceholders;
    private Duration lockTimeout = DEFAULT_LOCK_TIMEOUT;
    private Duration embeddedTimeout = DEFAULT_EMBEDDED_TIMEOUT;
    private boolean allowDangerousGlobals;
    private RecordlessPolicy recordless = RecordlessPolicy.REFERENCE;
    private boolean rollbackExtras = true;
    private boolean compact;
    private Progress progress = (file, written, total) -> { };

    /** How far the rewrite of one checkpoint is; called from the thread that writes it. */
    @FunctionalInterface
    public interface Progress {
        void written(Path file, long written, long total);
    }

    private MigratorOptions() {
    }

    public static MigratorOptions defaults(String nextVersion) {
        MigratorOptions options = new MigratorOptions();
        options.nextVersion = nextVersion;
        return options;
    }

    private MigratorOptions copy() {
        MigratorOptions copy = new MigratorOptions();
        copy.nextVersion = nextVersion;
        copy.appKey = appKey;
        copy.backup = backup;
        copy.backupDirectory = backupDirectory;
        copy.dryRun = dryRun;
        copy.trustEmbeddedRollbacks = trustEmbeddedRollbacks;
        copy.strictPlaceholders = strictPlaceholders;
        copy.lockTimeout = lockTimeout;
        copy.embeddedTimeout = embeddedTimeout;
        copy.allowDangerousGlobals = allowDangerousGlobals;
        copy.recordless = recordless;
        copy.rollbackExtras = rollbackExtras;
        copy.compact = compact;
        copy.progress = progress;
        return copy;
    }

    public String nextVersion() {
        return nextVersion;
    }

    public String appKey() {
        return appKey;
    }

    public boolean backup() {
        return backup;
    }

    public String backupDirectory() {
        return backupDirectory;
    }

    public boolean dryRun() {
        return dryRun;
    }

    public boolean trustEmbeddedRollbacks() {
        return trustEmbeddedRollbacks;
    }

    public boolean strictPlaceholders() {
        return strictPlaceholders;
    }

    public Duration lockTimeout() {
        return lockTimeout;
    }

    public Duration embeddedTimeout() {
        return embeddedTimeout;
    }

    public boolean allowDangerousGlobals() {
        return allowDangerousGlobals;
    }

    public RecordlessPolicy recordless() {
        return recordless;
    }

    public boolean rollbackExtras() {
        return rollbackExtras;
    }

    public boolean compact() {
        return compact;
    }

    public Progress progress() {
        return progress;
    }

    public MigratorOptions withProgress(Progress progress) {
        MigratorOptions copy = copy();
        copy.progress = Objects.requireNonNull(progress, "progress");
        return copy;
    }

    public MigratorOptions withAppKey(String appKey) {
        MigratorOptions copy = copy();
        copy.appKey = Objects.requireNonNull(appKey, "appKey");
        return copy;
    }

    public MigratorOptions withBackup(boolean backup) {
        MigratorOptions copy = copy();
        copy.backup = backup;
        return copy;
    }

    /** Where backups go: a directory relative to each checkpoint's own, or an absolute one. */
    public MigratorOptions withBackupDirectory(String directory) {
        if (directory == null || directory.isBlank()) {
            throw new IllegalArgumentException("the backup directory cannot be empty (turn backups off instead)");
        }
        MigratorOptions copy = copy();
        copy.backupDirectory = directory;
        return copy;
    }

    public MigratorOptions withDryRun(boolean dryRun) {
        MigratorOptions copy = copy();
        copy.dryRun = dryRun;
        return copy;
    }

    public MigratorOptions withTrustEmbeddedRollbacks(boolean trust) {
        MigratorOptions copy = copy();
        copy.trustEmbeddedRollbacks = trust;
        return copy;
    }

    public MigratorOptions withStrictPlaceholders(boolean strict) {
        MigratorOptions copy = copy();
        copy.strictPlaceholders = strict;
        return copy;
    }

    public MigratorOptions withAllowDangerousGlobals(boolean allow) {
        MigratorOptions copy = copy();
        copy.allowDangerousGlobals = allow;
        return copy;
    }

    public MigratorOptions withEmbeddedTimeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the embedded rollback budget must be positive: " + timeout);
        }
        MigratorOptions copy = copy();
        copy.embeddedTimeout = timeout;
        return copy;
    }

    public MigratorOptions withLockTimeout(Duration timeout) {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("the lock timeout cannot be negative: " + timeout);
        }
        MigratorOptions copy = copy();
        copy.lockTimeout = timeout;
        return copy;
    }

    public MigratorOptions withRecordless(RecordlessPolicy policy) {
        MigratorOptions copy = copy();
        copy.recordless = Objects.requireNonNull(policy, "policy");
        return copy;
    }

    public MigratorOptions withRollbackExtras(boolean rollbackExtras) {
        MigratorOptions copy = copy();
        copy.rollbackExtras = rollbackExtras;
        return copy;
    }

    public MigratorOptions withCompact(boolean compact) {
        MigratorOptions copy = copy();
        copy.compact = compact;
        return copy;
    }
}
