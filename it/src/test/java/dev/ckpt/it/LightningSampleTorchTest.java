package dev.ckpt.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ckpt.testing.LightningSample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Lightning sample, made in Java, loaded by the real torch.load (weights_only=False) under
 * each oracle: its tensors, {@code state_dict._metadata}, the OmegaConf DictConfig of
 * {@code hyper_parameters}, and {@code optimizer_states[0]} loaded into a real
 * {@code torch.optim.Adam} ({@code lightning_sample.py}). Under torch 2.13 Lightning 2.6.6's
 * {@code LightningModule.load_from_checkpoint} loads it too.
 */
class LightningSampleTorchTest {
    private static final String EXPECTED = """
            {
              "keys": ["epoch", "global_step", "pytorch-lightning_version", "state_dict", "loops", "callbacks",
                       "optimizer_states", "lr_schedulers", "hparams_name", "hyper_parameters", "hparams_type"],
              "scalars": {"epoch": 1, "global_step": 1, "pytorch-lightning_version": "2.6.6", "callbacks": {},
                          "lr_schedulers": [], "hparams_name": "cfg"},
              "tensors": {
                "model.encoder.weight": {"shape": [4, 3], "values": [0, 0.0625, 0.125, 0.1875, 0.25, 0.3125, 0.375, 0.4375,
                                                                      0.5, 0.5625, 0.625, 0.6875]},
                "model.encoder.bias": {"shape": [4], "values": [1, 1.0625, 1.125, 1.1875]},
                "model.head.weight": {"shape": [2, 4], "values": [2, 2.0625, 2.125, 2.1875, 2.25, 2.3125, 2.375, 2.4375]},
                "model.head.bias": {"shape": [2], "values": [3, 3.0625]}
              },
              "metadata": [["", {"version": 1}], ["model", {"version": 1}], ["model.encoder", {"version": 1}],
                           ["model.head", {"version": 1}]],
              "hyper_parameters": {"model": {"hidden": 4, "dropout": 0.1}, "lr": 0.001},
              "adam": {"lr": 0.001, "betas": [0.9, 0.999], "step": 1.0, "exp_avg_scale": 0.5, "exp_avg_sq_scale": 0.25}
            }
            """;

    @TempDir
    Path dir;

    @Test
    void torchLoadsTheSampleAsLightningWroteIt() throws IOException {
        Path sample = LightningSample.write(dir.resolve("sample.ckpt"));
        Path expected = Files.writeString(dir.resolve("expected.json"), EXPECTED);

        String result = TorchOracle.call("check_lightning_sample", sample.toString(), expected.toString());

        assertTrue(result.startsWith("OK torch ") && result.contains("Adam over 4 parameters loaded and stepped"), result);
        if ("2.13".equals(System.getProperty("ckpt.torch"))) {
            assertTrue(result.contains("Lightning 2.6.6 load_from_checkpoint"), result);
        }
    }
}
