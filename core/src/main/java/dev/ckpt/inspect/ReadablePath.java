package dev.ckpt.inspect;

import dev.ckpt.api.Node;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A place in a checkpoint's tree as a reader names it, and as {@link dev.ckpt.api.Checkpoint#node}
 * reads it back: keys and attributes joined by dots, a key with dots or control characters quoted
 * ({@code state_dict["model.encoder.weight"]}), a list or tuple element as {@code [3]}. OmegaConf
 * nodes, OrderedDict entries and object attributes are steps of their own, never
 * {@code _content} or pickle internals. {@link #dotted()} is the same path with no quoting
 * ({@code state_dict.model.encoder.weight}), what a filter glob is also matched against.
 *
 * <p>A path only links to its parent (and to its ancestor {@value #HEAD_STEPS} steps below the
 * root): a tree 300,000 levels deep costs one step per level. The text is built only when asked
 * for, once, and stays short: a path of more than {@value #HEAD_STEPS} + {@value #TAIL_STEPS}
 * steps keeps its first and last steps around {@code …(N steps)…}, a step of more than
 * {@value #MAX_STEP_CHARS} characters its start and end around {@code …(N chars)…}. Such a text
 * no longer reads back as a path; {@link #isElided()} says when.
 */
public final class ReadablePath {
    static final int HEAD_STEPS = 20;
    static final int TAIL_STEPS = 20;
    static final int MAX_STEP_CHARS = 200;
    private static final ReadablePath ROOT = new ReadablePath(null, "", "");

    private final ReadablePath parent;
    /** How this step is written after its parent's text ({@code .key}, {@code ["a.b"]}, {@code [3]}). */
    private final String step;
    /** The same step unquoted ({@code .a.b}). */
    private final String dottedStep;
    private final int steps;
    /** This path's first {@link #HEAD_STEPS} steps (itself when it has no more). */
    private final ReadablePath head;
    private final boolean elided;
    private String text;
    private String dotted;

    private ReadablePath(ReadablePath parent, String step, String dottedStep) {
        this.parent = parent;
        this.step = shortened(step);
        this.dottedStep = shortened(dottedStep);
        this.steps = parent == null ? 0 : parent.steps + 1;
        this.head = steps <= HEAD_STEPS ? this : parent.head;
        this.elided = steps > HEAD_STEPS + TAIL_STEPS || step.length() > MAX_STEP_CHARS || parent != null && parent.elided;
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

    /** Whether {@link #text()} leaves steps or characters out. */
    public boolean isElided() {
        return elided;
    }

    /** The path as {@code Checkpoint.node} reads it; empty for the root. */
    public String text() {
        if (text == null) {
            text = join(false);
        }
        return text;
    }

    /** The path without quotes. */
    public String dotted() {
        if (dotted == null) {
            dotted = join(true);
        }
        return dotted;
    }

    private String join(boolean unquoted) {
        int hidden = steps - HEAD_STEPS - TAIL_STEPS;
        if (hidden <= 0) {
            return String.join("", stepsUpTo(null, unquoted));
        }
        String first = unquoted ? head.dotted() : head.text();
        return first + "…(" + hidden + " steps)…" + String.join("", stepsUpTo(ancestor(TAIL_STEPS), unquoted));
    }

    /** The steps from below {@code top} down to this one. */
    private Deque<String> stepsUpTo(ReadablePath top, boolean unquoted) {
        Deque<String> parts = new ArrayDeque<>();
        for (ReadablePath at = this; at != top; at = at.parent) {
            parts.push(unquoted ? at.dottedStep : at.step);
        }
        return parts;
    }

    private ReadablePath ancestor(int up) {
        ReadablePath at = this;
        for (int i = 0; i < up; i++) {
            at = at.parent;
        }
        return at;
    }

    private static String shortened(String step) {
        if (step.length() <= MAX_STEP_CHARS) {
            return step;
        }
        int keep = MAX_STEP_CHARS / 2;
        return step.substring(0, keep) + "…(" + (step.length() - 2 * keep) + " chars)…" + step.substring(step.length() - keep);
    }

    /** The text, or {@code (root)} for the root itself. */
    @Override
    public String toString() {
        return isRoot() ? "(root)" : text();
    }
}
