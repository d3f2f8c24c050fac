package dev.ckpt.inspect;

import dev.ckpt.engine.CheckpointInspection;
import dev.ckpt.pickle.PickleException;
import dev.ckpt.pickle.PickleReader;
import dev.ckpt.torch.TorchCheckpoint;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

/**
 * Opens a file as apply reads it: a regular file only (a FIFO or a device would block or never
 * end), no more pickle than the heap can hold, stored zip records only (no deflate bomb to inflate).
 */
final class ContentsReader {
    private ContentsReader() {
    }

    static CheckpointContents read(Path file, ShowOptions options) throws IOException {
        if (!Files.isRegularFile(file)) {
            if (Files.notExists(file)) {
                throw new NoSuchFileException(file.toString(), null, "no such file");
            }
            throw new IOException(file + ": not a regular file (a directory, a FIFO or a device?)");
        }
        if (!isTorchFile(file)) {
            Set<String> globals = new TreeSet<>();
            Object tree = plainPickle(file, globals);
            return contents(file, "pickle", tree, globals, null, options);
        }
        String format = TorchCheckpoint.isLegacy(file) ? "legacy file (pre-1.6)" : "zip archive";
        try (TorchCheckpoint checkpoint = TorchCheckpoint.open(file)) {
            return contents(file, format, checkpoint.root(), checkpoint.globalsAtOpen(), CheckpointInspection.of(file), options);
        }
    }

    private static CheckpointContents contents(Path file, String format, Object tree, Set<String> globals,
            CheckpointInspection migrations, ShowOptions options) {
        TreeWalk walk = TreeWalk.of(tree, options);
        return new CheckpointContents(file, format, walk.tensors(), walk.unlistedTensors(), walk.totals(), walk.configs(),
                walk.arrays(), walk.values(), GlobalCounter.count(tree, globals), migrations);
    }

    private static boolean isTorchFile(Path file) throws IOException {
        byte[] head = new byte[2];
        int read;
        try (InputStream in = Files.newInputStream(file)) {
            read = in.readNBytes(head, 0, 2);
        }
        boolean zip = read == 2 && head[0] == 'P' && head[1] == 'K';
        return zip || read == 2 && (head[0] & 0xff) == 0x80 && TorchCheckpoint.isLegacy(file);
    }

    private static Object plainPickle(Path file, Set<String> globals) throws IOException {
        long size = Files.size(file);
        if (size > Runtime.getRuntime().maxMemory() / 8) {
            throw new IOException(file + ": a pickle of " + size / (1 << 20) + " MB is more than this JVM's heap can read (raise -Xmx)");
        }
        try {
            return new PickleReader().read(Files.readAllBytes(file), global -> globals.add(global.path()));
        } catch (PickleException e) {
            throw new PickleException(file + ": not a readable pickle: " + e.getMessage(), -1, null, e);
        }
    }
}
