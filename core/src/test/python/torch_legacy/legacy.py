"""The pre-1.6 torch.save format, made and checked with the real torch.

Usage:
  /usr/bin/python3 legacy.py make OUT.pt          legacy checkpoint: views, shared storage, a parameter, dtypes
  /usr/bin/python3 legacy.py make-module OUT.pt   legacy file of a whole nn.Module (pickled with its source)
  /usr/bin/python3 legacy.py same A B             prints OK when A and B load to equal checkpoints
  /usr/bin/python3 legacy.py is-zip F             prints zip or legacy
"""
import sys
import zipfile

import torch


def make(path):
    torch.manual_seed(0)
    base = torch.randn(4, 3)
    ckpt = {
        "epoch": 2,
        "state_dict": {"w": base, "w_view": base[1:3], "w_t": base.t(), "bias": torch.nn.Parameter(torch.ones(3))},
        "ints": torch.arange(5, dtype=torch.int64),
        "half": torch.ones(2, dtype=torch.float16),
        "flags": torch.tensor([True, False]),
    }
    torch.save(ckpt, path, _use_new_zipfile_serialization=False)


def same(a, b):
    x, y = torch.load(a, weights_only=False), torch.load(b, weights_only=False)
    assert x["epoch"] == y["epoch"]
    for key in ("ints", "half", "flags"):
        assert x[key].dtype == y[key].dtype and torch.equal(x[key], y[key]), key
    for key, value in x["state_dict"].items():
        other = y["state_dict"][key]
        assert type(value) is type(other) and torch.equal(value, other), key
        assert value.stride() == other.stride() and value.storage_offset() == other.storage_offset(), key
    sd = y["state_dict"]
    assert sd["w"].storage().data_ptr() == sd["w_view"].storage().data_ptr() == sd["w_t"].storage().data_ptr(), "sharing lost"
    print("OK")


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    if command == "make":
        make(args[0])
    elif command == "make-module":
        torch.save(torch.nn.Linear(2, 2), args[0], _use_new_zipfile_serialization=False)
    elif command == "same":
        same(*args)
    elif command == "is-zip":
        print("zip" if zipfile.is_zipfile(args[0]) else "legacy")
