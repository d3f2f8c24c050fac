package dev.ckpt.torch;

import dev.ckpt.pickle.PickleReader;
import dev.ckpt.pickle.PickleWriter;
import dev.ckpt.pickle.PythonOracle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Runs the oracle scripts of the view tests ({@code src/test/python/views}) with the real libraries. */
public final class ViewOracle {
    private static final List<Path> SCRIPT_DIRS = List.of(
            Path.of("src/test/python/views"),          // cwd = core/ (Maven)
            Path.of("core/src/test/python/views"));    // cwd = repository root (IDE)

    private ViewOracle() {
    }

    public static Path script(String name) {
        return SCRIPT_DIRS.stream()
                .map(dir -> dir.resolve(name))
                .filter(Files::isRegularFile)
                .findFirst()
                .map(Path::toAbsolutePath)
                .orElseThrow(() -> new IllegalStateException("view oracle script " + name + " not found under "
                        + Path.of("").toAbsolutePath() + " (tried " + SCRIPT_DIRS + ")"));
    }

    /** Standard output of {@code python script args...}, without its final newline. */
    public static String run(String script, String... args) {
        String out = PythonOracle.run(script(script), List.of(args), "");
        return out.endsWith("\n") ? out.substring(0, out.length() - 1) : out;
    }

    public static Object readPickle(Path file) {
        try {
            return new PickleReader().read(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path writePickle(Path file, Object value) {
        try {
            return Files.write(file, new PickleWriter().write(value));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
