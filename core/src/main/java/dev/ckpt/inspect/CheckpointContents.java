package dev.ckpt.inspect;

import dev.ckpt.engine.CheckpointInspection;
import dev.ckpt.torch.GlobalSafety;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * What a checkpoint holds, as a reader wants to see it before writing a migration: its tensors
 * (path, dtype, shape, bytes) with totals per module, its OmegaConf configs as plain values, its
 * numpy arrays, the other values of its tree down to a depth, the Python globals it names, and
 * its migration records. Read without running anything and without reading any tensor's data.
 *
 * @param format     {@code zip archive}, {@code legacy file (pre-1.6)} or {@code pickle}
 * @param tensors    the first 10,000 tensors in the tree's order
 * @param unlistedTensors the tensors after those, counted in the totals only
 * @param totals     all the tensors grouped by module ({@link ModuleTotals})
 * @param migrations the records and history, or null for a plain pickle (which cannot hold them)
 */
public record CheckpointContents(Path file, String format, List<TensorEntry> tensors, int unlistedTensors, List<ModuleTotal> totals,
        List<ConfigEntry> configs, List<ArrayEntry> arrays, List<ValueEntry> values, List<GlobalUse> globals,
        CheckpointInspection migrations) {

    /**
     * A tensor or parameter; {@code bytes} is numel times the element size; {@code in} and
     * {@code module} the {@link ModuleTotal} it counts in.
     */
    public record TensorEntry(ReadablePath path, String dtype, List<Long> shape, long bytes, boolean parameter, String in, String module) {
    }

    /** The tensors under {@code in} whose key starts with {@code module} (empty: all of them). */
    public record ModuleTotal(String in, String module, int tensors, long bytes) {
    }

    /** A DictConfig or ListConfig, as {@code OmegaConf.to_container(cfg, resolve=False)} gives it. */
    public record ConfigEntry(ReadablePath path, String type, Object plain) {
    }

    /** A numpy array; {@code dtype} as numpy's {@code dtype.str} ({@code <f8}). */
    public record ArrayEntry(ReadablePath path, String dtype, List<Long> shape) {
    }

    /** One value of the tree, {@code depth} steps below the root, as one line of text. */
    public record ValueEntry(ReadablePath path, int depth, String text) {
    }

    /** A global the file names, how often the tree refers to it, and what unpickling it can do. */
    public record GlobalUse(String name, int references, GlobalSafety.Kind safety) {
    }

    /** Reads {@code file}: a torch.save checkpoint (zip or legacy) or a plain pickle. */
    public static CheckpointContents read(Path file, ShowOptions options) throws IOException {
        return ContentsReader.read(file, options);
    }

    /** All the tensors, listed or not. */
    public long tensorCount() {
        return totals.stream().mapToLong(ModuleTotal::tensors).sum();
    }

    /** The bytes of all the tensors, listed or not. */
    public long totalBytes() {
        return totals.stream().mapToLong(ModuleTotal::bytes).sum();
    }

    /** Whether a listed path leaves steps or characters out ({@link ReadablePath#isElided}). */
    public boolean hasElidedPaths() {
        return tensors.stream().anyMatch(t -> t.path().isElided()) || values.stream().anyMatch(v -> v.path().isElided())
                || configs.stream().anyMatch(c -> c.path().isElided()) || arrays.stream().anyMatch(a -> a.path().isElided());
    }

    /** The text {@code show} prints. */
    public String text() {
        return ContentsText.of(this);
    }

    /** The same as {@link #text()}, for tools. */
    public String json() {
        return ContentsJson.of(this);
    }
}
