package dev.ckpt.pickle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Values nested a million deep: the writer never recurses, the reader never recurses, default
 * limits stop such a pickle cleanly and raised limits read it whole. Everything is checked with
 * loops, never with recursive equals/hashCode/toString (which would overflow the Java stack).
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class DeepStructureTest {
    private static final int DEPTH = 1_000_000;
    private static final String LEAF = "bottom";
    private static final PickleLimits RAISED = new PickleLimits(4_000_000, 100_000, 2_000, 50_000_000, 4_300);
    private static final PyGlobal NAMESPACE = PyGlobal.of("types", "SimpleNamespace");

    /** The deep list written once at protocols 2 and 4, shared by the tests that read it. */
    private static Map<Integer, byte[]> listPickles;

    @TempDir
    Path dir;

    /** [[[...["bottom"]...]]]: DEPTH lists, each holding the next, the innermost holding the leaf. */
    private static List<Object> deepList() {
        List<Object> list = new ArrayList<>(1);
        list.add(LEAF);
        for (int i = 1; i < DEPTH; i++) {
            List<Object> outer = new ArrayList<>(1);
            outer.add(list);
            list = outer;
        }
        return list;
    }

    private static synchronized byte[] listPickle(int protocol) {
        if (listPickles == null) {
            List<Object> root = deepList();
            listPickles = Map.of(2, new PickleWriter(2).write(root), 4, new PickleWriter(4).write(root));
        }
        return listPickles.get(protocol);
    }

    /** How many lists deep the value is, walking down a loop; the innermost must hold the leaf alone. */
    private static int listDepth(Object value) {
        int depth = 0;
        while (value instanceof List<?> list) {
            assertEquals(1, list.size(), "list at depth " + depth);
            value = list.get(0);
            depth++;
        }
        assertEquals(LEAF, value);
        return depth;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void aMillionDeepListIsWrittenByTheIterativeWriterAtProtocols2And4() {
        for (int protocol : new int[] {2, 4}) {
            byte[] pickle = listPickle(protocol);
            assertEquals(Opcode.PROTO.code(), pickle[0] & 0xff);
            assertEquals(protocol, pickle[1]);
            assertEquals(Opcode.STOP.code(), pickle[pickle.length - 1] & 0xff);
            // one EMPTY_LIST, one memo opcode and one APPEND per level at least
            assertTrue(pickle.length > 3 * DEPTH, "protocol " + protocol + ": " + pickle.length + " bytes");
        }
    }

    /**
     * The million lists fill the default stack exactly (PickleLimits.DEFAULT.maxStack()); the leaf
     * is the value too many, so the read stops at the leaf's opcode.
     */
    @Test
    void readingTheMillionDeepListWithDefaultLimitsFailsAtTheStackLimit() {
        assertEquals(DEPTH, PickleLimits.DEFAULT.maxStack());
        byte[] leaf = LEAF.getBytes(StandardCharsets.US_ASCII);
        byte[] p2 = listPickle(2);
        byte[] p4 = listPickle(4);
        PickleException e2 = assertThrows(PickleException.class, () -> new PickleReader().read(p2));
        assertEquals(indexOf(p2, leaf) - 5, e2.offset(), e2.getMessage());
        assertEquals("BINUNICODE", e2.opcode());
        assertTrue(e2.getMessage().contains("stack deeper than the limit"), e2.getMessage());
        PickleException e4 = assertThrows(PickleException.class, () -> new PickleReader().read(p4));
        assertEquals(indexOf(p4, leaf) - 2, e4.offset(), e4.getMessage());
        assertEquals("SHORT_BINUNICODE", e4.opcode());
        assertTrue(e4.getMessage().contains("stack deeper than the limit"), e4.getMessage());
    }

    @Test
    void readingTheMillionDeepListWithRaisedLimitsGivesTheSameDepth() {
        for (int protocol : new int[] {2, 4}) {
            Object root = new PickleReader().withLimits(RAISED).read(listPickle(protocol));
            assertEquals(DEPTH, listDepth(root), "protocol " + protocol);
        }
    }

    /** Oracle: CPython 3.11 (/usr/bin/python3) loads our protocol 2 and 4 output and counts the same depth. */
    @Test
    void cpythonLoadsOurMillionDeepListAndFindsTheSameDepth() throws IOException {
        Path p2 = Files.write(dir.resolve("deep.p2"), listPickle(2));
        Path p4 = Files.write(dir.resolve("deep.p4"), listPickle(4));
        Path script = Files.writeString(dir.resolve("depth.py"), String.join("\n",
                "import pickle, sys",
                "for path in sys.argv[1:]:",
                "    with open(path, 'rb') as f:",
                "        x = pickle.load(f)",
                "    depth = 0",
                "    while isinstance(x, list):",
                "        assert len(x) == 1, depth",
                "        x = x[0]",
                "        depth += 1",
                "    print(depth, x)",
                ""));
        String report = PythonOracle.run(script, List.of(p2.toString(), p4.toString()), "");
        assertEquals(List.of(DEPTH + " " + LEAF, DEPTH + " " + LEAF), report.lines().toList());
    }

    /** Building the tuple must not hash the list inside (List.hashCode recurses a million deep). */
    @Test
    void aTupleHoldingTheMillionDeepListIsReadWithoutHashingTheList() {
        byte[] pickle = new PickleWriter(2).write(PyTuple.of(deepList()));
        PyTuple tuple = assertInstanceOf(PyTuple.class, new PickleReader().withLimits(RAISED).read(pickle));
        assertEquals(1, tuple.size());
        assertEquals(DEPTH, listDepth(tuple.get(0)));
    }

    /** types.SimpleNamespace objects, each with the next as its BUILD state; the last has the leaf. */
    @Test
    void aMillionLongChainOfObjectStatesIsWrittenAndReadBack() {
        PyObject root = PyObject.newInstance(NAMESPACE, LEAF);
        for (int i = 1; i < DEPTH; i++) {
            root = PyObject.newInstance(NAMESPACE, root);
        }
        byte[] p2 = new PickleWriter(2).write(root);
        byte[] p4 = new PickleWriter(4).write(root);
        root = null; // let the original go before reading the copies (256 MiB heap)
        for (byte[] pickle : new byte[][] {p2, p4}) {
            Object value = new PickleReader().withLimits(RAISED).read(pickle);
            int depth = 0;
            while (value instanceof PyObject object) {
                assertEquals(NAMESPACE, object.pythonClass());
                value = object.state();
                depth++;
            }
            assertEquals(LEAF, value);
            assertEquals(DEPTH, depth);
        }
    }

    /** {"next": {"next": ... {"leaf": "bottom"}}}, one key string shared by every level. */
    @Test
    void aMillionDeepChainOfDictsIsWrittenAndReadBack() {
        Map<Object, Object> root = new LinkedHashMap<>(1);
        root.put("leaf", LEAF);
        for (int i = 1; i < DEPTH; i++) {
            Map<Object, Object> outer = new LinkedHashMap<>(1);
            outer.put("next", root);
            root = outer;
        }
        byte[] p4 = new PickleWriter(4).write(root);
        root = null; // let the original go before reading the copy (256 MiB heap)
        Object value = new PickleReader().withLimits(RAISED).read(p4);
        int depth = 0;
        while (value instanceof Map<?, ?> map && map.containsKey("next")) {
            assertEquals(1, map.size());
            value = map.get("next");
            depth++;
        }
        assertEquals(Map.of("leaf", LEAF), value);
        assertEquals(DEPTH - 1, depth);
    }

    /**
     * Nesting built through the memo needs no stack: per level EMPTY_LIST, BINPUT 1, APPEND (into
     * the list below), POP, BINGET 1. Mutable containers are not depth-limited; the reader never
     * recurses, so default limits read it.
     */
    @Test
    void aMillionDeepListBuiltThroughTheMemoIsReadWithDefaultLimits() {
        PickleBytes pickle = new PickleBytes().proto(2).op(Opcode.EMPTY_LIST).op(Opcode.BINPUT).u1(0);
        for (int i = 1; i < DEPTH; i++) {
            pickle.op(Opcode.EMPTY_LIST).op(Opcode.BINPUT).u1(1).op(Opcode.APPEND).op(Opcode.POP).op(Opcode.BINGET).u1(1);
        }
        byte[] leaf = LEAF.getBytes(StandardCharsets.US_ASCII);
        pickle.op(Opcode.BINUNICODE).u4(leaf.length).raw(leaf).op(Opcode.APPEND);
        Object root = new PickleReader().read(pickle.op(Opcode.POP).op(Opcode.BINGET).u1(0).stop().bytes());
        assertEquals(DEPTH, listDepth(root));
    }
}
