#!/usr/bin/python3
"""Time CPython's C pickle (_pickle) on a torch data.pkl: loads, dumps(protocol=2), loads+dumps.

Usage: pickle_cpython.py DATA.pkl [--warmup N] [--iterations N] [--time SECONDS] [--json OUT]

Does the same work as ckpt's engine, without torch:
  * persistent ids (torch storages) load as a PersistentRef marker via
    persistent_load and are written back by persistent_id, like torch.save's
    Pickler does;
  * globals outside a small stdlib allowlist (torch._utils._rebuild_tensor_v2,
    torch.FloatStorage, ...) resolve to stand-in classes living in stand-in
    modules, so REDUCE builds a generic object that records its callable and
    arguments, and pickles back to the same GLOBAL + REDUCE;
  * collections.OrderedDict, builtins and _codecs stay real.

Throughput is reported in MB/s (10^6 bytes) of the *input* data.pkl for all
three operations, the same convention PickleBenchmark / pickle-bench.sh use.
Each operation runs `warmup` untimed iterations, then `iterations` timed ones
of about `time` seconds each; the median (and best) iteration is reported.
The garbage collector stays enabled, as in a real load.
"""
import argparse
import io
import json
import statistics
import sys
import time
import types

import _pickle  # the C implementation, explicitly

REAL_MODULES = frozenset({"collections", "builtins", "__builtin__", "copyreg", "_codecs"})


class PersistentRef:
    """What persistent_load returns: the persistent id, kept as is."""
    __slots__ = ("pid",)

    def __init__(self, pid):
        self.pid = pid


class Stub:
    """Instance of a stand-in global: the arguments it was called with (and BUILD state)."""
    __slots__ = ("args", "state")

    def __new__(cls, *args):
        self = object.__new__(cls)
        self.args = args
        self.state = None
        return self

    def __setstate__(self, state):
        self.state = state

    def __reduce_ex__(self, protocol):
        if self.state is None:
            return (type(self), self.args)
        return (type(self), self.args, self.state)


_stubs = {}


def stand_in(module, name):
    """A class named module.name, importable (for the Pickler's identity check) from a stand-in module."""
    key = (module, name)
    cls = _stubs.get(key)
    if cls is not None:
        return cls
    parts = module.split(".")
    for i in range(1, len(parts) + 1):
        modname = ".".join(parts[:i])
        mod = sys.modules.get(modname)
        if mod is None:
            mod = types.ModuleType(modname)
            mod.__ckpt_stand_in__ = True
            sys.modules[modname] = mod
            if i > 1:
                setattr(sys.modules[".".join(parts[:i - 1])], parts[i - 1], mod)
        elif not getattr(mod, "__ckpt_stand_in__", False):
            raise RuntimeError("module %s is really imported here; cannot stand in for %s.%s"
                               % (modname, module, name))
    cls = type(name, (Stub,), {"__module__": module, "__qualname__": name, "__slots__": ()})
    setattr(sys.modules[module], name, cls)
    _stubs[key] = cls
    return cls


class Unpickler(_pickle.Unpickler):
    def persistent_load(self, pid):
        return PersistentRef(pid)

    def find_class(self, module, name):
        if module in REAL_MODULES:
            return super().find_class(module, name)
        return stand_in(module, name)


class Pickler(_pickle.Pickler):
    def persistent_id(self, obj):
        if type(obj) is PersistentRef:
            return obj.pid
        return None


def loads(data):
    return Unpickler(io.BytesIO(data)).load()


def dumps(obj):
    buf = io.BytesIO()
    Pickler(buf, protocol=2).dump(obj)
    return buf.getvalue()


def loads_dumps(data):
    return dumps(loads(data))


def measure(fn, arg, warmup, iterations, seconds):
    """Seconds per call for each timed iteration (each iteration ~`seconds` long)."""
    # calibrate the number of calls per iteration
    n = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(n):
            fn(arg)
        dt = time.perf_counter() - t0
        if dt >= seconds / 10:
            break
        n *= 2
    calls = max(1, int(n * seconds / dt))
    per_call = []
    for i in range(warmup + iterations):
        t0 = time.perf_counter()
        for _ in range(calls):
            fn(arg)
        dt = time.perf_counter() - t0
        if i >= warmup:
            per_call.append(dt / calls)
    return per_call


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data")
    ap.add_argument("--warmup", type=int, default=5)
    ap.add_argument("--iterations", type=int, default=5)
    ap.add_argument("--time", type=float, default=1.0, help="seconds per iteration")
    ap.add_argument("--json", help="also write the results here as JSON")
    a = ap.parse_args()

    with open(a.data, "rb") as f:
        data = f.read()
    size = len(data)
    obj = loads(data)
    out = dumps(obj)
    if dumps(loads(out)) != out:
        raise SystemExit("sanity check failed: dumps(loads(dumps(x))) != dumps(x)")

    results = {"python": sys.version.split()[0], "input_bytes": size, "dumps_bytes": len(out), "ops": {}}
    print("CPython %s _pickle on %s: %d bytes (dumps writes %d bytes)"
          % (results["python"], a.data, size, len(out)))
    for op, fn, arg in (("read", loads, data), ("write", dumps, obj), ("read+write", loads_dumps, data)):
        per_call = measure(fn, arg, a.warmup, a.iterations, a.time)
        med, best = statistics.median(per_call), min(per_call)
        results["ops"][op] = {
            "median_us": med * 1e6, "best_us": best * 1e6,
            "median_mb_s": size / med / 1e6, "best_mb_s": size / best / 1e6,
        }
        print("  %-10s median %9.1f us  %8.1f MB/s   (best %8.1f MB/s)"
              % (op, med * 1e6, size / med / 1e6, size / best / 1e6))
    if a.json:
        with open(a.json, "w") as f:
            json.dump(results, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
