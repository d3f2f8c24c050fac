package dev.ckpt.pickle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pickles of several MB made by CPython at protocols 2-5 (make_large.py): framing across many
 * 64 KiB frames, payloads written outside frames, memo indices past 255. Ours must be
 * byte-identical and load equal in CPython.
 */
class LargePickleTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void makeLargePickles() {
        PythonOracle.run(PythonOracle.corpusScripts().resolve("make_large.py"), List.of(dir.toString()), "");
    }

    @Test
    void largePicklesAreRewrittenByteForByteAtEveryProtocol() throws IOException {
        List<String> different = new ArrayList<>();
        for (int protocol = 2; protocol <= 5; protocol++) {
            byte[] original = Files.readAllBytes(dir.resolve("large.p" + protocol + ".pkl"));
            byte[] rewritten = new PickleWriter(protocol).write(new PickleReader().read(original));
            if (!Arrays.equals(original, rewritten)) {
                different.add("protocol " + protocol + ": " + original.length + " vs " + rewritten.length
                        + " bytes, first difference at " + Arrays.mismatch(original, rewritten));
            }
        }
        assertEquals(List.of(), different);
    }

    @Test
    void largePicklesConvertedBetweenProtocolsLoadEqual() throws IOException {
        StringBuilder pairs = new StringBuilder();
        Path original = dir.resolve("large.p2.pkl");
        Object tree = new PickleReader().read(Files.readAllBytes(original));
        for (int protocol = 0; protocol <= 5; protocol++) {
            Path rewritten = Files.write(dir.resolve("converted.p" + protocol), new PickleWriter(protocol).write(tree));
            pairs.append(original).append('\t').append(rewritten).append('\n');
        }
        String report = PythonOracle.run(PythonOracle.corpusScripts().resolve("compare.py"), List.of(), pairs.toString());
        assertEquals(6, report.lines().filter(l -> l.startsWith("OK\t")).count(), report);
    }
}
