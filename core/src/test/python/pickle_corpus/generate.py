"""Writes the pickle fidelity corpus.

Usage: /usr/bin/python3 generate.py OUTDIR

Writes OUTDIR/<case>.p<N>.pkl for every case and every protocol N (0-5) that
can express it, using the C pickler, and OUTDIR/MANIFEST.tsv with one row per
file (no header): file<TAB>case<TAB>protocol<TAB>needs, where needs is the
module the loader must import besides corpus_classes ("numpy", "omegaconf")
or empty. Existing *.pkl files in OUTDIR are removed first so renamed cases
leave nothing stale behind.

The output is byte-for-byte deterministic. Set iteration order depends on
string hashes, so the script re-executes itself with PYTHONHASHSEED=0.
"""
import os
import sys

if os.environ.get("PYTHONHASHSEED") != "0":
    os.execve(sys.executable, [sys.executable, *sys.argv], {**os.environ, "PYTHONHASHSEED": "0"})

import collections
import datetime
import decimal
import io
import pickle
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpus_classes as cc  # noqa: E402

ALL_PROTOCOLS = range(0, 6)
PROTOCOL_2_UP = range(2, 6)
# Protocol 0 writes a persistent id as the text line str(pid): only string ids survive.
BINARY_PROTOCOLS = range(1, 6)


class Persisted:
    """Marker for objects that the pickler replaces by their persistent id."""

    def __init__(self, pid):
        self.pid = pid


def storage(key, numel):
    """A torch-like storage reference: ('storage', type, key, location, numel)."""
    return Persisted(("storage", cc.FakeStorage, key, "cpu", numel))


class PersistentPickler(pickle.Pickler):
    def persistent_id(self, obj):
        return obj.pid if isinstance(obj, Persisted) else None


@dataclass(frozen=True)
class Case:
    name: str
    build: Callable[[], object]
    protocols: range = ALL_PROTOCOLS
    needs: str = ""
    persistent: bool = False

    def dump(self, protocol):
        value = self.build()
        if not self.persistent:
            return pickle.dumps(value, protocol)
        out = io.BytesIO()
        PersistentPickler(out, protocol).dump(value)
        return out.getvalue()


# --- builders that need more than one expression ---------------------------

def recursive_list():
    items = [1]
    items.append(items)
    return items


def recursive_dict():
    mapping = {"a": 1}
    mapping["self"] = mapping
    return mapping


def tuple_list_cycle():
    outer = ([],)
    outer[0].append(outer)
    return outer


def shared_list():
    shared = [1, 2]
    return {"a": shared, "b": shared, "c": shared}


def shared_string():
    # Built at run time: equal literals would be folded into one constant object.
    text, equal_copy = "-".join(["shared"] * 3), "-".join(["shared"] * 3)
    return [text, text, equal_copy]


def memo_past_255():
    """More than 256 memoized objects, each referenced twice: LONG_BINPUT/LONG_BINGET."""
    strings = [f"s{i}" for i in range(300)]
    return [strings, list(reversed(strings))]


def ordered_dict_with_metadata():
    state = collections.OrderedDict([("layer.weight", 1.0), ("layer.bias", 0.0)])
    state._metadata = collections.OrderedDict([("", {"version": 1}), ("layer", {"version": 1})])
    return state


def class_instances_basic():
    return [cc.Plain("p", [1, 2]), cc.CustomState("c", (3, 4)), cc.ReduceArgs(5, "six"),
            cc.ReduceState(7), cc.ProtocolAware(8.5)]


def bag_and_registry():
    bag = cc.Bag()
    bag.extend([1, "two", (3,)])
    registry = cc.Registry()
    registry["a"] = 1
    registry[(2, 3)] = [4]
    return [bag, registry]


def persistent_ids():
    first, second = storage("0", 4), storage("1", 6)
    return {"a": first, "b": first, "c": second}


def numpy_arrays():
    import numpy as np
    return [np.arange(6, dtype=np.float32).reshape(2, 3) / 4,
            np.array([-(2**63), 0, 2**63 - 1], dtype=np.int64),
            np.array([True, False, True]),
            np.array(3.5),
            np.zeros(2, dtype=[("x", "<i4"), ("y", "<f8")])]


def numpy_scalars():
    import numpy as np
    return [np.float32(1.5), np.int64(-7), np.bool_(True)]


def omegaconf_dict():
    from omegaconf import OmegaConf
    return OmegaConf.create({"model": {"lr": 0.001, "layers": [64, 32, {"act": "relu"}]},
                             "optim": {"lr": "${model.lr}", "betas": [0.9, 0.999]}})


def omegaconf_list():
    from omegaconf import OmegaConf
    return OmegaConf.create([1, "two", {"three": 3.0}, [4]])


