package dev.ckpt.api;

import static dev.ckpt.api.RandomTensors.pick;

import dev.ckpt.api.TorchOps.Case;
import dev.ckpt.torch.DType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The layout ops against torch: random shapes (0-d and empty included), dims and dtypes, bytes compared. */
@Tag("torch")
class TensorOpsLayoutTorchTest {

    private static final int CASES_PER_OP = 150;
    private static final long SEED = Long.getLong("ckpt.seed", 20261201L);

    @Test
    void layoutOpsMatchTorch() {
        List<Case> cases = new ArrayList<>();
        add(cases, 1, this::narrow);
        add(cases, 2, this::slice);
        add(cases, 3, this::select);
        add(cases, 4, this::split);
        add(cases, 5, this::splitSizes);
        add(cases, 6, this::chunk);
        add(cases, 7, this::cat);
        add(cases, 8, this::stack);
        add(cases, 9, this::transpose);
        add(cases, 10, this::permute);
        add(cases, 11, this::reshape);
        add(cases, 12, this::pad);
        TorchOps.check("layout ops (narrow, slice, select, split, chunk, cat, stack, transpose, permute, reshape, pad)",
                cases);
    }

    private static void add(List<Case> cases, int op, BiFunction<Long, Random, Case> generator) {
        for (int i = 0; i < CASES_PER_OP; i++) {
            long seed = SEED * 1000003 + op * 10007L + i;
            cases.add(generator.apply(seed, new Random(seed)));
        }
    }

    private static Tensor input(Random random, int minRank) {
        long[] shape = RandomTensors.shape(random, 4);
        while (shape.length < minRank) {
            shape = RandomTensors.shape(random, 4);
        }
        return RandomTensors.tensor(random, pick(random, RandomTensors.LAYOUT), shape);
    }

    /** A dim of a rank-{@code rank} tensor, negative half the time. */
    private static int dim(Random random, int rank) {
        int d = random.nextInt(rank);
        return random.nextBoolean() ? d : d - rank;
    }

    private Case narrow(long seed, Random random) {
        Tensor t = input(random, 1);
        int dim = dim(random, t.dim());
        long size = t.size(dim);
        long start = random.nextInt((int) (2 * size + 1)) - size;
        long length = random.nextInt((int) size + 2);
        Case c = new Case(seed, "narrow", List.of(t)).oursOne(() -> t.narrow(dim, start, length));
        c.args.put("dim", dim).put("start", start).put("length", length);
        return c;
    }

    private Case slice(long seed, Random random) {
        Tensor t = input(random, 1);
        int dim = dim(random, t.dim());
        long size = t.size(dim);
        long start = random.nextInt((int) (2 * size + 5)) - size - 2;
        long end = random.nextInt(5) == 0 ? Long.MAX_VALUE : random.nextInt((int) (2 * size + 5)) - size - 2;
        long step = 1 + random.nextInt(3);
        Case c = new Case(seed, "slice", List.of(t)).oursOne(() -> t.slice(dim, start, end, step));
        c.args.put("dim", dim).put("start", start).put("end", end).put("step", step);
        return c;
    }

    private Case select(long seed, Random random) {
        Tensor t = input(random, 1);
        int dim = dim(random, t.dim());
        long size = t.size(dim);
        long index = random.nextInt((int) (2 * size + 1)) - size;  // size itself is out of range
        Case c = new Case(seed, "select", List.of(t)).oursOne(() -> t.select(dim, index));
        c.args.put("dim", dim).put("index", index);
        return c;
    }

    private Case split(long seed, Random random) {
        Tensor t = input(random, 1);
        int dim = dim(random, t.dim());
        long size = t.size(dim) == 0 ? random.nextInt(3) : 1 + random.nextInt((int) t.size(dim) + 1);
        Case c = new Case(seed, "split", List.of(t)).ours(() -> t.split(size, dim));
        c.args.put("size", size).put("dim", dim);
        return c;
    }

    private Case splitSizes(long seed, Random random) {
        Tensor t = input(random, 1);
        int dim = dim(random, t.dim());
        List<Long> parts = new ArrayList<>();
        long left = t.size(dim);
        while (left > 0 || parts.isEmpty() || random.nextInt(4) == 0) {
            long part = Math.min(left, random.nextInt(3));
            parts.add(part);
            left -= part;
            if (parts.size() > 6) {
                parts.add(left);
                break;
            }
        }
        long[] sizes = parts.stream().mapToLong(Long::longValue).toArray();
        if (random.nextInt(10) == 0) {
            sizes[0]++;  // no longer adds up: both refuse
        }
        Case c = new Case(seed, "split_sizes", List.of(t)).ours(() -> t.split(sizes, dim));
        var array = c.args.putArray("sizes");
        Arrays.stream(sizes).forEach(array::add);
        c.args.put("dim", dim);
        return c;
    }

    private Case chunk(long seed, Random random) {
        Tensor t = input(random, 1);
        int dim = dim(random, t.dim());
        int chunks = 1 + random.nextInt(5);
        Case c = new Case(seed, "chunk", List.of(t)).ours(() -> t.chunk(chunks, dim));
        c.args.put("chunks", chunks).put("dim", dim);
        return c;
    }

