#!/usr/bin/env python3
"""Check that rewritten checkpoints load in torch and hold the input's tensors under renamed keys.

Usage: check_clone_output.py [--loaders all|plain] [--allow-records] IN.ckpt OUT.ckpt [OUT.ckpt ...]

For every OUT, under every loader mode (``--loaders all``, the default):

  weights_only=False                       torch.load(OUT, weights_only=False)
  weights_only=True                        torch.load(OUT, weights_only=True)
  mmap, weights_only=True                  torch.load(OUT, mmap=True, weights_only=True)
  mmap, calculate_storage_offsets          the same with torch.utils.serialization.config.load
                                           .calculate_storage_offsets = True (torch 2.7+): the storage
                                           offsets are computed from torch's own layout rules instead of
                                           read from the zip headers, so a file that breaks that layout
                                           loads wrong bytes (caught by the tensor comparison) or fails

(``--loaders plain`` runs the first one only.) It checks that:

- the state_dict keys are the input's with ``model.encoder.`` -> ``model.backbone.``, in order,
  and the same for the state_dict's ``_metadata`` module prefixes;
- every state_dict tensor and every optimizer state tensor equals the input's: torch.equal,
  dtype, shape and stride;
- the optimizer param_groups, the other top-level keys (in order) and hyper_parameters are the
  input's. With ``--allow-records`` the output may add what ckpt's migration engine records
  (the reference's layout): top-level keys after the input's (``migrations``) and keys of
  ``hyper_parameters`` the input does not have (``metadata``, the history); they are listed.

Run it with torch 2.7 or newer (the script uses torch 2.13 from .venv/torch2). Exits non-zero with a
message at the first difference. The input is loaded once with mmap=True.
"""
import argparse
import gc
import sys
import time

import torch

FROM, TO = "model.encoder.", "model.backbone."


def rename(key):
    return TO + key[len(FROM):] if isinstance(key, str) and key.startswith(FROM) else key


def rename_module(key):
    """A _metadata key is a module prefix without the trailing dot: model.encoder -> model.backbone."""
    if key == FROM[:-1]:
        return TO[:-1]
    return rename(key)


def same_tensor(a, b):
    return (isinstance(b, torch.Tensor) and a.dtype == b.dtype and a.shape == b.shape
            and a.stride() == b.stride() and torch.equal(a, b))


def load(path, mode):
    from torch.utils.serialization import config
    config.load.calculate_storage_offsets = False
    if mode == "weights_only=False":
        return torch.load(path, map_location="cpu", weights_only=False)
    if mode == "weights_only=True":
        return torch.load(path, map_location="cpu", weights_only=True)
    if mode == "mmap, weights_only=True":
        return torch.load(path, map_location="cpu", mmap=True, weights_only=True)
    if mode == "mmap, calculate_storage_offsets":
        config.load.calculate_storage_offsets = True
        try:
            return torch.load(path, map_location="cpu", mmap=True, weights_only=True)
        finally:
            config.load.calculate_storage_offsets = False
    raise ValueError(mode)


def check(src, out, label, allow_records):
    """Returns (number of tensors compared, new top-level keys); raises AssertionError at a difference."""
    sd_in, sd = src["state_dict"], out["state_dict"]
    want = [rename(k) for k in sd_in]
    assert list(sd) == want, "%s: state_dict keys are not the renamed input keys, in order" % label
    meta_in = getattr(sd_in, "_metadata", None)
    if meta_in is not None:
        meta = getattr(sd, "_metadata", None)
        assert meta is not None, "%s: the state_dict lost its _metadata" % label
        assert list(meta) == [rename_module(k) for k in meta_in], "%s: _metadata keys are not the renamed input keys" % label
        assert list(meta.values()) == list(meta_in.values()), "%s: _metadata values differ" % label
    n = 0
    for k, v in sd_in.items():
        assert same_tensor(v, sd[rename(k)]), "%s: state_dict tensor %s differs (dtype, shape, stride or values)" % (label, k)
        n += 1
    opts_in, opts = src.get("optimizer_states", []), out.get("optimizer_states", [])
    assert len(opts_in) == len(opts), "%s: %d optimizer states, the input has %d" % (label, len(opts), len(opts_in))
    for so, oo in zip(opts_in, opts):
        groups = [dict(g, params=[rename(p) for p in g["params"]]) for g in so["param_groups"]]
        assert oo["param_groups"] == groups, "%s: optimizer param_groups differ" % label
        assert list(oo["state"]) == [rename(k) for k in so["state"]], "%s: optimizer state keys differ" % label
        for i, st in so["state"].items():
            ost = oo["state"][rename(i)]
            assert list(ost) == list(st), "%s: optimizer state %s has entries %s, the input %s" % (label, i, list(ost), list(st))
            for name, v in st.items():
                if isinstance(v, torch.Tensor):
                    assert same_tensor(v, ost[name]), "%s: optimizer state %s.%s differs" % (label, i, name)
                    n += 1
                else:
                    assert ost[name] == v, "%s: optimizer state %s.%s differs" % (label, i, name)
    rest_in = [k for k in src if k not in ("state_dict", "optimizer_states")]
    rest = [k for k in out if k not in ("state_dict", "optimizer_states")]
    new = [k for k in rest if k not in src]
    if allow_records:
        assert [k for k in rest if k in src] == rest_in, "%s: top-level keys differ: %s vs %s" % (label, rest, rest_in)
    else:
        assert rest == rest_in, "%s: top-level keys differ: %s vs the input's %s" % (label, rest, rest_in)
    if "hyper_parameters" in src:
        hp_in, hp = src["hyper_parameters"], out["hyper_parameters"]
        if allow_records and isinstance(hp, dict) and isinstance(hp_in, dict):
            new += ["hyper_parameters." + str(k) for k in hp if k not in hp_in]
            hp = {k: v for k, v in hp.items() if k in hp_in}
        assert hp == hp_in, "%s: hyper_parameters differ" % label
    return n, new


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--loaders", choices=("all", "plain"), default="all")
    ap.add_argument("--allow-records", action="store_true")
    ap.add_argument("input")
    ap.add_argument("outputs", nargs="+")
    args = ap.parse_args(argv[1:])
    modes = ["weights_only=False"]
    if args.loaders == "all":
        modes += ["weights_only=True", "mmap, weights_only=True", "mmap, calculate_storage_offsets"]
    src = torch.load(args.input, map_location="cpu", mmap=True, weights_only=False)
    assert sum(isinstance(k, str) and k.startswith(FROM) for k in src["state_dict"]) > 0, \
        "the input has no %s keys" % FROM
    failed = 0
    for path in args.outputs:
        for mode in modes:
            label = "%s [%s]" % (path, mode)
            t0 = time.perf_counter()
            try:
                out = load(path, mode)
                n, new = check(src, out, label, args.allow_records)
            except Exception as e:  # a load error or a difference: report it and go on with the next
                print("CHECK FAILED %s: %s: %s" % (label, type(e).__name__, e))
                failed += 1
                continue
            finally:
                out = None
                gc.collect()
            print("CHECK OK %s: torch %s, %d state_dict keys renamed in order, %d tensors equal%s (%.1f s)"
                  % (label, torch.__version__, len(src["state_dict"]), n,
                     "; added by the records: %s" % new if new else "", time.perf_counter() - t0))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