def pickle_buffers():
    return [pickle.PickleBuffer(b"read-only"), pickle.PickleBuffer(bytearray(b"writable"))]


def training_like():
    """Shaped like the data.pkl of a PyTorch-Lightning checkpoint (torch.save, protocol 2)."""
    names = ["model.embed.weight"]
    for layer in range(12):
        prefix = f"model.encoder.layers.{layer}"
        names += [f"{prefix}.attn.weight", f"{prefix}.attn.bias",
                  f"{prefix}.ffn.weight", f"{prefix}.ffn.bias"]
    names.append("model.head.weight")
    keys = iter(str(k) for k in range(10_000))

    def tensor(size, store=None):
        numel = size[0] * (size[1] if len(size) > 1 else 1)
        stride = (size[1], 1) if len(size) > 1 else (1,)
        return cc.FakeTensor(store or storage(next(keys), numel), 0, size, stride)

    state_dict = collections.OrderedDict((name, tensor((16, 16))) for name in names)
    # Tied weights: head shares the embedding's storage, as in real language models.
    state_dict["model.head.weight"] = tensor((16, 16), state_dict["model.embed.weight"].storage)
    modules = sorted({name.rsplit(".", 1)[0] for name in names} | {"", "model", "model.encoder"})
    state_dict._metadata = collections.OrderedDict((m, {"version": 1}) for m in modules)

    adam_state = {i: {"step": tensor((1,)), "exp_avg": tensor((16, 16)), "exp_avg_sq": tensor((16, 16))}
                  for i in range(len(names) - 1)}
    return {
        "epoch": 3,
        "global_step": 1200,
        "pytorch-lightning_version": "1.9.0",
        "state_dict": state_dict,
        "loops": {"fit_loop": {"state_dict": {}, "epoch_progress": {"total": {"ready": 4, "completed": 3}}}},
        "callbacks": {"ModelCheckpoint{'monitor': 'val_loss', 'mode': 'min'}": {
            "best_model_score": tensor((1,)), "best_model_path": "/ckpt/epoch=2.ckpt", "dirpath": "/ckpt"}},
        "optimizer_states": [{
            "state": adam_state,
            "param_groups": [{"lr": 1e-3, "betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 0.0,
                              "amsgrad": False, "maximize": False, "foreach": None,
                              "capturable": False, "params": list(range(len(names) - 1))}],
        }],
        "lr_schedulers": [{"step_size": 10, "gamma": 0.1, "base_lrs": [1e-3], "last_epoch": 3,
                           "_step_count": 4, "verbose": False, "_last_lr": [1e-3]}],
        "hparams_name": "kwargs",
        "hyper_parameters": {"model": {"hidden": 256, "layers": 12, "dropout": 0.1, "act": "gelu"},
                             "data": {"batch_size": 32, "splits": (0.8, 0.1, 0.1), "root": "/data"},
                             "seed": 42},
    }


NAN, INF = float("nan"), float("inf")

