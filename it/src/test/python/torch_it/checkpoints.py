"""Checkpoints made by the real torch.save (torch 1.13), one maker per kind.

Each maker returns the object to save; make(kind, out) saves it to the path `out`, so torch
names the archive folder after the file's stem. The kind `bytesio` saves to an in-memory
buffer instead (archive folder `archive/`) and writes those bytes to `out`.
"""
import collections
import io

import numpy as np
import torch
from omegaconf import OmegaConf

# Every dtype torch 1.13 can save. complex32 is missing: 1.13's torch.save rejects it
# ("dtype torch.complex32 is not recognized"). Quantized types have their own maker.
DTYPES = [
    torch.float32, torch.float64, torch.float16, torch.bfloat16, torch.complex64, torch.complex128,
    torch.uint8, torch.int8, torch.int16, torch.int32, torch.int64, torch.bool,
]


def tiny():
    return {"w": torch.arange(4, dtype=torch.float32)}


def multi():
    torch.manual_seed(1)
    state_dict = collections.OrderedDict()
    state_dict["encoder.weight"] = torch.randn(5, 3)
    state_dict["encoder.bias"] = torch.randn(5)
    state_dict["decoder.weight"] = torch.randn(3, 5)
    state_dict["decoder.bias"] = torch.randn(3)
    state_dict["steps"] = torch.tensor(17)
    return {"state_dict": state_dict, "epoch": 4, "note": "multi"}


def shared():
    """Tied weights (two keys, two tensors, one storage), one tensor object under two keys,
    and views into one storage at different offsets."""
    torch.manual_seed(2)
    model = torch.nn.Sequential(torch.nn.Embedding(6, 4), torch.nn.Linear(4, 6))
    model[1].weight = model[0].weight
    state_dict = model.state_dict()
    base = torch.arange(20, dtype=torch.float32)
    same = torch.tensor([1.5, 2.5])
    return {
        "state_dict": state_dict,
        "views": {"head": base[0:5], "middle": base[5:12], "tail": base[12:].view(2, 4)},
        "same_a": same,
        "same_b": same,
    }


def views():
    """Non-contiguous tensors and tensors with storage offsets, all over one or two storages."""
    m = torch.arange(24, dtype=torch.float32).reshape(4, 6)
    cube = torch.arange(60, dtype=torch.int64).reshape(3, 4, 5)
    return {
        "matrix": m,
        "transposed": m.t(),
        "every_other_column": m[:, ::2],
        "rows_1_to_2": m[1:3],
        "column_3": m[:, 3],
        "offset_strided": m[1:, 1::3],
        "scalar_at_offset": m[2, 3],
        "empty": m[:0],
        "empty_own_storage": torch.zeros(0, 3, dtype=torch.int64),
        "expanded": torch.arange(3, dtype=torch.float32).expand(4, 3),
        "permuted": cube.permute(2, 0, 1),
        "narrowed": cube[1:, 2:, ::2],
    }


def _values(dtype, n):
    g = torch.Generator().manual_seed(3)
    if dtype == torch.bool:
        return torch.randint(0, 2, (n,), generator=g).bool()
    if dtype.is_complex:
        real = torch.float32 if dtype == torch.complex64 else torch.float64
        return torch.complex(torch.randn(n, generator=g, dtype=real), torch.randn(n, generator=g, dtype=real))
    if dtype.is_floating_point:
        return (torch.randn(n, generator=g, dtype=torch.float64) * 100).to(dtype)
    info = torch.iinfo(dtype)
    values = torch.randint(info.min, info.max, (n,), generator=g, dtype=dtype)
    values[0], values[1] = info.min, info.max
    return values


def dtypes():
    """One contiguous and one transposed tensor of every dtype, plus special float values."""
    out = {}
    for dtype in DTYPES:
        name = str(dtype).replace("torch.", "")
        out[name] = _values(dtype, 12).reshape(3, 4)
        out[name + "_transposed"] = _values(dtype, 12).reshape(3, 4).t()
    out["float32_special"] = torch.tensor([float("nan"), float("inf"), -float("inf"), -0.0, 1e-45])
    out["bfloat16_special"] = torch.tensor([float("nan"), float("inf"), -0.0, 3.0e38], dtype=torch.bfloat16)
    return out


