package dev.ckpt.engine;

import dev.ckpt.api.Checkpoint;
import dev.ckpt.api.Migration;
import dev.ckpt.api.MigrationInfo;
import dev.ckpt.api.Reversible;
import dev.ckpt.api.StateDict;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A reversible migration for the embedded-rollback tests. Its rollback uses what real rollbacks
 * use and what javac turns into extra classes and bootstraps: a lambda, a nested class, a record
 * (ObjectMethods), an enum with a switch (a synthetic switch-map class), collections and string
 * concatenation. It is captured and loaded back by value, so it must pass the allow-list.
 */
@MigrationInfo(version = "0.1.0")
public class RenameBackExample extends Migration implements Reversible {
    static final String BEFORE = "model.encoder.";
    static final String AFTER = "model.backbone.";

    @Override
    public void migrate(Checkpoint checkpoint) {
        checkpoint.stateDict().renamePrefix(BEFORE, AFTER);
    }

    @Override
    public void rollback(Checkpoint checkpoint) {
        Renamer renamer = new Renamer(new Rename(AFTER, BEFORE));
        int count = renamer.apply(checkpoint.stateDict());
        List<String> moved = checkpoint.stateDict().keys().stream()
                .filter(key -> key.startsWith(BEFORE))
                .sorted()
                .collect(Collectors.toList());
        Map<Object, Object> note = new LinkedHashMap<>();
        note.put("count", (long) count);
        note.put("moved", new ArrayList<Object>(moved));
        note.put("how", Step.valueOf("RENAME").describe() + " by " + renamer.rename);
        checkpoint.root().put("rollback_note", note);
    }

    record Rename(String from, String to) {
    }

    enum Step {
        RENAME, DROP;

        String describe() {
            switch (this) {
                case RENAME:
                    return "renamed";
                case DROP:
                    return "dropped";
                default:
                    throw new IllegalStateException("step " + this);
            }
        }
    }

    static final class Renamer {
        final Rename rename;

        Renamer(Rename rename) {
            this.rename = rename;
        }

        int apply(StateDict stateDict) {
            return stateDict.renamePrefix(rename.from(), rename.to());
        }
    }
}
