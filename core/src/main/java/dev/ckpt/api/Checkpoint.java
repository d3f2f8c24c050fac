package dev.ckpt.api;

import dev.ckpt.api.OmegaConfView;
import dev.ckpt.pickle.DictLike;
import dev.ckpt.pickle.PyObject;
import dev.ckpt.torch.DType;
import dev.ckpt.torch.NumpyArrayView;
import dev.ckpt.torch.TensorView;
import dev.ckpt.torch.TorchCheckpoint;
import java.io.IOException;
import java.util.Map;

/**
 * The checkpoint a migration works on: the root of a torch.save file (usually a dict; an
 * {@code OrderedDict} for a plain {@code torch.save(model.state_dict())}; any object), with the
 * helpers real migrations need. Tensor bytes stay in the file unless a migration reads them.
 */
public final class Checkpoint {
    private final TorchCheckpoint archive;

    private Checkpoint(TorchCheckpoint archive) {
        this.archive = archive;
    }

    /** The view of an open archive (the engine and {@code MigrationTester} make these). */
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

    /** Navigates the tree by a dotted path; never null (see {@link Node#isMissing()}). */
    public Node node(String dottedPath) {
        return Node.of(archive.root()).path(dottedPath);
    }

    /** {@code ckpt["state_dict"]}, or the root itself when the file is a plain state dict (an OrderedDict root). */
    public StateDict stateDict() {
        boolean plainStateDict = DictLike.isOrderedDict(archive.root());
        return plainStateDict ? stateDict("") : stateDictOf(root().get("state_dict"), "a state_dict");
    }

    /**
     * The dict of tensors at a dotted path ({@code "model"} in {@code {"model": sd, "optimizer": ...}},
     * {@code ""} for the root), kept in step with its {@code _metadata} as {@link #stateDict()} is.
     */
    public StateDict stateDict(String dottedPath) {
        if (dottedPath.isEmpty()) {
            return stateDictOf(archive.root(), "a dict at its root");
        }
        return stateDictOf(requirePresent(dottedPath).value(), "a dict at '" + dottedPath + "'");
    }

    private static StateDict stateDictOf(Object value, String what) {
        Map<Object, Object> entries = DictLike.entriesOrNull(value);
        if (entries == null) {
            throw new IllegalStateException("the checkpoint has no state dict: it needs " + what + " (found " + Node.of(value) + ")");
        }
        Map<Object, Object> metadata = value instanceof PyObject object && object.attributes() != null
                ? DictLike.entriesOrNull(object.attributes().get("_metadata")) : null;
        return new StateDict(entries, metadata);
    }

    /** The OmegaConf config at a dotted path, e.g. {@code hyper_parameters.config}. */
    public OmegaConfView config(String dottedPath) {
        return OmegaConfView.of(requirePresent(dottedPath).value());
    }

    /** The numpy array at a dotted path. */
    public NumpyArrayView numpy(String dottedPath) {
        return NumpyArrayView.of(requirePresent(dottedPath).value());
    }

    /** A tensor's elements, row-major little-endian. */
    public byte[] readData(TensorView tensor) throws IOException {
        return archive.readData(tensor);
    }

    /** Gives one tensor new contents in a storage of its own. */
    public void replaceData(TensorView tensor, byte[] data) {
        archive.replaceData(tensor, data);
    }

    /** A new tensor; put its {@link TensorView#value()} into the tree. */
    public TensorView newTensor(DType dtype, long[] shape, byte[] data) {
        return archive.newTensor(dtype, shape, data);
    }

    /** Replaces the whole root object. */
    public void setRoot(Object root) {
        archive.setRoot(root);
    }

    /** The underlying archive, for what this view does not offer. */
    public TorchCheckpoint archive() {
        return archive;
    }

    private Node requirePresent(String dottedPath) {
        Node node = node(dottedPath);
        if (node.isMissing()) {
            throw new IllegalStateException("the checkpoint has nothing at '" + dottedPath + "'");
        }
        return node;
    }
}
