package dev.ckpt.plugin;

import dev.ckpt.engine.MigratorOptions;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.apache.maven.plugin.logging.Log;

/**
 * Progress lines for long rewrites, as Maven prints long transfers: nothing for a rewrite that ends
 * within {@link #QUIET_NANOS}, then a line every {@link #EVERY_NANOS} with the percentage, the bytes
 * written and the rate: {@code last.ckpt: 45% (460.0 MB of 1.0 GB, 210.3 MB/s)}. Files rewritten in
 * parallel each get their own lines.
 */
final class ProgressLog implements MigratorOptions.Progress {
    static final long QUIET_NANOS = 3_000_000_000L;
    static final long EVERY_NANOS = 2_000_000_000L;

    /** When a file's rewrite started and when its last line was printed. */
    private static final class Started {
        final long at;
        long printed;

        Started(long at) {
            this.at = at;
            this.printed = at + QUIET_NANOS - EVERY_NANOS;
        }
    }

    private final Log log;
    private final Function<Path, String> display;
    private final LongSupplier clock;
    private final Map<Path, Started> running = new ConcurrentHashMap<>();

    ProgressLog(Log log, Function<Path, String> display) {
        this(log, display, System::nanoTime);
    }

    ProgressLog(Log log, Function<Path, String> display, LongSupplier clock) {
        this.log = log;
        this.display = display;
        this.clock = clock;
    }

    @Override
    public void written(Path file, long written, long total) {
        long now = clock.getAsLong();
        Started started = running.computeIfAbsent(file, f -> new Started(now));
        if (written >= total) {
            running.remove(file);
        }
        if (now - started.printed < EVERY_NANOS) {
            return;
        }
        started.printed = now;
        double seconds = Math.max(now - started.at, 1) / 1e9;
        log.info(String.format(Locale.ROOT, "  %s: %d%% (%s of %s, %s/s)", display.apply(file),
                total <= 0 ? 100 : Math.min(100, written * 100 / total), Sizes.human(written), Sizes.human(total),
                Sizes.human((long) (written / seconds))));
    }
}
