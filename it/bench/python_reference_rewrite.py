#!/usr/bin/python3
"""The Python reference for the checkpoint rewrite bench: load, copy, rename, save.

Usage: python_reference_rewrite.py IN.ckpt OUT.ckpt

What a migration script typically does with torch: ``torch.load`` (every
tensor into memory), ``copy.deepcopy`` (so the loaded checkpoint is not
changed in place), renames every state_dict key ``model.encoder.`` ->
``model.backbone.`` (the ``_metadata`` prefixes too, and optimizer parameter
names where they are strings), then ``torch.save``. The same change as
dev.ckpt.bench.RenameKeysRewrite. Prints the elapsed milliseconds. Run it with
Debian's /usr/bin/python3 (where torch is installed).
"""
import collections
import copy
import sys
import time

import torch

FROM = "model.encoder."
TO = "model.backbone."


def rename(key):
    return TO + key[len(FROM):] if isinstance(key, str) and key.startswith(FROM) else key


def renamed_dict(d):
    """The same kind of dict with renamed keys, order kept (and an OrderedDict's _metadata)."""
    out = type(d)((rename(k), v) for k, v in d.items())
    meta = getattr(d, "_metadata", None)
    if meta is not None:
        out._metadata = type(meta)((rename(k), v) for k, v in meta.items())
    return out


def main(argv):
    if len(argv) != 3:
        sys.stderr.write("usage: python_reference_rewrite.py IN.ckpt OUT.ckpt\n")
        return 2
    t0 = time.perf_counter()
    ckpt = copy.deepcopy(torch.load(argv[1], map_location="cpu"))
    t1 = time.perf_counter()
    n = sum(1 for k in ckpt["state_dict"] if rename(k) != k)
    ckpt["state_dict"] = renamed_dict(ckpt["state_dict"])
    for opt in ckpt.get("optimizer_states", []):
        opt["state"] = type(opt["state"])((rename(k), v) for k, v in opt["state"].items())
        for group in opt.get("param_groups", []):
            group["params"] = [rename(p) for p in group["params"]]
    torch.save(ckpt, argv[2])
    t2 = time.perf_counter()
    print("renamed %d state_dict keys; load+deepcopy %d ms, rename+save %d ms; elapsed %d ms"
          % (n, (t1 - t0) * 1000, (t2 - t1) * 1000, (t2 - t0) * 1000))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
