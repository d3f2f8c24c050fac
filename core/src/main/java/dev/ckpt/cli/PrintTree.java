package dev.ckpt.cli;

import dev.ckpt.pickle.PickleException;
import dev.ckpt.pickle.PickleReader;
import dev.ckpt.pickle.ValuePrinter;
import dev.ckpt.torch.CheckpointFormatException;
import dev.ckpt.torch.TorchCheckpoint;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Prints the tree of a pickle file, or of the {@code data.pkl} record of a torch.save archive,
 * without running anything it holds. Usage: {@code PrintTree FILE [DEPTH [ITEMS]]}.
 */
public final class PrintTree {
    private static final int DEFAULT_DEPTH = 6;
    private static final int DEFAULT_ITEMS = 20;
    /** The printer recurses once per level shown. */
    private static final int MAX_DEPTH = 1_000;

    private PrintTree() {
    }

    public static void main(String[] args) {
        int status = run(args, System.out, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    /** Prints the tree to {@code out}; returns the exit status (0 ok, 1 unreadable file, 2 usage). */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length < 1 || args.length > 3) {
            err.println("usage: PrintTree FILE [DEPTH [ITEMS]]   (a pickle, or a torch.save checkpoint)");
            return 2;
        }
        Path file = Path.of(args[0]);
        try {
            int depth = args.length > 1 ? Integer.parseInt(args[1]) : DEFAULT_DEPTH;
            int items = args.length > 2 ? Integer.parseInt(args[2]) : DEFAULT_ITEMS;
            if (depth < 0 || depth > MAX_DEPTH || items < 0) {
                err.println("ckpt: DEPTH must be 0 to " + MAX_DEPTH + " and ITEMS 0 or more");
                return 2;
            }
            out.print(ValuePrinter.tree(tree(file), depth, items));
            return 0;
        } catch (NoSuchFileException e) {
            err.println("ckpt: " + file + ": no such file");
        } catch (IOException e) {
            err.println("ckpt: " + file + ": cannot read: " + e.getMessage());
        } catch (CheckpointFormatException e) {
            err.println("ckpt: " + e.getMessage());
        } catch (PickleException e) {
            err.println("ckpt: " + file + ": not a readable pickle: " + e.getMessage());
        } catch (NumberFormatException e) {
            err.println("ckpt: DEPTH and ITEMS must be whole numbers: " + e.getMessage());
            return 2;
        }
        return 1;
    }

    /**
     * The tree of a plain pickle file, or of a torch.save checkpoint (zip or pre-1.6), read as
     * apply reads it: a regular file only (a FIFO or a device would block or never end), no more
     * pickle than the heap can hold, stored zip records only (no deflate bomb to inflate).
     */
    private static Object tree(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            if (Files.notExists(file)) {
                throw new NoSuchFileException(file.toString());
            }
            throw new IOException("not a regular file (a directory, a FIFO or a device?)");
        }
        byte[] head = new byte[4];
        try (InputStream in = Files.newInputStream(file)) {
            int read = in.readNBytes(head, 0, 4);
            boolean zip = read == 4 && head[0] == 'P' && head[1] == 'K';
            boolean legacy = read >= 2 && (head[0] & 0xff) == 0x80 && TorchCheckpoint.isLegacy(file);
            if (!zip && !legacy) {
                long size = Files.size(file);
                if (size > Runtime.getRuntime().maxMemory() / 8) {
                    throw new IOException("a pickle of " + size / (1 << 20) + " MB is more than this JVM's heap can read (raise -Xmx)");
                }
                return new PickleReader().read(Files.readAllBytes(file));
            }
        }
        try (TorchCheckpoint checkpoint = TorchCheckpoint.open(file)) {
            return checkpoint.root();
        }
    }
}
