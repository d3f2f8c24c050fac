package dev.ckpt.diff;

import dev.ckpt.pickle.PyGlobal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The Python classes (and other globals) the old checkpoint names and the new one does not: moved
 * when the new one names exactly one global of the same name in another module, else vanished. A
 * module whose every global moved to the same other module is a module move.
 */
final class ClassMoves {
    private final Map<String, String> moved = new TreeMap<>();
    private final List<Difference> differences = new ArrayList<>();
    private final List<String> undecided = new ArrayList<>();

    private ClassMoves() {
    }

    static ClassMoves between(Set<String> oldGlobals, Set<String> newGlobals) {
        ClassMoves moves = new ClassMoves();
        Set<String> gone = new TreeSet<>(oldGlobals);
        gone.removeAll(newGlobals);
        Map<String, List<String>> appearedByName = new LinkedHashMap<>();
        for (String global : new TreeSet<>(newGlobals)) {
            if (!oldGlobals.contains(global)) {
                appearedByName.computeIfAbsent(PyGlobal.parse(global).name(), k -> new ArrayList<>()).add(global);
            }
        }
        List<String> vanished = new ArrayList<>();
        for (String global : gone) {
            List<String> candidates = appearedByName.getOrDefault(PyGlobal.parse(global).name(), List.of());
            if (candidates.size() == 1) {
                moves.moved.put(global, candidates.get(0));
            } else {
                vanished.add(global);
                if (candidates.size() > 1) {
                    moves.undecided.add(global + " may have moved to any of " + candidates);
                }
            }
        }
        moves.describe(oldGlobals, newGlobals, vanished);
        return moves;
    }

    /** The global as the new checkpoint would name it. */
    String map(PyGlobal global) {
        String target = moved.get(global.path());
        return target == null ? global.path() : target;
    }

    List<Difference> differences() {
        return differences;
    }

    List<String> undecided() {
        return undecided;
    }

    private void describe(Set<String> oldGlobals, Set<String> newGlobals, List<String> vanished) {
        Map<String, Map<String, List<String>>> byModules = new TreeMap<>();
        moved.forEach((from, to) -> byModules.computeIfAbsent(PyGlobal.parse(from).module(), k -> new TreeMap<>())
                .computeIfAbsent(PyGlobal.parse(to).module(), k -> new ArrayList<>()).add(from));
        byModules.forEach((fromModule, targets) -> {
            boolean wholeModule = targets.size() == 1 && oldGlobals.stream().filter(g -> PyGlobal.parse(g).module().equals(fromModule))
                    .allMatch(moved::containsKey)
                    && newGlobals.stream().noneMatch(g -> PyGlobal.parse(g).module().equals(fromModule));
            targets.forEach((toModule, classes) -> {
                if (wholeModule) {
                    differences.add(new Difference(Difference.Kind.MODULE_MOVED, Difference.Scope.CLASSES, "", fromModule, toModule,
                            null, null, "same class names", classes.size(), null));
                } else {
                    for (String from : classes) {
                        differences.add(new Difference(Difference.Kind.CLASS_MOVED, Difference.Scope.CLASSES, "", from, moved.get(from),
                                null, null, "same class name, another module", 1, null));
                    }
                }
            });
        });
        for (String global : vanished) {
            differences.add(new Difference(Difference.Kind.CLASS_VANISHED, Difference.Scope.CLASSES, "", global, null, null, null,
                    "named by the old checkpoint only", 0, null));
        }
    }
}
