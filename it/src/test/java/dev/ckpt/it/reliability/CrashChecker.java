package dev.ckpt.it.reliability;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code checkpoints.py check} for every file a {@link CrashTest} looks at, answered by one Python
 * interpreter ({@code checkpoints.py serve}): importing torch takes longer than checking a 300 MB
 * checkpoint. Its failure (or any error of torch.load) fails the test.
 */
final class CrashChecker implements AutoCloseable {
    private final Path manifest;
    private final Path stderr;
    private final Process python;
    private final Writer requests;
    private final BufferedReader replies;

    CrashChecker(Path manifest, Path stderr) throws IOException {
        this.manifest = manifest;
        this.stderr = stderr;
        python = new ProcessBuilder(ApplyProcesses.PYTHON.toString(), "-u", ApplyProcesses.checkpointsScript().toString(), "serve")
                .redirectError(stderr.toFile()).start();
        requests = new OutputStreamWriter(python.getOutputStream(), StandardCharsets.UTF_8);
        replies = new BufferedReader(new InputStreamReader(python.getInputStream(), StandardCharsets.UTF_8));
    }

    /** torch.load of {@code file} is the original or the completely migrated checkpoint: which one. */
    String check(Path file) throws IOException {
        requests.write(file + "\t" + manifest + "\n");
        requests.flush();
        List<String> lines = new ArrayList<>();
        for (String line = replies.readLine(); !"END".equals(line); line = replies.readLine()) {
            if (line == null) {
                throw new AssertionError("the checking Python ended: " + Files.readString(stderr));
            }
            lines.add(line);
        }
        String verdict = lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        if (!verdict.equals("original") && !verdict.equals("migrated")) {
            throw new AssertionError("checkpoints.py check " + file.getFileName() + ": " + String.join("\n", lines));
        }
        return verdict;
    }

    @Override
    public void close() throws Exception {
        try {
            requests.close();
            python.waitFor(10, TimeUnit.SECONDS);
        } finally {
            python.destroyForcibly();
        }
    }
}