def parameters():
    torch.manual_seed(4)
    linear = torch.nn.Linear(3, 2)
    linear.bias.requires_grad_(False)
    return {
        "param_grad": torch.nn.Parameter(torch.randn(2, 3)),
        "param_frozen": torch.nn.Parameter(torch.randn(4), requires_grad=False),
        "tensor_grad": torch.randn(3, requires_grad=True),
        "tensor_plain": torch.randn(3),
        "module_vars": linear.state_dict(keep_vars=True),
    }


def lightning():
    """A Lightning-style training checkpoint: tied weights, Adam state, a scheduler,
    an OmegaConf config with interpolations and numpy statistics."""
    torch.manual_seed(5)
    model = torch.nn.Sequential(torch.nn.Embedding(10, 4), torch.nn.Linear(4, 10), torch.nn.LayerNorm(10))
    model[1].weight = model[0].weight
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=2)
    for _ in range(2):
        model(torch.tensor([1, 2, 3])).sum().backward()
        optimizer.step()
        scheduler.step()
    config = OmegaConf.create({
        "model": {"hidden": 4, "layers": [1, 2, {"kind": "attn"}], "name": "tiny"},
        "training": {"lr": 1e-3, "lr_copy": "${training.lr}", "precision": "bf16"},
        "data": {"path": "${oc.env:HOME}/data"},
    })
    statistics = {
        "mean": np.linspace(0, 1, 5, dtype=np.float32),
        "stdev": np.ones((2, 3), dtype=np.float64),
        "count": np.int64(12345),
        "min": np.float32(-3.5),
    }
    return {
        "epoch": 3,
        "global_step": 120,
        "pytorch-lightning_version": "2.0.0",
        "state_dict": model.state_dict(),
        "loops": {"fit_loop": {"epoch_progress": {"total": {"ready": 4, "completed": 3}}}},
        "optimizer_states": [optimizer.state_dict()],
        "lr_schedulers": [scheduler.state_dict()],
        "callbacks": collections.OrderedDict({"ModelCheckpoint": {"best_model_score": torch.tensor(0.25)}}),
        "hyper_parameters": {"config": config, "statistics": statistics, "tags": ("a", "b"), "ratio": 0.5,
                             "blob": b"\x00\x01\xff"},
    }


def quantized():
    x = torch.tensor([[-1.0, 0.0, 0.5], [1.0, 2.0, 3.0]])
    return {
        "per_tensor": torch.quantize_per_tensor(x, 0.1, 10, torch.quint8),
        "per_channel": torch.quantize_per_channel(x, torch.tensor([0.1, 0.2], dtype=torch.float64),
                                                  torch.tensor([0, 1]), 0, torch.qint8),
        "float": torch.ones(2),
    }


def many():
    """More records than a zip without zip64 can count (65535): torch writes zip64 end records."""
    return {str(i): torch.tensor([i % 100], dtype=torch.int8) for i in range(66000)}


def large():
    """Storages larger than the 1 MiB copy buffer, and views into one at an offset."""
    g = torch.Generator().manual_seed(6)
    big = torch.randn(3, 500_000, generator=g)
    return {"big": big, "row_2_strided": big[2, 1::7], "odd_size": torch.randint(0, 255, (1_300_001,), generator=g, dtype=torch.uint8)}


def list_root():
    return [1, 2]


MAKERS = {
    "tiny": tiny, "multi": multi, "shared": shared, "views": views, "dtypes": dtypes,
    "parameters": parameters, "lightning": lightning, "quantized": quantized, "list_root": list_root,
    "many": many, "large": large,
}


def make(kind, out):
    """Saves the checkpoint `kind` to `out` with torch.save; `bytesio` = tiny, saved via BytesIO;
    `protocol4` = multi, pickled with protocol 4 instead of torch's default 2."""
    if kind == "protocol4":
        torch.save(multi(), out, pickle_protocol=4)
    elif kind == "bytesio":
        buffer = io.BytesIO()
        torch.save(tiny(), buffer)
        with open(out, "wb") as f:
            f.write(buffer.getvalue())
    else:
        torch.save(MAKERS[kind](), out)
    return "OK"
