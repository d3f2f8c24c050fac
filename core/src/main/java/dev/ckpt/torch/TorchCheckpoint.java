package dev.ckpt.torch;

import dev.ckpt.io.AtomicFile;
import dev.ckpt.io.FileIdentity;
import dev.ckpt.pickle.PickleException;
import dev.ckpt.pickle.PickleReader;
import dev.ckpt.pickle.PickleWriter;
import dev.ckpt.pickle.PyGlobal;
import dev.ckpt.pickle.PyObject;
import dev.ckpt.pickle.PyTuple;
import dev.ckpt.pickle.ValueGraph;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.zip.CRC32;

/**
 * A torch.save checkpoint opened for reading and rewriting. Only {@code data.pkl} is read into
 * memory, as a value tree; tensor bytes stay in the file and are streamed when the checkpoint is
 * written, so the heap holds the tree, never the weights. Change the tree freely (rename, move,
 * delete tensors; add tensors with {@link #newTensor}; replace a tensor's bytes with
 * {@link #replaceData}), then {@link #write} it: storages no longer referenced are dropped,
 * shared ones stay shared, and the target is replaced atomically.
 */
public final class TorchCheckpoint implements Closeable {
    private final Path file;
    private final FileIdentity identity;
    private final FileChannel channel;
    private final List<ArchiveRecord> records;
    private final String prefix;
    private final Map<String, ArchiveRecord> storageRecords = new LinkedHashMap<>();
    private final Map<String, byte[]> newStorages = new LinkedHashMap<>();
    private final Map<String, byte[]> recordsInMemory = new LinkedHashMap<>();
    private Object root;
    private int nextKey;

    private TorchCheckpoint(Path file, FileIdentity identity, FileChannel channel, List<ArchiveRecord> records, String prefix) {
        this.file = file;
        this.identity = identity;
        this.channel = channel;
        this.records = List.copyOf(records);
        this.prefix = prefix;
        for (ArchiveRecord record : records) {
            String name = record.name();
            if (name.startsWith(prefix + "/data/")) {
                storageRecords.put(name.substring(prefix.length() + 6), record);
            }
        }
        this.nextKey = storageRecords.keySet().stream().filter(k -> k.matches("\\d{1,9}"))
                .mapToInt(Integer::parseInt).max().orElse(-1) + 1;
    }

    public static TorchCheckpoint open(Path file) throws IOException {
        return open(file, new PickleReader());
    }

