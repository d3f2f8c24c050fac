package dev.ckpt.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ckpt.pickle.PickleException;
import dev.ckpt.pickle.PickleWriter;
import dev.ckpt.pickle.PyPersistentId;
import dev.ckpt.pickle.PyObject;
import dev.ckpt.torch.CheckpointFormatException;
import dev.ckpt.torch.DType;
import dev.ckpt.torch.TorchCheckpoint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** show reads what apply reads, and refuses the rest naming the file, never blocking or blowing up. */
class ShowHostileFilesTest {
    @TempDir
    Path dir;

    private static CheckpointContents show(Path file) throws IOException {
        return CheckpointContents.read(file, ShowOptions.defaults());
    }

    @Test
    void aMissingFileIsNamedInTheError() {
        Path missing = dir.resolve("nope.ckpt");
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> show(missing));
        assertTrue(e.getMessage().contains("nope.ckpt"), e.getMessage());
    }

    @Test
    void aCorruptPickleIsReportedWithFileAndOffset() throws IOException {
        Path bad = Files.write(dir.resolve("bad.pkl"), new byte[] {(byte) 0x80, 2, ']', (byte) 0xff});
        PickleException e = assertThrows(PickleException.class, () -> show(bad));
        assertTrue(e.getMessage().contains("bad.pkl: not a readable pickle") && e.getMessage().contains("at byte 3"), e.getMessage());
    }

    @Test
    void aZipWithoutDataPickleIsNotACheckpoint() throws IOException {
        Path zip = dir.resolve("other.zip");
        byte[] hello = "hello".getBytes(StandardCharsets.UTF_8);
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            ZipEntry entry = new ZipEntry("docs/readme.txt");
            entry.setMethod(ZipEntry.STORED);
            entry.setSize(hello.length);
            CRC32 crc = new CRC32();
            crc.update(hello);
            entry.setCrc(crc.getValue());
            out.putNextEntry(entry);
            out.write(hello);
        }
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> show(zip));
        assertTrue(e.getMessage().contains("no <prefix>/data.pkl record"), e.getMessage());
    }

    @Test
    void aDeflateBombIsRefusedUnopened() throws IOException {
        Path bomb = dir.resolve("bomb.ckpt");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(bomb))) {
            out.putNextEntry(new ZipEntry("archive/data.pkl"));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 1024; i++) {  // 1 GiB of zeros, about 1 MB deflated
                out.write(zeros);
            }
        }
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> show(bomb));
        assertTrue(e.getMessage().contains("compressed"), e.getMessage());
    }

    @Test
    void devicesAndFifosAreRefusedNotRead() throws Exception {
        IOException device = assertThrows(IOException.class, () -> show(Path.of("/dev/zero")));
        assertTrue(device.getMessage().contains("/dev/zero: not a regular file"), device.getMessage());
        Path fifo = dir.resolve("fifo.pkl");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertThrows(IOException.class, () -> show(fifo)));
    }

    @Test
    void aChainOfTwoHundredThousandPersistentIdsIsWalkedWithoutRecursion() throws IOException {
        Object chain = "end";
        for (int i = 0; i < 200_000; i++) {
            chain = new PyPersistentId(chain);
        }
        Path file = Files.write(dir.resolve("chain.pkl"), new PickleWriter().write(List.of(chain)));
        CheckpointContents contents = show(file);
        assertEquals("pickle", contents.format());
        assertTrue(contents.values().get(1).text().startsWith("<persistent <persistent"), contents.text());
    }

    @Test
    void aListThreeHundredThousandDeepIsWalkedWithoutRecursion() throws IOException {
        Object deep = "end";
        for (int i = 0; i < 300_000; i++) {
            deep = new java.util.ArrayList<>(List.of(deep));
        }
        Path file = Files.write(dir.resolve("deep.pkl"), new PickleWriter().write(deep));
        CheckpointContents contents = CheckpointContents.read(file, new ShowOptions(2, PathGlob.any()));
        assertEquals(List.of("(root)", "[0]", "[0][0]"), contents.values().stream().map(v -> v.path().toString()).toList());
    }

    @Test
    void aDeepChainReusingOneTensorIsListedWithShortPathsAndCappedWithExactTotals() throws IOException {
        Path empty = dir.resolve("empty.ckpt");
        TorchCheckpoint.create(empty, new java.util.LinkedHashMap<>());
        PyObject tensor;
        try (TorchCheckpoint checkpoint = TorchCheckpoint.open(empty)) {
            tensor = checkpoint.newTensor(DType.FLOAT32, new long[] {1}, new byte[4]).value();
        }
        int depth = 6_000;  // two tensors a level: more than are listed
        Object chain = new ArrayList<>(List.of(tensor, tensor));
        for (int i = 1; i < depth; i++) {
            chain = new ArrayList<>(List.of(tensor, tensor, chain));  // [t, t, [t, t, ...]]: one memoised tensor, a ~100 kB pickle
        }
        Path file = Files.write(dir.resolve("chain.pkl"), new PickleWriter().write(chain));

        CheckpointContents contents = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> show(file));
        String text = contents.text();
        assertEquals(2L * depth, contents.tensorCount());
        assertEquals(8L * depth, contents.totalBytes());
        assertEquals(TreeWalk.LISTED_TENSORS, contents.tensors().size());
        assertTrue(text.contains("and 2000 more (not listed, counted below)") && text.contains("are shown elided"), text.substring(0, 300));
        String lastListed = contents.tensors().get(TreeWalk.LISTED_TENSORS - 1).path().text();
        assertEquals("[2]".repeat(20) + "…(4960 steps)…" + "[2]".repeat(19) + "[1]", lastListed);
    }
}
