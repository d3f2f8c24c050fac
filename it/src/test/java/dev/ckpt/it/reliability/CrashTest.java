package dev.ckpt.it.reliability;

import static dev.ckpt.it.reliability.FaultCheckpoints.sha256;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ckpt.engine.MigratorOptions;
import dev.ckpt.io.AtomicFile;
import dev.ckpt.io.CheckpointLock;
import dev.ckpt.it.reliability.CrashTally.Phase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 at any moment of an apply never leaves a partial checkpoint. An {@link ApplyProcess}
 * migrating a ~300 MB torch.save checkpoint is killed with SIGKILL after a seeded random delay:
 * half of the runs anywhere from the start to a quarter past the calibrated end (run times
 * drift, and the moments after the rename must be hit too), half while the temp file is being
 * written: from the moment it appears, within the write window measured by an uninterrupted
 * calibration run that polls the directory. After every kill
 * the target holds the original bytes (sha-256) or a complete migrated checkpoint that the real
 * torch.load reads ({@code checkpoints.py check}); every backup holds the original bytes; the
 * directory holds nothing but the target, the backup directory, the lock file and temp files named as the
 * next run recognises them. The next, uninterrupted run succeeds, names and removes those temp
 * files, and leaves a migrated checkpoint with no temp file and no lock file. The tally goes to
 * stdout and {@code target/reliability/crash.txt}.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CrashTest {
    private static final long SEED = 20261128L;
    private static final int RUNS = 36;
    /** The uniform kills land in [0, this x the calibrated run time]. */
    private static final double UNIFORM_SPAN = 1.25;
    private static final int MEGABYTES = 300;
    /** Kills that must land while the temp file exists, so the dangerous phase is really covered. */
    private static final int MIN_KILLS_DURING_WRITE = 10;
    private static final int SIGKILL_EXIT = 128 + 9;
    private static final long PROCESS_LIMIT_SECONDS = 60;
    private static final String TARGET = "a.ckpt";
    private static final Pattern TARGET_NAME = Pattern.compile(Pattern.quote(TARGET));
    private static final Pattern TEMP = Pattern.compile(Pattern.quote("." + TARGET + ".") + "\\d+" + Pattern.quote(AtomicFile.TEMP_SUFFIX));
    private static final Pattern BACKUP = Pattern.compile("a-v0(\\.\\d+)?\\.ckpt\\.bak");
    private static final Pattern BACKUP_DIRECTORY = Pattern.compile(Pattern.quote(MigratorOptions.DEFAULT_BACKUP_DIRECTORY));
    private static final Pattern LOCK = Pattern.compile(Pattern.quote("." + TARGET + CheckpointLock.LOCK_SUFFIX));
    private static final Path REPORTS = Path.of("target", "reliability");

    @TempDir
    Path dir;

    private Path pristine;
    private String pristineSha;
    private Path work;
    private Path target;
    private CrashChecker checker;

    /** Since the start of the calibration run: when its temp file appeared, was renamed, and the run ended. */
    private record Calibration(long tempNanos, long renameNanos, long totalNanos) {
        long windowNanos() {
            return renameNanos - tempNanos;
        }
    }

    @Test
    void aKilledApplyLeavesTheOriginalOrTheMigratedCheckpointAndTheNextRunCleansUp() throws Exception {
        long began = System.nanoTime();
        pristine = dir.resolve("pristine.ckpt");
        FaultCheckpoints.make(pristine, MEGABYTES);
        pristineSha = sha256(pristine);
        work = workDirectory(dir);
        target = work.resolve(TARGET);
        CrashTally tally = new CrashTally();
        Calibration calibration;
        try (CrashChecker started = new CrashChecker(FaultCheckpoints.manifest(pristine),
                dir.resolve("checker.log"))) {
            checker = started;
            calibration = calibrate();
            Random random = new Random(SEED);
            for (int number = 1; number <= RUNS; number++) {
                boolean aimedAtWrite = number % 2 == 0;
                double fraction = random.nextDouble();
                // Aimed kills count from the moment this run's temp file appears: run times drift by more than the window.
                long delay = aimedAtWrite
                        ? (long) (fraction * calibration.windowNanos())
                        : (long) (fraction * calibration.totalNanos() * UNIFORM_SPAN);
                CrashTally.Run run = new CrashTally.Run(number, aimedAtWrite, millis(delay));
                try {
                    killAndRecover(run, delay);
                } catch (AssertionError e) {
                    run.failure = e.getMessage();
                }
                tally.add(run);
                System.out.println(run.row());
            }
        }

        String table = tally.table(String.format("kill -9 during apply: %d MB checkpoint on %s, seed %d; calibration run: temp file"
                        + " at %d ms, renamed at %d ms, ended at %d ms; test took %d s", MEGABYTES, Files.getFileStore(work).type(), SEED,
                millis(calibration.tempNanos()), millis(calibration.renameNanos()), millis(calibration.totalNanos()),
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - began)));
        System.out.print(table);
        Files.createDirectories(REPORTS);
        Files.writeString(REPORTS.resolve(reportName()), table);
        assertEquals(List.of(), tally.failures());
        assertTrue(tally.count(Phase.DURING_WRITE) >= MIN_KILLS_DURING_WRITE, "only " + tally.count(Phase.DURING_WRITE)
                + " kills landed while the temp file existed, expected at least " + MIN_KILLS_DURING_WRITE);
    }

    /** Where the checkpoint is migrated and killed: a directory on the file system under test. */
    protected Path workDirectory(Path scratch) throws Exception {
        return Files.createDirectory(scratch.resolve("work"));
    }

    /** The tally's file in target/reliability. */
    protected String reportName() {
        return "crash.txt";
    }

    /**
     * Two uninterrupted runs; the second (its JVM's class files and the checkpoint already in the
     * page cache, like the runs that follow) is timed by polling the directory every ~2 ms.
     */
    private Calibration calibrate() throws Exception {
        Calibration calibration = null;
        for (int i = 0; i < 2; i++) {
            clear(work);
            Files.copy(pristine, target);
            Object original = fileKey(target);
            long start = System.nanoTime();
            Process apply = startApply();
            long temp = -1;
            long rename = -1;
            try {
                while (apply.isAlive()) {
                    long now = System.nanoTime() - start;
                    boolean tempExists = !matching(TEMP).isEmpty();
                    if (tempExists && temp < 0) {
                        temp = now;
                    } else if (!tempExists && temp >= 0 && rename < 0 && !original.equals(fileKey(target))) {
                        rename = now;
                    }
                    Thread.sleep(2);
                }
            } finally {
                apply.destroyForcibly();
            }
            long total = System.nanoTime() - start;
            assertEquals(0, apply.exitValue(), Files.readString(log()));
            assertTrue(temp >= 0 && rename > temp, "the temp file (" + temp + " ns) and the rename (" + rename + " ns) were not seen");
            assertEquals("migrated", checker.check(target));
            calibration = new Calibration(temp, rename, total);
        }
        return calibration;
    }

    private void killAndRecover(CrashTally.Run run, long delayNanos) throws Exception {
        clear(work);
        Files.copy(pristine, target);
        Object original = fileKey(target);
        long start = System.nanoTime();
        Process apply = startApply();
        if (run.aimedAtWrite) {
            start = awaitTempFile(apply);
        }
        for (long left = delayNanos; left > 0; left = start + delayNanos - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
        apply.destroyForcibly();
        assertTrue(apply.waitFor(PROCESS_LIMIT_SECONDS, TimeUnit.SECONDS), "the killed apply did not end");
        // Dead now: the directory holds exactly what the apply had done when the kill landed.
        List<Path> temps = matching(TEMP);
        run.tempsLeft = temps.size();
        assertTrue(Files.isRegularFile(target), "no file at the target");
        if (apply.exitValue() == 0) {
            run.phase = Phase.FINISHED;
        } else {
            assertEquals(SIGKILL_EXIT, apply.exitValue(), "exit value of the killed apply: " + Files.readString(log()));
            run.phase = !temps.isEmpty() ? Phase.DURING_WRITE
                    : original.equals(fileKey(target)) ? Phase.BEFORE_TEMP : Phase.AFTER_RENAME;
        }
        assertOnly(TARGET_NAME, BACKUP_DIRECTORY, TEMP, LOCK);
        if (pristineSha.equals(sha256(target))) {
            run.outcome = "original";
        } else {
            assertEquals("migrated", checker.check(target), "the target after the kill is not the original bytes");
            run.outcome = "migrated";
        }
        for (Path backup : backups()) {
            assertTrue(BACKUP.matcher(backup.getFileName().toString()).matches(), "not a backup: " + backup);
            assertEquals(pristineSha, sha256(backup), backup.getFileName() + " does not hold the original bytes");
        }

        Process next = startApply();
        try {
            assertTrue(next.waitFor(PROCESS_LIMIT_SECONDS, TimeUnit.SECONDS), "the next run did not end");
        } finally {
            next.destroyForcibly();
        }
        String output = Files.readString(log());
        assertEquals(0, next.exitValue(), "the next run failed: " + output);
        assertEquals("migrated", checker.check(target), "the target after the next run");
        assertEquals(List.of(), matching(TEMP), "temp files after the next run; its output: " + output);
        assertEquals(List.of(), matching(LOCK), "a lock file after the next run");
        for (Path temp : temps) {
            assertTrue(output.contains("WARNING removed") && output.contains(temp.getFileName().toString()),
                    "the next run did not report removing " + temp.getFileName() + ": " + output);
        }
        run.tempsCleaned = !temps.isEmpty();
    }

    /** Spins until the apply's temp file exists (or the apply ended); returns that moment. */
    private long awaitTempFile(Process apply) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PROCESS_LIMIT_SECONDS);
        while (matching(TEMP).isEmpty() && apply.isAlive()) {
            assertTrue(System.nanoTime() < deadline, "no temp file after " + PROCESS_LIMIT_SECONDS + " s");
            Thread.onSpinWait();
        }
        return System.nanoTime();
    }

    private Process startApply() throws IOException {
        return ApplyProcesses.apply(Map.of(), List.of(target.toString()))
                .redirectErrorStream(true).redirectOutput(log().toFile()).start();
    }

    /** The output of the latest apply, kept outside the directory under test. */
    private Path log() {
        return dir.resolve("process.log");
    }

    /** Nothing but the expected names: a partial file under any other name would fail here. */
    private void assertOnly(Pattern... allowed) throws IOException {
        try (Stream<Path> files = Files.list(work)) {
            List<String> unknown = files.map(f -> f.getFileName().toString())
                    .filter(name -> Stream.of(allowed).noneMatch(p -> p.matcher(name).matches())).toList();
            assertEquals(List.of(), unknown, "unrecognised files next to the target");
        }
    }

    private List<Path> matching(Pattern pattern) throws IOException {
        try (Stream<Path> files = Files.list(work)) {
            return files.filter(f -> pattern.matcher(f.getFileName().toString()).matches()).sorted().toList();
        }
    }

    /** Everything in the backup directory (none when it does not exist yet). */
    private List<Path> backups() throws IOException {
        Path directory = work.resolve(MigratorOptions.DEFAULT_BACKUP_DIRECTORY);
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.sorted().toList();
        }
    }

    /** Empties the directory (the backup directory too), so that a failed run cannot spoil the next one. */
    private static void clear(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.toList()) {
                if (Files.isDirectory(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    clear(file);
                }
                Files.delete(file);
            }
        }
    }

    /** The inode: the rename puts another file at the target. */
    private static Object fileKey(Path file) throws IOException {
        return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
