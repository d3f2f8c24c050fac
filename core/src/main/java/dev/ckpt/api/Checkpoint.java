package dev.ckpt.api;

import dev.ckpt.pickle.DictLike;
import dev.ckpt.pickle.PyObject;
import dev.ckpt.torch.DType;
import dev.ckpt.torch.NumpyArrayView;
import dev.ckpt.torch.TensorView;
import dev.ckpt.torch.TorchCheckpoint;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The checkpoint a migration works on: the root of a torch.save file (usually a dict; an
 * {@code OrderedDict} for a plain {@code torch.save(model.state_dict())}; any object), with the
 * helpers real migrations need. Tensor bytes stay in the file unless a migration reads them.
 *
 * <p>Tensor values: {@link #read(String)} and {@link #write(String, Tensor)} take a path (a
 * state-dict key has dots, so quote it: {@code state_dict["encoder.weight"]}, or use
 * {@link StateDict}); {@code write} puts a new tensor there, with a storage of its own. A tensor
 * found by walking the tree ({@code dev.ckpt.torch.TensorView}) is read with
 * {@link #read(TensorView)} and changed in place with {@link #replace}, which every holder of that
 * tensor object sees. {@link #tensorValue} makes a value to put anywhere.
 */
public final class Checkpoint {
    private final TorchCheckpoint archive;

    private Checkpoint(TorchCheckpoint archive) {
        this.archive = archive;
    }

    /** The view of an open archive; the engine and {@code MigrationTester} make these, migrations are handed one. */
    public static Checkpoint of(TorchCheckpoint archive) {
        return new Checkpoint(archive);
    }

    /**
     * The root dict, or the entries of an {@code OrderedDict} root (live: changes go into the
     * checkpoint); for other roots (a tensor, a list, a module) use {@link #tree()}.
     */
    public Map<Object, Object> root() {
        if (DictLike.isOrderedDict(archive.root())) {
            return ((PyObject) archive.root()).dictItemsForUpdate();
        }
        return archive.rootDict();
    }

    /** The root object itself, whatever it is. */
    public Object tree() {
        return archive.root();
    }

    /** Replaces the whole root object. */
    public void setRoot(Object root) {
        archive.setRoot(root);
    }

    /** Navigates the tree by a path (see {@link Node}); never null (see {@link Node#isMissing()}). */
    public Node node(String path) {
        return Node.of(archive.root()).path(path);
    }

    /** {@code ckpt["state_dict"]}, or the root itself when the file is a plain state dict (an OrderedDict root). */
    public StateDict stateDict() {
        boolean plainStateDict = DictLike.isOrderedDict(archive.root());
        return plainStateDict ? stateDict("") : stateDictOf(root().get("state_dict"), "a state_dict");
    }

    /**
     * The dict of tensors at a path ({@code "model"} in {@code {"model": sd, "optimizer": ...}},
     * {@code ""} for the root), kept in step with its {@code _metadata} as {@link #stateDict()} is.
     */
    public StateDict stateDict(String path) {
        if (path.isEmpty()) {
            return stateDictOf(archive.root(), "a dict at its root");
        }
        return stateDictOf(requirePresent(path).value(), "a dict at '" + path + "'");
    }

    private StateDict stateDictOf(Object value, String what) {
        Map<Object, Object> entries = DictLike.entriesOrNull(value);
        if (entries == null) {
            throw new IllegalStateException("the checkpoint has no state dict: it needs " + what + " (found " + Node.of(value) + ")");
        }
        Map<Object, Object> metadata = value instanceof PyObject object && object.attributes() != null
                ? DictLike.entriesOrNull(object.attributes().get("_metadata")) : null;
        return new StateDict(entries, metadata, archive);
    }

    /**
     * The model's parameters with the optimizer's state, for a Lightning checkpoint
     * ({@code state_dict} and its one {@code optimizer_states} entry); see {@link Parameters}.
     */
    public Parameters parameters() {
        List<Object> optimizers = requirePresent("optimizer_states").asList();
        if (optimizers.size() != 1) {
            throw new IllegalStateException("the checkpoint has " + optimizers.size() + " optimizers: name the one to edit,"
                    + " parameters(\"state_dict\", \"optimizer_states.<i>\", names)");
        }
        return parameters("state_dict", "optimizer_states.0");
    }

    /**
     * The parameters of the state dict at {@code stateDictPath} with the optimizer state dict at
     * {@code optimizerPath} (say {@code "model"} and {@code "optimizer"}), their order inferred.
     */
    public Parameters parameters(String stateDictPath, String optimizerPath) {
        return Parameters.inferred(stateDict(stateDictPath), optimizer(optimizerPath), optimizerPath, archive);
    }

    /** As {@link #parameters(String, String)}, with the parameters' names in the optimizer's order. */
    public Parameters parameters(String stateDictPath, String optimizerPath, List<String> names) {
        return Parameters.named(stateDict(stateDictPath), optimizer(optimizerPath), optimizerPath, names, archive);
    }

    private Map<Object, Object> optimizer(String path) {
        return requirePresent(path).asMap();
    }

    /** The tensor at a path, read from the file (e.g. {@code optimizer_states.0.state.3.exp_avg}). */
    public Tensor read(String path) throws IOException {
        Object value = requirePresent(path).value();
        if (!TensorView.isTensor(value)) {
            throw new IllegalStateException("'" + path + "' is " + Node.of(value) + ", not a tensor");
        }
        return Tensors.read(archive, TensorView.of(value));
    }

    /**
     * Puts a tensor at a path whose parent exists (a dict key, a list index, an attribute), in
     * place of what is there; see {@link StateDict#write} for parameters and tied weights.
     */
    public void write(String path, Tensor tensor) {
        List<String> steps = NodePath.steps(path);
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("write needs a path below the root");
        }
        Node parent = Node.of(archive.root());
        for (String step : steps.subList(0, steps.size() - 1)) {
            parent = parent.get(step);
        }
        if (parent.isMissing()) {
            throw new IllegalStateException("the checkpoint has nothing at '" + parent.where() + "'");
        }
        parent.put(steps.get(steps.size() - 1), old -> Tensors.value(archive, old, tensor));
    }

    /** The elements of a tensor found in the tree (say by walking it), read from the file. */
    public Tensor read(TensorView tensor) throws IOException {
        return Tensors.read(archive, tensor);
    }

    /**
     * Gives a tensor found in the tree new elements of the same dtype and shape, in place: every
     * place that holds this very tensor object sees them, other tensors over its old storage do not.
     */
    public void replace(TensorView tensor, Tensor with) {
        if (tensor.dtype() != with.dtype() || !Arrays.equals(tensor.shape(), with.shape())) {
            throw new IllegalArgumentException("replace keeps dtype and shape (" + tensor + ", given " + with
                    + "); put a different tensor with write(path, tensor)");
        }
        archive.adoptData(tensor, with.bytes());
    }

    /** The tree value of a tensor, to put anywhere in the tree (a new storage holds its elements). */
    public Object tensorValue(Tensor tensor) {
        return Tensors.value(archive, null, tensor);
    }

    /** The elements of a tensor, row-major little-endian (release 0.1's API). */
    @Deprecated
    public byte[] readData(TensorView tensor) throws IOException {
        return archive.readData(tensor);
    }

    /** Gives one tensor new contents in a storage of its own (release 0.1's API; use {@link #replace}). */
    @Deprecated
    public void replaceData(TensorView tensor, byte[] data) {
        archive.replaceData(tensor, data);
    }

    /** A new tensor; put its {@link TensorView#value()} into the tree (release 0.1's API; use {@link #tensorValue}). */
    @Deprecated
    public TensorView newTensor(DType dtype, long[] shape, byte[] data) {
        return archive.newTensor(dtype, shape, data);
    }

    /** The OmegaConf config at a path, e.g. {@code hyper_parameters.config}. */
    public OmegaConfView config(String path) {
        return OmegaConfView.of(requirePresent(path).value());
    }

    /** The numpy array at a path. */
    public NumpyArrayView numpy(String path) {
        return NumpyArrayView.of(requirePresent(path).value());
    }

    /** The underlying archive, for what this view does not offer. */
    public TorchCheckpoint archive() {
        return archive;
    }

    private Node requirePresent(String path) {
        Node node = node(path);
        if (node.isMissing()) {
            throw new IllegalStateException("the checkpoint has nothing at '" + path + "'");
        }
        return node;
    }
}
