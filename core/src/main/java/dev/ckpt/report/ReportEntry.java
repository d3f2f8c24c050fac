package dev.ckpt.report;

import dev.ckpt.io.HumanSize;
import java.time.Duration;
import java.util.List;

/**
 * One checkpoint of the report: a row of the status table, its history and its module chart.
 *
 * @param file          the path relative to the report's directory
 * @param status        where it stands against the code
 * @param detail        why, in words: what is to run or to roll back, why it is incompatible, the read error
 * @param appVersion    the application version its newest record carries, or null
 * @param bytes         its size on disk
 * @param lastMigration the newest migration recorded in it, or null
 * @param age           how long ago it was last written (its modification time)
 * @param history       every migrate and rollback it went through, oldest first
 * @param modules       tensor bytes per module, largest first
 */
public record ReportEntry(String file, CheckpointStatus status, String detail, String appVersion, long bytes,
                          String lastMigration, Duration age, List<HistoryStep> history, List<ModuleSize> modules) {

    public String size() {
        return HumanSize.of(bytes);
    }

    /** {@code 42 s}, {@code 5 min}, {@code 3 h}, {@code 12 d}: the largest unit that fits. */
    public String ageText() {
        long seconds = Math.max(0, age.toSeconds());
        if (seconds < 60) {
            return seconds + " s";
        }
        if (seconds < 3600) {
            return seconds / 60 + " min";
        }
        if (seconds < 86400) {
            return seconds / 3600 + " h";
        }
        return seconds / 86400 + " d";
    }

    public ModuleChart chart() {
        return ModuleChart.of(modules);
    }
}
