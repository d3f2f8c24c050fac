package dev.ckpt.inspect;

/**
 * What {@code show} lists: the values of the tree down to {@code depth} steps below the root
 * (tensors, configs and numpy arrays are listed at any depth), and only the paths {@code filter}
 * matches.
 */
public record ShowOptions(int depth, PathGlob filter) {
    /** Deep enough for Lightning's root keys and their first levels. */
    public static final int DEFAULT_DEPTH = 3;
    /** The walk keeps one frame per level, so any depth is safe; this only bounds the output. */
    public static final int MAX_DEPTH = 10_000;

    public ShowOptions {
        if (depth < 0 || depth > MAX_DEPTH) {
            throw new IllegalArgumentException("depth must be 0 to " + MAX_DEPTH + ", not " + depth);
        }
        if (filter == null) {
            filter = PathGlob.any();
        }
    }

    public static ShowOptions defaults() {
        return new ShowOptions(DEFAULT_DEPTH, PathGlob.any());
    }
}
