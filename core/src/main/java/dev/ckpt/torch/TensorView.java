package dev.ckpt.torch;

import dev.ckpt.pickle.PyGlobal;
import dev.ckpt.pickle.PyObject;
import dev.ckpt.pickle.PyTuple;
import java.util.Arrays;
import java.util.List;

/**
 * A tensor in a checkpoint's value tree, read from the call torch.save pickles for it:
 * {@code torch._utils._rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks)},
 * its {@code _v3} form (which also names the dtype), or either wrapped in
 * {@code _rebuild_parameter(tensor, requires_grad, hooks)}. The view reads and changes that call
 * in place; the bytes stay in the archive until asked for ({@link TorchCheckpoint#readData}).
 */
public final class TensorView {
    private static final String UTILS = "torch._utils";

    private final PyObject value;
    private final PyObject rebuild;

    private TensorView(PyObject value, PyObject rebuild) {
        this.value = value;
        this.rebuild = rebuild;
    }

    /** True when the value is a tensor (or parameter) this view understands. */
    public static boolean isTensor(Object value) {
        return rebuildCall(value) != null;
    }

    /** The view of a tensor value. */
    public static TensorView of(Object value) {
        PyObject rebuild = rebuildCall(value);
        if (rebuild == null) {
            throw new IllegalArgumentException("not a tensor: " + value);
        }
        return new TensorView((PyObject) value, rebuild);
    }

    private static PyObject rebuildCall(Object value) {
        if (!(value instanceof PyObject object) || !(object.callable() instanceof PyGlobal fn) || !fn.module().equals(UTILS)) {
            return null;
        }
        if ((fn.name().equals("_rebuild_parameter") || fn.name().equals("_rebuild_parameter_with_state")) && !object.args().isEmpty()) {
            return rebuildCall(object.args().get(0));
        }
        boolean v2 = fn.name().equals("_rebuild_tensor_v2") && object.args().size() >= 6;
        boolean v3 = fn.name().equals("_rebuild_tensor_v3") && object.args().size() >= 7;
        if (!(v2 || v3) || StorageRef.of(object.args().get(0)) == null) {
            return null;
        }
        return object;
    }

    /** The object in the tree (the parameter call for a parameter). */
    public PyObject value() {
        return value;
    }

    public boolean isParameter() {
        return value != rebuild;
    }

    public StorageRef storage() {
        return StorageRef.of(rebuild.args().get(0));
    }

    public DType dtype() {
        StorageRef storage = storage();
        if (storage.dtype() != null) {
            return storage.dtype();
        }
        Object named = rebuild.args().size() > 6 ? rebuild.args().get(6) : null;
        DType dtype = named instanceof PyGlobal g && g.module().equals("torch") ? DType.ofPythonName(g.name()) : null;
        if (dtype == null) {
            throw new IllegalStateException("tensor over an untyped storage names no known dtype: " + named);
        }
        return dtype;
    }

    public long storageOffset() {
        return ((Number) rebuild.args().get(1)).longValue();
    }

    public long[] shape() {
        return longs(rebuild.args().get(2));
    }

    public long[] stride() {
        return longs(rebuild.args().get(3));
    }

    /** The parameter's flag (its second argument), or the tensor's (the fifth of _rebuild_tensor_v2/v3). */
    public boolean requiresGrad() {
        Object flag = isParameter() ? value.args().get(1) : rebuild.args().get(4);
        return Boolean.TRUE.equals(flag);
    }

    public long numel() {
        return Arrays.stream(shape()).reduce(1, (a, b) -> a * b);
    }

    /** True when the elements lie in row-major order without gaps. */
    public boolean isContiguous() {
        return Arrays.equals(stride(), contiguousStride(shape())) || numel() <= 1;
    }

    /** One past the last element (in elements from the storage start) the tensor reaches. */
    long extent() {
        long[] shape = shape();
        long[] stride = stride();
        if (numel() == 0) {
            return 0;
        }
        long last = storageOffset();
        for (int i = 0; i < shape.length; i++) {
            last += (shape[i] - 1) * stride[i];
        }
        return last + 1;
    }

    /** Points the tensor at another storage, as a contiguous tensor from its start. */
    void pointTo(StorageRef storage) {
        List<Object> args = new java.util.ArrayList<>(rebuild.args());
        args.set(0, storage.toPersistentId());
        args.set(1, 0L);
        args.set(3, tuple(contiguousStride(shape())));
        rebuild.setArgs(PyTuple.copyOf(args));
    }

    static long[] contiguousStride(long[] shape) {
        long[] stride = new long[shape.length];
        long step = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            stride[i] = step;
            step *= shape[i];
        }
        return stride;
    }

    static PyTuple tuple(long[] values) {
        Object[] boxed = new Object[values.length];
        for (int i = 0; i < values.length; i++) {
            boxed[i] = values[i];
        }
        return PyTuple.of(boxed);
    }

    private static long[] longs(Object tuple) {
        return ((List<?>) tuple).stream().mapToLong(v -> ((Number) v).longValue()).toArray();
    }

    @Override
    public String toString() {
        return "tensor(" + dtype() + ", shape=" + Arrays.toString(shape()) + ", storage " + storage().key() + ")";
    }
}
