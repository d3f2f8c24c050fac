package dev.ckpt.diff;

import dev.ckpt.api.Node;

/** Readable paths, as {@link dev.ckpt.api.Checkpoint#node} reads them. */
final class TreePaths {
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

    /** A config path one key deeper: OmegaConf's dotted form. */
    static String configChild(String parent, Object key) {
        return parent.isEmpty() ? String.valueOf(key) : parent + "." + key;
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