    /** Opens a checkpoint, reading its data.pkl with the given reader (e.g. one with a relocation). */
    public static TorchCheckpoint open(Path file, PickleReader reader) throws IOException {
        FileIdentity identity;
        FileChannel channel;
        try {
            identity = FileIdentity.of(file);
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "no such checkpoint file");
        } catch (AccessDeniedException e) {
            throw new AccessDeniedException(file.toString(), null, "permission denied: cannot read this checkpoint");
        }
        try {
            // Same identity before and after opening: the channel reads the file the identity describes.
            identity.checkUnchanged(file);
            if (LegacyFormat.isLegacy(channel)) {
                return openLegacy(file, identity, channel, reader);
            }
            List<ArchiveRecord> records = ZipDirectory.read(file, channel);
            ArchiveRecord dataPkl = records.stream()
                    .filter(r -> r.name().endsWith("/data.pkl") && r.name().indexOf('/') == r.name().length() - 9)
                    .findFirst()
                    .orElseThrow(() -> new CheckpointFormatException(file, null,
                            "no <prefix>/data.pkl record: a zip, but not a torch.save checkpoint"));
            TorchCheckpoint checkpoint = new TorchCheckpoint(file, identity, channel, records, dataPkl.name().substring(0, dataPkl.name().length() - 9));
            byte[] pickle = checkpoint.readRecord(dataPkl, 0, dataPkl.size(), true);
            try {
                checkpoint.root = reader.read(pickle);
            } catch (PickleException e) {
                throw new CheckpointFormatException(file, dataPkl.name(), "unreadable pickle: " + e.getMessage(), e);
            }
            return checkpoint;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * A pre-1.6 checkpoint, seen as the zip archive it will be written as: {@code archive/data.pkl},
     * a record per storage (read from where the old format keeps it) and {@code archive/version}.
     */
    private static TorchCheckpoint openLegacy(Path file, FileIdentity identity, FileChannel channel, PickleReader reader)
            throws IOException {
        LegacyFormat.Contents contents = LegacyFormat.read(file, channel, reader);
        String prefix = "archive";
        List<ArchiveRecord> records = new ArrayList<>();
        records.add(ArchiveRecord.unchecked(prefix + "/data.pkl", -1, 0));
        for (LegacyFormat.Storage storage : contents.storages()) {
            records.add(ArchiveRecord.unchecked(prefix + "/data/" + storage.key(), storage.dataOffset(), storage.size()));
        }
        records.add(ArchiveRecord.unchecked(prefix + "/version", -1, 0));
        TorchCheckpoint checkpoint = new TorchCheckpoint(file, identity, channel, records, prefix);
        checkpoint.recordsInMemory.put(prefix + "/version", "3\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        checkpoint.root = contents.root();
        return checkpoint;
    }

    /**
     * Writes a new checkpoint holding only {@code root} (no tensors) as torch.save would: records
     * {@code archive/data.pkl} and {@code archive/version}. For tests and synthetic checkpoints.
     */
    public static void create(Path target, Object root) throws IOException {
        PickleWriter pickleWriter = new PickleWriter();
        byte[] pickle = pickleWriter.write(root);
        byte[] version = "3\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        WrittenArchiveCheck check = new WrittenArchiveCheck(target, "archive/data.pkl", pickle, pickleWriter, Set.of("archive/version"));
        AtomicFile.replace(target, 0, out -> {
            ArchiveWriter writer = new ArchiveWriter(out);
            writer.writeRecord("archive/data.pkl", pickle);
            writer.writeRecord("archive/version", version);
            writer.finish();
            check.expect(writer.records());
        }, check, () -> { });
    }

    public Path file() {
        return file;
    }

    /** The archive's top folder ({@code archive}, or the file's stem for older torch). */
    public String prefix() {
        return prefix;
    }

    public List<ArchiveRecord> records() {
        return records;
    }

    /** The checkpoint object (normally a dict). */
    public Object root() {
        return root;
    }

    public void setRoot(Object root) {
        this.root = root;
    }

    /** The root as a dict, or an error naming the file when it is something else. */
    @SuppressWarnings("unchecked")
    public Map<Object, Object> rootDict() {
        if (root instanceof Map<?, ?> map) {
            return (Map<Object, Object>) map;
        }
        throw new CheckpointFormatException(file, prefix + "/data.pkl",
                "the checkpoint's root object is " + dev.ckpt.pickle.PythonTypes.name(root) + ", not a dict");
    }

    /**
     * A tensor's elements in row-major order as little-endian bytes (torch's layout on every
     * machine it supports), gathered through its strides.
     */
    public byte[] readData(TensorView tensor) throws IOException {
        StorageRef storage = tensor.storage();
        int size = tensor.dtype().elementSize();
        long bytes = tensor.numel() * size;
        if (bytes > Integer.MAX_VALUE - 16) {
            throw new IOException("tensor of " + bytes + " bytes is too large to read into memory at once");
        }
        byte[] pending = newStorages.get(storage.key());
        checkExtent(tensor);
        if (tensor.isContiguous()) {
            long start = tensor.storageOffset() * size;
            if (pending != null) {
                return java.util.Arrays.copyOfRange(pending, (int) start, (int) (start + bytes));
            }
            return readRecord(storageRecord(storage.key()), start, bytes, false);
        }
        byte[] all = pending != null ? pending : readRecord(storageRecord(storage.key()), 0, tensor.extent() * size, false);
        return gather(all, tensor, size);
    }

    /** A new tensor over a new storage holding {@code data}; put {@link TensorView#value()} into the tree. */
    public TensorView newTensor(DType dtype, long[] shape, byte[] data) {
        long numel = java.util.Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        checkSize(dtype, numel, data);
        StorageRef storage = addStorage(dtype, numel, data);
        PyObject hooks = new PyObject(PyObject.Construction.REDUCE, PyGlobal.of("collections", "OrderedDict"), PyTuple.of());
        PyObject tensor = new PyObject(PyObject.Construction.REDUCE, PyGlobal.of("torch._utils", "_rebuild_tensor_v2"),
                PyTuple.of(storage.toPersistentId(), 0L, TensorView.tuple(shape), TensorView.tuple(TensorView.contiguousStride(shape)), false, hooks));
        return TensorView.of(tensor);
    }

    /**
     * Gives one tensor new contents (same dtype and shape, row-major little-endian bytes) in a
     * storage of its own; tensors that shared its old storage keep the old bytes.
     */
    public void replaceData(TensorView tensor, byte[] data) {
        checkSize(tensor.dtype(), tensor.numel(), data);
        tensor.pointTo(addStorage(tensor.dtype(), tensor.numel(), data));
    }

    private StorageRef addStorage(DType dtype, long numel, byte[] data) {
        String key;
        do {
            key = String.valueOf(nextKey++);
        } while (storageRecords.containsKey(key) || newStorages.containsKey(key));
        newStorages.put(key, data.clone());
        return new StorageRef(dtype, key, "cpu", numel);
    }

    private static void checkSize(DType dtype, long numel, byte[] data) {
        if (data.length != numel * dtype.elementSize()) {
            throw new IllegalArgumentException(numel + " elements of " + dtype + " take " + numel * dtype.elementSize()
                    + " bytes, but " + data.length + " were given");
        }
    }

    /**
     * Writes the checkpoint to {@code target} (which may be this checkpoint's own file): records
     * in their original order, data.pkl from the current tree, referenced storages streamed from
     * this file or from memory, unreferenced ones dropped. The target is replaced atomically.
     */
    public void write(Path target) throws IOException {
        write(target, new PickleWriter(), () -> { });
    }

    /**
     * Writes as {@link #write(Path)} does, with the given pickle writer (e.g. a strict one), running
     * {@code beforeRename} once the new file is durable and just before it replaces the target.
     */
    public void write(Path target, PickleWriter pickleWriter, AtomicFile.BeforeRename beforeRename) throws IOException {
        byte[] pickle = pickleWriter.write(root);
        List<PlannedRecord> plan = plan(pickle, referencedStorages());
        Set<String> fromMemory = plan.stream().filter(r -> r.bytes() != null).map(PlannedRecord::name).collect(Collectors.toSet());
        WrittenArchiveCheck check = new WrittenArchiveCheck(target, prefix + "/data.pkl", pickle, pickleWriter, fromMemory);
        boolean overOwnFile = target.toAbsolutePath().normalize().equals(file.toAbsolutePath().normalize());
        AtomicFile.replace(target, expectedSize(plan), out -> check.expect(writeArchive(out, plan)), check, () -> {
            if (overOwnFile) {
                // Whoever changed the file since it was read (training, a copy, a user) must not lose that change.
                identity.checkUnchanged(file);
            }
            beforeRename.run();
        });
    }

    /** What this file looked like when it was opened; {@link #write} over it fails if that has changed. */
    public FileIdentity identity() {
        return identity;
    }

    /** A record of the archive to write: its bytes from memory, or a record of this file to copy. */
    private record PlannedRecord(String name, byte[] bytes, ArchiveRecord source) {
        long size() {
            return bytes != null ? bytes.length : source.size();
        }
    }

    /**
     * The records to write, in order: the original ones (data.pkl from the tree, storages only
     * while referenced), and new storages after the last storage record.
     */
    private List<PlannedRecord> plan(byte[] pickle, Set<String> referenced) {
        List<PlannedRecord> plan = new ArrayList<>();
        Set<String> pendingNew = new LinkedHashSet<>(newStorages.keySet());
        pendingNew.retainAll(referenced);
        String lastStorage = lastStorageRecordName();
        for (ArchiveRecord record : records) {
            String key = storageKey(record.name());
            if (record.name().equals(prefix + "/data.pkl")) {
                plan.add(new PlannedRecord(record.name(), pickle, null));
            } else if (recordsInMemory.containsKey(record.name())) {
                plan.add(new PlannedRecord(record.name(), recordsInMemory.get(record.name()), null));
            } else if (key == null || referenced.contains(key)) {
                plan.add(new PlannedRecord(record.name(), null, record));
            }
            if (record.name().equals(lastStorage)) {
                addNewStorages(plan, pendingNew);
            }
        }
        addNewStorages(plan, pendingNew);
        return plan;
    }

    private void addNewStorages(List<PlannedRecord> plan, Set<String> keys) {
        for (String key : keys) {
            plan.add(new PlannedRecord(prefix + "/data/" + key, newStorages.get(key), null));
        }
        keys.clear();
    }

    /** About the size of the written archive, for the free-space check before writing: data, headers, end records. */
    private static long expectedSize(List<PlannedRecord> plan) {
        long size = 22 + 56 + 20;
        for (PlannedRecord record : plan) {
            size += record.size() + 30 + 4 + ArchiveWriter.ALIGNMENT + 24 + 46 + 28 + 6L * record.name().length();
        }
        return size;
    }

    /** Returns the records written, for the check that reads them back. */
    private List<ArchiveRecord> writeArchive(FileChannel out, List<PlannedRecord> plan) throws IOException {
        ArchiveWriter writer = new ArchiveWriter(out);
        for (PlannedRecord record : plan) {
            if (record.bytes() != null) {
                writer.writeRecord(record.name(), record.bytes());
            } else {
                writer.copyRecord(record.name(), file, channel, record.source());
            }
        }
        writer.finish();
        return writer.records();
    }

    /** New storages go after the last storage record, or after data.pkl when there is none. */
    private String lastStorageRecordName() {
        String last = prefix + "/data.pkl";
        for (ArchiveRecord record : records) {
            if (storageKey(record.name()) != null) {
                last = record.name();
            }
        }
        return last;
    }

    private String storageKey(String recordName) {
        String start = prefix + "/data/";
        return recordName.startsWith(start) ? recordName.substring(start.length()) : null;
    }

    /** Keys of every storage the tree refers to; fails on a key the archive lacks or a tensor past its storage. */
    private Set<String> referencedStorages() throws IOException {
        Set<String> keys = new HashSet<>();
        List<TensorView> tensors = new ArrayList<>();
        ValueGraph.forEach(root, value -> {
            StorageRef storage = StorageRef.of(value);
            if (storage != null) {
                keys.add(storage.key());
            }
            if (TensorView.isTensor(value)) {
                tensors.add(TensorView.of(value));
            }
        });
        for (String key : keys) {
            if (!storageRecords.containsKey(key) && !newStorages.containsKey(key)) {
                throw new CheckpointFormatException(file, prefix + "/data/" + key, "the tree refers to storage " + key + ", which the archive lacks");
            }
        }
        for (TensorView tensor : tensors) {
            checkExtent(tensor);
        }
        return keys;
    }

    private void checkExtent(TensorView tensor) {
        String key = tensor.storage().key();
        long available = newStorages.containsKey(key) ? newStorages.get(key).length : storageRecord(key).size();
        long needed = tensor.extent() * tensor.dtype().elementSize();
        if (needed > available) {
            throw new CheckpointFormatException(file, prefix + "/data/" + key, "storage record holds " + available
                    + " bytes, but a tensor " + java.util.Arrays.toString(tensor.shape()) + " of " + tensor.dtype() + " needs " + needed);
        }
    }

    private ArchiveRecord storageRecord(String key) {
        ArchiveRecord record = storageRecords.get(key);
        if (record == null) {
            throw new CheckpointFormatException(file, prefix + "/data/" + key, "storage record is missing");
        }
        return record;
    }

    private byte[] readRecord(ArchiveRecord record, long offset, long length, boolean checkCrc) throws IOException {
        if (length > Integer.MAX_VALUE - 16) {
            throw new CheckpointFormatException(file, record.name(), "record of " + length + " bytes is too large to read into memory");
        }
        ByteBuffer buf = ByteBuffer.allocate((int) length);
        while (buf.hasRemaining()) {
            if (channel.read(buf, record.dataOffset() + offset + buf.position()) < 0) {
                throw new CheckpointFormatException(file, record.name(), "file ends inside the record (truncated)");
            }
        }
        if (checkCrc) {
            CRC32 crc = new CRC32();
            crc.update(buf.array());
            if ((int) crc.getValue() != record.crc32()) {
                throw CheckpointFormatException.crcMismatch(file, record, (int) crc.getValue());
            }
        }
        return buf.array();
    }

    private static byte[] gather(byte[] storage, TensorView tensor, int size) {
        long[] shape = tensor.shape();
        long[] stride = tensor.stride();
        byte[] out = new byte[(int) (tensor.numel() * size)];
        long[] index = new long[shape.length];
        for (int n = 0; n < out.length / size; n++) {
            long element = tensor.storageOffset();
            for (int d = 0; d < shape.length; d++) {
                element += index[d] * stride[d];
            }
            System.arraycopy(storage, (int) (element * size), out, n * size, size);
            for (int d = shape.length - 1; d >= 0 && ++index[d] == shape[d]; d--) {
                index[d] = 0;
            }
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    /** Reads little-endian floats, for the common float32 case. */
    public static float[] asFloats(byte[] data) {
        float[] values = new float[data.length / 4];
        ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        return values;
    }

    /** Little-endian bytes of floats, for {@link #newTensor} and {@link #replaceData}. */
    public static byte[] fromFloats(float... values) {
        ByteBuffer buf = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(values);
        return buf.array();
    }
}
