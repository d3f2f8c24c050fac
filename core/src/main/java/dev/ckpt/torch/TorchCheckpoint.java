package dev.ckpt.torch;

import dev.ckpt.io.AtomicFile;
import dev.ckpt.io.FileIdentity;
import dev.ckpt.io.SameOffsetCopy;
import dev.ckpt.pickle.PickleException;
import dev.ckpt.pickle.PickleReader;
import dev.ckpt.pickle.PickleWriter;
import dev.ckpt.pickle.PyGlobal;
import dev.ckpt.pickle.PyObject;
import dev.ckpt.pickle.PyPersistentId;
import dev.ckpt.pickle.PyTuple;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
    /** Records torch's writer puts after the storages. */
    private static final Set<String> TRAILING = Set.of("version", ".data/version", TorchLayout.SERIALIZATION_ID);

    private final Path file;
    private final FileIdentity identity;
    private final FileChannel channel;
    private final List<ArchiveRecord> records;
    private final String prefix;
    private final Map<String, ArchiveRecord> storageRecords = new LinkedHashMap<>();
    private final Map<String, byte[]> newStorages = new LinkedHashMap<>();
    private final Map<String, byte[]> recordsInMemory = new LinkedHashMap<>();
    private TorchLayout layout = TorchLayout.torch1();
    private boolean bigEndian;
    private int pickleProtocol = PickleWriter.DEFAULT_PROTOCOL;
    /** The CRC of the data.pkl read, to tell an unchanged tree (whose serialization id is kept). */
    private long sourcePickleCrc = -1;
    /** The globals data.pkl named when opened, before any relocation. */
    private final Set<String> sourceGlobals = new java.util.TreeSet<>();
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
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            // a FIFO would block the open (holding the lock), a device would never end
            throw new CheckpointFormatException(file, null, "not a regular file (a directory, a FIFO or a device?)");
        }
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
            ArchiveRecord dataPkl = dataPkl(file, records);
            TorchCheckpoint checkpoint = new TorchCheckpoint(file, identity, channel, records, dataPkl.name().substring(0, dataPkl.name().length() - 9));
            checkpoint.readLayout();
            requireReadablePickle(file, dataPkl.name(), dataPkl.size());
            byte[] pickle = checkpoint.readRecord(dataPkl, 0, dataPkl.size(), true);
            checkpoint.sourcePickleCrc = crc(pickle);
            // Written back at the protocol the source used (torch.save's pickle_protocol); protocols 0 and 1 have no PROTO.
            if (pickle.length >= 2 && (pickle[0] & 0xff) == 0x80 && pickle[1] >= 2 && pickle[1] <= PickleWriter.HIGHEST_PROTOCOL) {
                checkpoint.pickleProtocol = pickle[1];
            }
            try {
                checkpoint.root = reader.read(pickle, global -> checkpoint.sourceGlobals.add(global.path()));
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
     * The bytes of the record {@code <prefix>/<name>} (one torch does not read, e.g. ckpt's own
     * side records), as set by {@link #putExtraRecord} or read from the file; null when absent.
     */
    public byte[] readExtraRecord(String name, long maxBytes) throws IOException {
        String full = prefix + "/" + name;
        if (recordsInMemory.containsKey(full)) {
            return recordsInMemory.get(full).clone();
        }
        ArchiveRecord record = record(name);
        if (record == null) {
            return null;
        }
        if (record.size() > maxBytes) {
            throw new CheckpointFormatException(file, full, "record of " + record.size() + " bytes; at most " + maxBytes + " expected");
        }
        return readRecord(record, 0, record.size(), true);
    }

    /**
     * Sets the record {@code <prefix>/<name>}, written in its place when the file has it, else
     * after the storages (before torch's trailing {@code version} and serialization id).
     */
    public void putExtraRecord(String name, byte[] bytes) {
        if (name.equals("data.pkl") || name.startsWith("data/") || name.startsWith(".") || name.equals("version")
                || name.equals(TorchLayout.BYTEORDER) || name.contains("..") || name.startsWith("/")) {
            throw new IllegalArgumentException("not a name for an extra record: " + name);
        }
        recordsInMemory.put(prefix + "/" + name, bytes.clone());
    }

    /**
     * The largest pickle this JVM reads: its tree takes several times the pickle's size, so an
     * eighth of the heap ({@code -Xmx}). A stranger's archive may declare a data.pkl of any size
     * (a sparse file of gigabytes costs them a few kilobytes of disk).
     */
    static long maxPickleBytes() {
        return Runtime.getRuntime().maxMemory() / 8;
    }

    static void requireReadablePickle(Path file, String record, long size) {
        if (size > maxPickleBytes()) {
            throw new CheckpointFormatException(file, record, "the pickle is " + size / (1 << 20) + " MB; reading it needs several"
                    + " times that, more than this JVM's heap allows (" + Runtime.getRuntime().maxMemory() / (1 << 20)
                    + " MB: raise -Xmx, e.g. in MAVEN_OPTS, if the file is yours)");
        }
    }

    /**
     * Bytes of a checkpoint file no record covers: what {@link RewriteMode#COMPACT} would drop
     * (the old pickle a {@link RewriteMode#CLONE_UNCHANGED} write left behind). Reads only the
     * zip directory.
     */
    public static long deadBytes(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return LegacyFormat.isLegacy(channel) ? 0 : deadBytes(file, channel, ZipDirectory.read(file, channel));
        }
    }

    /** {@link #deadBytes(Path)} of this open checkpoint, from the directory it already read. */
    public long deadBytes() throws IOException {
        return LegacyFormat.isLegacy(channel) ? 0 : deadBytes(file, channel, records);
    }

    private static long deadBytes(Path file, FileChannel channel, List<ArchiveRecord> records) throws IOException {
        return TorchLayout.deadBytes(records, ZipDirectory.directoryOffset(file, channel));
    }

    /** Whether a file is in torch's pre-1.6 format (a pickled magic number first). */
    public static boolean isLegacy(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return LegacyFormat.isLegacy(channel);
        }
    }

    /**
     * The data.pkl torch reads: the one in the folder of the archive's first record. Another
     * folder's data.pkl is refused, so no reader can see a different checkpoint than torch does.
     */
    private static ArchiveRecord dataPkl(Path file, List<ArchiveRecord> records) {
        List<ArchiveRecord> pickles = records.stream()
                .filter(r -> r.name().endsWith("/data.pkl") && r.name().indexOf('/') == r.name().length() - 9).toList();
        if (pickles.isEmpty() || records.isEmpty()) {
            throw new CheckpointFormatException(file, null, "no <prefix>/data.pkl record: a zip, but not a torch.save checkpoint");
        }
        String first = records.get(0).name();
        String folder = first.indexOf('/') > 0 ? first.substring(0, first.indexOf('/') + 1) : "";
        if (pickles.size() > 1 || !pickles.get(0).name().startsWith(folder) || folder.isEmpty()) {
            throw new CheckpointFormatException(file, pickles.get(pickles.size() - 1).name(), "the archive's data.pkl is not the one"
                    + " torch reads (the folder of its first record, " + (folder.isEmpty() ? first : folder) + "), or it has two");
        }
        return pickles.get(0);
    }

    /** The records torch reads before the storages: alignment, format version and byte order. */
    private void readLayout() throws IOException {
        Map<String, byte[]> small = new LinkedHashMap<>();
        for (String name : List.of(TorchLayout.FORMAT_VERSION, TorchLayout.STORAGE_ALIGNMENT, TorchLayout.BYTEORDER)) {
            ArchiveRecord record = record(name);
            if (record != null) {
                if (record.size() > 64) {
                    throw new CheckpointFormatException(file, record.name(), "record of " + record.size() + " bytes; torch writes a few");
                }
                small.put(name, readRecord(record, 0, record.size(), true));
            }
        }
        try {
            layout = TorchLayout.of(records, small);
        } catch (IllegalArgumentException e) {
            throw new CheckpointFormatException(file, prefix + "/" + TorchLayout.STORAGE_ALIGNMENT, e.getMessage());
        }
        byte[] order = small.get(TorchLayout.BYTEORDER);
        if (order != null) {
            String text = new String(order, java.nio.charset.StandardCharsets.US_ASCII);
            if (!text.equals("little") && !text.equals("big")) {
                throw new CheckpointFormatException(file, prefix + "/" + TorchLayout.BYTEORDER, "byte order '" + text + "' is neither little nor big");
            }
            bigEndian = text.equals("big");
        }
    }

    /** The record {@code <prefix>/<name>}, or null. */
    private ArchiveRecord record(String name) {
        String full = prefix + "/" + name;
        return records.stream().filter(r -> r.name().equals(full)).findFirst().orElse(null);
    }

    /**
     * A pre-1.6 checkpoint, seen as the zip archive it will be written as: {@code archive/data.pkl},
     * a record per storage (read from where the old format keeps it) and {@code archive/version}.
     */
    private static TorchCheckpoint openLegacy(Path file, FileIdentity identity, FileChannel channel, PickleReader reader)
            throws IOException {
        Set<String> globals = new java.util.TreeSet<>();
        LegacyFormat.Contents contents = LegacyFormat.read(file, channel, reader, global -> globals.add(global.path()));
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
        checkpoint.sourceGlobals.addAll(globals);
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
        WrittenArchiveCheck check = new WrittenArchiveCheck(target, "archive", pickle, pickleWriter, Set.of("archive/version"),
                TorchLayout.torch1(), Map.of());
        AtomicFile.replace(target, 0, (out, temp) -> {
            ArchiveWriter writer = new ArchiveWriter(out, TorchLayout.torch1(), WriteProgress.NONE, 0);
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
     * A tensor's elements in row-major order as little-endian bytes, gathered through its strides
     * (a checkpoint whose {@code byteorder} record says {@code big} is swapped on the way).
     */
    public byte[] readData(TensorView tensor) throws IOException {
        StorageRef storage = tensor.storage();
        DType dtype = tensor.dtype();
        int size = dtype.elementSize();
        long bytes = tensor.numel() * size;
        if (bytes > Integer.MAX_VALUE - 16) {
            throw new IOException("tensor of " + bytes + " bytes is too large to read into memory at once");
        }
        byte[] pending = newStorages.get(storage.key());
        checkExtent(tensor);
        byte[] data;
        if (tensor.isContiguous()) {
            long start = tensor.storageOffset() * size;
            data = pending != null ? java.util.Arrays.copyOfRange(pending, (int) start, (int) (start + bytes))
                    : readRecord(storageRecord(storage.key()), start, bytes, false);
        } else {
            byte[] all = pending != null ? pending : readRecord(storageRecord(storage.key()), 0, tensor.extent() * size, false);
            data = gather(all, tensor, size);
        }
        return bigEndian ? dtype.swapBytes(data) : data;
    }

    /**
     * A new tensor over a new storage holding {@code data} (row-major little-endian); put
     * {@link TensorView#value()} into the tree. It is pickled as torch 2.x pickles a tensor of that
     * dtype: {@code _rebuild_tensor_v2} over a typed storage, or {@code _rebuild_tensor_v3} over an
     * untyped one for the dtypes without a legacy storage class (uint16, float8, ...).
     */
    public TensorView newTensor(DType dtype, long[] shape, byte[] data) {
        return tensorOver(dtype, shape, data, false, false);
    }

    private TensorView tensorOver(DType dtype, long[] shape, byte[] data, boolean handedOver, boolean requiresGrad) {
        long numel = java.util.Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        checkSize(dtype, numel, data);
        StorageRef storage = addStorage(dtype, numel, data, handedOver);
        PyObject hooks = new PyObject(PyObject.Construction.REDUCE, PyGlobal.of("collections", "OrderedDict"), PyTuple.of());
        PyTuple stride = TensorView.tuple(TensorView.contiguousStride(shape));
        PyObject tensor = storage.dtype() != null
                ? new PyObject(PyObject.Construction.REDUCE, PyGlobal.of("torch._utils", "_rebuild_tensor_v2"),
                        PyTuple.of(storage.toPersistentId(), 0L, TensorView.tuple(shape), stride, requiresGrad, hooks))
                : new PyObject(PyObject.Construction.REDUCE, PyGlobal.of("torch._utils", "_rebuild_tensor_v3"),
                        PyTuple.of(storage.toPersistentId(), 0L, TensorView.tuple(shape), stride, requiresGrad, hooks, PyGlobal.of("torch", dtype.pythonName())));
        return TensorView.of(tensor);
    }

    /**
     * A new tensor holding {@code data}, to take the place of {@code old} in the tree: a parameter
     * stays a parameter, and the new value keeps {@code old}'s {@code requires_grad}. The value is new, so a tie (two names
     * over one tensor or storage) with {@code old} is not carried over. {@code data} is kept as it
     * is, not copied: the caller must never change it.
     */
    public Object replacement(Object old, DType dtype, long[] shape, byte[] data) {
        TensorView previous = TensorView.isTensor(old) ? TensorView.of(old) : null;
        boolean parameterWrapped = previous != null && previous.isParameter();
        boolean requiresGrad = previous != null && previous.requiresGrad() && !parameterWrapped;
        PyObject fresh = tensorOver(dtype, shape, data, true, requiresGrad).value();
        if (parameterWrapped) {
            PyObject parameter = previous.value();
            List<Object> args = new ArrayList<>(parameter.args());
            args.set(0, fresh);
            return new PyObject(parameter.construction(), parameter.callable(), PyTuple.copyOf(args), parameter.kwargs());
        }
        return fresh;
    }

    /**
     * Gives one tensor new contents (same dtype and shape, row-major little-endian bytes) in a
     * storage of its own; tensors that shared its old storage keep the old bytes.
     */
    public void replaceData(TensorView tensor, byte[] data) {
        checkSize(tensor.dtype(), tensor.numel(), data);
        tensor.pointTo(addStorage(tensor.dtype(), tensor.numel(), data, false));
    }

    /** As {@link #replaceData}, keeping {@code data} itself rather than a copy: the caller must never change it. */
    public void adoptData(TensorView tensor, byte[] data) {
        checkSize(tensor.dtype(), tensor.numel(), data);
        tensor.pointTo(addStorage(tensor.dtype(), tensor.numel(), data, true));
    }

    /**
     * A storage of the tensor's kind: typed where torch has a storage class for the dtype, else
     * untyped bytes; it keeps {@code data} itself when the caller hands it over (and never changes it).
     */
    private StorageRef addStorage(DType dtype, long numel, byte[] data, boolean handedOver) {
        String key;
        do {
            key = String.valueOf(nextKey++);
        } while (storageRecords.containsKey(key) || newStorages.containsKey(key));
        newStorages.put(key, bigEndian ? dtype.swapBytes(data) : handedOver ? data : data.clone());
        return dtype.storageClass() != null ? new StorageRef(dtype, key, "cpu", numel)
                : new StorageRef(null, key, "cpu", numel * dtype.elementSize());
    }

    private static void checkSize(DType dtype, long numel, byte[] data) {
        if (data.length != numel * dtype.elementSize()) {
            throw new IllegalArgumentException(numel + " elements of " + dtype + " take " + numel * dtype.elementSize()
                    + " bytes, but " + data.length + " were given");
        }
    }

    /**
     * Writes the checkpoint to {@code target} (which may be this checkpoint's own file) as torch's
     * own writer would write the current tree: data.pkl from the tree at the source's pickle
     * protocol, storages renumbered and laid out by {@link TorchLayout} (streamed from this file
     * or from memory; unreferenced ones dropped), the other records kept in their order. The
     * target is replaced atomically.
     */
    public void write(Path target) throws IOException {
        write(target, new PickleWriter(), () -> { });
    }

    /**
     * Writes as {@link #write(Path)} does, with the given pickle writer (e.g. a strict one; its
     * protocol gives way to the source's), running {@code beforeRename} once the new file is
     * durable and just before it replaces the target.
     */
    public void write(Path target, PickleWriter pickleWriter, AtomicFile.BeforeRename beforeRename) throws IOException {
        write(target, pickleWriter, beforeRename, WriteProgress.NONE);
    }

    /** Writes as {@link #write(Path, PickleWriter, AtomicFile.BeforeRename)} does, telling {@code progress} as bytes go out. */
    public void write(Path target, PickleWriter pickleWriter, AtomicFile.BeforeRename beforeRename, WriteProgress progress)
            throws IOException {
        write(target, pickleWriter, beforeRename, progress, RewriteMode.CLONE_UNCHANGED);
    }

    /**
     * Writes as {@link #write(Path, PickleWriter, AtomicFile.BeforeRename, WriteProgress)} does.
     * With {@link RewriteMode#CLONE_UNCHANGED} the source's bytes up to the end of the storages
     * it keeps unchanged are copied at equal offsets in the kernel ({@link SameOffsetCopy}, a
     * clone on reflink file systems) and only the rest is written ({@link ClonedPrefix}); those
     * bytes are neither read nor CRC-checked. {@link RewriteMode#COMPACT}, or dead bytes past
     * {@link ClonedPrefix#maxDeadBytes}, writes every record anew in torch's order.
     */
    public RewriteSummary write(Path target, PickleWriter pickleWriter, AtomicFile.BeforeRename beforeRename, WriteProgress progress,
                                RewriteMode mode) throws IOException {
        PickleWriter writer = pickleWriter.withProtocol(pickleProtocol);
        List<PyPersistentId> written = new ArrayList<>();
        List<PyObject> tensors = new ArrayList<>();
        byte[] firstPickle = writer.write(root, new PickleWriter.Observer() {
            @Override
            public void persistentId(PyPersistentId pid) {
                written.add(pid);
            }

            @Override
            public void object(PyObject object) {
                if (TensorView.isTensor(object)) {
                    tensors.add(object);
                }
            }
        });
        StorageNumbering numbering = StorageNumbering.of(written, layout.promisesStorageOffsets());
        checkStorages(written, numbering, tensors);
        byte[] pickle = numbering.isCanonical() ? firstPickle : numbering.whileRenamed(() -> writer.write(root));
        List<PlannedRecord> plan = plan(pickle, numbering);
        Set<String> fromMemory = plan.stream().filter(r -> r.bytes() != null || r.serializationId()).map(PlannedRecord::name).collect(Collectors.toSet());
        WrittenArchiveCheck check = new WrittenArchiveCheck(target, prefix, pickle, writer, fromMemory, layout, storageSizes(numbering));
        boolean overOwnFile = target.toAbsolutePath().normalize().equals(file.toAbsolutePath().normalize());
        ClonedPrefix clone = mode == RewriteMode.COMPACT ? null
                : ClonedPrefix.of(records, identity.size(), plan, name -> storageKey(name) != null, layout.promisesStorageOffsets()).orElse(null);
        long size = expectedSize(plan);
        RewriteSummary[] summary = {null};
        AtomicFile.replace(target, size, (out, temp) -> {
            summary[0] = clone == null ? writeArchive(out, plan, progress, size) : writeOverClone(out, temp, clone, progress, size);
            check.expect(summary[0].records());
        }, check, () -> {
            if (overOwnFile) {
                // Whoever changed the file since it was read (training, a copy, a user) must not lose that change.
                // Checked before beforeRename: a backup's hard link changes the file's ctime and link count.
                identity.checkUnchanged(file);
            }
            beforeRename.run();
        });
        return summary[0];
    }

    /**
     * What writing the current tree would cost its users of torch's weights-only loader
     * ({@code torch.load}'s default since torch 2.6): for each torch version whose weights-only
     * loader accepts every global the file had when it was opened, the globals the tree now
     * pickles to that it refuses. Empty when nothing is lost.
     */
    public List<String> weightsOnlyRegressions() {
        Set<String> now = globalsOf(root);
        List<String> regressions = new ArrayList<>();
        for (String version : WeightsOnlyGlobals.TORCH_VERSIONS) {
            Set<String> refused = WeightsOnlyGlobals.refusedBy(version, now);
            if (WeightsOnlyGlobals.refusedBy(version, sourceGlobals).isEmpty() && !refused.isEmpty()) {
                regressions.add("torch " + version + "'s weights-only loader (torch.load(weights_only=True)) loaded this file,"
                        + " but would refuse it now: it references " + String.join(", ", refused));
            }
        }
        return regressions;
    }

    /** The globals ({@code module.name}) the file's pickle named when it was opened, before any relocation. */
    public Set<String> globalsAtOpen() {
        return java.util.Collections.unmodifiableSet(sourceGlobals);
    }

    /** The globals a tree pickles to (everything a loader has to resolve: classes, functions, {@code _codecs.encode}). */
    public static Set<String> globalsOf(Object tree) {
        Set<String> globals = new java.util.TreeSet<>();
        new PickleWriter().write(tree, new PickleWriter.Observer() {
            @Override
            public void global(PyGlobal global) {
                globals.add(global.path());
            }
        });
        return globals;
    }

    /**
     * The dangerous globals ({@link GlobalSafety}) the tree pickles to now that the file did not
     * name when opened: a relocation, a migration or a rollback put them there. Empty when none.
     */
    public Set<String> addedDangerousGlobals() {
        Set<String> added = GlobalSafety.dangerousAmong(globalsOf(root));
        added.removeAll(sourceGlobals);
        return added;
    }

    /** What this file looked like when it was opened; {@link #write} over it fails if that has changed. */
    public FileIdentity identity() {
        return identity;
    }

    /**
     * The records to write, in order: the source's records with data.pkl from the tree; in place
     * of the source's storages (or, when it had none, after the records torch writes before
     * them), the referenced storages under their new keys in torch's write order; the
     * serialization id recomputed where the source had one.
     */
    private List<PlannedRecord> plan(byte[] pickle, StorageNumbering numbering) throws IOException {
        List<PlannedRecord> storages = new ArrayList<>();
        for (String newKey : layout.writeOrder(numbering.newKeysInFirstUseOrder())) {
            String oldKey = numbering.oldKey(newKey);
            String name = prefix + "/data/" + newKey;
            storages.add(newStorages.containsKey(oldKey) ? PlannedRecord.of(name, newStorages.get(oldKey))
                    : PlannedRecord.copy(name, storageRecord(oldKey)));
        }
        String storagesAfter = storagesAfter();
        boolean samePickle = isSourcePickle(pickle);
        boolean unchanged = samePickle && recordsInMemory.isEmpty() && copiesSourceStorages(storages);
        List<PlannedRecord> plan = new ArrayList<>();
        for (ArchiveRecord record : recordsInTorchOrder()) {
            String name = record.name();
            if (storageKey(name) != null) {
                plan.addAll(storages);
                storages.clear();
            } else if (name.equals(prefix + "/data.pkl")) {
                plan.add(samePickle ? PlannedRecord.copy(name, record) : PlannedRecord.of(name, pickle));
            } else if (name.equals(prefix + "/" + TorchLayout.SERIALIZATION_ID)) {
                // An unchanged archive keeps the id its writer gave it (on macOS, libc++ hashes the names otherwise)
                plan.add(unchanged ? PlannedRecord.copy(name, record) : PlannedRecord.serializationId(name));
            } else if (recordsInMemory.containsKey(name)) {
                plan.add(PlannedRecord.of(name, recordsInMemory.get(name)));
            } else {
                plan.add(PlannedRecord.copy(name, record));
            }
            if (name.equals(storagesAfter)) {
                plan.addAll(storages);
                storages.clear();
            }
        }
        plan.addAll(storages);
        addNewExtraRecords(plan);
        return plan;
    }

    /** The source's records, data.pkl first where torch writes it (a {@link RewriteMode#CLONE_UNCHANGED} write put it after the storages). */
    private List<ArchiveRecord> recordsInTorchOrder() {
        List<ArchiveRecord> ordered = new ArrayList<>(records);
        ordered.sort(java.util.Comparator.comparing(r -> !r.name().equals(prefix + "/data.pkl")));  // stable: the others keep their order
        return ordered;
    }

    /** Whether the source's data.pkl holds exactly these bytes. */
    private boolean isSourcePickle(byte[] pickle) throws IOException {
        ArchiveRecord source = record("data.pkl");
        return crc(pickle) == sourcePickleCrc && source != null && source.size() == pickle.length
                && java.util.Arrays.equals(readRecord(source, 0, source.size(), false), pickle);
    }

    /** Whether the planned storages are the source's, each copied under its own name, in the source's order. */
    private boolean copiesSourceStorages(List<PlannedRecord> storages) {
        List<ArchiveRecord> source = records.stream().filter(r -> storageKey(r.name()) != null).toList();
        if (source.size() != storages.size()) {
            return false;
        }
        for (int i = 0; i < source.size(); i++) {
            if (storages.get(i).source() != source.get(i) || !storages.get(i).keepsSourceRecord()) {
                return false;
            }
        }
        return true;
    }

    private static long crc(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return crc.getValue();
    }

    private boolean isTrailing(String recordName) {
        return recordName.startsWith(prefix + "/") && TRAILING.contains(recordName.substring(prefix.length() + 1));
    }

    /** Extra records the source lacks go before torch's trailing records (version, serialization id), or last. */
    private void addNewExtraRecords(List<PlannedRecord> plan) {
        int at = plan.size();
        while (at > 0 && isTrailing(plan.get(at - 1).name())) {
            at--;
        }
        for (Map.Entry<String, byte[]> extra : recordsInMemory.entrySet()) {
            if (plan.stream().noneMatch(r -> r.name().equals(extra.getKey()))) {
                plan.add(at++, PlannedRecord.of(extra.getKey(), extra.getValue()));
            }
        }
    }

    /** When the source has no storage record: the last of the records torch writes before the storages. */
    private String storagesAfter() {
        if (records.stream().anyMatch(r -> storageKey(r.name()) != null)) {
            return null;
        }
        String after = prefix + "/data.pkl";
        for (String name : List.of(TorchLayout.FORMAT_VERSION, TorchLayout.STORAGE_ALIGNMENT, TorchLayout.BYTEORDER)) {
            if (record(name) != null) {
                after = prefix + "/" + name;
            }
        }
        return after;
    }

    /** Bytes of each storage as the pickle declares them (numel times the storage's element size), by new key in first-use order. */
    private static Map<String, Long> storageSizes(StorageNumbering numbering) {
        Map<String, Long> sizes = new LinkedHashMap<>();
        for (String oldKey : numbering.keysInFirstUseOrder()) {
            sizes.put(numbering.newKey(oldKey), numbering.declaredBytes(oldKey));
        }
        return sizes;
    }

    /** About the size of the written archive, for the free-space check before writing: data, headers, end records. */
    private long expectedSize(List<PlannedRecord> plan) {
        long size = 22 + 56 + 20;
        for (PlannedRecord record : plan) {
            size += record.size() + 30 + 4 + 28 + layout.alignment() + 24 + 46 + 28 + 6L * record.name().length();
        }
        return size;
    }

    /** Writes every record of the plan. */
    private RewriteSummary writeArchive(FileChannel out, List<PlannedRecord> plan, WriteProgress progress, long size)
            throws IOException {
        ArchiveWriter writer = new ArchiveWriter(out, layout, progress, size);
        writeRecords(writer, plan);
        return new RewriteSummary(out.size(), 0, null, 0, writer.records());
    }

    /** Copies the prefix at equal offsets, then writes the rest of the plan after it. */
    private RewriteSummary writeOverClone(FileChannel out, Path temp, ClonedPrefix clone, WriteProgress progress, long size)
            throws IOException {
        Object tempKey = Files.readAttributes(temp, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        SameOffsetCopy.Method method = SameOffsetCopy.copy(file, identity.fileKey(), channel, temp, tempKey, out, clone.length());
        progress.written(clone.length(), size);
        ArchiveWriter writer = new ArchiveWriter(out, layout, progress, size);
        // torch's serialization id looks at the first bytes of each record; only an archive that has one needs them read
        boolean hasId = clone.rest().stream().anyMatch(PlannedRecord::serializationId);
        for (ArchiveRecord kept : clone.kept()) {
            writer.adoptRecord(kept, hasId ? ByteBuffer.wrap(readRecord(kept, 0, Math.min(8, kept.size()), false)) : ByteBuffer.allocate(0));
        }
        writeRecords(writer, clone.rest());
        return new RewriteSummary(out.size(), clone.length(), method, clone.deadBytes(), writer.records());
    }

    private void writeRecords(ArchiveWriter writer, List<PlannedRecord> records) throws IOException {
        for (PlannedRecord record : records) {
            if (record.serializationId()) {
                writer.writeSerializationId(record.name(), prefix);
            } else if (record.bytes() != null) {
                writer.writeRecord(record.name(), record.bytes());
            } else {
                writer.copyRecord(record.name(), file, channel, record.source());
            }
        }
        writer.finish();
    }

    private String storageKey(String recordName) {
        String start = prefix + "/data/";
        return recordName.startsWith(start) ? recordName.substring(start.length()) : null;
    }

    /**
     * Every persistent id is a storage torch can load, every storage the tree refers to is in the
     * archive, and no tensor reaches past its storage.
     */
    private void checkStorages(List<PyPersistentId> written, StorageNumbering numbering, List<PyObject> tensors) {
        for (PyPersistentId pid : written) {
            if (StorageRef.of(pid) == null) {
                throw new CheckpointFormatException(file, prefix + "/data.pkl", "the tree holds the persistent id "
                        + dev.ckpt.pickle.ValuePrinter.inline(pid.id()) + ", which torch.load cannot load (not a storage of a class torch has)");
            }
        }
        for (String key : numbering.keysInFirstUseOrder()) {
            if (!storageRecords.containsKey(key) && !newStorages.containsKey(key)) {
                throw new CheckpointFormatException(file, prefix + "/data/" + key, "the tree refers to storage " + key + ", which the archive lacks");
            }
        }
        for (PyObject tensor : tensors) {
            checkExtent(TensorView.of(tensor));
        }
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
        if (checkCrc && record.hasCrc() && record.crc32() != 0) {  // torch writes 0 when it computes no CRC
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
