package dev.ckpt.pickle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Mutation fuzzing of the reader and writer, seeded from the committed CPython corpus. Every input
 * is derived from (seed, iteration) alone, so a failure names both and shows the input as hex;
 * rerun one input with {@code -Dckpt.fuzz.seed=S -Dckpt.fuzz.from=I -Dckpt.fuzz.iterations=1}.
 *
 * <p>Contract checked for each input: reading returns or throws {@link PickleException} whose
 * offset lies inside the input and names the opcode byte found there; when it returns, writing
 * the tree at protocols 0, 2 and 4 returns or throws PickleException, and whatever we write we
 * read back, and writing what we read back gives the same bytes again (no silent drift).
 */
class PickleFuzzTest {
    private static final Path CORPUS = Path.of("src/test/resources/pickle-corpus");
    private static final long SEED = Long.getLong("ckpt.fuzz.seed", 0x5eed_c4b7L);
    private static final int ITERATIONS = Integer.getInteger("ckpt.fuzz.iterations", 200_000);
    private static final int FROM = Integer.getInteger("ckpt.fuzz.from", 0);
    private static final int[] WRITE_PROTOCOLS = {0, 2, 4};
    private static final int HEX_LIMIT = 2048;
    private static final int MAX_FAILURES = 10;

    /** Single bytes worth trying: boundaries of signed/unsigned lengths, and every opcode byte. */
    private static final int[] INTERESTING_BYTES;
    /** Lengths and indices worth writing over 4- and 8-byte fields. */
    private static final long[] INTERESTING_WORDS = {
        0, 1, 0x7f, 0x80, 0xff, 0x100, 0xffff, 0x10000, 0x7fff_ffffL, 0x8000_0000L, 0xffff_ffffL,
        1L << 32, 1L << 60, Long.MAX_VALUE, Long.MIN_VALUE, -1L,
    };

    static {
        List<Integer> bytes = new ArrayList<>(List.of(0x00, 0xff, 0x7f, 0x80, 0x01, 0xfe, (int) '\n', (int) '.'));
        for (Opcode op : Opcode.values()) {
            bytes.add(op.code());
        }
        INTERESTING_BYTES = bytes.stream().mapToInt(Integer::intValue).toArray();
    }

    static List<byte[]> corpus;

    @BeforeAll
    static void loadCorpus() throws IOException {
        corpus = new ArrayList<>();
        for (String line : Files.readAllLines(CORPUS.resolve("MANIFEST.tsv"))) {
            corpus.add(Files.readAllBytes(CORPUS.resolve(line.split("\t", -1)[0])));
        }
        assertTrue(corpus.size() > 300, "corpus files: " + corpus.size());
    }

    /** The hostile shapes mutated on their own (so the corpus stream above stays as it was). */
    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void mutatedHostileShapesAreReadOrRejectedCleanly() {
        List<byte[]> seeds = hostileShapes();
        int read = 0;
        for (int i = 0; i < 5_000; i++) {
            SplittableRandom random = new SplittableRandom(SEED ^ 0x6a09_e667_f3bc_c908L * (i + 1));
            byte[] input = seeds.get(random.nextInt(seeds.size()));
            int rounds = 1 + random.nextInt(3);
            for (int r = 0; r < rounds; r++) {
                input = mutateOnce(random, input);
            }
            try {
                read += checkContract(input) ? 1 : 0;
            } catch (Throwable e) {
                throw new AssertionError("hostile-shape fuzz input broke the contract: iteration " + i + ", " + input.length + " bytes", e);
            }
        }
        assertTrue(read > 0, "some mutated hostile shapes still read");
    }

