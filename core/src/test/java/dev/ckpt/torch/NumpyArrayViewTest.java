package dev.ckpt.torch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ckpt.pickle.PickleReader;
import dev.ckpt.pickle.PickleWriter;
import dev.ckpt.pickle.PyGlobal;
import dev.ckpt.pickle.PyObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * NumpyArrayView against real numpy 1.24 ({@code numpy_oracle.py} under /usr/bin/python3): numpy
 * pickles sample arrays (protocol 2, the C pickler) and describes them; the view must read what
 * numpy describes, and numpy must load what the view writes.
 */
@Tag("torch")
class NumpyArrayViewTest {
    private static final String[] SAMPLES = {"f4", "f8_fortran", "i8_big_endian", "i4", "u1", "u2", "i1", "b1", "f2",
        "zero_d", "empty", "scalar_f8", "scalar_i8", "scalar_f4", "mean_shares_f4_dtype"};

    @TempDir
    static Path dir;
    static Path samples;
    /** numpy's description of each sample before pickling: kind, dtype.str, shape, fortran, values. */
    static Map<String, String> beforePickling;
    /** numpy's description of each sample after loading the pickle (numpy loads '>i8' as native). */
    static Map<String, String> afterLoading;

    @BeforeAll
    static void numpyPicklesSamples() {
        samples = dir.resolve("arrays.pkl");
        beforePickling = lines(ViewOracle.run("numpy_oracle.py", "make", samples.toString()));
        afterLoading = lines(ViewOracle.run("numpy_oracle.py", "describe", samples.toString()));
    }

    @SuppressWarnings("unchecked")
    private static Map<Object, Object> readSamples() {
        return (Map<Object, Object>) ViewOracle.readPickle(samples);
    }

    @ParameterizedTest
    @ValueSource(strings = {"f4", "f8_fortran", "i8_big_endian", "i4", "u1", "u2", "i1", "b1", "f2", "zero_d", "empty",
        "scalar_f8", "scalar_i8", "scalar_f4", "mean_shares_f4_dtype"})
    void readsDtypeShapeOrderAndValuesAsNumpyDescribesThem(String name) {
        NumpyArrayView view = NumpyArrayView.of(readSamples().get(name));
        assertDescribes(beforePickling.get(name), view);
    }

    @Test
    void readsArraysAndScalarsThatNumpy2Pickles() {
        // pickle.dumps({'f4': np.arange(3, dtype=np.float32) / 2, 'scalar_i8': np.int64(7)}, protocol=2)
        // by numpy 2.4.6, which spells its modules numpy._core
        String numpy2 = "80027d710028580200000066347101636e756d70792e5f636f72652e6d756c746961727261790a5f7265636f6e737472"
                + "7563740a7102636e756d70790a6e6461727261790a71034b00857104635f636f646563730a656e636f64650a710558010000"
                + "0062710658060000006c6174696e31710786710852710987710a52710b284b014b0385710c636e756d70790a64747970650a"
                + "710d58020000006634710e898887710f527110284b0358010000003c71114e4e4e4affffffff4affffffff4b00747112628968"
                + "05580d000000000000000000003f0000c2803f711368078671145271157471166258090000007363616c61725f69387117636e"
                + "756d70792e5f636f72652e6d756c746961727261790a7363616c61720a7118680d580200000069387119898887711a52711b28"
                + "4b0368114e4e4e4affffffff4affffffff4b0074711c62680558080000000700000000000000711d680786711e52711f867120"
                + "527121752e";
        Map<?, ?> items = (Map<?, ?>) new PickleReader().read(HexFormat.of().parseHex(numpy2));
        NumpyArrayView array = NumpyArrayView.of(items.get("f4"));
        NumpyArrayView scalar = NumpyArrayView.of(items.get("scalar_i8"));
        assertEquals("<f4 [3] [0.0, 0.5, 1.0]", array.dtype() + " " + Arrays.toString(array.shape())
                + " " + Arrays.toString(array.toDoubles()));
        assertEquals("<i8 [] [7]", scalar.dtype() + " " + Arrays.toString(scalar.shape())
                + " " + Arrays.toString(scalar.toLongs()));
    }

    @Test
    void readsTheFrombufferCallOfProtocol5() {
        Path protocol5 = dir.resolve("arrays5.pkl");
        Map<String, String> described = lines(ViewOracle.run("numpy_oracle.py", "make", protocol5.toString(), "5"));
        Map<?, ?> items = (Map<?, ?>) ViewOracle.readPickle(protocol5);
        for (String name : SAMPLES) {
            assertDescribes(described.get(name), NumpyArrayView.of(items.get(name)));
        }
    }

