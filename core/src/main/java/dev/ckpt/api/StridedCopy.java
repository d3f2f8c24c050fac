package dev.ckpt.api;

/**
 * Gathers the elements of a strided view (offset, shape, strides in elements) of row-major
 * bytes into new row-major bytes; an innermost stride of 1 copies whole rows.
 */
final class StridedCopy {

    private StridedCopy() {
    }

    static byte[] gather(byte[] source, int elementSize, long offset, long[] shape, long[] strides) {
        byte[] target = new byte[Shapes.byteLength(shape, elementSize)];
        if (target.length == 0) {
            return target;
        }
        int rank = shape.length;
        boolean rowsContiguous = rank > 0 && strides[rank - 1] == 1;
        int rowElements = rowsContiguous ? (int) shape[rank - 1] : 1;
        int outerRank = rowsContiguous ? rank - 1 : rank;
        long[] index = new long[outerRank];
        long position = offset;
        int written = 0;
        int rowBytes = rowElements * elementSize;
        while (written < target.length) {
            System.arraycopy(source, (int) position * elementSize, target, written, rowBytes);
            written += rowBytes;
            position = advance(index, shape, strides, position);
        }
        return target;
    }

    /** Steps the odometer {@code index} over the first {@code index.length} dims; returns the new position. */
    private static long advance(long[] index, long[] shape, long[] strides, long position) {
        for (int d = index.length - 1; d >= 0; d--) {
            if (++index[d] < shape[d]) {
                return position + strides[d];
            }
            position -= strides[d] * (shape[d] - 1);
            index[d] = 0;
        }
        return position;
    }
}
