package dev.ckpt.it;

import dev.ckpt.pickle.PythonOracle;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The torch oracle: Debian's {@code /usr/bin/python3} ({@link PythonOracle#python()}) with the
 * real torch 1.13, numpy and OmegaConf, running {@code src/test/python/torch_it/oracle.py}.
 * One interpreter serves the whole test run (importing torch takes a second), answering one
 * command at a time; a failed check comes back as an {@link AssertionError} carrying Python's
 * traceback, which lists every difference it found.
 */
final class TorchOracle {
    private static final long TIMEOUT_SECONDS = 120;
    private static final List<Path> SCRIPT_DIRS = List.of(
            Path.of("src/test/python/torch_it"),        // cwd = it/ (Maven)
            Path.of("it/src/test/python/torch_it"));    // cwd = repository root (IDE)

    private static Process process;
    private static OutputStream requests;
    private static InputStream replies;
    private static Path stderr;
    private static final ExecutorService READER = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "torch-oracle-reader");
        thread.setDaemon(true);
        return thread;
    });

    private TorchOracle() {
    }

    /** Saves the checkpoint {@code kind} of checkpoints.py with torch.save to {@code out}. */
    static Path make(String kind, Path out) {
        call("make", kind, out.toString());
        return out;
    }

    /**
     * Asserts that torch.load of {@code file} holds exactly the tensors Java's manifest lists,
     * each with the dtype, shape, bytes, requires_grad and class Java says; returns the summary.
     */
    static String checkTensors(Path file, TensorManifest manifest) {
        Path json = sibling(file, ".manifest.jsonl");
        write(json, manifest.toJsonLines());
        return call("check_tensors", file.toString(), json.toString());
    }

    /**
     * Asserts that torch.load of {@code rewritten} equals torch.load of {@code original} with
     * the changes applied, storage sharing included (checks.compare); returns the summary.
     */
    static String compare(Path original, Path rewritten, Changes changes) {
        Path json = sibling(rewritten, ".changes.json");
        write(json, changes.toJson());
        return call("compare", original.toString(), rewritten.toString(), json.toString());
    }

    /** The archive's records as Python's zipfile reads them; the first is {@code testzip}. */
    static List<ZipRecord> zipRecords(Path file) {
        List<ZipRecord> records = new ArrayList<>();
        for (String line : call("zip_records", file.toString()).split("\n")) {
            String[] f = line.split("\t");
            records.add(f.length == 2 ? new ZipRecord(f[0], -1, -1, -1, f[1])
                    : new ZipRecord(f[0], Long.parseLong(f[1]), Long.parseLong(f[2]), Integer.parseInt(f[3]), f[4]));
        }
        return records;
    }

    /** One record: where its data starts (from its local header), size, zip method, sha256. */
    record ZipRecord(String name, long dataOffset, long size, int method, String sha256) {
    }

    /** Runs a command of oracle.py and returns its result; an error fails the test with Python's traceback. */
    static synchronized String call(String command, String... args) {
        StringBuilder request = new StringBuilder("[").append(Json.string(command));
        for (String arg : args) {
            request.append(", ").append(Json.string(arg));
        }
        request.append("]\n");
        try {
            start();
            requests.write(request.toString().getBytes(StandardCharsets.UTF_8));
            requests.flush();
            Future<String[]> reply = READER.submit(TorchOracle::readReply);
            String[] statusAndText;
            try {
                statusAndText = reply.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                stop();
                throw new AssertionError("torch oracle: no answer to " + request.toString().strip() + " within " + TIMEOUT_SECONDS + " s");
            } catch (ExecutionException e) {
                String err = Files.exists(stderr) ? Files.readString(stderr) : "";
                stop();
                throw new AssertionError("torch oracle died on " + request.toString().strip() + "\n" + err, e.getCause());
            }
            if (!statusAndText[0].equals("OK")) {
                throw new AssertionError("torch oracle: " + request.toString().strip() + " failed:\n" + statusAndText[1]);
            }
            return statusAndText[1];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static String[] readReply() throws IOException {
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        for (int b = replies.read(); b != '\n'; b = replies.read()) {
            if (b < 0) {
                throw new IOException("the oracle's output ended");
            }
            header.write(b);
        }
        String[] parts = header.toString(StandardCharsets.US_ASCII).split(" ");
        byte[] text = replies.readNBytes(Integer.parseInt(parts[1]));
        return new String[] {parts[0], new String(text, StandardCharsets.UTF_8)};
    }

    private static void start() throws IOException {
        if (process != null && process.isAlive()) {
            return;
        }
        Path scripts = SCRIPT_DIRS.stream()
                .filter(dir -> Files.isRegularFile(dir.resolve("oracle.py")))
                .findFirst()
                .map(Path::toAbsolutePath)
                .orElseThrow(() -> new IllegalStateException("torch_it scripts not found under "
                        + Path.of("").toAbsolutePath() + " (tried " + SCRIPT_DIRS + ")"));
        stderr = Files.createTempFile("torch-oracle", ".stderr");
        stderr.toFile().deleteOnExit();
        ProcessBuilder builder = new ProcessBuilder(PythonOracle.python(), "-u", scripts.resolve("oracle.py").toString(), "--serve")
                .directory(scripts.toFile())
                .redirectError(stderr.toFile());
        Map<String, String> env = builder.environment();
        env.put("PYTHONHASHSEED", "0");
        env.put("PYTHONDONTWRITEBYTECODE", "1");
        env.put("PYTHONIOENCODING", "utf-8");
        env.put("OMP_NUM_THREADS", "1");
        process = builder.start();
        requests = process.getOutputStream();
        replies = new BufferedInputStream(process.getInputStream());
        Process started = process;
        Runtime.getRuntime().addShutdownHook(new Thread(started::destroy));
    }

    private static void stop() {
        if (process != null) {
            process.destroyForcibly();
            process = null;
        }
    }

    private static Path sibling(Path file, String suffix) {
        return file.resolveSibling(file.getFileName() + suffix);
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Just enough JSON for requests, manifests and changes. */
    static final class Json {
        private Json() {
        }

        static String string(String s) {
            StringBuilder out = new StringBuilder("\"");
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '"' || c == '\\') {
                    out.append('\\').append(c);
                } else if (c < 0x20 || c > 0x7e) {
                    out.append(String.format("\\u%04x", (int) c));
                } else {
                    out.append(c);
                }
            }
            return out.append('"').toString();
        }

        /** A path of dict keys (String, Long) and list indexes as a JSON array. */
        static String path(List<?> path) {
            StringBuilder out = new StringBuilder("[");
            for (Object segment : path) {
                out.append(out.length() > 1 ? ", " : "");
                if (segment instanceof String s) {
                    out.append(string(s));
                } else if (segment instanceof Long || segment instanceof Integer) {
                    out.append(segment);
                } else {
                    throw new IllegalArgumentException("path segment must be a str or int key: " + segment);
                }
            }
            return out.append(']').toString();
        }
    }
}
