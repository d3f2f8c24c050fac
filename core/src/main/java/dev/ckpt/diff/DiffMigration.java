package dev.ckpt.diff;

import dev.ckpt.api.Node;
import dev.ckpt.template.MigrationBody;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The migration a diff implies, as statements for the skeleton: renames and prefix renames of
 * tensors ({@code StateDict}), moves, renames, additions and removals of config keys
 * ({@code OmegaConfView}) and dict keys ({@code Node}), removed tensors, class and module moves
 * ({@code MigrationContext}, whose reverse is the rollback setup), each with its inverse in
 * {@code rollback}. An added key gets the new checkpoint's value.
 *
 * <p>A deletion cannot be undone exactly: its rollback puts back a removed tensor as zeros of its
 * dtype and shape, a removed key with the old checkpoint's value. A migration with a deletion is
 * therefore not {@code Reversible}; one without is. What it cannot decide (added or reshaped
 * tensors, changed values, ambiguous pairings, vanished classes) is listed in a comment.
 */
public final class DiffMigration {
    private static final int LISTED = 10;
    /** The longest string written as a literal: escaped, it stays within javac's 65535 bytes per constant. */
    static final int MAX_LITERAL = 10_000;

    private final List<String> setup = new ArrayList<>();
    private final List<String> migrate = new ArrayList<>();
    private final List<String> rollback = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final Set<String> imports = new TreeSet<>();
    private boolean exact = true;

    private DiffMigration() {
    }

    public static MigrationBody body(CheckpointDiff diff) {
        DiffMigration generator = new DiffMigration();
        diff.differences().forEach(generator::add);
        generator.valueNotes(diff.differences());
        generator.notes.addAll(diff.undecided());
        generator.notes.replaceAll(DiffMigration::commentSafe);
        List<String> reversed = new ArrayList<>(generator.rollback);
        java.util.Collections.reverse(reversed);
        if (generator.exact) {
            generator.imports.add("dev.ckpt.api.Reversible");
        }
        return new MigrationBody(generator.setup, generator.migrate, reversed, generator.notes, List.copyOf(generator.imports),
                generator.exact);
    }

    private void add(Difference d) {
        String unwritable = unwritable(d);
        if (unwritable != null) {
            notes.add(d.kind().label() + " " + d.path() + (d.to() == null ? "" : " -> " + d.toPath()) + ": " + unwritable);
        } else {
            write(d);
        }
    }

    /** Why a difference cannot become code, or null when it can. */
    private static String unwritable(Difference d) {
        if (tooLong(d.at()) || tooLong(d.from()) || tooLong(d.to())) {
            return "a path longer than " + MAX_LITERAL + " characters, not written as code";
        }
        if (d.kind() == Difference.Kind.TENSOR_ADDED || d.kind().valuesOnly() || d.scope() == Difference.Scope.CLASSES) {
            return null;
        }
        if (d.scope() == Difference.Scope.OBJECT) {
            return "inside a Python object's attributes, args or state, which a migration cannot edit as a dict; edit it by hand";
        }
        if (d.scope() == Difference.Scope.CONFIG && !(TreePaths.addressable(d.from()) && (d.to() == null || TreePaths.addressable(d.to())))) {
            return "a config key with '.', '[' or ']', or not a string or int, which a config path cannot address; edit it by hand";
        }
        if (!isNodePath(d.at())) {
            return "at " + d.at() + ", which is not a path checkpoint.node can follow; edit it by hand";
        }
        return null;
    }

