"""Applies Tensor ops with real torch for dev.ckpt.api's TensorOps*TorchTest.

stdin: one JSON case per line: {"op", "inputs": [{"dtype", "shape", "hex"}], "args": {...}}.
stdout: one JSON line per case: {"results": [{"dtype", "shape", "hex"}]}, {"error": message}
when torch raises, or {"undefined": message} when the result is undefined behaviour in torch
(a float cast to an integer type it does not fit).
"""
import json
import math
import struct
import sys
from fractions import Fraction

import torch
import torch.nn.functional as F

INT_RANGES = {"int64": (-2**63, 2**63 - 1), "int32": (-2**31, 2**31 - 1), "int16": (-2**15, 2**15 - 1),
              "int8": (-128, 127), "uint8": (-2**63, 2**63 - 1)}  # uint8 goes through int64 in c10
FLOATS = {"float64", "float32", "float16", "bfloat16"}
MAP_FUNCTIONS = {"identity": lambda x: x, "affine": lambda x: x * 1.5 - 0.25, "square": lambda x: x * x}


def dtype_of(name):
    return getattr(torch, name)


def tensor_of(spec):
    dtype = dtype_of(spec["dtype"])
    shape = spec["shape"]
    raw = bytearray.fromhex(spec["hex"])
    if not raw:
        return torch.empty(shape, dtype=dtype)
    return torch.frombuffer(raw, dtype=torch.uint8).view(dtype).reshape(shape)


def spec_of(tensor):
    # a fresh tensor: contiguous() keeps any stride of a size-1 dim, which view(uint8) refuses
    dense = torch.empty(tensor.shape, dtype=tensor.dtype).copy_(tensor)
    raw = dense.reshape(-1).view(torch.uint8).numpy().tobytes() if tensor.numel() else b""
    return {"dtype": str(tensor.dtype)[len("torch."):], "shape": list(tensor.shape), "hex": raw.hex()}


def double_of(bits_hex):
    return struct.unpack("<d", bytes.fromhex(bits_hex))[0]


class Undefined(Exception):
    pass


def check_defined(values, target):
    """Raises Undefined when a float64 value does not fit the integer type target."""
    if target not in INT_RANGES:
        return
    low, high = INT_RANGES[target]
    for index, value in enumerate(values.reshape(-1).tolist()):
        if not math.isfinite(value) or not low <= math.trunc(value) <= high:
            raise Undefined(f"{value} (element {index}) to {target}")


def cast(tensor, target):
    if str(tensor.dtype)[len("torch."):] in FLOATS:
        check_defined(tensor.double(), target)
    return tensor.to(dtype_of(target))


def exact_sum(values):
    try:
        return math.fsum(values)
    except ValueError:  # inf + -inf
        return math.nan
    except OverflowError:  # an intermediate partial overflowed: the exact sum, rounded once
        exact = sum(Fraction(v) for v in values)
        try:
            return float(exact)
        except OverflowError:
            return math.copysign(math.inf, exact)


def mean(tensor, dim, keepdim):
    values = tensor.double()
    if values.dim() == 0:
        rows, shape = values.reshape(1, 1), []
    else:
        d = dim % values.dim()
        n = values.shape[d]
        moved = values.movedim(d, -1)
        rows = moved.reshape(-1, n) if moved.numel() else torch.empty(math.prod(moved.shape[:-1]), n, dtype=torch.float64)
        shape = list(values.shape)
        if keepdim:
            shape[d] = 1
        else:
            del shape[d]
    means = [exact_sum(row) / len(row) if len(row) else math.nan for row in rows.tolist()]
    result = torch.tensor(means, dtype=torch.float64).reshape(shape)
    target = str(tensor.dtype)[len("torch."):]
    check_defined(result, target)
    return result.to(tensor.dtype)


def scalar_of(args):
    return double_of(args["scalar"]) if args["kind"] == "double" else int(args["scalar"])


def pad(tensor, dim, before, after, value):
    d = dim % tensor.dim()
    pads = [0, 0] * (tensor.dim() - d)
    pads[-2], pads[-1] = before, after
    return F.pad(tensor, pads, mode="constant", value=value)


def apply(op, inputs, args):
    if op == "arange":
        return [torch.arange(double_of(args["start"]), double_of(args["end"]), double_of(args["step"]),
                             dtype=dtype_of(args["dtype"]))]
    if op == "full":
        return [torch.full(args["shape"], double_of(args["value"]), dtype=dtype_of(args["dtype"]))]
    t = inputs[0]
    if op == "narrow":
        return [t.narrow(args["dim"], args["start"], args["length"])]
    if op == "slice":
        index = [slice(None)] * t.dim()
        end = None if args["end"] == 2**63 - 1 else args["end"]
        index[args["dim"]] = slice(args["start"], end, args["step"])
        return [t[tuple(index)]]
    if op == "select":
        return [t.select(args["dim"], args["index"])]
    if op == "split":
        return list(t.split(args["size"], args["dim"]))
    if op == "split_sizes":
        return list(t.split(args["sizes"], args["dim"]))
    if op == "chunk":
        return list(t.chunk(args["chunks"], args["dim"]))
    if op == "cat":
        return [torch.cat(inputs, args["dim"])]
    if op == "stack":
        return [torch.stack(inputs, args["dim"])]
    if op == "transpose":
        return [t.transpose(args["dim0"], args["dim1"])]
    if op == "permute":
        return [t.permute(args["dims"])]
    if op == "reshape":
        return [t.reshape(args["shape"])]
    if op == "pad":
        return [pad(t, args["dim"], args["before"], args["after"], double_of(args["value"]))]
    if op == "to":
        return [cast(t, args["dtype"])]
    if op == "mul":
        return [t * scalar_of(args)]
    if op == "add":
        return [t + scalar_of(args)]
    if op == "map":
        mapped = MAP_FUNCTIONS[args["function"]](t.double())
        check_defined(mapped, str(t.dtype)[len("torch."):])
        return [mapped.to(t.dtype)]
    if op == "mean":
        return [mean(t, args["dim"], args["keepdim"])]
    raise ValueError("unknown op " + op)


def main():
    for line in sys.stdin:
        case = json.loads(line)
        try:
            results = apply(case["op"], [tensor_of(spec) for spec in case["inputs"]], case["args"])
            answer = {"results": [spec_of(r) for r in results]}
        except Undefined as undefined:
            answer = {"undefined": str(undefined)}
        except (RuntimeError, ValueError, IndexError, TypeError) as error:
            answer = {"error": f"{type(error).__name__}: {error}"}
        print(json.dumps(answer))


if __name__ == "__main__":
    main()
