package dev.ckpt.report;

import dev.ckpt.engine.MigrationSet;
import dev.ckpt.engine.MigratorOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * The report of a directory of checkpoints against a code base's migrations: one
 * {@link ReportEntry} per file, in the order given. Reading only: no file is changed.
 *
 * @param directory the directory the files are named relative to
 * @param title     what the page is headed with (the project's name, say)
 * @param generated when the report was made (ages are measured from it)
 */
public record DirectoryReport(Path directory, String title, Instant generated, List<ReportEntry> entries) {
    /** How deep {@link TensorSizes} groups state-dict keys: {@code model.encoder}, {@code model.head}. */
    public static final int MODULE_DEPTH = dev.ckpt.inspect.StateDictModule.SEGMENTS;

    /** Examines each file; a file that cannot be read is an entry with status {@link CheckpointStatus#FAILED}. */
    public static DirectoryReport of(Path directory, List<Path> files, MigrationSet migrations, MigratorOptions options, String title,
                                     Clock clock) {
        CheckpointSurvey survey = new CheckpointSurvey(migrations, options, MODULE_DEPTH, clock);
        Path base = directory.toAbsolutePath().normalize();
        List<ReportEntry> entries = files.stream().map(file -> survey.examine(base, file.toAbsolutePath().normalize())).toList();
        return new DirectoryReport(base, title, clock.instant(), entries);
    }

    /** Every status with its count, in the enum's order, zeros included. */
    public List<StatusCount> summary() {
        return Arrays.stream(CheckpointStatus.values())
                .map(status -> new StatusCount(status, entries.stream().filter(e -> e.status() == status).count()))
                .toList();
    }
}
