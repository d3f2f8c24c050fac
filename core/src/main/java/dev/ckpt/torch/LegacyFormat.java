package dev.ckpt.torch;

import dev.ckpt.pickle.PickleException;
import dev.ckpt.pickle.PickleReader;
import dev.ckpt.pickle.PyPersistentId;
import dev.ckpt.pickle.PyTuple;
import dev.ckpt.pickle.ValueGraph;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pre-1.6 torch.save format, read only: five pickles in a row (magic number, protocol
 * version, system info, the checkpoint, the sorted storage keys), then each storage as its
 * element count (int64) and raw bytes. Storage ids carry a sixth field (view metadata) that the
 * zip format dropped; reading converts them to the zip form so the checkpoint is written back
 * as a modern archive.
 */
final class LegacyFormat {
    static final BigInteger MAGIC_NUMBER = new BigInteger("119547037146038801333356");
    private static final long PROTOCOL_VERSION = 1001;
    private static final int FIRST_WINDOW = 1 << 20;

    /** One storage's bytes in the legacy file. */
    record Storage(String key, long dataOffset, long size) {
    }

    record Contents(Object root, List<Storage> storages) {
    }

    private LegacyFormat() {
    }

    /** True when the file starts with the legacy magic number pickle. */
    static boolean isLegacy(FileChannel channel) throws IOException {
        ByteBuffer head = ByteBuffer.allocate(32);
        channel.read(head, 0);
        try {
            return MAGIC_NUMBER.equals(new PickleReader().readPrefix(java.util.Arrays.copyOf(head.array(), head.position()), 0).value());
        } catch (PickleException e) {
            return false;
        }
    }

    static Contents read(Path file, FileChannel channel, PickleReader reader, java.util.function.Consumer<dev.ckpt.pickle.PyGlobal> globals)
            throws IOException {
        long fileSize = channel.size();
        int window = (int) Math.min(fileSize, FIRST_WINDOW);
        while (true) {
            byte[] head = readHead(channel, window);
            try {
                return parse(file, channel, reader, head, fileSize, globals);
            } catch (PickleException e) {
                if (!e.isTruncation() || window >= fileSize || window >= Integer.MAX_VALUE / 2) {
                    throw new CheckpointFormatException(file, "legacy pickle", "unreadable pickle: " + e.getMessage(), e);
                }
                // the pickles may claim to go on for the whole file: never read more than this JVM can hold
                TorchCheckpoint.requireReadablePickle(file, "legacy pickle", Math.min(fileSize, (long) window * 4));
                window = (int) Math.min(fileSize, (long) window * 4);
            }
        }
    }

    private static Contents parse(Path file, FileChannel channel, PickleReader reader, byte[] head, long fileSize,
            java.util.function.Consumer<dev.ckpt.pickle.PyGlobal> globals) throws IOException {
        PickleReader plain = new PickleReader();
        PickleReader.Prefix magic = plain.readPrefix(head, 0);
        PickleReader.Prefix protocol = plain.readPrefix(head, magic.end());
        if (!Long.valueOf(PROTOCOL_VERSION).equals(protocol.value())) {
            throw new CheckpointFormatException(file, null, "legacy torch.save protocol " + protocol.value() + " is not supported (only " + PROTOCOL_VERSION + ")");
        }
        PickleReader.Prefix sysInfo = plain.readPrefix(head, protocol.end());
        if (sysInfo.value() instanceof Map<?, ?> info && Boolean.FALSE.equals(info.get("little_endian"))) {
            throw new CheckpointFormatException(file, null, "big-endian legacy checkpoints are not supported");
        }
        PickleReader.Prefix checkpoint = reader.readPrefix(head, sysInfo.end(), globals);
        PickleReader.Prefix keys = plain.readPrefix(head, checkpoint.end());
        if (!(keys.value() instanceof List<?> keyList)) {
            throw new CheckpointFormatException(file, null, "legacy storage key list is missing");
        }
        Map<String, Long> bytesPerKey = convertStorageIds(file, checkpoint.value());
        List<Storage> storages = new ArrayList<>();
        long position = keys.end();
        ByteBuffer count = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        for (Object key : keyList) {
            count.clear();
            if (position + 8 > fileSize || channel.read(count, position) < 8) {
                throw new CheckpointFormatException(file, "storage " + key, "file ends before the storage (truncated)");
            }
            Long size = bytesPerKey.get(String.valueOf(key));
            if (size == null) {
                throw new CheckpointFormatException(file, "storage " + key, "no tensor refers to this storage's type");
            }
            long dataOffset = position + 8;
            if (dataOffset + size > fileSize) {
                throw new CheckpointFormatException(file, "storage " + key, "file ends inside the storage (truncated)");
            }
            storages.add(new Storage(String.valueOf(key), dataOffset, size));
            position = dataOffset + size;
        }
        return new Contents(checkpoint.value(), storages);
    }

    /**
     * Rewrites every legacy storage id ('storage', type, key, location, numel, view) as the zip
     * format's ('storage', type, key, location, numel); returns each key's size in bytes.
     */
    private static Map<String, Long> convertStorageIds(Path file, Object root) {
        Map<String, Long> sizes = new java.util.HashMap<>();
        Map<PyPersistentId, Boolean> legacyIds = new IdentityHashMap<>();
        ValueGraph.forEach(root, value -> {
            if (value instanceof PyPersistentId pid && pid.id() instanceof PyTuple id && !id.isEmpty()) {
                legacyIds.put(pid, Boolean.TRUE);
            }
        });
        for (PyPersistentId pid : legacyIds.keySet()) {
            PyTuple id = (PyTuple) pid.id();
            if (!"storage".equals(id.get(0))) {
                throw new CheckpointFormatException(file, null, "legacy persistent id of kind '" + id.get(0)
                        + "' (a pickled module with its source) cannot be converted; save a state_dict instead");
            }
            if (id.size() != 6 || id.get(5) != null) {
                throw new CheckpointFormatException(file, null, "legacy storage views are not supported: " + id);
            }
            StorageRef storage = StorageRef.of(new PyPersistentId(PyTuple.copyOf(id.subList(0, 5))));
            if (storage == null) {
                throw new CheckpointFormatException(file, null, "unknown legacy storage id " + id);
            }
            pid.replaceId(storage.toPersistentId().id());
            sizes.put(storage.key(), storage.byteSize());
        }
        return sizes;
    }

    private static byte[] readHead(FileChannel channel, int length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length);
        while (buf.hasRemaining() && channel.read(buf, buf.position()) >= 0) {
            // keep reading until the window is full or the file ends
        }
        return java.util.Arrays.copyOf(buf.array(), buf.position());
    }
}
