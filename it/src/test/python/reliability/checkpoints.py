"""Checkpoints for the reliability tests (it/src/test/java/dev/ckpt/it/reliability), made and
checked with the real torch (Debian's python3-torch, /usr/bin/python3).

    checkpoints.py make PATH MEGABYTES
        a Lightning-shaped torch.save checkpoint whose state_dict holds encoder.layers.N.weight
        float32 tensors (seeded) adding up to about MEGABYTES, plus epoch/global_step/
        hyper_parameters and args (an argparse.Namespace, as older Lightning code saved).
        Writes PATH.manifest.json: the sha256 of every tensor's bytes.
    checkpoints.py check PATH MANIFEST
        torch.load PATH and assert it is either the original (encoder.layers.N, no records) or
        completely migrated by the three test migrations (encoder.blocks.N with the original
        bytes, encoder.scale = 256 ones, the three migration records). Prints "original" or
        "migrated"; exits 1 naming the first mismatch.
    checkpoints.py placeholder PATH
        torch.load PATH with weights_only=True on torch 2.x (which the original, holding an
        argparse.Namespace, fails) and assert its args is the inert placeholder ckpt writes for a deleted class: a
        plain dict naming argparse.Namespace and keeping its state. Prints "placeholder".
    checkpoints.py serve
        check, for one "PATH<TAB>MANIFEST" line of stdin after another, answering each with
        check's output and a line "END" (importing torch costs more than a check).
"""
import argparse
import hashlib
import json
import sys

import torch

LAYER_NUMEL = 1024 * 1024  # 4 MiB of float32 per layer
MIGRATIONS = ["1700000100_rename_layers", "1700000200_add_scale", "1700000300_pause_for_tests"]


def digest(tensor):
    return hashlib.sha256(tensor.contiguous().numpy().tobytes()).hexdigest()


def make(path, megabytes):
    generator = torch.Generator().manual_seed(1234)
    layers = max(1, int(megabytes) // 4)
    state = {}
    for i in range(layers):
        state["encoder.layers.%d.weight" % i] = torch.randn(LAYER_NUMEL, generator=generator)
    ckpt = {
        "epoch": 9,
        "global_step": 4500,
        "pytorch-lightning_version": "2.0.0",
        "state_dict": state,
        "hyper_parameters": {"lr": 0.001, "layers": layers},
        "args": argparse.Namespace(lr=0.001, layers=layers),
    }
    torch.save(ckpt, path)
    with open(path + ".manifest.json", "w") as out:
        json.dump({key: digest(value) for key, value in state.items()}, out)


def fail(message):
    print("CHECK FAILED: " + message)
    sys.exit(1)


def check(path, manifest_path):
    with open(manifest_path) as f:
        manifest = json.load(f)
    ckpt = torch.load(path, weights_only=False)
    state = ckpt["state_dict"]
    migrated = "migrations" in ckpt
    expected_keys = list(manifest)
    if migrated:
        expected_keys = [k.replace("encoder.layers.", "encoder.blocks.") for k in manifest] + ["encoder.scale"]
        names = [r["name"] for r in ckpt["migrations"]]
        if names != MIGRATIONS:
            fail("migration records %s, expected %s" % (names, MIGRATIONS))
        if not torch.equal(state["encoder.scale"], torch.ones(256)):
            fail("encoder.scale is not 256 ones")
    if sorted(state.keys()) != sorted(expected_keys):
        fail("state_dict keys differ: %d keys, expected %d" % (len(state), len(expected_keys)))
    for key, sha in manifest.items():
        now = key.replace("encoder.layers.", "encoder.blocks.") if migrated else key
        if digest(state[now]) != sha:
            fail("tensor %s does not hold the bytes of the original %s" % (now, key))
    if ckpt["epoch"] != 9 or ckpt["global_step"] != 4500:
        fail("epoch/global_step changed")
    print("migrated" if migrated else "original")


def placeholder(path):
    # torch 1.13's weights-only unpickler lacks BINFLOAT (the Namespace's lr), so there it loads in full
    args = torch.load(path, weights_only=int(torch.__version__.split(".")[0]) >= 2)["args"]
    if type(args) is not dict:
        fail("args is a %s, not the placeholder" % type(args))
    if args["__ckpt_placeholder__"] != "argparse.Namespace":
        fail("args stands for %r" % args["__ckpt_placeholder__"])
    if args["state"].get("lr") != 0.001:
        fail("the placeholder lost the Namespace's state: %r" % args["state"])
    print("placeholder")


def serve():
    for line in sys.stdin:
        path, manifest = line.rstrip("\n").split("\t")
        try:
            check(path, manifest)
        except SystemExit:
            pass
        except Exception as e:  # torch.load refusing the file is a verdict too
            print("CHECK FAILED: %s: %s" % (type(e).__name__, e))
        print("END", flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "make":
        make(sys.argv[2], sys.argv[3])
    elif sys.argv[1] == "check":
        check(sys.argv[2], sys.argv[3])
    elif sys.argv[1] == "placeholder":
        placeholder(sys.argv[2])
    elif sys.argv[1] == "serve":
        serve()
    else:
        fail("unknown command " + sys.argv[1])
