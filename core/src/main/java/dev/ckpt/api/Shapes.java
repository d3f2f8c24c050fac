package dev.ckpt.api;

import java.util.Arrays;

/** Shape arithmetic: element counts, row-major strides, torch's dim wrapping, the 2 GiB limit. */
final class Shapes {

    /** The largest byte array the JVM reliably allocates. */
    static final long MAX_BYTES = Integer.MAX_VALUE - 8;

    private Shapes() {
    }

    /** The element count, saturated at Long.MAX_VALUE. */
    static long numel(long[] shape) {
        long count = 1;
        for (long size : shape) {
            if (size < 0) {
                throw new IllegalArgumentException("negative size in shape " + Arrays.toString(shape));
            }
            count = size == 0 ? 0 : saturatedProduct(count, size);
        }
        return Arrays.stream(shape).anyMatch(size -> size == 0) ? 0 : count;
    }

    private static long saturatedProduct(long a, long b) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException overflow) {
            return Long.MAX_VALUE;
        }
    }

    /** The byte length of {@code shape} at {@code elementSize}, refusing what a byte[] cannot hold. */
    static int byteLength(long[] shape, int elementSize) {
        long numel = numel(shape);
        if (numel > MAX_BYTES / elementSize) {
            throw new IllegalArgumentException("a tensor of shape " + Arrays.toString(shape) + " needs "
                    + (numel > Long.MAX_VALUE / elementSize ? "over 2^63" : String.valueOf(numel * elementSize))
                    + " bytes; a Tensor holds at most " + MAX_BYTES + " (2 GiB)");
        }
        return (int) numel * elementSize;
    }

    /** Row-major strides in elements. */
    static long[] strides(long[] shape) {
        long[] strides = new long[shape.length];
        long stride = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            strides[d] = stride;
            stride *= shape[d];
        }
        return strides;
    }

    /** Torch's wrapping: {@code -1} is the last dim; a 0-d tensor accepts -1 and 0. */
    static int wrapDim(long dim, int rank) {
        int range = Math.max(rank, 1);
        if (dim < -range || dim >= range) {
            throw new IllegalArgumentException("dimension " + dim + " out of range [" + -range + ", " + (range - 1)
                    + "] for a " + rank + "-d tensor");
        }
        return (int) (dim < 0 ? dim + range : dim);
    }

    /** Like {@link #wrapDim} for ops that need a real dimension. */
    static int wrapExistingDim(long dim, int rank) {
        if (rank == 0) {
            throw new IllegalArgumentException("a 0-d tensor has no dimension " + dim);
        }
        return wrapDim(dim, rank);
    }

    static long[] withSize(long[] shape, int dim, long size) {
        long[] result = shape.clone();
        result[dim] = size;
        return result;
    }

    static long[] without(long[] shape, int dim) {
        long[] result = new long[shape.length - 1];
        System.arraycopy(shape, 0, result, 0, dim);
        System.arraycopy(shape, dim + 1, result, dim, shape.length - dim - 1);
        return result;
    }

    static long[] inserted(long[] shape, int dim, long size) {
        long[] result = new long[shape.length + 1];
        System.arraycopy(shape, 0, result, 0, dim);
        result[dim] = size;
        System.arraycopy(shape, dim, result, dim + 1, shape.length - dim);
        return result;
    }
}
