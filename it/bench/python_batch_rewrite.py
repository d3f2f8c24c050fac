#!/usr/bin/env python3
"""The Python way to migrate many checkpoints, for it/bench/batch-bench.sh: one process, a loop.

Usage: python_batch_rewrite.py DIR | FILE...

For every checkpoint (DIR: its *.ckpt files, sorted), in one Python process: ``torch.load``,
rename every state_dict key ``model.encoder.`` -> ``model.backbone.`` (the ``_metadata`` module
prefixes and optimizer parameter names where they are strings too: the same rename as
it/bench/python_reference_rewrite.py), ``torch.save`` to ``<file>.tmp`` and ``os.replace`` it over
the file, as a careful script would (no deepcopy: nothing else holds the loaded checkpoint; no
fsync, like python_reference_rewrite.py). Prints the count and the elapsed time.
"""
import glob
import os
import sys
import time

import torch

from python_reference_rewrite import rename, renamed_dict


def migrate(path):
    ckpt = torch.load(path, map_location="cpu", weights_only=False)
    n = sum(1 for k in ckpt["state_dict"] if rename(k) != k)
    ckpt["state_dict"] = renamed_dict(ckpt["state_dict"])
    for opt in ckpt.get("optimizer_states", []):
        opt["state"] = type(opt["state"])((rename(k), v) for k, v in opt["state"].items())
        for group in opt.get("param_groups", []):
            group["params"] = [rename(p) for p in group["params"]]
    tmp = path + ".tmp"
    torch.save(ckpt, tmp)
    os.replace(tmp, path)
    return n


def main(argv):
    if len(argv) < 2:
        sys.stderr.write("usage: python_batch_rewrite.py DIR | FILE...\n")
        return 2
    files = sorted(glob.glob(os.path.join(argv[1], "*.ckpt"))) if len(argv) == 2 and os.path.isdir(argv[1]) else argv[1:]
    if not files:
        sys.stderr.write("python_batch_rewrite.py: no checkpoint to migrate\n")
        return 1
    t0 = time.perf_counter()
    keys = sum(migrate(f) for f in files)
    t1 = time.perf_counter()
    print("migrated %d checkpoints (%d state_dict keys renamed) in %d ms" % (len(files), keys, (t1 - t0) * 1000))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