    /**
     * Seeds shaped like the attacks HostilePickleShapesTest measures, small enough to mutate fast:
     * tuple keys that shared Java's list hash, deep nesting, an out-of-order memo, a chain of
     * persistent ids, a declared length far past the end.
     */
    private static List<byte[]> hostileShapes() {
        java.util.Map<Object, Object> colliding = new java.util.LinkedHashMap<>();
        for (long i = 0; i < 2_000; i++) {
            colliding.put(PyTuple.of(i, (-31L * i) & 0xffffffffL), i);
        }
        Object deep = new ArrayList<>();
        Object chain = "end";
        for (int i = 0; i < 3_000; i++) {
            List<Object> outer = new ArrayList<>();
            outer.add(deep);
            deep = outer;
            chain = new PyPersistentId(chain);
        }
        java.io.ByteArrayOutputStream memo = new java.io.ByteArrayOutputStream();
        memo.writeBytes(new byte[] {(byte) 0x80, 2, ']'});
        for (int i = 0; i < 2_000; i++) {
            int index = 7 * i + 100;
            memo.writeBytes(new byte[] {'r', (byte) index, (byte) (index >> 8), (byte) (index >> 16), (byte) (index >>> 24)});
        }
        memo.write('.');
        byte[] longLength = {(byte) 0x80, 4, (byte) 0x8d, 0, 0, 0, 0, 0, 1, 0, 0, 'a', '.'};  // BINUNICODE8 of 2^40 bytes
        PickleWriter writer = new PickleWriter();
        return List.of(writer.write(colliding), writer.write(deep), writer.write(List.of(chain)), memo.toByteArray(), longLength);
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void mutatedCorpusPicklesAreReadOrRejectedCleanlyAndWhatWeWriteWeReadBack() throws InterruptedException {
        int threads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
        Queue<AssertionError> failures = new ConcurrentLinkedQueue<>();
        int[] outcomes = new int[threads * 2];
        long start = System.nanoTime();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int worker = t;
            Thread thread = new Thread(() -> {
                for (int i = FROM + worker; i < FROM + ITERATIONS && failures.size() < MAX_FAILURES; i += threads) {
                    byte[] input = mutate(new SplittableRandom(SEED ^ 0x9e37_79b9_7f4a_7c15L * (i + 1)));
                    try {
                        outcomes[worker * 2 + (checkContract(input) ? 0 : 1)]++;
                    } catch (Throwable e) {
                        failures.add(new AssertionError("fuzz input broke the contract: seed 0x"
                                + Long.toHexString(SEED) + ", iteration " + i + ", " + input.length + " bytes: " + hex(input), e));
                    }
                }
            }, "fuzz-" + t);
            workers.add(thread);
            thread.start();
        }
        for (Thread thread : workers) {
            thread.join();
        }
        if (!failures.isEmpty()) {
            AssertionError first = failures.remove();
            failures.forEach(first::addSuppressed);
            throw first;
        }
        int read = 0;
        int rejected = 0;
        for (int t = 0; t < threads; t++) {
            read += outcomes[t * 2];
            rejected += outcomes[t * 2 + 1];
        }
        System.out.printf("PickleFuzzTest: %d inputs (%d read, %d rejected) in %d ms on %d threads%n",
                read + rejected, read, rejected, (System.nanoTime() - start) / 1_000_000, threads);
        assertEquals(ITERATIONS, read + rejected);
        if (ITERATIONS >= 1000) {
            // A mutator that never lets anything through, or never breaks anything, tests nothing.
            assertTrue(read > ITERATIONS / 20 && rejected > ITERATIONS / 20, "read " + read + ", rejected " + rejected);
        }
    }

    /** True when the input was read, false when it was rejected; throws when the contract is broken. */
    static boolean checkContract(byte[] input) {
        Object tree;
        try {
            tree = new PickleReader().read(input);
        } catch (PickleException e) {
            assertLocated(e, input);
            return false;
        }
        for (int protocol : WRITE_PROTOCOLS) {
            byte[] written;
            try {
                written = new PickleWriter(protocol).write(tree);
            } catch (PickleException e) {
                continue;
            }
            Object reread;
            try {
                reread = new PickleReader().read(written);
            } catch (PickleException e) {
                throw new AssertionError("our protocol " + protocol + " output is unreadable: " + hex(written), e);
            }
            // Below protocol 3 class names pass through their Python 2 spellings, where two Python 3
            // names can meet (builtins.int and __builtin__.long are both '__builtin__ long'), so the
            // first rewrite may merge them. From then on, and at protocol 3+ from the start, writing
            // what we read must give the same bytes: anything else is drift that grows with each rewrite.
            byte[] rewritten = new PickleWriter(protocol).write(reread);
            if (protocol < 3) {
                written = rewritten;
                rewritten = new PickleWriter(protocol).write(new PickleReader().read(written));
            }
            if (!Arrays.equals(written, rewritten)) {
                fail("protocol " + protocol + " output changes when read and written again (first difference at byte "
                        + Arrays.mismatch(written, rewritten) + "):\n" + hex(written) + "\n" + hex(rewritten));
            }
        }
        return true;
    }

