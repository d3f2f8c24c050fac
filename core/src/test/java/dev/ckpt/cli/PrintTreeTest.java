package dev.ckpt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ckpt.pickle.PythonOracle;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("torch")
class PrintTreeTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return PrintTree.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void printsTheTreeOfACheckpointSavedByTorch() {
        Path checkpoint = dir.resolve("last.ckpt");
        PythonOracle.run(PythonOracle.corpusScripts().resolve("make_torch_checkpoint.py"), List.of(checkpoint.toString()), "");
        assertEquals(0, run(checkpoint.toString(), "4", "50"), err.toString());
        String tree = out.toString(StandardCharsets.UTF_8);
        assertTrue(tree.contains("'state_dict': <collections.OrderedDict>"), tree);
        assertTrue(tree.contains("<torch._utils._rebuild_tensor_v2>"), tree);
        assertTrue(tree.contains("'hyper_parameters'"), tree);
    }

    @Test
    void aMissingFileIsNamedInTheError() {
        assertEquals(1, run(dir.resolve("nope.ckpt").toString()));
        assertTrue(err.toString().contains("nope.ckpt: no such file"), err.toString());
    }

    @Test
    void aCorruptPickleIsReportedWithFileAndOffset() throws IOException {
        Path bad = Files.write(dir.resolve("bad.pkl"), new byte[] {(byte) 0x80, 2, ']', (byte) 0xff});
        assertEquals(1, run(bad.toString()));
        assertTrue(err.toString().contains("bad.pkl: not a readable pickle") && err.toString().contains("at byte 3"), err.toString());
    }

    @Test
    void aZipWithoutDataPickleIsNotACheckpoint() throws IOException {
        Path zip = dir.resolve("other.zip");
        byte[] hello = "hello".getBytes(StandardCharsets.UTF_8);
        try (var zipOut = new java.util.zip.ZipOutputStream(Files.newOutputStream(zip))) {
            java.util.zip.ZipEntry entry = new java.util.zip.ZipEntry("docs/readme.txt");
            entry.setMethod(java.util.zip.ZipEntry.STORED);
            entry.setSize(hello.length);
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            crc.update(hello);
            entry.setCrc(crc.getValue());
            zipOut.putNextEntry(entry);
            zipOut.write(hello);
        }
        assertEquals(1, run(zip.toString()));
        assertTrue(err.toString().contains("no <prefix>/data.pkl record"), err.toString());
    }

    @Test
    void aDeflateBombIsRefusedUnopened() throws IOException {
        Path bomb = dir.resolve("bomb.ckpt");
        try (var zipOut = new java.util.zip.ZipOutputStream(Files.newOutputStream(bomb))) {
            zipOut.putNextEntry(new java.util.zip.ZipEntry("archive/data.pkl"));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 1024; i++) {  // 1 GiB of zeros, about 1 MB deflated
                zipOut.write(zeros);
            }
        }
        assertEquals(1, run(bomb.toString()));
        assertTrue(err.toString().contains("compressed"), err.toString());
    }

    @Test
    void devicesAndFifosAreRefusedNotRead() throws Exception {
        assertEquals(1, run("/dev/zero"));
        assertTrue(err.toString().contains("not a regular file"), err.toString());
        Path fifo = dir.resolve("fifo.pkl");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        assertEquals(1, org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(5), () -> run(fifo.toString())));
    }

    @Test
    void aChainOfTwoHundredThousandPersistentIdsPrintsWithinItsDepth() throws IOException {
        Object chain = "end";
        for (int i = 0; i < 200_000; i++) {
            chain = new dev.ckpt.pickle.PyPersistentId(chain);
        }
        Path file = Files.write(dir.resolve("chain.pkl"), new dev.ckpt.pickle.PickleWriter().write(List.of(chain)));
        assertEquals(0, run(file.toString()));
        assertTrue(out.toString().contains("<persistent <persistent"), out.toString());
    }

    @Test
    void wrongUsagePrintsTheUsage() {
        assertEquals(2, run());
        assertTrue(err.toString().startsWith("usage:"), err.toString());
    }
}
