package dev.ckpt.inspect;

import dev.ckpt.api.Node;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A place in a checkpoint's tree as a reader names it, and as {@link dev.ckpt.api.Checkpoint#node}
 * reads it back: keys and attributes joined by dots, a key with dots quoted
 * ({@code state_dict["model.encoder.weight"]}), a list or tuple element as {@code [3]}. OmegaConf
 * nodes, OrderedDict entries and object attributes are steps of their own, never
 * {@code _content} or pickle internals. {@link #dotted()} is the same path with no quoting
 * ({@code state_dict.model.encoder.weight}), what a filter glob is also matched against.
 *
 * <p>A path only links to its parent: a tree 300,000 levels deep costs one step per level, and
 * the text is built only when asked for.
 */
public final class ReadablePath {
    private static final ReadablePath ROOT = new ReadablePath(null, "", "");

    private final ReadablePath parent;
    /** How this step is written after its parent's text ({@code .key}, {@code ["a.b"]}, {@code [3]}). */
    private final String step;
    /** The same step unquoted ({@code .a.b}). */
    private final String dottedStep;

    private ReadablePath(ReadablePath parent, String step, String dottedStep) {
        this.parent = parent;
        this.step = step;
        this.dottedStep = dottedStep;
    }

    public static ReadablePath root() {
        return ROOT;
    }

    /** A dict key, an OrderedDict entry, an attribute or an OmegaConf key below this path. */
    public ReadablePath key(Object key) {
        String name = String.valueOf(key);
        String quoted = Node.quote(name);
        return new ReadablePath(this, isRoot() || quoted.startsWith("[") ? quoted : "." + quoted, isRoot() ? name : "." + name);
    }

    /** An element of a list, tuple or set below this path. */
    public ReadablePath index(int index) {
        return new ReadablePath(this, "[" + index + "]", "[" + index + "]");
    }

    /** A part of the value at this path that has no key ({@code (class)}, {@code (args)}, {@code (state)}). */
    public ReadablePath part(String what) {
        return new ReadablePath(this, " (" + what + ")", " (" + what + ")");
    }

    public boolean isRoot() {
        return parent == null;
    }

    /** The path as {@code Checkpoint.node} reads it; empty for the root. */
    public String text() {
        return join(false);
    }

    /** The path without quotes. */
    public String dotted() {
        return join(true);
    }

    private String join(boolean unquoted) {
        Deque<String> steps = new ArrayDeque<>();
        for (ReadablePath at = this; at != null; at = at.parent) {
            steps.push(unquoted ? at.dottedStep : at.step);
        }
        return String.join("", steps);
    }

    /** The text, or {@code (root)} for the root itself. */
    @Override
    public String toString() {
        return isRoot() ? "(root)" : text();
    }
}
