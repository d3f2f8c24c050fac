package dev.ckpt.api;

import static dev.ckpt.api.RandomTensors.pick;

import dev.ckpt.api.TorchOps.Case;
import dev.ckpt.torch.DType;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code full} and {@code arange} against torch.full and torch.arange. */
@Tag("torch")
class TensorOpsFactoryTorchTest {

    private static final int CASES_PER_OP = 200;
    private static final long SEED = Long.getLong("ckpt.seed", 20261201L);
    /** torch.arange has no bool. */
    private static final List<DType> ARANGE = RandomTensors.NUMERIC.subList(0, RandomTensors.NUMERIC.size() - 1);

    @Test
    void factoriesMatchTorch() {
        List<Case> cases = new ArrayList<>();
        for (int i = 0; i < CASES_PER_OP; i++) {
            cases.add(full(SEED * 1000003 + 10007L + i));
            cases.add(arange(SEED * 1000003 + 20014L + i));
        }
        TorchOps.check("factories (full, arange)", cases);
    }

    private static Case full(long seed) {
        Random random = new Random(seed);
        DType dtype = pick(random, RandomTensors.NUMERIC);
        long[] shape = RandomTensors.shape(random, 3);
        double value = fillValue(random, dtype);
        Case c = new Case(seed, "full", List.of()).oursOne(() -> Tensor.full(dtype, value, shape));
        var array = c.args.put("dtype", dtype.pythonName()).put("value", TensorOpsLayoutTorchTest.doubleHex(value))
                .putArray("shape");
        for (long size : shape) {
            array.add(size);
        }
        return c;
    }

    /** Values each dtype holds: overflowing fills are tested through pad, whose refusal both torches share. */
    private static double fillValue(Random random, DType dtype) {
        if (Conversions.isInteger(dtype)) {
            return random.nextInt(100) - (dtype == DType.UINT8 ? 0 : 50) + (random.nextBoolean() ? 0.5 : 0);
        }
        double[] specials = {Double.NaN, Double.NEGATIVE_INFINITY, -0.0, 1e-40, 65504, 1 + 0x1p-11 + 0x1p-40, 0x1p-25};
        return random.nextBoolean() ? specials[random.nextInt(specials.length)] : random.nextGaussian() * 1000;
    }

    private static Case arange(long seed) {
        Random random = new Random(seed);
        DType dtype = pick(random, ARANGE);
        boolean integral = Conversions.isInteger(dtype);
        // dyadic values, where every way of computing start + i * step is exact: torch's vectorised
        // kernel rounds differently from start + i * step in float64 (by an ulp) for others
        double start = integral ? random.nextInt(20) - 10 : random.nextInt(200) / 8.0 - 10;
        double step = integral ? random.nextInt(5) + 1 : (random.nextInt(30) + 1) / 16.0;
        step = random.nextInt(4) == 0 ? -step : step;
        double end = start + step * random.nextInt(40) + (integral ? 0 : random.nextDouble());
        double finalStep = step;
        Case c = new Case(seed, "arange", List.of()).oursOne(() -> Tensor.arange(dtype, start, end, finalStep));
        c.args.put("dtype", dtype.pythonName()).put("start", TensorOpsLayoutTorchTest.doubleHex(start))
                .put("end", TensorOpsLayoutTorchTest.doubleHex(end)).put("step", TensorOpsLayoutTorchTest.doubleHex(step));
        return c;
    }
}