CASES = [
    Case("none_true_false", lambda: [None, True, False]),
    Case("int_small", lambda: [0, 1, -1, 255, 256, -256, 65535, 65536]),
    Case("int_32bit_edges", lambda: [2**31 - 1, 2**31, -(2**31), -(2**31) - 1]),
    Case("int_64bit_edges", lambda: [2**63 - 1, 2**63, -(2**63), -(2**63) - 1, 2**64]),
    Case("int_huge", lambda: [2**1000, -(2**1000)]),
    Case("float_plain", lambda: [0.0, 1.5, -2.25, 1e300, 5e-324, 1 / 3]),
    Case("float_special", lambda: [NAN, INF, -INF, -0.0]),
    Case("str_basic", lambda: ["", "ascii", "caf\xe9 \xff", "\u03a9\u2248\u4e2d", "\U0001f600 emoji"]),
    Case("str_control_chars", lambda: ["a\nb", "c\rd", "e\0f", "g\\h", "i\x1aj", "\\u0041"]),
    Case("str_lone_surrogate", lambda: ["\ud800", "x\udfffy"]),
    Case("str_300_chars", lambda: "".join(chr(0x20 + i % 0x5f) for i in range(300))),
    Case("bytes_small", lambda: [b"", b"abc"]),
    Case("bytes_300", lambda: bytes(i % 251 for i in range(300))),
    Case("bytes_all_values", lambda: bytes(range(256))),
    Case("bytearray", lambda: [bytearray(), bytearray(b"abc"), bytearray(range(256))]),
    Case("tuple_sizes", lambda: [(), (1,), (1, 2), (1, 2, 3), (1, 2, 3, 4), tuple(range(10))]),
    Case("tuple_nested", lambda: (1, (2, (3, ((),))), ((), ("a",)))),
    Case("list_small", lambda: [[], [1]]),
    Case("list_1000", lambda: list(range(1000))),
    Case("list_1001", lambda: list(range(1001))),
    Case("list_2500", lambda: [i * 7 for i in range(2500)]),
    Case("dict_small", lambda: [{}, {"a": 1}]),
    Case("dict_1000", lambda: {i: i * 2 for i in range(1000)}),
    Case("dict_1001", lambda: {f"k{i}": i for i in range(1001)}),
    Case("dict_key_kinds", lambda: {1: "int", (1, "t"): "tuple", frozenset({1, 2}): "frozenset",
                                    "s": "str", None: "none", 2.5: "float", b"b": "bytes"}),
    Case("set_small", lambda: [set(), {1, 2, 3}, {"a", "b", "c"}, frozenset(), frozenset({"x", "y"})]),
    Case("set_1000", lambda: set(range(1000))),
    Case("set_1001", lambda: {f"e{i}" for i in range(1001)}),
    Case("frozenset_1000", lambda: frozenset(f"e{i}" for i in range(1000))),
    Case("frozenset_1001", lambda: frozenset(range(1001))),
    Case("recursive_list", recursive_list),
    Case("recursive_dict", recursive_dict),
    Case("recursive_tuple_via_list", tuple_list_cycle),
    Case("shared_list", shared_list),
    Case("shared_string", shared_string),
    Case("memo_past_255", memo_past_255),
    Case("ordered_dict_metadata", ordered_dict_with_metadata),
    Case("deque", lambda: [collections.deque([1, 2, 3]), collections.deque("ab", maxlen=4)]),
    Case("complex", lambda: [1 + 2j, complex(0.0, -0.0), complex(NAN, INF)]),
    Case("datetime_decimal", lambda: [
        datetime.datetime(2024, 2, 29, 13, 45, 7, 123456), datetime.date(1999, 12, 31),
        datetime.timedelta(days=-1, seconds=5), datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc),
        decimal.Decimal("3.14159"), decimal.Decimal("-0"), decimal.Decimal("1.00")]),
    Case("builtin_objects", lambda: [range(0, 10, 3), slice(1, None, -1)]),
    Case("globals", lambda: [int, len, collections.OrderedDict, cc.Plain, cc.rebuild_tensor]),
    Case("class_instances_basic", class_instances_basic),
    Case("class_slots", lambda: [cc.Slotted(1, "y"), cc.SlottedWithDict(2, [3])], PROTOCOL_2_UP),
    Case("class_bag_registry", bag_and_registry),
    Case("class_state_setter", lambda: cc.WithStateSetter({"k": "v"})),
    Case("class_getnewargs", lambda: [cc.Interval(1, 10), cc.Interval(-5.5, 0.0)], PROTOCOL_2_UP),
    Case("class_getnewargs_ex", lambda: [cc.KeywordOnly("k", size=3)], PROTOCOL_2_UP),
    Case("class_list_dict_subclass", lambda: [cc.TaggedList([1, 2], "list-tag"),
                                              cc.TaggedDict({"a": 1}, "dict-tag")]),
    Case("class_global_name", lambda: [cc.MISSING, cc.MISSING]),
    Case("class_nested_qualname", lambda: [cc.Outer.Inner(7), cc.Outer.Inner]),
    Case("persistent_ids", persistent_ids, BINARY_PROTOCOLS, persistent=True),
    Case("persistent_id_string", lambda: [Persisted("storage/0"), 1, Persisted("storage/1")],
         persistent=True),
    Case("numpy_arrays", numpy_arrays, needs="numpy"),
    Case("numpy_scalars", numpy_scalars, needs="numpy"),
    Case("omegaconf_dictconfig", omegaconf_dict, needs="omegaconf"),
    Case("omegaconf_listconfig", omegaconf_list, needs="omegaconf"),
    Case("pickle_buffer_in_band", pickle_buffers, range(5, 6)),
    Case("training_like", training_like, range(2, 3), persistent=True),
]


def write_corpus(outdir):
    outdir.mkdir(parents=True, exist_ok=True)
    for stale in outdir.glob("*.pkl"):
        stale.unlink()
    rows = []
    for case in CASES:
        for protocol in case.protocols:
            file = f"{case.name}.p{protocol}.pkl"
            (outdir / file).write_bytes(case.dump(protocol))
            rows.append(f"{file}\t{case.name}\t{protocol}\t{case.needs}\n")
    (outdir / "MANIFEST.tsv").write_text("".join(rows), encoding="utf-8")
    return len(rows)


def main(argv):
    if len(argv) != 2:
        sys.exit(f"usage: {argv[0]} OUTDIR")
    count = write_corpus(Path(argv[1]))
    print(f"wrote {count} pickles to {argv[1]}")


if __name__ == "__main__":
    main(sys.argv)
