package dev.ckpt.api;

import dev.ckpt.torch.DType;
import java.util.function.LongUnaryOperator;

/**
 * {@code tensor * scalar} and {@code tensor + scalar} with torch's CPU type promotion and
 * compute precision (float16/bfloat16 in float32, torch's "opmath").
 */
final class ScalarArithmetic {

    enum Op {
        MUL, ADD
    }

    private ScalarArithmetic() {
    }

    /** A float scalar: an integer tensor is promoted to float32, torch's default dtype. */
    static Tensor apply(Tensor tensor, Op op, double scalar) {
        DType dtype = tensor.dtype();
        requireArithmetic(dtype);
        long scalarBits = Double.doubleToRawLongBits(scalar);
        if (dtype == DType.FLOAT64) {
            return map(tensor, DType.FLOAT64, bits -> op == Op.MUL ? FloatBits.multiply64(bits, scalarBits)
                    : FloatBits.add64(bits, scalarBits));
        }
        return applyInFloat(tensor, op, FloatBits.narrow(scalarBits));
    }

    /** An integer scalar: integer tensors keep their dtype and wrap around. */
    static Tensor apply(Tensor tensor, Op op, long scalar) {
        DType dtype = tensor.dtype();
        requireArithmetic(dtype);
        if (Conversions.isInteger(dtype)) {
            return map(tensor, dtype, value -> op == Op.MUL ? value * scalar : value + scalar);
        }
        if (dtype == DType.FLOAT64) {
            return apply(tensor, op, (double) scalar);
        }
        return applyInFloat(tensor, op, Float.floatToRawIntBits(scalar));
    }

    private static Tensor applyInFloat(Tensor tensor, Op op, int scalarBits) {
        DType dtype = tensor.dtype();
        if (Conversions.isInteger(dtype)) {
            return map(tensor, DType.FLOAT32, value -> floatOp(op, Float.floatToRawIntBits(value), scalarBits));
        }
        if (dtype == DType.FLOAT32) {
            return map(tensor, DType.FLOAT32, bits -> floatOp(op, (int) bits, scalarBits));
        }
        // torch's add rounds the scalar to the tensor's dtype; mul keeps it in float32
        int operand = op == Op.ADD ? Conversions.toFloatBits(dtype, Conversions.fromFloat(dtype, scalarBits, 0)) : scalarBits;
        return map(tensor, dtype, bits -> Conversions.fromFloat(dtype, floatOp(op, Conversions.toFloatBits(dtype, bits), operand), 0));
    }

    private static int floatOp(Op op, int x, int y) {
        return op == Op.MUL ? FloatBits.multiply32(x, y) : FloatBits.add32(x, y);
    }

    private static void requireArithmetic(DType dtype) {
        Conversions.requireNumeric(dtype, "scalar arithmetic");
        if (dtype == DType.BOOL) {
            throw new IllegalArgumentException("scalar arithmetic on a bool tensor is refused (torch would promote it)");
        }
    }

    /** Each element's bits through {@code function} into a tensor of {@code target}. */
    private static Tensor map(Tensor tensor, DType target, LongUnaryOperator function) {
        DType source = tensor.dtype();
        byte[] in = tensor.bytes();
        byte[] out = new byte[Shapes.byteLength(tensor.shape(), target.elementSize())];
        int numel = in.length / source.elementSize();
        for (int i = 0; i < numel; i++) {
            Elements.write(target, out, i, function.applyAsLong(Elements.read(source, in, i)));
        }
        return Tensor.wrap(target, tensor.shape(), out);
    }
}
