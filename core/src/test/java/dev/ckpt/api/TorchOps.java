package dev.ckpt.api;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ckpt.pickle.PythonOracle;
import dev.ckpt.torch.DType;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Runs a batch of cases through our {@link Tensor} and through real torch (one Python process,
 * {@code src/test/python/tensor_ops/oracle.py}) and compares the result bytes exactly.
 */
final class TorchOps {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<Path> SCRIPTS = List.of(Path.of("src/test/python/tensor_ops/oracle.py"),
            Path.of("core/src/test/python/tensor_ops/oracle.py"));
    private static final int MAX_REPORTED = 8;

    /** How a case's NaN results are compared. */
    enum NaNs {
        /** Bytes exactly. */
        EXACT,
        /** Any NaN matches any NaN: torch's own NaN encoding depends on the element's position. */
        ANY
    }

    /** One operation on some inputs, its torch form (op and args) and our result. */
    static final class Case {
        final long seed;
        final String op;
        final List<Tensor> inputs;
        final ObjectNode args = JSON.createObjectNode();
        private Supplier<List<Tensor>> ours;
        private NaNs nans = NaNs.EXACT;
        private String nanReason = "";
        private String torch113Refusal;

        Case(long seed, String op, List<Tensor> inputs) {
            this.seed = seed;
            this.op = op;
            this.inputs = inputs;
        }

        Case ours(Supplier<List<Tensor>> ours) {
            this.ours = ours;
            return this;
        }

        Case oursOne(Supplier<Tensor> one) {
            return ours(() -> List.of(one.get()));
        }

        /** Compares NaNs as NaNs only, saying why torch's encoding is not reproducible. */
        Case anyNaN(String reason) {
            this.nans = NaNs.ANY;
            this.nanReason = reason;
            return this;
        }

        /** Torch 1.13 (only) may refuse this case, for the reason given; 2.13 must answer it. */
        Case torch113Refuses(String reason) {
            this.torch113Refusal = reason;
            return this;
        }

        @Override
        public String toString() {
            return "seed " + seed + " " + op + args + " on " + inputs;
        }
    }

    /** Tallies of one batch, for the test's log. */
    static final class Outcome {
        int matched;
        int bothRefused;
        int undefinedRefused;
        int nanTolerant;
        final Map<String, Integer> torch113Refusals = new LinkedHashMap<>();

        @Override
        public String toString() {
            return matched + " matched bytes (" + nanTolerant + " comparing NaNs as NaNs), " + bothRefused
                    + " refused by both, " + undefinedRefused + " undefined in torch and refused by us"
                    + (torch113Refusals.isEmpty() ? "" : ", refused by torch 1.13 only: " + torch113Refusals);
        }
    }

    private TorchOps() {
    }

    static void check(String name, List<Case> cases) {
        long start = System.nanoTime();
        List<JsonNode> answers = runOracle(cases);
        Outcome outcome = new Outcome();
        List<String> failures = new ArrayList<>();
        Map<String, String> firstByOp = new LinkedHashMap<>();
        for (int i = 0; i < cases.size(); i++) {
            String failure = compare(cases.get(i), answers.get(i), outcome);
            if (failure != null) {
                failures.add(failure);
                firstByOp.putIfAbsent(cases.get(i).op, failure);
            }
        }
        System.out.printf(Locale.ROOT, "%s under torch %s: %d cases, %s (%.1f s)%n", name, PythonOracle.torchVersion(),
                cases.size(), outcome, (System.nanoTime() - start) / 1e9);
        if (!failures.isEmpty()) {
            List<String> reported = new ArrayList<>(firstByOp.values());
            failures.stream().filter(f -> !reported.contains(f)).limit(Math.max(0, MAX_REPORTED - reported.size()))
                    .forEach(reported::add);
            fail(failures.size() + " of " + cases.size() + " " + name + " cases differ from torch "
                    + PythonOracle.torchVersion() + "; the first of each op, then others:\n" + String.join("\n", reported));
        }
    }

