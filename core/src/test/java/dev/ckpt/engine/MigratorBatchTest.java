package dev.ckpt.engine;

import static dev.ckpt.engine.MigrationOracle.fixture;
import static dev.ckpt.engine.MigrationOracle.listing;
import static dev.ckpt.engine.Operation.Type.MIGRATE;
import static dev.ckpt.engine.Scenarios.FOO;
import static dev.ckpt.engine.Scenarios.OLD;
import static dev.ckpt.engine.Scenarios.bytes;
import static dev.ckpt.engine.Scenarios.line;
import static dev.ckpt.engine.Scenarios.migrator;
import static dev.ckpt.engine.Scenarios.names;
import static dev.ckpt.engine.Scenarios.recordNames;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ckpt.torch.CheckpointFormatException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Many independent checkpoints at once: the good ones are migrated, each bad one is reported and left as it was. */
@Tag("torch")
class MigratorBatchTest {
    @TempDir
    Path dir;

    @Test
    void twentyCheckpointsOfWhichThreeAreCorruptOnFourThreads() throws IOException, InterruptedException {
        Path seed = fixture("fresh", Files.createDirectory(dir.resolve("seed")));
        Path batch = Files.createDirectory(dir.resolve("batch"));
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            files.add(Files.copy(seed, batch.resolve(String.format("ckpt-%02d.ckpt", i))));
        }
        Path truncated = files.get(3);
        Path notAZip = files.get(9);
        Path badPickle = files.get(16);
        byte[] whole = bytes(seed);
        Files.write(truncated, Arrays.copyOf(whole, whole.length / 2));
        Files.writeString(notAZip, "this is not a checkpoint\n");
        Files.write(badPickle, zipWithDataPkl(new byte[] {(byte) 0x80, 0x02, (byte) 0xff, '.'}));
        Map<Path, byte[]> corrupt = new LinkedHashMap<>();
        for (Path file : List.of(truncated, notAZip, badPickle)) {
            corrupt.put(file, bytes(file));
        }

        Migrator.BatchResult result = migrator(OLD).applyAll(files, 4);

        List<Path> good = files.stream().filter(f -> !corrupt.containsKey(f)).toList();
        assertEquals(good, result.reports().stream().map(MigrationReport::file).toList(), "a report per good file, in the order given");
        for (MigrationReport report : result.reports()) {
            assertTrue(report.written());
            assertEquals(4, report.lines().size());
            assertEquals(line(MIGRATE, FOO, "0.8.0"), report.lines().get(0));
            assertEquals(names(OLD), recordNames(report.file()), report.file() + " is migrated");
        }
        assertEquals(List.copyOf(corrupt.keySet()), List.copyOf(result.failures().keySet()));
        assertReason(result, truncated, "truncated");
        assertReason(result, notAZip, "not a zip archive");
        assertReason(result, badPickle, "unreadable pickle");
        for (Map.Entry<Path, byte[]> entry : corrupt.entrySet()) {
            assertArrayEquals(entry.getValue(), bytes(entry.getKey()), entry.getKey() + " is left as it was");
        }

        List<String> expected = new ArrayList<>();
        for (Path file : files) {
            expected.add(file.getFileName().toString());
        }
        expected.add(".ckpt-backups");
        expected.sort(null);
        assertEquals(expected, listing(batch), "the checkpoints and the backup directory, nothing else (no temp file)");
        List<String> backups = new ArrayList<>();
        for (Path file : files) {
            if (!corrupt.containsKey(file)) {
                backups.add(file.getFileName().toString().replace(".ckpt", "-v0.ckpt.bak"));  // each good file's backup
            }
        }
        assertEquals(backups, listing(batch.resolve(".ckpt-backups")), "a backup per migrated file, none of a bad one");
    }

    @Test
    void anEmptyBatchAndOneThreadAreFine() throws IOException, InterruptedException {
        Path file = fixture("fresh", dir);

        assertEquals(new Migrator.BatchResult(List.of(), Map.of(), Map.of()), migrator(OLD).applyAll(List.of(), 4));
        Migrator.BatchResult one = migrator(OLD).applyAll(List.of(file), 1);

        assertEquals(1, one.reports().size());
        assertTrue(one.failures().isEmpty());
        assertEquals(names(OLD), recordNames(file));
    }

    @Test
    void aFileListedTwiceIsMigratedOnce() throws IOException, InterruptedException {
        Path file = fixture("fresh", Files.createDirectory(dir.resolve("a")));
        Path sameFile = dir.resolve("a/../a/./model.ckpt");

        Migrator.BatchResult result = migrator(OLD).applyAll(List.of(file, sameFile, file), 4);

        assertEquals(List.of(file), result.reports().stream().map(MigrationReport::file).toList());
        assertTrue(result.failures().isEmpty(), String.valueOf(result.failures()));
        assertEquals(names(OLD), recordNames(file));
        assertEquals(List.of(".ckpt-backups", "model.ckpt"), listing(file.getParent()));
        assertEquals(List.of("model-v0.ckpt.bak"), listing(file.getParent().resolve(".ckpt-backups")), "one run, one backup");
    }

    private static void assertReason(Migrator.BatchResult result, Path file, String reason) {
        Exception e = result.failures().get(file);
        assertInstanceOf(CheckpointFormatException.class, e);
        assertEquals(file, ((CheckpointFormatException) e).file());
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains(reason), e.getMessage());
    }

    /** A torch.save-shaped zip (records stored, not compressed) whose data.pkl is not a pickle. */
    private static byte[] zipWithDataPkl(byte[] dataPkl) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            stored(zip, "archive/data.pkl", dataPkl);
            stored(zip, "archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        }
        return out.toByteArray();
    }

    private static void stored(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(data.length);
        entry.setCompressedSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        entry.setCrc(crc.getValue());
        zip.putNextEntry(entry);
        zip.write(data);
        zip.closeEntry();
    }
}
