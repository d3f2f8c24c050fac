package dev.ckpt.diff;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.ckpt.torch.TorchCheckpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The structural difference from one checkpoint to another (Liquibase's {@code diff} for
 * checkpoints): tensors added, removed, renamed (a prefix shared by several tensors, or one tensor
 * whose bytes are equal), changed in dtype or shape, or changed in value; config and dict keys
 * added, removed, moved or changed; Python classes moved to another module or vanished. ckpt's own
 * records and history are left out. Nothing from either file is executed; tensors are read one at
 * a time, and only those whose bytes decide something.
 */
public final class CheckpointDiff {
    private final Path from;
    private final Path to;
    private final List<Difference> differences;
    private final List<String> undecided;

    private CheckpointDiff(Path from, Path to, List<Difference> differences, List<String> undecided) {
        this.from = from;
        this.to = to;
        this.differences = List.copyOf(differences);
        this.undecided = List.copyOf(undecided);
    }

    public static CheckpointDiff compare(Path from, Path to) throws IOException {
        try (TorchCheckpoint before = TorchCheckpoint.open(from); TorchCheckpoint after = TorchCheckpoint.open(to)) {
            ClassMoves classes = ClassMoves.between(before.globalsAtOpen(), after.globalsAtOpen());
            TreeComparison tree = new TreeComparison(new TensorDigests(before), new TensorDigests(after), classes);
            tree.compare(before.root(), after.root(), "");
            List<Difference> differences = new ArrayList<>(classes.differences());
            differences.addAll(tree.differences());
            List<String> undecided = new ArrayList<>(classes.undecided());
            undecided.addAll(tree.undecided());
            return new CheckpointDiff(from, to, differences, undecided);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    public List<Difference> differences() {
        return differences;
    }

    /** Pairings the comparison could not decide (several equal candidates). */
    public List<String> undecided() {
        return undecided;
    }

    public boolean isEmpty() {
        return differences.isEmpty();
    }

    /** True when every difference is of values only: the two have the same structure. */
    public boolean onlyValuesDiffer() {
        return differences.stream().allMatch(d -> d.kind().valuesOnly());
    }

    /** The differences that are not of values only. */
    public List<Difference> structural() {
        return differences.stream().filter(d -> !d.kind().valuesOnly()).toList();
    }

    /** The report, one line per difference. */
    public String text() {
        StringBuilder out = new StringBuilder();
        out.append("From ").append(from).append('\n').append("  to ").append(to).append('\n');
        if (differences.isEmpty()) {
            out.append("No differences\n");
        }
        for (Difference difference : differences) {
            out.append("  ").append(difference.describe()).append('\n');
        }
        for (String note : undecided) {
            out.append("  undecided: ").append(note).append('\n');
        }
        long values = differences.stream().filter(d -> d.kind().valuesOnly()).count();
        out.append(differences.size()).append(" differences (").append(differences.size() - values).append(" structural, ")
                .append(values).append(" of values only)\n");
        return out.toString();
    }

    public String json() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("from", from.toString());
        doc.put("to", to.toString());
        List<Map<String, Object>> items = new ArrayList<>();
        for (Difference d : differences) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("kind", d.kind().name().toLowerCase(java.util.Locale.ROOT));
            item.put("scope", d.scope().name().toLowerCase(java.util.Locale.ROOT));
            item.put("at", d.at());
            item.put("from", d.from());
            putIfPresent(item, "to", d.to());
            item.put("path", d.path());
            putIfPresent(item, "toPath", d.toPath());
            putIfPresent(item, "before", d.before());
            putIfPresent(item, "after", d.after());
            putIfPresent(item, "evidence", d.evidence());
            if (d.count() > 0) {
                item.put("count", d.count());
            }
            items.add(item);
        }
        doc.put("differences", items);
        doc.put("undecided", undecided);
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void putIfPresent(Map<String, Object> item, String key, Object value) {
        if (value != null) {
            item.put(key, value);
        }
    }
}
