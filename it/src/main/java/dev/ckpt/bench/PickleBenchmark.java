package dev.ckpt.bench;

import dev.ckpt.pickle.PickleReader;
import dev.ckpt.pickle.PickleWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Throughput of the pickle engine on one torch {@code data.pkl} (the pickle record inside a
 * {@code torch.save} zip). The file is given, never generated here: {@code -p path=FILE}, or the
 * system property {@code ckpt.bench.pickle}, or the environment variable {@code CKPT_BENCH_PICKLE}.
 *
 * <p>Scores are microseconds per operation; {@code it/bench/pickle-bench.sh} turns them into MB/s
 * of input pickle bytes (the same convention {@code it/bench/pickle_cpython.py} uses) and puts
 * them beside CPython's.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class PickleBenchmark {

    /** Path of the data.pkl to benchmark; empty means: the system property, then the environment. */
    @Param("")
    public String path;

    private byte[] pickle;
    private Object root;

    @Setup(Level.Trial)
    public void load() throws IOException {
        Path file = resolve(path);
        pickle = Files.readAllBytes(file);
        root = new PickleReader().read(pickle);
        byte[] written = new PickleWriter(2).write(root);
        // Printed into the JMH log: the input size is what MB/s is computed from.
        System.out.printf("%n# ckpt.bench input %s: %d bytes; PickleWriter(2) writes %d bytes%n",
                file, pickle.length, written.length);
    }

    static Path resolve(String param) {
        String p = param;
        if (p == null || p.isEmpty()) {
            p = System.getProperty("ckpt.bench.pickle", "");
        }
        if (p.isEmpty()) {
            p = System.getenv().getOrDefault("CKPT_BENCH_PICKLE", "");
        }
        if (p.isEmpty()) {
            throw new IllegalStateException("no data.pkl given: run with -p path=FILE "
                    + "(or -Dckpt.bench.pickle / CKPT_BENCH_PICKLE); it/bench/pickle-bench.sh makes one");
        }
        Path file = Path.of(p);
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("data.pkl not found: " + file.toAbsolutePath());
        }
        return file;
    }

    @Benchmark
    public Object read() {
        return new PickleReader().read(pickle);
    }

    @Benchmark
    public byte[] write() {
        return new PickleWriter(2).write(root);
    }

    @Benchmark
    public byte[] readWrite() {
        return new PickleWriter(2).write(new PickleReader().read(pickle));
    }
}
