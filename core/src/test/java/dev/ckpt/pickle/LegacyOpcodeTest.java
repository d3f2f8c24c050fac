package dev.ckpt.pickle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opcodes CPython 3 reads but no longer writes (Python 2 strings, INST/OBJ, text ints and
 * floats, PERSID, DUP, POP_MARK, text memo): hand-written pickles are read by us, re-written at
 * protocols 0 and 2, and CPython's pickle.loads of the original and of ours are compared.
 */
class LegacyOpcodeTest {
    /** Each pickle as Latin-1 text, so every byte is spelled out. */
    private static final Map<String, String> PICKLES = new LinkedHashMap<>();

    static {
        PICKLES.put("text_scalars", "(lp0\nI01\naI00\naI-42\naL123456789012345678901234567890L\naF1.5\naF-inf\naFnan\naF1e-300\naN.");
        PICKLES.put("python2_string_escapes", "(lp0\nS'a\\'b\\n\\x41\\101\\t'\np1\naS\"dq\"\np2\nag1\na.");
        PICKLES.put("raw_unicode_escape", "(lp0\nV\\u20ac \\U0001f600 caf\u00e9 \\\\u0041\np1\na.");
        PICKLES.put("binary_python2_strings", "\u0080\u0002]q\u0000(U\u0003abcq\u0001T\u0004\u0000\u0000\u0000defgq\u0002h\u0001e.");
        PICKLES.put("inst_with_args", "(S'n'\np0\n(lp1\nI7\naicorpus_classes\nPlain\np2\n.");
        PICKLES.put("obj_then_build", "\u0080\u0001(ccorpus_classes\nPlain\nq\u0000oq\u0001}q\u0002(X\u0004\u0000\u0000\u0000nameq\u0003X\u0001\u0000\u0000\u0000xq\u0004X\u0006\u0000\u0000\u0000valuesq\u0005]q\u0006ub.");
        PICKLES.put("text_persistent_id", "(lp0\nPstorage-7\naPstorage-7\na.");
        PICKLES.put("dup_and_pop_mark", "(K\u0001K\u00021K\u00032\u0086.");
        PICKLES.put("text_memo_sharing", "(lp0\n(lp1\nag1\nag0\na.");
        PICKLES.put("python2_builtin_names", "c__builtin__\nset\np0\n((lp1\nI1\naI2\natp2\nRp3\n.");
    }

    @TempDir
    Path dir;

    @Test
    void legacyPicklesRewrittenLoadInCPythonAsEqualGraphs() throws IOException {
        StringBuilder pairs = new StringBuilder();
        for (Map.Entry<String, String> entry : PICKLES.entrySet()) {
            Path original = Files.write(dir.resolve(entry.getKey() + ".pkl"), entry.getValue().getBytes(StandardCharsets.ISO_8859_1));
            Object tree = new PickleReader().read(Files.readAllBytes(original));
            for (int protocol : new int[] {0, 2}) {
                Path rewritten = Files.write(dir.resolve(entry.getKey() + ".as-p" + protocol), new PickleWriter(protocol).write(tree));
                pairs.append(original).append('\t').append(rewritten).append('\n');
            }
        }
        String report = PythonOracle.run(PythonOracle.corpusScripts().resolve("compare.py"), List.of(), pairs.toString());
        assertEquals(PICKLES.size() * 2L, report.lines().filter(l -> l.startsWith("OK\t")).count(), report);
    }

    @Test
    void python2NamesAreReadAsPython3Names() {
        Object set = new PickleReader().read(PICKLES.get("python2_builtin_names").getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(java.util.Set.of(1L, 2L), set);
        Object global = new PickleReader().read("c__builtin__\nunicode\n.".getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(PyGlobal.of("builtins", "str"), global);
    }

    @Test
    void protocol2SpellsPython3NamesThePython2WayAndProtocol3DoesNot() {
        String p2 = new String(new PickleWriter(2).write(PyGlobal.of("builtins", "str")), StandardCharsets.ISO_8859_1);
        String p3 = new String(new PickleWriter(3).write(PyGlobal.of("builtins", "str")), StandardCharsets.ISO_8859_1);
        assertEquals(true, p2.contains("__builtin__\nunicode\n"), p2);
        assertEquals(true, p3.contains("builtins\nstr\n"), p3);
    }

    @Test
    void textMemoKeepsSharing() {
        List<?> outer = (List<?>) new PickleReader().read(PICKLES.get("text_memo_sharing").getBytes(StandardCharsets.ISO_8859_1));
        assertSame(outer.get(0), outer.get(1));
        assertSame(outer, outer.get(2));
    }

    @Test
    void instantiationKeepsClassAndArguments() {
        PyObject plain = assertInstanceOf(PyObject.class,
                new PickleReader().read(PICKLES.get("inst_with_args").getBytes(StandardCharsets.ISO_8859_1)));
        assertEquals(PyObject.Construction.INSTANTIATE, plain.construction());
        assertEquals(PyGlobal.of("corpus_classes", "Plain"), plain.pythonClass());
        assertEquals("n", plain.args().get(0));
        assertEquals(List.of(7L), plain.args().get(1));
    }
}
