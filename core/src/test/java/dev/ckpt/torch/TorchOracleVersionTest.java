package dev.ckpt.torch;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ckpt.pickle.PythonOracle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The torch-tagged tests of this run really ran under the torch they were meant for: the build
 * runs them once under Debian's torch 1.13 and once under the torch 2.13 venv, and a missing
 * or wrong interpreter fails here instead of passing the suite against the other torch.
 */
@Tag("torch")
class TorchOracleVersionTest {
    @Test
    void theOracleIsTheTorchThisRunAskedFor(@TempDir Path dir) throws Exception {
        Path script = Files.writeString(dir.resolve("version.py"), "import torch, numpy, omegaconf\nprint(torch.__version__)\n");
        String version = PythonOracle.run(script, List.of(), "").strip();
        assertTrue(version.startsWith(PythonOracle.torchVersion()),
                PythonOracle.python() + " has torch " + version + ", but this run is the torch " + PythonOracle.torchVersion() + " one");
    }
}
