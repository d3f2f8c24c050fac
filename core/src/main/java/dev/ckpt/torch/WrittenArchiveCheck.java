package dev.ckpt.torch;

import dev.ckpt.io.AtomicFile;
import dev.ckpt.pickle.PickleException;
import dev.ckpt.pickle.PickleLimits;
import dev.ckpt.pickle.PickleReader;
import dev.ckpt.pickle.PickleWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * Reads a just-written archive back before it may replace anything: its zip structure must give
 * exactly the records the writer wrote (names, offsets, sizes, CRCs), every record written from
 * memory must hold its bytes with a matching CRC (unless the archive carries no CRCs), data.pkl
 * must parse back into a tree that pickles to the same bytes, and the layout must keep torch's
 * promises ({@link TorchLayout}): every record's data aligned, each storage record as large as
 * its persistent id says, and, where the archive has {@code .format_version}, every storage
 * exactly where torch 2.7+'s loader computes it without reading its header. Copied records had
 * their CRC checked while they were copied.
 */
final class WrittenArchiveCheck implements AtomicFile.WrittenCheck {
    /** The file is our own output, so its size, not hostile input, bounds the work. */
    private static final PickleLimits OWN_OUTPUT = new PickleLimits(Integer.MAX_VALUE, Integer.MAX_VALUE,
            Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE);

    private final Path target;
    private final String prefix;
    private final String dataPkl;
    private final byte[] pickle;
    private final PickleWriter pickleWriter;
    private final Set<String> fromMemory;
    private final TorchLayout layout;
    private final Map<String, Long> storageBytes;
    private List<ArchiveRecord> expected;

    /**
     * @param storageBytes each storage's key and size in bytes as the pickle declares it, in the
     *                     order the unpickler meets them
     */
    WrittenArchiveCheck(Path target, String prefix, byte[] pickle, PickleWriter pickleWriter, Set<String> fromMemory,
            TorchLayout layout, Map<String, Long> storageBytes) {
        this.target = target;
        this.prefix = prefix;
        this.dataPkl = prefix + "/data.pkl";
        this.pickle = pickle;
        this.pickleWriter = pickleWriter;
        this.fromMemory = fromMemory;
        this.layout = layout;
        this.storageBytes = storageBytes;
    }

    /** The records the writer reports it wrote; set once the archive is finished. */
    void expect(List<ArchiveRecord> written) {
        this.expected = written;
    }

    @Override
    public void check(Path written) throws IOException {
        try (FileChannel channel = FileChannel.open(written, StandardOpenOption.READ)) {
            List<ArchiveRecord> found = ZipDirectory.read(written, channel);
            if (!sameRecords(found, expected)) {
                throw fail(null, "its zip directory does not list the records that were written");
            }
            for (ArchiveRecord record : found) {
                if (layout.computesCrc() && (record.name().equals(dataPkl) || fromMemory.contains(record.name()))) {
                    checkCrc(channel, record);
                }
            }
            checkLayout(found);
            checkPickle(channel, found.stream().filter(r -> r.name().equals(dataPkl)).findFirst()
                    .orElseThrow(() -> fail(null, "it has no " + dataPkl)));
        } catch (CheckpointFormatException e) {
            throw fail(e.record(), e.getMessage());
        }
    }

    /** Field by field: a record's generated equals is slow until the JIT has compiled it, and this runs once per rewrite. */
    private static boolean sameRecords(List<ArchiveRecord> found, List<ArchiveRecord> expected) {
        if (found.size() != expected.size()) {
            return false;
        }
        for (int i = 0; i < found.size(); i++) {
            ArchiveRecord a = found.get(i);
            ArchiveRecord b = expected.get(i);
            if (!a.name().equals(b.name()) || a.headerOffset() != b.headerOffset() || a.dataOffset() != b.dataOffset()
                    || a.size() != b.size() || a.crc32() != b.crc32() || a.hasCrc() != b.hasCrc()) {
                return false;
            }
        }
        return true;
    }

    private void checkLayout(List<ArchiveRecord> found) {
        Map<String, ArchiveRecord> byName = new HashMap<>();
        for (ArchiveRecord record : found) {
            if (record.dataOffset() % layout.alignment() != 0) {
                throw fail(record.name(), "its data at offset " + record.dataOffset() + " is not aligned to " + layout.alignment() + " bytes");
            }
            byName.put(record.name(), record);
        }
        Long current = null;
        for (Map.Entry<String, Long> storage : storageBytes.entrySet()) {
            String name = prefix + "/data/" + storage.getKey();
            ArchiveRecord record = byName.get(name);
            long bytes = storage.getValue();
            if (record == null || record.size() != bytes) {
                throw fail(name, "the pickle declares a storage of " + bytes + " bytes, the archive holds "
                        + (record == null ? "no such record" : record.size() + " bytes"));
            }
            if (!layout.promisesStorageOffsets()) {
                continue;
            }
            // torch 2.7+'s _get_offset: the first storage (key 0) is found by its header, the others computed
            long headerOffset;
            if (current == null) {
                if (!storage.getKey().equals("0")) {
                    throw fail(name, "the first storage the loader meets has key " + storage.getKey() + ", not 0");
                }
                headerOffset = record.headerOffset();
            } else {
                headerOffset = current;
                long computed = layout.dataOffset(current, (prefix + "/data/" + storage.getKey()).getBytes(StandardCharsets.UTF_8).length, bytes);
                if (computed != record.dataOffset()) {
                    throw fail(name, "torch would look for its data at offset " + computed + ", but it is at " + record.dataOffset());
                }
            }
            current = record.dataOffset() + bytes + TorchLayout.descriptorSize(headerOffset, bytes);
        }
    }

    private void checkCrc(FileChannel channel, ArchiveRecord record) throws IOException {
        CRC32 crc = new CRC32();
        ByteBuffer chunk = ByteBuffer.allocate(1 << 20);
        long done = 0;
        while (done < record.size()) {
            chunk.clear().limit((int) Math.min(chunk.capacity(), record.size() - done));
            int n = channel.read(chunk, record.dataOffset() + done);
            if (n < 0) {
                throw fail(record.name(), "the file ends inside the record");
            }
            crc.update(chunk.flip());
            done += n;
        }
        if ((int) crc.getValue() != record.crc32()) {
            throw fail(record.name(), "its bytes do not match their CRC");
        }
    }

    private void checkPickle(FileChannel channel, ArchiveRecord record) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate((int) record.size());
        while (bytes.hasRemaining()) {
            if (channel.read(bytes, record.dataOffset() + bytes.position()) < 0) {
                throw fail(record.name(), "the file ends inside the record");
            }
        }
        if (!Arrays.equals(bytes.array(), pickle)) {
            throw fail(record.name(), "it does not hold the pickle that was written");
        }
        Object tree;
        try {
            tree = new PickleReader().withLimits(OWN_OUTPUT).read(bytes.array());
        } catch (PickleException e) {
            throw fail(record.name(), "it does not parse back: " + e.getMessage());
        }
        if (!Arrays.equals(pickleWriter.write(tree), pickle)) {
            throw fail(record.name(), "it parses back to a different tree");
        }
    }

    private CheckpointFormatException fail(String record, String what) {
        return new CheckpointFormatException(target, record,
                "the new file failed its check before replacing anything (" + what + "); nothing was changed");
    }
}
