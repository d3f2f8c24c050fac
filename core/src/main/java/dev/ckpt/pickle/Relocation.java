package dev.ckpt.pickle;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rewrites class references while a pickle is read, so that a checkpoint made before a refactor
 * names the classes where they live now. A relocation is a sequence of steps (one per migration
 * setup); a reference passes through the steps in order, so a→b in one step and b→c in a later
 * one give a→c.
 *
 * <p>Inside one step the rules act at once, on the names as they were before the step (so two
 * attributes can trade names), and the most specific rule wins: an attribute rule (a move or a
 * deletion) beats a module rule, a module deletion beats a module move, and a module rule covers
 * the module's submodules, the longest matching module first. A deleted reference becomes a
 * {@link PyGlobal#isDeleted() placeholder} that keeps its original path.
 */
public final class Relocation {
    public static final Relocation NONE = new Relocation(List.of());

    private final List<Step> steps;

    private Relocation(List<Step> steps) {
        this.steps = List.copyOf(steps);
    }

    public static Builder builder() {
        return new Builder();
    }

    public boolean isEmpty() {
        return steps.stream().allMatch(Step::isEmpty);
    }

    /** This relocation's steps followed by the other's. */
    public Relocation then(Relocation next) {
        List<Step> all = new ArrayList<>(steps);
        all.addAll(next.steps);
        return new Relocation(all);
    }

    /** The undoing relocation: steps in reverse order, moves reversed, deletions not undone. */
    public Relocation reversed() {
        List<Step> undo = new ArrayList<>();
        for (int i = steps.size() - 1; i >= 0; i--) {
            undo.add(steps.get(i).reversed());
        }
        return new Relocation(undo);
    }

    /** Where a reference to {@code module.name} points after every step. */
    public PyGlobal relocate(String module, String name) {
        PyGlobal current = PyGlobal.of(module, name);
        for (Step step : steps) {
            current = step.apply(current);
            if (current.isDeleted()) {
                break;
            }
        }
        return current;
    }

    /** Collects the rules of one step at a time; {@link #nextStep()} starts the next. */
    public static final class Builder {
        private final List<Step> steps = new ArrayList<>();
        private Step current = new Step();

        /** Every reference into module {@code start} or its submodules now points into {@code end}. */
        public Builder moveModule(String start, String end) {
            current.moduleMoves.put(checkDotted(start), checkDotted(end));
            return this;
        }

        /** A reference to {@code start} (a dotted path to a module attribute) now points to {@code end}. */
        public Builder moveAttribute(String start, String end) {
            PyGlobal.parse(end);
            current.attributeMoves.put(PyGlobal.parse(start).path(), end);
            return this;
        }

        /** References into the module and its submodules load as placeholders. */
        public Builder deleteModule(String path) {
            current.deletedModules.add(checkDotted(path));
            return this;
        }

        /** A reference to {@code path} loads as a placeholder; {@code pkg.mod.*} deletes every attribute of {@code pkg.mod}. */
        public Builder deleteAttribute(String path) {
            if (path.endsWith(".*")) {
                current.deletedAttributeModules.add(checkDotted(path.substring(0, path.length() - 2)));
            } else {
                current.deletedAttributes.add(PyGlobal.parse(path).path());
            }
            return this;
        }

        /** Ends the current step: later rules see the names this step produced. */
        public Builder nextStep() {
            if (!current.isEmpty()) {
                steps.add(current);
            }
            current = new Step();
            return this;
        }

        public Relocation build() {
            nextStep();
            return new Relocation(steps);
        }

        private static String checkDotted(String path) {
            if (path == null || path.isEmpty() || path.startsWith(".") || path.endsWith(".") || path.contains("..")) {
                throw new IllegalArgumentException("Not a dotted module path: '" + path + "'");
            }
            return path;
        }
    }

    /** The rules one setup callback registered. */
    private static final class Step {
        private final Map<String, String> moduleMoves = new LinkedHashMap<>();
        private final Map<String, String> attributeMoves = new LinkedHashMap<>();
        private final Set<String> deletedModules = new LinkedHashSet<>();
        private final Set<String> deletedAttributes = new HashSet<>();
        private final Set<String> deletedAttributeModules = new HashSet<>();

        boolean isEmpty() {
            return moduleMoves.isEmpty() && attributeMoves.isEmpty() && deletedModules.isEmpty()
                    && deletedAttributes.isEmpty() && deletedAttributeModules.isEmpty();
        }

        PyGlobal apply(PyGlobal ref) {
            String path = ref.path();
            if (deletedAttributes.contains(path) || deletedAttributeModules.contains(ref.module())) {
                return ref.asDeleted();
            }
            String movedTo = attributeMoves.get(path);
            if (movedTo != null) {
                return PyGlobal.parse(movedTo);
            }
            if (longestModulePrefix(deletedModules, ref.module()) != null) {
                return ref.asDeleted();
            }
            String start = longestModulePrefix(moduleMoves.keySet(), ref.module());
            if (start != null) {
                return PyGlobal.of(moduleMoves.get(start) + ref.module().substring(start.length()), ref.name());
            }
            return ref;
        }

        Step reversed() {
            Step undo = new Step();
            moduleMoves.forEach((start, end) -> undo.moduleMoves.put(end, start));
            attributeMoves.forEach((start, end) -> undo.attributeMoves.put(end, start));
            return undo;
        }

        private static String longestModulePrefix(Iterable<String> modules, String module) {
            String best = null;
            for (String candidate : modules) {
                boolean covers = module.equals(candidate) || module.startsWith(candidate) && module.charAt(candidate.length()) == '.';
                if (covers && (best == null || candidate.length() > best.length())) {
                    best = candidate;
                }
            }
            return best;
        }
    }

    @Override
    public String toString() {
        return "Relocation[" + steps.size() + " steps]";
    }
}
