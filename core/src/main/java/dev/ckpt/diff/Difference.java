package dev.ckpt.diff;

/**
 * One structural difference between two checkpoints.
 *
 * <p>{@code at} is where it happens: the path of a state dict, of an OmegaConf config, or of the
 * dict holding a key ({@code ""} for the root). {@code from} and {@code to} are relative to it: a
 * state-dict key or prefix, a dotted path inside the config, a path step or path in the tree
 * ({@code dev.ckpt.api.Node}'s form, a key with dots quoted); for classes, the dotted Python names. {@code before} and {@code after} describe the values (a dtype and shape, a short
 * printed value); {@code evidence} says why a rename or move was inferred; {@code count} is the
 * number of tensors a prefix rename moves, or of classes a module move carries; {@code detail}, when
 * not null, the removed tensor's layout or the removed or added key's plain value.
 */
public record Difference(Kind kind, Scope scope, String at, String from, String to, String before, String after,
        String evidence, int count, Detail detail) {

    /** What a generated migration needs beyond the report: a removed tensor's layout, a key's plain value. */
    public sealed interface Detail permits Layout, Literal {
    }

    /** A tensor's dtype and shape. */
    public record Layout(dev.ckpt.torch.DType dtype, long[] shape) implements Detail {
    }

    /** A plain value (string, int, finite float, bool, None) a migration can write as Java source. */
    public record Literal(Object value) implements Detail {
    }

    /** What changed. */
    public enum Kind {
        TENSOR_ADDED("tensor added"),
        TENSOR_REMOVED("tensor removed"),
        TENSOR_RENAMED("tensor renamed"),
        PREFIX_RENAMED("prefix renamed"),
        TENSOR_CHANGED("dtype/shape changed"),
        TENSOR_VALUES("tensor values changed"),
        KEY_ADDED("key added"),
        KEY_REMOVED("key removed"),
        KEY_MOVED("key moved"),
        VALUE_CHANGED("value changed"),
        MODULE_MOVED("module moved"),
        CLASS_MOVED("class moved"),
        CLASS_VANISHED("class vanished");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        /** True for a change of values only: what a migration of the structure leaves as it is. */
        public boolean valuesOnly() {
            return this == TENSOR_VALUES || this == VALUE_CHANGED;
        }
    }

    /** The kind of place {@code at} names. */
    public enum Scope {
        STATE_DICT, CONFIG, TREE,
        /** Inside a Python object's attributes, args or state: not a dict a migration edits as one. */
        OBJECT,
        CLASSES
    }

    /** The readable path of {@code from} (a Node path; a config's keys joined by dots). */
    public String path() {
        return place(from);
    }

    /** The readable path of {@code to}. */
    public String toPath() {
        return to == null ? null : place(to);
    }

    private String place(String relative) {
        return switch (scope) {
            case CLASSES -> relative;
            case STATE_DICT -> TreePaths.child(at, relative);
            case CONFIG, TREE, OBJECT -> TreePaths.join(at, relative);
        };
    }

    /** One line of the text report. */
    public String describe() {
        String what = switch (kind) {
            case PREFIX_RENAMED -> placeOf() + from + "* -> " + to + "* (" + count + " tensors; " + evidence + ")";
            case TENSOR_RENAMED, KEY_MOVED -> placeOf() + from + " -> " + to + " (" + evidence + ")";
            case TENSOR_ADDED, KEY_ADDED -> path() + " " + after;
            case TENSOR_REMOVED, KEY_REMOVED, TENSOR_VALUES -> path() + " " + before;
            case TENSOR_CHANGED, VALUE_CHANGED -> path() + ": " + before + " -> " + after;
            case MODULE_MOVED -> from + " -> " + to + " (" + count + (count == 1 ? " class; " : " classes; ") + evidence + ")";
            case CLASS_MOVED -> from + " -> " + to + " (" + evidence + ")";
            case CLASS_VANISHED -> from + " (" + evidence + ")";
        };
        return String.format("%-22s %s", kind.label(), what);
    }

    private String placeOf() {
        return at.isEmpty() ? "" : at + ": ";
    }
}