    private Case cat(long seed, Random random) {
        Tensor first = input(random, 1);
        int dim = dim(random, first.dim());
        List<Tensor> tensors = new ArrayList<>(List.of(first));
        int count = random.nextInt(3);
        for (int i = 0; i < count; i++) {
            long[] shape = Shapes.withSize(first.shape(), dim < 0 ? dim + first.dim() : dim, random.nextInt(4));
            tensors.add(RandomTensors.tensor(random, first.dtype(), shape));
        }
        Case c = new Case(seed, "cat", tensors).oursOne(() -> Tensor.cat(tensors, dim));
        c.args.put("dim", dim);
        return c;
    }

    private Case stack(long seed, Random random) {
        Tensor first = input(random, 0);
        int dim = dim(random, first.dim() + 1);
        List<Tensor> tensors = new ArrayList<>(List.of(first));
        int count = random.nextInt(3);
        for (int i = 0; i < count; i++) {
            tensors.add(RandomTensors.tensor(random, first.dtype(), first.shape()));
        }
        Case c = new Case(seed, "stack", tensors).oursOne(() -> Tensor.stack(tensors, dim));
        c.args.put("dim", dim);
        return c;
    }

    private Case transpose(long seed, Random random) {
        Tensor t = input(random, 0);
        int rank = Math.max(t.dim(), 1);
        int dim0 = dim(random, rank);
        int dim1 = dim(random, rank);
        Case c = new Case(seed, "transpose", List.of(t)).oursOne(() -> t.transpose(dim0, dim1));
        c.args.put("dim0", dim0).put("dim1", dim1);
        return c;
    }

    private Case permute(long seed, Random random) {
        Tensor t = input(random, 0);
        List<Integer> order = new ArrayList<>();
        for (int d = 0; d < t.dim(); d++) {
            order.add(random.nextBoolean() ? d : d - t.dim());
        }
        java.util.Collections.shuffle(order, random);
        int[] dims = order.stream().mapToInt(Integer::intValue).toArray();
        Case c = new Case(seed, "permute", List.of(t)).oursOne(() -> t.permute(dims));
        var array = c.args.putArray("dims");
        Arrays.stream(dims).forEach(array::add);
        return c;
    }

    private Case reshape(long seed, Random random) {
        Tensor t = input(random, 0);
        List<Long> sizes = new ArrayList<>();
        for (long size : t.shape()) {
            sizes.add(size);
        }
        java.util.Collections.shuffle(sizes, random);
        if (sizes.size() >= 2 && random.nextBoolean()) {
            sizes.set(0, sizes.get(0) * sizes.remove(1));  // merge two dims
        }
        if (random.nextBoolean()) {
            sizes.add(random.nextInt(sizes.size() + 1), 1L);
        }
        if (!sizes.isEmpty() && random.nextInt(3) == 0) {
            sizes.set(random.nextInt(sizes.size()), -1L);
        }
        long[] shape = sizes.stream().mapToLong(Long::longValue).toArray();
        Case c = new Case(seed, "reshape", List.of(t)).oursOne(() -> t.reshape(shape));
        var array = c.args.putArray("shape");
        Arrays.stream(shape).forEach(array::add);
        return c;
    }

    private Case pad(long seed, Random random) {
        Tensor t = input(random, 1);
        int dim = dim(random, t.dim());
        long size = t.size(dim);
        long before = random.nextInt((int) size + 4) - size;
        long after = random.nextInt((int) size + 4) - size;
        double value = padValue(random, t.dtype());
        Case c = new Case(seed, "pad", List.of(t)).oursOne(() -> t.pad(dim, before, after, value));
        c.args.put("dim", dim).put("before", before).put("after", after).put("value", doubleHex(value));
        if (Arrays.stream(t.shape()).skip(dim < 0 ? dim + t.dim() : dim).anyMatch(s -> s == 0)) {
            c.torch113Refuses("F.pad of a tensor empty in or after the padded dim (1.13 checks every size > 0)");
        }
        return c;
    }

    private static double padValue(Random random, DType dtype) {
        if (dtype == DType.COMPLEX64 || dtype == DType.COMPLEX128) {
            return 0;
        }
        if (dtype == DType.BOOL) {
            return random.nextInt(2);
        }
        if (Conversions.isInteger(dtype)) {
            return random.nextInt(200) - 100;
        }
        double[] specials = {Double.NaN, Double.POSITIVE_INFINITY, -0.0, 1e-40, 65520, 1 + 0x1p-11 + 0x1p-40};
        return random.nextBoolean() ? specials[random.nextInt(specials.length)] : random.nextGaussian() * 100;
    }

    static String doubleHex(double value) {
        long bits = Double.doubleToRawLongBits(value);
        byte[] bytes = new byte[8];
        for (int b = 0; b < 8; b++) {
            bytes[b] = (byte) (bits >>> (8 * b));
        }
        return java.util.HexFormat.of().formatHex(bytes);
    }
}
