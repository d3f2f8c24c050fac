package dev.ckpt.testing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code loops} entry of a Lightning 2.6.6 checkpoint saved after {@code Trainer.fit} ran one
 * step (one batch, one epoch, no validation): each loop's progress counters, as
 * {@code _CheckpointConnector.dump_checkpoint} writes them and a resumed fit reads them back.
 */
final class LightningLoops {
    /** A progress record counts a prefix of these, e.g. only ready and completed for an optimizer step. */
    private static final List<String> COUNTERS = List.of("ready", "completed", "started", "processed");

    private LightningLoops() {
    }

    static Map<Object, Object> afterOneStep() {
        Map<Object, Object> loops = new LinkedHashMap<>();
        loops.put("fit_loop", fitLoop());
        loops.put("validate_loop", evaluationLoop());
        loops.put("test_loop", evaluationLoop());
        loops.put("predict_loop", entries("state_dict", new LinkedHashMap<>(), "batch_progress", progress(0, 4)));
        return loops;
    }

    private static Map<Object, Object> fitLoop() {
        Map<Object, Object> optimizer = entries("step", progress(1, 2), "zero_grad", progress(1, 3));
        return entries(
                "state_dict", new LinkedHashMap<>(),
                "epoch_loop.state_dict", entries("_batches_that_stepped", 1L),
                "epoch_loop.batch_progress", batchProgress(1, true),
                "epoch_loop.scheduler_progress", progress(0, 2),
                "epoch_loop.automatic_optimization.state_dict", new LinkedHashMap<>(),
                "epoch_loop.automatic_optimization.optim_progress", entries("optimizer", optimizer),
                "epoch_loop.manual_optimization.state_dict", new LinkedHashMap<>(),
                "epoch_loop.manual_optimization.optim_step_progress", progress(0, 2),
                "epoch_loop.val_loop.state_dict", new LinkedHashMap<>(),
                "epoch_loop.val_loop.batch_progress", batchProgress(0, false),
                "epoch_progress", progress(1, 4));
    }

    private static Map<Object, Object> evaluationLoop() {
        return entries("state_dict", new LinkedHashMap<>(), "batch_progress", batchProgress(0, false));
    }

    private static Map<Object, Object> batchProgress(long count, boolean lastBatch) {
        Map<Object, Object> progress = progress(count, 4);
        progress.put("is_last_batch", lastBatch);
        return progress;
    }

    /** {@code {"total": {...}, "current": {...}}}, both counting {@code count} for the first {@code counters} counters. */
    private static Map<Object, Object> progress(long count, int counters) {
        return entries("total", counts(count, counters), "current", counts(count, counters));
    }

    private static Map<Object, Object> counts(long count, int counters) {
        Map<Object, Object> counts = new LinkedHashMap<>();
        COUNTERS.subList(0, counters).forEach(name -> counts.put(name, count));
        return counts;
    }

    /** A new mutable dict of alternating keys and values. */
    private static Map<Object, Object> entries(Object... keysAndValues) {
        Map<Object, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
