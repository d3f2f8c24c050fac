package dev.ckpt.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ckpt.torch.DType;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The refusals of {@link Tensor}, each with a message that says what was wrong. */
class TensorOpsErrorsTest {

    private final Tensor matrix = Tensor.arange(DType.FLOAT32, 6).reshape(2, 3);

    private static void assertRefused(Executable operation, String... fragments) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, operation);
        for (String fragment : fragments) {
            assertTrue(error.getMessage().contains(fragment), () -> "'" + error.getMessage() + "' lacks '" + fragment + "'");
        }
    }

    @Test
    void ofChecksTheByteLength() {
        assertRefused(() -> Tensor.of(DType.INT32, new long[] {2, 2}, new byte[15]), "needs 16 bytes, got 15");
        assertRefused(() -> Tensor.of(DType.INT32, new long[] {-1}, new byte[0]), "negative size");
    }

    @Test
    void resultsOver2GiBAreRefusedWithTheirSize() {
        assertRefused(() -> Tensor.zeros(DType.FLOAT32, 1L << 29, 2), "needs 4294967296 bytes", "2 GiB");
        assertRefused(() -> Tensor.zeros(DType.FLOAT64, 1L << 62, 1L << 62), "over 2^63");
        assertRefused(() -> Tensor.zeros(DType.INT8, 2).pad(0, 0, 1L << 31, 0), "needs 2147483648 bytes");
    }

    @Test
    void catNamesTheMismatch() {
        Tensor other = Tensor.zeros(DType.FLOAT32, 3, 3);
        assertRefused(() -> Tensor.cat(List.of(matrix, other), 1), "equal sizes elsewhere", "[2, 3]", "[3, 3]");
        assertRefused(() -> Tensor.cat(List.of(matrix, matrix.to(DType.FLOAT64)), 0), "one dtype", "torch.float64");
        assertRefused(() -> Tensor.cat(List.of(), 0), "at least one tensor");
        assertRefused(() -> Tensor.stack(List.of(matrix, matrix.transpose(0, 1)), 0), "equal shapes");
    }

    @Test
    void badDimsAndIndicesAreNamed() {
        assertRefused(() -> matrix.narrow(2, 0, 1), "dimension 2 out of range [-2, 1]");
        assertRefused(() -> matrix.select(-3, 0), "dimension -3 out of range");
        assertRefused(() -> matrix.select(1, 3), "index 3 out of range for size 3");
        assertRefused(() -> matrix.narrow(1, 2, 2), "out of range for size 3");
        assertRefused(() -> Tensor.full(DType.INT8, 1).select(0, 0), "0-d tensor has no dimension 0");
        assertRefused(() -> matrix.permute(0, 0), "repeat dim 0");
        assertRefused(() -> matrix.permute(0), "needs 2 dims");
        assertRefused(() -> matrix.slice(0, 0, 2, 0), "step must be positive");
        assertRefused(() -> matrix.split(new long[] {1, 1}, 1), "do not add up to size 3");
        assertRefused(() -> matrix.split(0, 1), "cannot split size 3");
        assertRefused(() -> matrix.chunk(0, 1), "positive number of chunks");
        assertRefused(() -> matrix.pad(1, -2, -2, 0), "leaves size -1");
    }

    @Test
    void reshapeNamesTheShape() {
        assertRefused(() -> matrix.reshape(4, -1), "[4, -1] is invalid for 6 elements");
        assertRefused(() -> matrix.view(-1, -1), "invalid shape [-1, -1]");
        assertRefused(() -> Tensor.zeros(DType.FLOAT32, 0, 3).reshape(0, -1), "cannot infer the -1");
    }

    @Test
    void floatToIntegerOutOfRangeNamesValueAndIndex() {
        Tensor values = Tensor.ofDoubles(new long[] {3}, 1.5, 128.0, -3);
        assertRefused(() -> values.to(DType.INT8), "cannot cast 128.0 (element 1) to torch.int8", "undefined behaviour");
        assertRefused(() -> Tensor.ofFloats(new long[] {2}, 0, Float.NaN).to(DType.INT64), "NaN (element 1)");
        assertRefused(() -> Tensor.ofDoubles(new long[] {1}, 0x1p63).to(DType.INT64), "(element 0)");
        assertRefused(() -> Tensor.ofDoubles(new long[] {1}, 1e300).map(x -> x).to(DType.UINT8), "1.0E300");
        assertRefused(() -> Tensor.ofLongs(new long[] {1}, 3).map(x -> x / 0), "Infinity (element 0)");
        assertEquals(253, values.narrow(0, 2, 1).to(DType.UINT8).doubleAt(0), "uint8 wraps through int64, as in torch");
    }

    @Test
    void unsupportedDtypesAndBoolArithmeticAreRefused() {
        Tensor complex = Tensor.zeros(DType.COMPLEX64, 2);
        assertRefused(() -> complex.to(DType.FLOAT32), "to supports", "not torch.complex64");
        assertRefused(() -> complex.mul(2.0), "scalar arithmetic supports");
        assertRefused(() -> complex.pad(0, 1, 0, 1.0), "only the value 0");
        assertEquals(List.of(4L), List.of(complex.pad(0, 1, 1, 0).numel()), "layout ops move any dtype");
        assertRefused(() -> Tensor.ones(DType.BOOL, 2).add(1L), "bool tensor is refused");
        assertRefused(() -> Tensor.full(DType.UINT8, -1), "fill value -1.0 cannot be converted to torch.uint8");
        assertRefused(() -> Tensor.arange(DType.FLOAT32, 0, 1, 0), "non-zero step");
        assertRefused(() -> Tensor.arange(DType.FLOAT32, 0, 1, -1), "of the sign of end - start");
        assertRefused(() -> Tensor.arange(DType.INT32, 0.5, 3, 1), "integral start and step");
    }

    @Test
    void valueSemantics() {
        Tensor same = Tensor.arange(DType.FLOAT32, 6).view(2, 3);
        assertEquals(matrix, same);
        assertEquals(matrix.hashCode(), same.hashCode());
        assertNotEquals(matrix, matrix.reshape(3, 2));
        assertSame(matrix, matrix.contiguous());
        assertEquals("Tensor(torch.float32, [2, 3])", matrix.toString());
        byte[] data = matrix.data();
        data[0] = 1;
        assertEquals(0, matrix.doubleAt(0, 0), "data() is a copy");
        assertEquals(5, matrix.doubleAt(-1, -1));
    }
}
