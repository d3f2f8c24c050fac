package dev.ckpt.torch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The safety table, row by row: each row classifies what it names, its attributes and its submodules. */
class GlobalSafetyTest {
    static Stream<String[]> rows() throws IOException {
        try (InputStream in = GlobalSafety.class.getResourceAsStream("global-safety.tsv")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.startsWith("#") && !l.startsWith("pattern\t") && !l.isBlank())
                    .map(l -> l.split("\t")).toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void eachRowClassifiesWhatItNamesAndEverythingInsideIt(String pattern, String kind, String why) {
        GlobalSafety.Kind expected = GlobalSafety.Kind.valueOf(kind.toUpperCase(java.util.Locale.ROOT));
        if (!WeightsOnlyGlobals.allowed("2.13").contains(pattern) && !WeightsOnlyGlobals.allowed("1.13").contains(pattern)) {
            assertEquals(expected, GlobalSafety.of(pattern), pattern);
        }
        assertEquals(expected, GlobalSafety.of(pattern + ".anything_inside"), pattern + ".anything_inside");
        assertTrue(!why.isBlank());
        if (expected == GlobalSafety.Kind.DANGEROUS) {
            assertEquals(why, GlobalSafety.why(pattern + ".anything_inside"));
        }
    }

    @Test
    void theUsersOwnClassesAreOrdinaryDataAndTheClassicPayloadsAreDangerous() {
        for (String user : List.of("mymodel.layers.Encoder", "lightning.pytorch.callbacks.ModelCheckpoint", "anemoi.models.Graph",
                "torch.nn.modules.linear.Linear", "__main__.Config")) {
            assertEquals(GlobalSafety.Kind.USER, GlobalSafety.of(user), user);
        }
        for (String payload : List.of("os.system", "posix.system", "nt.system", "subprocess.Popen", "builtins.eval", "builtins.exec",
                "builtins.compile", "builtins.getattr", "builtins.__import__", "builtins.open", "runpy._run_code",
                "importlib.import_module", "pickle.loads", "_pickle.loads", "marshal.loads", "torch.load", "torch.jit.load",
                "sys.modules", "code.InteractiveInterpreter", "ctypes.CDLL", "shutil.rmtree", "socket.socket",
                "webbrowser.open", "operator.attrgetter", "types.CodeType", "numpy.load", "torch.serialization.load")) {
            assertEquals(GlobalSafety.Kind.DANGEROUS, GlobalSafety.of(payload), payload);
        }
    }
}
