"""Writes pickles too large to commit, made by CPython's C pickler, into OUTDIR.

Usage: /usr/bin/python3 make_large.py OUTDIR

They cross protocol 4's 64 KiB frame target many times, hold payloads large
enough to be written outside frames, and pass 256 memo entries (LONG_BINPUT).
Files: large.p<N>.pkl for N in 2..5.
"""
import os
import pickle
import sys

if os.environ.get("PYTHONHASHSEED") != "0":
    os.execve(sys.executable, [sys.executable, *sys.argv], {**os.environ, "PYTHONHASHSEED": "0"})


def large_tree():
    strings = [f"layer.{i}.weight" for i in range(30000)]
    return {
        "names": strings,
        "index": {name: i for i, name in enumerate(strings[:5000])},
        "pairs": [(i, -i, str(i)) for i in range(5000)],
        "blob": bytes(range(256)) * 400,
        "text": "x" * 70000,
        "shared": [strings[7]] * 300,
        "sets": {frozenset({i, i + 1}) for i in range(2000)},
        "nested": [[[i] * 3] for i in range(3000)],
    }


def main(outdir):
    tree = large_tree()
    for protocol in range(2, 6):
        with open(os.path.join(outdir, f"large.p{protocol}.pkl"), "wb") as f:
            f.write(pickle.dumps(tree, protocol=protocol))


if __name__ == "__main__":
    main(sys.argv[1])
