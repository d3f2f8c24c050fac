package dev.ckpt.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Progress lines: none for a short rewrite, then one every two seconds with percent, bytes and rate. */
class ProgressLogTest {
    private long now;
    private final RecordingLog log = new RecordingLog();
    private final ProgressLog progress = new ProgressLog(log, Path::toString, () -> now);

    @Test
    void aRewriteThatEndsWithinThreeSecondsPrintsNothing() {
        Path file = Path.of("last.ckpt");
        progress.written(file, 0, 1_000_000_000);
        now = 2_900_000_000L;
        progress.written(file, 1_000_000_000, 1_000_000_000);
        assertEquals(List.of(), log.lines);
    }

    @Test
    void aLongRewritePrintsPercentBytesAndRateEveryTwoSeconds() {
        Path file = Path.of("last.ckpt");
        progress.written(file, 0, 2_000_000_000);
        now = 3_000_000_000L;
        progress.written(file, 600_000_000, 2_000_000_000);
        now = 4_000_000_000L;
        progress.written(file, 800_000_000, 2_000_000_000);   // within two seconds of the last line
        now = 5_000_000_000L;
        progress.written(file, 1_000_000_000, 2_000_000_000);
        assertEquals(List.of("[info]   last.ckpt: 30% (600.0 MB of 2.0 GB, 200.0 MB/s)",
                "[info]   last.ckpt: 50% (1.0 GB of 2.0 GB, 200.0 MB/s)"), log.lines);
    }
}
