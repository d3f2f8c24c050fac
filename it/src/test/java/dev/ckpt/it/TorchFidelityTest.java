package dev.ckpt.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ckpt.pickle.PythonOracle;
import dev.ckpt.pickle.ValuePrinter;
import dev.ckpt.torch.CheckpointFormatException;
import dev.ckpt.torch.TorchCheckpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fidelity corpus through every edit, with the running torch (2.13 or 1.13: the build runs
 * this suite under both) as the oracle in each of its loader modes (fidelity.check_modes):
 * third-party files committed by other projects (torch-corpus/third-party, sources in its
 * SOURCES.tsv) and files this torch saves with each of its save options, dtypes, tensor kinds
 * and root shapes, including a real Lightning Trainer.fit checkpoint on torch 2.13.
 */
class TorchFidelityTest {
    /** Not torch.save files: refused by name, with the reason in the message. */
    private static final Map<String, String> NOT_TORCH_SAVE = Map.of(
            "LaurentMazare_tch-rs__foo.pt", "compressed",
            "tracel-ai_burn__tar_multi_dtype.tar", "not a zip archive");

    static Stream<Arguments> corpus() {
        List<Arguments> cases = new ArrayList<>();
        for (Path file : FidelityCorpus.files()) {
            for (CorpusEdit edit : CorpusEdit.values()) {
                cases.add(Arguments.of(file.getFileName().toString(), edit, file));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("corpus")
    void everyEditLoadsInEveryLoaderModeTheOriginalLoadsIn(String name, CorpusEdit edit, Path file, @org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        if (NOT_TORCH_SAVE.containsKey(name)) {
            CheckpointFormatException e = org.junit.jupiter.api.Assertions.assertThrows(CheckpointFormatException.class,
                    () -> TorchCheckpoint.open(file).close());
            assertTrue(e.getMessage().contains(NOT_TORCH_SAVE.get(name)) && e.getMessage().contains(name), e.getMessage());
            return;
        }
        Path rewritten = dir.resolve("rewritten-" + name);
        try (TorchCheckpoint checkpoint = TorchCheckpoint.open(file)) {
            assertTrue(!ValuePrinter.inline(checkpoint.root()).isEmpty());
            // real checkpoints (Lightning, numpy, OmegaConf, the user's classes) name nothing the safety table calls dangerous
            assertTrue(checkpoint.globalsAtOpen().stream().noneMatch(dev.ckpt.torch.GlobalSafety::isDangerous),
                    () -> name + " " + checkpoint.globalsAtOpen());
            boolean changed = edit.apply(checkpoint);
            checkpoint.write(rewritten);
            byte[] original = Files.readAllBytes(file);
            boolean thirdPartyZip = file.startsWith(FidelityCorpus.THIRD_PARTY) && original.length > 2 && original[0] == 'P' && original[1] == 'K';
            if (edit == CorpusEdit.NONE && (FidelityCorpus.writtenByThisTorch(file) || thirdPartyZip)) {
                // every zip archive torch wrote (this torch, or another project's torch 1.6 to 2.x on Linux or macOS)
                assertArrayEquals(original, Files.readAllBytes(rewritten), "a no-op rewrite of an archive torch wrote is byte-identical");
            }
            String modes = TorchOracle.call("check_modes", file.toString(), rewritten.toString(), manifest(checkpoint, rewritten).toString());
            assertTrue(modes.startsWith("OK"), modes);
            assertTrue(changed || edit != CorpusEdit.NONE || !modes.equals("OK "), name + " loads in no mode at all");
        }
    }

    /**
     * Every dtype this torch saves (torch 2.13: float8, float4, uint16-64, bits, complex32 among
     * them), each tensor given new bytes, and a new tensor of each of those dtypes: torch loads
     * exactly those bytes, in every mode.
     */
    @org.junit.jupiter.api.Test
    void everyDtypeIsReplacedAndCreatedAsTorchReadsIt(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path original = FidelityCorpus.generated("every_dtype.pt");
        Path rewritten = dir.resolve("every_dtype.pt");
        try (TorchCheckpoint checkpoint = TorchCheckpoint.open(original)) {
            Map<Object, Object> root = checkpoint.rootDict();
            int i = 0;
            for (Map.Entry<List<Object>, dev.ckpt.torch.TensorView> entry : Trees.tensors(root).entrySet()) {
                dev.ckpt.torch.TensorView tensor = entry.getValue();
                byte[] data = pattern(tensor.dtype(), tensor.numel(), i++);
                checkpoint.replaceData(tensor, data);
                root.put("new_" + tensor.dtype().pythonName(), checkpoint.newTensor(tensor.dtype(), new long[] {2, 3},
                        pattern(tensor.dtype(), 6, i++)).value());
            }
            assertTrue(i >= (PythonOracle.torch2() ? 54 : 24), "every dtype of torch " + PythonOracle.torchVersion() + ": " + i / 2);
            checkpoint.write(rewritten);
            String modes = TorchOracle.call("check_modes", original.toString(), rewritten.toString(), manifest(checkpoint, rewritten).toString());
            assertTrue(modes.startsWith("OK default,weights_only"), modes);
        }
    }

    private static byte[] pattern(dev.ckpt.torch.DType dtype, long numel, int seed) {
        byte[] data = new byte[(int) (numel * dtype.elementSize())];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (dtype == dev.ckpt.torch.DType.BOOL ? (i + seed) % 2 : i * 37 + seed * 11 + 1);
        }
        return data;
    }

    static Path manifest(TorchCheckpoint checkpoint, Path rewritten) {
        try {
            Path json = rewritten.resolveSibling(rewritten.getFileName() + ".manifest.jsonl");
            Files.writeString(json, TensorManifest.of(checkpoint).toJsonLines());
            return json;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
