"""Real torch.save checkpoints for the Maven plugin's invoker tests, and checks of what the plugin
left in them, with the real torch.load (Debian's python3-torch, /usr/bin/python3).

    checkpoints.py make PATH [--records NAME ...] [--app KEY] [--version V]
        a Lightning-shaped checkpoint: state_dict model.encoder.{weight,bias}, model.head.weight
        (seeded, so check can compare the tensors), hyper_parameters; --records adds migration
        records as the reference writes them (plain dicts), as if those migrations had run.
    checkpoints.py broken PATH
        a file that is not a checkpoint.
    checkpoints.py check PATH [--keys K,...] [--migrations N,...] [--history T:N,...]
                              [--hp KEY=VALUE ...] [--no-hp KEY ...]
        torch.load PATH and assert what it holds; every tensor under a renamed key must equal
        the original one. Exits 1 naming the first mismatch.
    checkpoints.py make-many PATH ...
        what make PATH (no options) makes, at each PATH, in one process (torch loads once).
    checkpoints.py check-many PATH ... [the options of check]
        check each PATH with the same options, in one process; exits 1 at the first mismatch.
    checkpoints.py truncate PATH
        cut the file to half its length (a copy interrupted half way).
    checkpoints.py badpickle PATH
        rewrite the archive with zipfile so the zip and its CRCs stay valid but data.pkl is not a
        valid pickle: the middle one of its opcodes becomes 0xff, which no protocol defines.
        Prints the record and the opcode's byte offset in data.pkl; asserts pickle.loads and
        torch.load refuse the result.
"""
import argparse
import collections
import os
import pickle
import pickletools
import sys
import zipfile

import torch

ENCODER = {"model.encoder.": "model.backbone."}


def tensors():
    torch.manual_seed(7)
    state = collections.OrderedDict()
    state["model.encoder.weight"] = torch.randn(4, 3)
    state["model.encoder.bias"] = torch.randn(4)
    state["model.head.weight"] = torch.randn(2, 4)
    return state


def record(name, app, version):
    return {
        "name": name,
        "metadata": {"versions": {"migration": "1.0.0", app: version}, "final": False},
        "signature": "0" * 64,
        "rollback": None,
        "setup_context": None,
    }


def make(args):
    ckpt = {
        "epoch": 3,
        "global_step": 120,
        "pytorch-lightning_version": "2.0.0",
        "state_dict": tensors(),
        "hyper_parameters": {"lr": 0.001, "metadata": {}},
    }
    if args.records:
        ckpt["migrations"] = [record(n, args.app, args.version) for n in args.records]
        ckpt["hyper_parameters"]["metadata"]["migrations"] = {
            "history": [{"type": "migrate", "name": n, "signature": "0" * 64} for n in args.records]}
    torch.save(ckpt, args.path)


def broken(args):
    with open(args.path, "wb") as out:
        out.write(b"this is not a torch.save checkpoint\n")


def fail(message):
    print("CHECK FAILED: " + message)
    sys.exit(1)


def make_many(args):
    for path in args.paths:
        make(argparse.Namespace(path=path, records=None, app="demo-model", version="0.9.0"))


def truncate(args):
    size = os.path.getsize(args.path)
    with open(args.path, "r+b") as f:
        f.truncate(size // 2)
    print("truncated %s from %d to %d bytes" % (args.path, size, size // 2))


def badpickle(args):
    with zipfile.ZipFile(args.path) as z:
        if z.testzip() is not None:
            fail("%s is not a valid zip to begin with" % args.path)
        entries = [(info, z.read(info)) for info in z.infolist()]
    names = [info.filename for info, _ in entries if info.filename.endswith("/data.pkl")]
    if len(names) != 1:
        fail("%s has data.pkl records %s, expected one" % (args.path, names))
    record = names[0]
    data = next(content for info, content in entries if info.filename == record)
    positions = [pos for _, _, pos in pickletools.genops(data)]
    offset = positions[len(positions) // 2]
    bad = data[:offset] + b"\xff" + data[offset + 1:]
    try:
        pickle.loads(bad)
        fail("the corrupted pickle still loads")
    except pickle.UnpicklingError:
        pass
    tmp = args.path + ".badpickle"
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_STORED) as z:
        for info, content in entries:
            z.writestr(info, bad if info.filename == record else content)
    os.replace(tmp, args.path)
    with zipfile.ZipFile(args.path) as z:
        if z.testzip() is not None:
            fail("the rewritten zip is not valid")
    try:
        torch.load(args.path)
        fail("torch.load still loads %s" % args.path)
    except pickle.UnpicklingError:
        pass
    print("bad pickle: %s [%s] byte %d is 0xff" % (args.path, record, offset))


def check(args):
    ckpt = torch.load(args.path, weights_only=False)
    state = ckpt["state_dict"]
    originals = tensors()
    if args.keys is not None:
        expected = args.keys.split(",")
        if list(state.keys()) != expected:
            fail("state_dict keys %s, expected %s" % (list(state.keys()), expected))
    for key, value in state.items():
        original_key = key
        for new, old in ((v, k) for k, v in ENCODER.items()):
            if key.startswith(new):
                original_key = old + key[len(new):]
        if original_key not in originals or not torch.equal(value, originals[original_key]):
            fail("tensor %s is not the original %s" % (key, original_key))
    if args.migrations is not None:
        names = [r["name"] for r in ckpt.get("migrations", [])]
        expected = [n for n in args.migrations.split(",") if n]
        if names != expected:
            fail("migration records %s, expected %s" % (names, expected))
    if args.history is not None:
        history = ckpt["hyper_parameters"]["metadata"]["migrations"]["history"]
        got = ["%s:%s" % (h["type"], h["name"]) for h in history]
        expected = [h for h in args.history.split(",") if h]
        if got != expected:
            fail("history %s, expected %s" % (got, expected))
    for pair in args.hp or []:
        key, value = pair.split("=", 1)
        if str(ckpt["hyper_parameters"].get(key)) != value:
            fail("hyper_parameters[%r] = %r, expected %r" % (key, ckpt["hyper_parameters"].get(key), value))
    for key in args.no_hp or []:
        if key in ckpt["hyper_parameters"]:
            fail("hyper_parameters has %r, expected none" % key)
    print("CHECK OK: %s" % args.path)


def check_many(args):
    for path in args.paths:
        args.path = path
        check(args)


def add_check_options(p):
    p.add_argument("--keys")
    p.add_argument("--migrations")
    p.add_argument("--history")
    p.add_argument("--hp", nargs="*")
    p.add_argument("--no-hp", nargs="*")


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("make")
    p.add_argument("path")
    p.add_argument("--records", nargs="*")
    p.add_argument("--app", default="demo-model")
    p.add_argument("--version", default="0.9.0")
    p.set_defaults(run=make)
    p = sub.add_parser("broken")
    p.add_argument("path")
    p.set_defaults(run=broken)
    p = sub.add_parser("check")
    p.add_argument("path")
    add_check_options(p)
    p.set_defaults(run=check)
    p = sub.add_parser("make-many")
    p.add_argument("paths", nargs="+")
    p.set_defaults(run=make_many)
    p = sub.add_parser("check-many")
    p.add_argument("paths", nargs="+")
    add_check_options(p)
    p.set_defaults(run=check_many)
    p = sub.add_parser("truncate")
    p.add_argument("path")
    p.set_defaults(run=truncate)
    p = sub.add_parser("badpickle")
    p.add_argument("path")
    p.set_defaults(run=badpickle)
    args = parser.parse_args()
    args.run(args)


if __name__ == "__main__":
    main()
