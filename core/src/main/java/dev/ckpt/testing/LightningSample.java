package dev.ckpt.testing;

import dev.ckpt.api.OmegaConfView;
import dev.ckpt.pickle.PyGlobal;
import dev.ckpt.pickle.PyObject;
import dev.ckpt.pickle.PyTuple;
import dev.ckpt.torch.DType;
import dev.ckpt.torch.TorchCheckpoint;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A checkpoint shaped as PyTorch Lightning 2.6.6's {@code Trainer.save_checkpoint} writes it after
 * one training step of a small model, made without torch: the checkpoint {@link MigrationTester}
 * tests every migration on, and the {@code validate} goal's synthetic one. Its root, in
 * Lightning's key order:
 *
 * <ul>
 *   <li>{@code epoch} 1, {@code global_step} 1, {@code pytorch-lightning_version} {@code "2.6.6"};
 *   <li>{@code state_dict}: an OrderedDict of float32 tensors {@code model.encoder.weight} [4, 3],
 *       {@code model.encoder.bias} [4], {@code model.head.weight} [2, 4], {@code model.head.bias} [2],
 *       with the {@code _metadata} attribute {@code Module.state_dict()} attaches (modules
 *       {@code ""}, {@code model}, {@code model.encoder}, {@code model.head}, each {@code {"version": 1}});
 *   <li>{@code loops} (see {@link LightningLoops}) and {@code callbacks} {@code {}};
 *   <li>{@code optimizer_states}: the state dict of one {@code torch.optim.Adam} over those four
 *       parameters (lr 0.001), as torch 2.x writes it;
 *   <li>{@code lr_schedulers} {@code []}, {@code hparams_name} {@code "cfg"}, {@code hyper_parameters}
 *       an OmegaConf 2.3 DictConfig {@code {model: {hidden: 4, dropout: 0.1}, lr: 0.001}} (edit it with
 *       {@link Checkpoint#config}) and {@code hparams_type}, the class DictConfig.
 * </ul>
 *
 * <p>Element {@code i} of parameter {@code n} (0 to 3, in the order above) is {@code n + i / 16};
 * its Adam {@code exp_avg} is half that, {@code exp_avg_sq} a quarter, and {@code step} is 1.
 */
public final class LightningSample {
    private static final String LIGHTNING_VERSION = "2.6.6";
    private static final PyGlobal ORDERED_DICT = PyGlobal.of("collections", "OrderedDict");
    private static final List<Parameter> PARAMETERS = List.of(
            new Parameter("model.encoder.weight", 4, 3),
            new Parameter("model.encoder.bias", 4),
            new Parameter("model.head.weight", 2, 4),
            new Parameter("model.head.bias", 2));
    private static final List<String> MODULES = List.of("", "model", "model.encoder", "model.head");

    private record Parameter(String name, long... shape) {
        /** Element i of parameter n, times {@code scale}: exact in float32. */
        float[] values(int n, float scale) {
            long numel = 1;
            for (long size : shape) {
                numel *= size;
            }
            float[] values = new float[(int) numel];
            for (int i = 0; i < values.length; i++) {
                values[i] = (n + i / 16f) * scale;
            }
            return values;
        }
    }

    private LightningSample() {
    }

    /** Writes the sample to {@code file} (replacing it) and returns {@code file}. */
    public static Path write(Path file) throws IOException {
        TorchCheckpoint.create(file, new LinkedHashMap<>());
        try (TorchCheckpoint checkpoint = TorchCheckpoint.open(file)) {
            checkpoint.setRoot(root(checkpoint));
            checkpoint.write(file);
        }
        return file;
    }

    private static Map<Object, Object> root(TorchCheckpoint checkpoint) {
        Map<Object, Object> root = new LinkedHashMap<>();
        root.put("epoch", 1L);
        root.put("global_step", 1L);
        root.put("pytorch-lightning_version", LIGHTNING_VERSION);
        root.put("state_dict", stateDict(checkpoint));
        root.put("loops", LightningLoops.afterOneStep());
        root.put("callbacks", new LinkedHashMap<>());
        root.put("optimizer_states", new ArrayList<>(List.of(adam(checkpoint))));
        root.put("lr_schedulers", new ArrayList<>());
        root.put("hparams_name", "cfg");
        root.put("hyper_parameters", OmegaConfView.create(hyperParameters()).value());
        root.put("hparams_type", PyGlobal.of("omegaconf.dictconfig", "DictConfig"));
        return root;
    }

    /** An OrderedDict of the parameters, with {@code _metadata} as CPython pickles an OrderedDict's attributes: its state. */
    private static PyObject stateDict(TorchCheckpoint checkpoint) {
        PyObject stateDict = orderedDict();
        for (int n = 0; n < PARAMETERS.size(); n++) {
            Parameter parameter = PARAMETERS.get(n);
            stateDict.dictItemsForUpdate().put(parameter.name(), tensor(checkpoint, parameter.shape(), parameter.values(n, 1)));
        }
        PyObject metadata = orderedDict();
        for (String module : MODULES) {
            metadata.dictItemsForUpdate().put(module, dict("version", 1L));
        }
        stateDict.setState(dict("_metadata", metadata));
        return stateDict;
    }

    /** {@code torch.optim.Adam(params, lr=0.001).state_dict()} after one step, torch 2.x's keys. */
    private static Map<Object, Object> adam(TorchCheckpoint checkpoint) {
        Map<Object, Object> state = new LinkedHashMap<>();
        List<Object> params = new ArrayList<>();
        for (int n = 0; n < PARAMETERS.size(); n++) {
            Parameter parameter = PARAMETERS.get(n);
            Map<Object, Object> moments = dict("step", tensor(checkpoint, new long[0], new float[] {1f}));
            moments.put("exp_avg", tensor(checkpoint, parameter.shape(), parameter.values(n, 0.5f)));
            moments.put("exp_avg_sq", tensor(checkpoint, parameter.shape(), parameter.values(n, 0.25f)));
            state.put((long) n, moments);
            params.add((long) n);
        }
        Map<Object, Object> group = dict("lr", 0.001);
        group.put("betas", PyTuple.of(0.9, 0.999));
        group.put("eps", 1e-8);
        group.put("weight_decay", 0L);
        group.put("amsgrad", false);
        group.put("maximize", false);
        group.put("foreach", null);
        group.put("capturable", false);
        group.put("differentiable", false);
        group.put("fused", null);
        group.put("decoupled_weight_decay", false);
        group.put("params", params);
        Map<Object, Object> optimizer = dict("state", state);
        optimizer.put("param_groups", new ArrayList<>(List.of(group)));
        return optimizer;
    }

    private static Map<Object, Object> hyperParameters() {
        Map<Object, Object> model = dict("hidden", 4L);
        model.put("dropout", 0.1);
        Map<Object, Object> hyperParameters = dict("model", model);
        hyperParameters.put("lr", 0.001);
        return hyperParameters;
    }

    private static PyObject tensor(TorchCheckpoint checkpoint, long[] shape, float[] values) {
        return checkpoint.newTensor(DType.FLOAT32, shape, TorchCheckpoint.fromFloats(values)).value();
    }

    private static PyObject orderedDict() {
        PyObject orderedDict = new PyObject(PyObject.Construction.REDUCE, ORDERED_DICT, PyTuple.of());
        orderedDict.dictItemsForUpdate();
        return orderedDict;
    }

    private static Map<Object, Object> dict(Object key, Object value) {
        Map<Object, Object> dict = new LinkedHashMap<>();
        dict.put(key, value);
        return dict;
    }
}
