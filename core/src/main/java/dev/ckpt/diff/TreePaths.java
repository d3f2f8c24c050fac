package dev.ckpt.diff;

import dev.ckpt.api.Node;

/** Readable paths, as {@link dev.ckpt.api.Checkpoint#node} reads them. */
final class TreePaths {
    /** What a key of an {@code OmegaConfView} path cannot hold: its paths read these as syntax. */
    private static final String NOT_IN_CONFIG_KEY = ".[]";

    private TreePaths() {
    }

    /** {@code parent.key}, or {@code parent["key.with.dots"]}. */
    static String child(String parent, Object key) {
        return join(parent, step(key));
    }

    /** A key as a path step: quoted when it has dots or brackets; an int key as its digits. */
    static String step(Object key) {
        return key instanceof String s ? Node.quote(s) : String.valueOf(key);
    }

    /** A path followed by a step (or a path) relative to it. */
    static String join(String parent, String step) {
        if (parent.isEmpty()) {
            return step;
        }
        return step.startsWith("[") ? parent + step : parent + "." + step;
    }

    /**
     * A config path one key deeper: OmegaConf's dotted form. A key the dotted form cannot address
     * (with a dot or bracket, or neither a string nor an int) is written as a quoted step in
     * brackets, which {@link #addressable} refuses.
     */
    static String configChild(String parent, Object key) {
        if (key instanceof String s && !s.isEmpty() && s.chars().noneMatch(c -> NOT_IN_CONFIG_KEY.indexOf(c) >= 0) || key instanceof Long) {
            return configIndex(parent, key);
        }
        String step = "[" + (key instanceof String s ? JavaLiterals.string(s) : String.valueOf(key)) + "]";
        return parent + step;
    }

    /** A config path one list index (or addressable key) deeper. */
    static String configIndex(String parent, Object index) {
        return parent.isEmpty() ? String.valueOf(index) : parent + "." + index;
    }

    /** True when a config path from {@link #configChild} can be given to {@code OmegaConfView}. */
    static boolean addressable(String configPath) {
        return configPath.indexOf('[') < 0;
    }

    /** The parent of a dotted config path, {@code ""} at the top. */
    static String configParent(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? "" : path.substring(0, dot);
    }

    /** The last key of a dotted config path. */
    static String configKey(String path) {
        return path.substring(path.lastIndexOf('.') + 1);
    }
}