    private static boolean isNodePath(String path) {
        try {
            Node.of(null).path(path);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean tooLong(String text) {
        return text != null && text.length() > MAX_LITERAL;
    }

    private void write(Difference d) {
        switch (d.kind()) {
            case PREFIX_RENAMED -> both(stateDict(d) + ".renamePrefix(" + q(d.from()) + ", " + q(d.to()) + ");",
                    stateDict(d) + ".renamePrefix(" + q(d.to()) + ", " + q(d.from()) + ");");
            case TENSOR_RENAMED -> both(stateDict(d) + ".rename(" + q(d.from()) + ", " + q(d.to()) + ");",
                    stateDict(d) + ".rename(" + q(d.to()) + ", " + q(d.from()) + ");");
            case TENSOR_REMOVED -> removedTensor(d);
            case KEY_MOVED, KEY_ADDED, KEY_REMOVED -> key(d);
            case MODULE_MOVED -> setup.add("context.moveModule(" + q(d.from()) + ", " + q(d.to()) + ");");
            case CLASS_MOVED -> setup.add("context.moveAttribute(" + q(d.from()) + ", " + q(d.to()) + ");");
            case CLASS_VANISHED -> notes.add(d.from() + " is named by the old checkpoint only (context.deleteAttribute would"
                    + " leave a placeholder; context.moveAttribute if it was renamed)");
            case TENSOR_ADDED -> notes.add("new tensor " + d.path() + " " + d.after() + ": the new code initialises it");
            case TENSOR_CHANGED -> notes.add(d.path() + " changed from " + d.before() + " to " + d.after());
            case TENSOR_VALUES, VALUE_CHANGED -> {
                // listed together by valueNotes
            }
        }
    }

    private void removedTensor(Difference d) {
        Difference.Layout layout = (Difference.Layout) d.detail();
        migrate.add(stateDict(d) + ".remove(" + q(d.from()) + ");");
        rollback.add(stateDict(d) + ".write(" + q(d.from()) + ", Tensor.zeros(DType." + layout.dtype().name()
                + Arrays.stream(layout.shape()).mapToObj(size -> ", " + size + "L").collect(Collectors.joining()) + "));");
        imports.add("dev.ckpt.api.Tensor");
        imports.add("dev.ckpt.torch.DType");
        exact = false;
    }

    private void key(Difference d) {
        if (d.scope() == Difference.Scope.CONFIG) {
            configKey(d);
        } else if (plainKey(d.from()) && (d.to() == null || plainKey(d.to()))) {
            dictKey(d);
        } else {
            notes.add(d.kind().label() + " " + d.path() + (d.to() == null ? "" : " -> " + d.toPath())
                    + ": not a string key this generator can write");
        }
    }

    private void configKey(Difference d) {
        String config = "checkpoint.config(" + q(d.at()) + ")";
        switch (d.kind()) {
            case KEY_MOVED -> {
                if (TreePaths.configParent(d.from()).equals(TreePaths.configParent(d.to()))) {
                    both(config + ".rename(" + q(d.from()) + ", " + q(TreePaths.configKey(d.to())) + ");",
                            config + ".rename(" + q(d.to()) + ", " + q(TreePaths.configKey(d.from())) + ");");
                } else {
                    both(config + ".move(" + q(d.from()) + ", " + q(d.to()) + ");", config + ".move(" + q(d.to()) + ", " + q(d.from()) + ");");
                }
            }
            case KEY_ADDED -> {
                if (d.detail() instanceof Difference.Literal literal) {
                    both(config + ".set(" + q(d.from()) + ", " + JavaLiterals.of(literal.value()) + ");", config + ".remove(" + q(d.from()) + ");");
                } else {
                    notes.add("new config key " + d.path() + " = " + d.after() + ": not a plain value to write");
                }
            }
            default -> {
                migrate.add(config + ".remove(" + q(d.from()) + ");");
                removedKeyBack(d, config + ".set(" + q(d.from()) + ", ");
            }
        }
    }

    private void dictKey(Difference d) {
        String dict = "checkpoint.node(" + q(d.at()) + ").asMap()";
        switch (d.kind()) {
            case KEY_MOVED -> both(dict + ".put(" + q(d.to()) + ", " + dict + ".remove(" + q(d.from()) + "));",
                    dict + ".put(" + q(d.from()) + ", " + dict + ".remove(" + q(d.to()) + "));");
            case KEY_ADDED -> {
                if (d.detail() instanceof Difference.Literal literal) {
                    both(dict + ".put(" + q(d.from()) + ", " + JavaLiterals.of(literal.value()) + ");", dict + ".remove(" + q(d.from()) + ");");
                } else {
                    notes.add("new key " + d.path() + " = " + d.after() + ": not a plain value to write");
                }
            }
            default -> {
                migrate.add(dict + ".remove(" + q(d.from()) + ");");
                removedKeyBack(d, dict + ".put(" + q(d.from()) + ", ");
            }
        }
    }

    private void removedKeyBack(Difference d, String call) {
        exact = false;
        if (d.detail() instanceof Difference.Literal literal) {
            rollback.add(call + JavaLiterals.of(literal.value()) + ");   // the old checkpoint's value");
        } else {
            notes.add("rollback cannot put back " + d.path() + " = " + d.before() + ": not a plain value");
        }
    }

    private void valueNotes(List<Difference> differences) {
        List<Difference> values = differences.stream().filter(d -> d.kind().valuesOnly()).toList();
        for (Difference d : values.subList(0, Math.min(LISTED, values.size()))) {
            notes.add("values changed: " + d.path() + (d.kind() == Difference.Kind.VALUE_CHANGED ? " " + d.before() + " -> " + d.after() : ""));
        }
        if (values.size() > LISTED) {
            notes.add("values changed: " + (values.size() - LISTED) + " more (mvn checkpoint:diff lists them)");
        }
    }

    private void both(String forward, String backward) {
        migrate.add(forward);
        rollback.add(backward);
    }

    private static String stateDict(Difference d) {
        return "checkpoint.stateDict(" + q(d.at()) + ")";
    }

    /** A Node path step that is the key itself (no quoting, not an index). */
    private static boolean plainKey(String step) {
        return Node.quote(step).equals(step) && !step.chars().allMatch(Character::isDigit);
    }

    /** One line that javac reads as comment text only (it translates unicode escapes even in comments). */
    private static String commentSafe(String note) {
        StringBuilder out = new StringBuilder();
        note.codePoints().forEach(c -> {
            if (c == '\r' || c == '\n') {
                out.append(' ');
            } else if (c < 0x20 || c > 0x7e) {
                out.append(String.format("U+%04X", c));   // no bidi control or look-alike reaches the source
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString().replace("\\u", "\\ u");
    }

    private static String q(String text) {
        return JavaLiterals.string(text);
    }
}