    private static List<JsonNode> runOracle(List<Case> cases) {
        StringBuilder stdin = new StringBuilder();
        for (Case c : cases) {
            ObjectNode line = JSON.createObjectNode();
            line.put("op", c.op);
            var inputs = line.putArray("inputs");
            c.inputs.forEach(input -> inputs.add(spec(input)));
            line.set("args", c.args);
            stdin.append(line).append('\n');
        }
        String stdout = PythonOracle.run(script(), List.of(), stdin.toString());
        List<JsonNode> answers = new ArrayList<>();
        try {
            for (String line : stdout.split("\n")) {
                if (!line.isBlank()) {
                    answers.add(JSON.readTree(line));
                }
            }
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
        if (answers.size() != cases.size()) {
            fail("the oracle answered " + answers.size() + " of " + cases.size() + " cases");
        }
        return answers;
    }

    private static Path script() {
        return SCRIPTS.stream().filter(Files::isRegularFile).findFirst().map(Path::toAbsolutePath)
                .orElseThrow(() -> new IllegalStateException("oracle.py not found from " + Path.of("").toAbsolutePath()));
    }

    private static ObjectNode spec(Tensor tensor) {
        ObjectNode node = JSON.createObjectNode();
        node.put("dtype", tensor.dtype().pythonName());
        var shape = node.putArray("shape");
        for (long size : tensor.shape()) {
            shape.add(size);
        }
        node.put("hex", HexFormat.of().formatHex(tensor.data()));
        return node;
    }

    /** Null when ours agrees with torch, else a description. */
    private static String compare(Case c, JsonNode answer, Outcome outcome) {
        List<Tensor> ours;
        try {
            ours = c.ours.get();
        } catch (IllegalArgumentException refused) {
            if (answer.has("error")) {
                outcome.bothRefused++;
                return null;
            }
            if (answer.has("undefined") && refused.getMessage().contains("undefined behaviour")) {
                outcome.undefinedRefused++;
                return null;
            }
            return c + ": we refused (" + refused.getMessage() + ") but torch answered " + abbreviate(answer);
        }
        if (answer.has("error") && c.torch113Refusal != null && !PythonOracle.torch2()) {
            outcome.torch113Refusals.merge(c.torch113Refusal, 1, Integer::sum);
            return null;
        }
        if (!answer.has("results")) {
            return c + ": torch says " + answer + " but we answered " + ours;
        }
        JsonNode results = answer.get("results");
        if (results.size() != ours.size()) {
            return c + ": torch gave " + results.size() + " tensors, we " + ours.size();
        }
        for (int i = 0; i < ours.size(); i++) {
            String difference = difference(c, ours.get(i), results.get(i));
            if (difference != null) {
                return c + ": result " + i + " " + difference;
            }
        }
        outcome.matched++;
        if (c.nans == NaNs.ANY) {
            outcome.nanTolerant++;
        }
        return null;
    }

    private static String difference(Case c, Tensor ours, JsonNode theirs) {
        String theirShape = theirs.get("shape").toString();
        String ourShape = JSON.valueToTree(ours.shape()).toString();
        if (!ours.dtype().pythonName().equals(theirs.get("dtype").asText()) || !ourShape.equals(theirShape)) {
            return "is " + ours + ", torch's " + theirs.get("dtype").asText() + " " + theirShape;
        }
        byte[] theirBytes = HexFormat.of().parseHex(theirs.get("hex").asText());
        byte[] ourBytes = ours.data();
        int size = ours.dtype().elementSize();
        for (int e = 0; e < ourBytes.length / size; e++) {
            long our = bits(ourBytes, e, size);
            long their = bits(theirBytes, e, size);
            boolean bothNaN = c.nans == NaNs.ANY && isNaN(ours.dtype(), our) && isNaN(ours.dtype(), their);
            if (our != their && !bothNaN) {
                return "element " + e + " of " + ours + ": ours 0x" + Long.toHexString(our) + " (" + describe(ours.dtype(), our)
                        + "), torch's 0x" + Long.toHexString(their) + " (" + describe(ours.dtype(), their) + ")"
                        + (c.nanReason.isEmpty() ? "" : "; " + c.nanReason);
            }
        }
        return null;
    }

    static long bits(byte[] data, int element, int size) {
        long value = 0;
        for (int b = size - 1; b >= 0; b--) {
            value = (value << 8) | (data[element * size + b] & 0xFF);
        }
        return value;
    }

    static boolean isNaN(DType dtype, long bits) {
        switch (dtype) {
            case FLOAT64:
                return Double.isNaN(Double.longBitsToDouble(bits));
            case FLOAT32:
                return Float.isNaN(Float.intBitsToFloat((int) bits));
            case FLOAT16:
                return (bits & 0x7FFF) > 0x7C00;
            case BFLOAT16:
                return (bits & 0x7FFF) > 0x7F80;
            default:
                return false;
        }
    }

    private static String describe(DType dtype, long bits) {
        byte[] one = new byte[dtype.elementSize()];
        for (int b = 0; b < one.length; b++) {
            one[b] = (byte) (bits >>> (8 * b));
        }
        try {
            return String.valueOf(Tensor.of(dtype, new long[0], one).doubleAt());
        } catch (IllegalArgumentException notNumeric) {
            return dtype.toString();
        }
    }

    private static String abbreviate(JsonNode answer) {
        String text = answer.toString();
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }
}
