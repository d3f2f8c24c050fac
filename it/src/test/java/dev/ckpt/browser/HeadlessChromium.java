package dev.ckpt.browser;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code chromium}, run headless on a local page: a screenshot and the DOM after the page
 * loaded. Each run gets a fresh profile and no network services (background networking, component
 * updates), so the page is all it sees. Fails, never skips, when chromium is not installed.
 */
public final class HeadlessChromium {
    private static final long TIMEOUT_SECONDS = 120;
    private final Path executable;

    private HeadlessChromium(Path executable) {
        this.executable = executable;
    }

    /** The chromium on the PATH; an error naming the package to install when there is none. */
    public static HeadlessChromium find() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "chromium");
            if (Files.isExecutable(candidate)) {
                return new HeadlessChromium(candidate);
            }
        }
        throw new IllegalStateException("chromium is not installed (no chromium on the PATH): the report's browser test needs it."
                + " Install Debian's package: apt-get update && apt-get install -y chromium");
    }

    /** Saves a PNG of {@code page} as a {@code width} x {@code height} window shows it. */
    public void screenshot(Path page, Path png, int width, int height) throws IOException, InterruptedException {
        run(page, "--screenshot=" + png.toAbsolutePath(), "--window-size=" + width + "," + height);
        if (!Files.isRegularFile(png)) {
            throw new IllegalStateException("chromium wrote no screenshot at " + png);
        }
    }

    /** The DOM of {@code page} once loaded, serialised as chromium's {@code --dump-dom} prints it. */
    public String dumpDom(Path page) throws IOException, InterruptedException {
        return run(page, "--dump-dom");
    }

    private String run(Path page, String... action) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("ckpt-chromium-profile");
        Path stdout = Files.createTempFile("ckpt-chromium", ".out");
        Path stderr = Files.createTempFile("ckpt-chromium", ".err");
        try {
            List<String> command = new ArrayList<>(List.of(executable.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-background-networking", "--disable-component-update", "--user-data-dir=" + profile));
            command.addAll(List.of(action));
            command.add(page.toAbsolutePath().toUri().toString());
            Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("chromium took more than " + TIMEOUT_SECONDS + " s on " + page + ": " + command);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("chromium exited with " + process.exitValue() + ": " + command + "\n"
                        + Files.readString(stderr, StandardCharsets.UTF_8));
            }
            return Files.readString(stdout, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
            deleteTree(profile);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
