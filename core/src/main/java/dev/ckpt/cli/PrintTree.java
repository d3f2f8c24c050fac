package dev.ckpt.cli;

import dev.ckpt.pickle.PickleException;
import dev.ckpt.pickle.PickleReader;
import dev.ckpt.pickle.ValuePrinter;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Prints the tree of a pickle file, or of the {@code data.pkl} record of a torch.save archive,
 * without running anything it holds. Usage: {@code PrintTree FILE [DEPTH [ITEMS]]}.
 */
public final class PrintTree {
    private static final int DEFAULT_DEPTH = 6;
    private static final int DEFAULT_ITEMS = 20;

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
            Object tree = new PickleReader().read(pickleBytes(file));
            out.print(ValuePrinter.tree(tree, depth, items));
            return 0;
        } catch (NoSuchFileException e) {
            err.println("ckpt: " + file + ": no such file");
        } catch (IOException e) {
            err.println("ckpt: " + file + ": cannot read: " + e.getMessage());
        } catch (PickleException e) {
            err.println("ckpt: " + file + ": not a readable pickle: " + e.getMessage());
        } catch (NumberFormatException e) {
            err.println("ckpt: DEPTH and ITEMS must be whole numbers: " + e.getMessage());
            return 2;
        }
        return 1;
    }

    /** The file itself, or the data.pkl record when the file is a zip (torch.save's format). */
    private static byte[] pickleBytes(Path file) throws IOException {
        byte[] head = new byte[4];
        try (InputStream in = Files.newInputStream(file)) {
            if (in.readNBytes(head, 0, 4) < 4 || head[0] != 'P' || head[1] != 'K') {
                return Files.readAllBytes(file);
            }
        }
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry record = zip.stream()
                    .filter(e -> e.getName().equals("data.pkl") || e.getName().endsWith("/data.pkl"))
                    .findFirst()
                    .orElseThrow(() -> new IOException("zip archive without a data.pkl record (not a torch.save checkpoint)"));
            try (InputStream in = zip.getInputStream(record)) {
                return in.readAllBytes();
            }
        } catch (ZipException e) {
            throw new IOException("corrupt zip archive: " + e.getMessage(), e);
        }
    }
}