    /** A reader error points at the opcode that failed: its offset is inside the input, its name is the byte there. */
    static void assertLocated(PickleException e, byte[] input) {
        long offset = e.offset();
        assertTrue(offset >= 0 && offset <= input.length, "offset " + offset + " outside the input: " + e.getMessage());
        if (e.opcode() != null) {
            assertTrue(offset < input.length, "an opcode named past the end: " + e.getMessage());
            assertEquals(Opcode.valueOf(e.opcode()).code(), input[(int) offset] & 0xff, "opcode at the reported offset: " + e.getMessage());
        } else if (offset < input.length) {
            assertEquals(null, Opcode.forCode(input[(int) offset]), "an unnamed failure not at an unknown opcode: " + e.getMessage());
        }
    }

    // --- mutations ---

    static byte[] mutate(SplittableRandom random) {
        byte[] data = pick(random);
        // Half the inputs carry one mutation, so that many still read and reach the writer.
        int rounds = random.nextBoolean() ? 1 : 2 + random.nextInt(random.nextInt(4) == 0 ? 7 : 2);
        for (int r = 0; r < rounds; r++) {
            data = mutateOnce(random, data);
        }
        return data;
    }

    private static byte[] pick(SplittableRandom random) {
        return corpus.get(random.nextInt(corpus.size()));
    }

    private static byte[] mutateOnce(SplittableRandom random, byte[] in) {
        if (in.length == 0) {
            return pick(random).clone();
        }
        byte[] data = in.clone();
        int at = random.nextInt(data.length);
        switch (random.nextInt(9)) {
            case 0 -> { // flip 1 to 4 bits
                for (int k = 1 + random.nextInt(4); k > 0; k--) {
                    int p = random.nextInt(data.length);
                    data[p] ^= (byte) (1 << random.nextInt(8));
                }
            }
            case 1 -> data[at] = (byte) INTERESTING_BYTES[random.nextInt(INTERESTING_BYTES.length)];
            case 2 -> data[at] = (byte) random.nextInt(256);
            case 3 -> { // a 4- or 8-byte little-endian word, as lengths, indices and frames are stored
                long word = INTERESTING_WORDS[random.nextInt(INTERESTING_WORDS.length)];
                int width = random.nextBoolean() ? 4 : 8;
                for (int i = 0; i < width && at + i < data.length; i++) {
                    data[at + i] = (byte) (word >>> 8 * i);
                }
            }
            case 4 -> { // insert 1 to 8 interesting or random bytes
                byte[] insert = new byte[1 + random.nextInt(8)];
                for (int i = 0; i < insert.length; i++) {
                    insert[i] = (byte) (random.nextBoolean() ? INTERESTING_BYTES[random.nextInt(INTERESTING_BYTES.length)] : random.nextInt(256));
                }
                data = splice(data, at, 0, insert);
            }
            case 5 -> data = splice(data, at, 1 + random.nextInt(Math.min(16, data.length - at)), new byte[0]); // delete
            case 6 -> data = Arrays.copyOf(data, at); // truncate
            case 7 -> { // splice: a prefix of this input, then a suffix of another corpus file
                byte[] other = pick(random);
                int from = random.nextInt(other.length);
                byte[] joined = Arrays.copyOf(data, at + other.length - from);
                System.arraycopy(other, from, joined, at, other.length - from);
                data = joined;
            }
            default -> { // duplicate a region in place
                int length = 1 + random.nextInt(Math.min(64, data.length - at));
                data = splice(data, random.nextInt(data.length + 1), 0, Arrays.copyOfRange(data, at, at + length));
            }
        }
        return data;
    }

    private static byte[] splice(byte[] data, int at, int remove, byte[] insert) {
        byte[] out = new byte[data.length - remove + insert.length];
        System.arraycopy(data, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(data, at + remove, out, at + insert.length, data.length - at - remove);
        return out;
    }

    private static String hex(byte[] bytes) {
        String h = HexFormat.of().formatHex(bytes, 0, Math.min(bytes.length, HEX_LIMIT));
        return bytes.length > HEX_LIMIT ? h + "... (" + (bytes.length - HEX_LIMIT) + " more bytes)" : h;
    }
}