    @Test
    void readingThroughTheViewChangesNoByte() throws IOException {
        Map<Object, Object> items = readSamples();
        for (String name : SAMPLES) {
            NumpyArrayView view = NumpyArrayView.of(items.get(name));
            view.toString();
            view.data();
        }
        assertArrayEquals(Files.readAllBytes(samples), new PickleWriter().write(items));
    }

    @Test
    void objectArrayIsReadableButItsDataIsReportedUnsupported() {
        NumpyArrayView view = NumpyArrayView.of(readSamples().get("object"));
        assertEquals("|O8 [3]", view.dtype() + " " + Arrays.toString(view.shape()));
        UnsupportedOperationException error = assertThrows(UnsupportedOperationException.class, view::toDoubles);
        assertTrue(error.getMessage().contains("dtype object ('O')"), error.getMessage());
    }

    @Test
    void ofRejectsAValueThatIsNotANumpyArrayNamingWhatItIs() {
        PyObject notArray = PyObject.newInstance(PyGlobal.of("collections", "OrderedDict"), null);
        assertFalse(NumpyArrayView.isArray(notArray));
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> NumpyArrayView.of(notArray));
        assertTrue(error.getMessage().startsWith("not a numpy array or numpy scalar: collections.OrderedDict"), error.getMessage());
    }

    @Test
    void replacedDataOfSameShapeLoadsInNumpyAndLeavesTheOtherArraysAlone() {
        Map<Object, Object> items = readSamples();
        NumpyArrayView.of(items.get("f4")).setDoubles(new long[] {2, 3}, 6, 5, 4, 3, 2, 1);
        Map<String, String> loaded = numpyLoads(items);
        assertEquals("ndarray\t<f4\t2,3\tFalse\t6.0,5.0,4.0,3.0,2.0,1.0", loaded.remove("f4"));
        Map<String, String> untouched = new LinkedHashMap<>(afterLoading);
        untouched.remove("f4");
        assertEquals(untouched, loaded);
    }

    @Test
    void newShapeAndDataOfAFortranArrayAreStoredRowMajor() {
        Map<Object, Object> items = readSamples();
        NumpyArrayView view = NumpyArrayView.of(items.get("f8_fortran"));
        view.setDoubles(new long[] {3, 2}, 1, 2, 3, 4, 5, 6);
        assertFalse(view.isFortranOrder());
        assertEquals("ndarray\t<f8\t3,2\tFalse\t1.0,2.0,3.0,4.0,5.0,6.0", numpyLoads(items).get("f8_fortran"));
    }

    @Test
    void doublesAreRoundedToFloat16AsNumpyRoundsThem() {
        String values = "0.1,0.333333333,65519,65520,-2.5e-8,1e-7,3e-8,6.1e-5,-0.0";
        Map<Object, Object> items = readSamples();
        double[] parsed = Stream.of(values.split(",")).mapToDouble(Double::parseDouble).toArray();
        NumpyArrayView.of(items.get("f2")).setDoubles(new long[] {parsed.length}, parsed);
        String numpyRounds = ViewOracle.run("numpy_oracle.py", "convert", "f2", values);
        assertEquals(numpyRounds, numpyLoads(items).get("f2").split("\t")[4]);
    }

    @Test
    void integersAreWrittenInTheArraysOwnByteOrder() {
        Map<Object, Object> items = readSamples();
        NumpyArrayView view = NumpyArrayView.of(items.get("i8_big_endian"));
        view.setLongs(new long[] {2}, 5, -6L << 40);
        assertEquals(NumpyDType.parse(">i8"), view.dtype());
        assertEquals("ndarray\t<i8\t2\tFalse\t5,-6597069766656", numpyLoads(items).get("i8_big_endian"));
    }

    @Test
    void scalarStaysANumpyScalar() {
        Map<Object, Object> items = readSamples();
        NumpyArrayView.of(items.get("scalar_f4")).setDoubles(new long[0], -1.75);
        assertEquals("scalar\t<f4\t\tFalse\t-1.75", numpyLoads(items).get("scalar_f4"));
    }

    @Test
    void scalarRefusesAShape() {
        NumpyArrayView view = NumpyArrayView.of(readSamples().get("scalar_f8"));
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> view.setDoubles(new long[] {2}, 1, 2));
        assertTrue(error.getMessage().startsWith("a numpy scalar has shape ()"), error.getMessage());
    }

    @Test
    void valueOutsideTheDtypeIsRefused() {
        NumpyArrayView view = NumpyArrayView.of(readSamples().get("u1"));
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> view.setLongs(new long[] {2}, 255, 256));
        assertEquals("value 256 at index 1 does not fit numpy dtype |u1", error.getMessage());
    }

    @Test
    void dataOfTheWrongLengthIsRefused() {
        NumpyArrayView view = NumpyArrayView.of(readSamples().get("f4"));
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> view.setData(new byte[20]));
        assertEquals("a <f4 array of shape [2, 3] needs 24 bytes of data, got 20", error.getMessage());
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = ';', value = {
        "f8; 2,2; 1.5,-2,3e300,4",
        "f4; 3; 0.25,-1,1e-3",
        "i8; 2,1; -9223372036854775808,9223372036854775807",
        "i4; 1,2,2; 1,-2,3,2147483647",
        "f8; -; 2.5",
        "i8; 0,3; ",
    })
    void newArrayPicklesByteForByteAsNumpyPicklesIt(String dtype, String shape, String values) {
        long[] dims = shape.equals("-") ? new long[0] : Stream.of(shape.split(",")).mapToLong(Long::parseLong).toArray();
        String[] items = values == null ? new String[0] : values.split(",");
        PyObject array = switch (dtype) {
            case "f8" -> NumpyArrayView.ofDoubles(dims, Stream.of(items).mapToDouble(Double::parseDouble).toArray());
            case "f4" -> {
                float[] floats = new float[items.length];
                for (int i = 0; i < items.length; i++) {
                    floats[i] = Float.parseFloat(items[i]);
                }
                yield NumpyArrayView.ofFloats(dims, floats);
            }
            case "i8" -> NumpyArrayView.ofLongs(dims, Stream.of(items).mapToLong(Long::parseLong).toArray());
            case "i4" -> NumpyArrayView.ofInts(dims, Stream.of(items).mapToInt(Integer::parseInt).toArray());
            default -> throw new IllegalArgumentException(dtype);
        };
        String numpyPickle = ViewOracle.run("numpy_oracle.py", "dumps", dtype, shape, values == null ? "" : values);
        assertEquals(numpyPickle, HexFormat.of().formatHex(new PickleWriter().write(array)));
    }

    @Test
    void arrayInARealTorchCheckpointIsEditedAndLoadsWithTorch() throws IOException {
        Path original = dir.resolve("numpy.ckpt");
        Path edited = dir.resolve("numpy-edited.ckpt");
        ViewOracle.run("checkpoint_oracle.py", "make", original.toString());
        try (TorchCheckpoint checkpoint = TorchCheckpoint.open(original)) {
            Map<?, ?> statistics = (Map<?, ?>) ((Map<?, ?>) checkpoint.rootDict().get("hyper_parameters")).get("statistics");
            NumpyArrayView mean = NumpyArrayView.of(statistics.get("mean"));
            assertArrayEquals(new double[] {0, 0.5, 1}, mean.toDoubles());
            mean.setDoubles(new long[] {2, 2}, 1, 2, 3, 4);
            checkpoint.write(edited);
        }
        assertEquals("(dtype('float32'), [[1.0, 2.0], [3.0, 4.0]])", ViewOracle.run("checkpoint_oracle.py", "eval", edited.toString(),
                "(ckpt['hyper_parameters']['statistics']['mean'].dtype, ckpt['hyper_parameters']['statistics']['mean'].tolist())"));
    }

    // ---------------------------------------------------------------- helpers

    /** What numpy loads from the items written by PickleWriter, described per entry. */
    private static Map<String, String> numpyLoads(Map<Object, Object> items) {
        Path file = ViewOracle.writePickle(dir.resolve("edited-" + System.nanoTime() + ".pkl"), items);
        return lines(ViewOracle.run("numpy_oracle.py", "describe", file.toString()));
    }

    private static Map<String, String> lines(String described) {
        return described.lines().collect(Collectors.toMap(
                line -> line.substring(0, line.indexOf('\t')), line -> line.substring(line.indexOf('\t') + 1),
                (a, b) -> a, LinkedHashMap::new));
    }

    /** Compares a view with numpy's line: kind, dtype.str, shape, fortran, values in C order. */
    private static void assertDescribes(String numpyLine, NumpyArrayView view) {
        String[] field = numpyLine.split("\t", -1);
        String shape = Arrays.stream(view.shape()).mapToObj(Long::toString).collect(Collectors.joining(","));
        assertEquals(String.join("\t", field[0], field[1], field[2], field[3]),
                String.join("\t", view.isScalar() ? "scalar" : "ndarray", view.dtype().str(), shape, view.isFortranOrder() ? "True" : "False"));
        String[] values = field[4].isEmpty() ? new String[0] : field[4].split(",");
        if (view.dtype().kind() == 'f') {
            assertArrayEquals(Stream.of(values).mapToDouble(Double::parseDouble).toArray(), view.toDoubles());
        } else {
            assertArrayEquals(Stream.of(values).mapToLong(v -> v.equals("True") ? 1 : v.equals("False") ? 0 : Long.parseLong(v)).toArray(),
                    view.toLongs());
        }
    }
}
