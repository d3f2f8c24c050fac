"""Graph-comparison oracle for the pickle corpus.

Usage: /usr/bin/python3 compare.py < pairs.tsv

Each stdin line is ORIGINAL<TAB>CANDIDATE (two pickle file paths). For each
line it prints OK<TAB>CANDIDATE or FAIL<TAB>CANDIDATE<TAB>reason, the reason
naming the path in the object graph of the first difference, e.g.
"root['state_dict'].weight: 1 != 2". Exit status is 0 only if every pair is OK.
Any cwd works: this file's directory is put on sys.path so the pickles'
references to corpus_classes resolve.

Both files are loaded by an Unpickler whose persistent_load returns a PidMarker
(equal and hashing by pid value). Two graphs match when they are equal AND
shaped alike:
  * every node has exactly the same type as its counterpart;
  * floats match bit-for-bit in sign (-0.0 != 0.0) and NaN matches NaN;
  * other scalars (None, bool, int, str, Decimal, datetime values) match by repr,
    so Decimal('1.0') != Decimal('1.00');
  * classes and functions must be the very same global object;
  * lists, tuples, deques and dicts match element by element IN ORDER
    (dict and OrderedDict insertion order is part of the graph); sets by value;
  * numpy arrays and scalars by dtype, shape and raw bytes;
  * other objects (including OmegaConf containers and their _parent cycles) by
    their __dict__ and __slots__ values, or their __reduce_ex__(2) if they have
    neither;
  * sharing is identical: the walk keeps a one-to-one map between original and
    candidate non-scalar nodes, so two references to one list never match two
    equal lists, and cycles terminate. PidMarkers are in that map too: each
    persistent id loads a fresh marker, so a memoized persistent id fails.
The file must also end right after its STOP opcode.
"""
import collections
import copyreg
import datetime
import decimal
import math
import os
import pickle
import reprlib
import sys
import types

sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
# Ints are compared through repr: lift Python 3.11's 4300-digit limit on int -> str.
if hasattr(sys, "set_int_max_str_digits"):
    sys.set_int_max_str_digits(0)

try:
    import numpy
except ImportError:  # only pickles that need numpy contain arrays
    numpy = None

# Compared by value; never part of the sharing map.
REPR_SCALARS = frozenset({type(None), bool, int, str, decimal.Decimal, datetime.date,
                          datetime.datetime, datetime.time, datetime.timedelta, datetime.timezone})


class PidMarker:
    """What a persistent id loads as."""

    __slots__ = ("pid",)

    def __init__(self, pid):
        self.pid = pid

    def __eq__(self, other):
        return type(other) is PidMarker and self.pid == other.pid

    def __hash__(self):
        return hash(self.pid)

    def __repr__(self):
        return f"PidMarker({self.pid!r})"


class MarkingUnpickler(pickle.Unpickler):
    def persistent_load(self, pid):
        return PidMarker(pid)


def load(path):
    with open(path, "rb") as file:
        graph = MarkingUnpickler(file).load()
        if file.read(1):
            raise pickle.UnpicklingError("trailing bytes after STOP")
    return graph


class Mismatch(Exception):
    def __init__(self, path, reason):
        super().__init__(f"{path}: {reason}")


def show(value):
    return reprlib.repr(value)


# --- one function per kind of node -----------------------------------------
# Leaf comparers raise Mismatch; container comparers return the
# (path, original, candidate) children still to visit.

def compare_float(path, a, b):
    same = (math.isnan(a) and math.isnan(b)) or (a == b and math.copysign(1, a) == math.copysign(1, b))
    if not same:
        raise Mismatch(path, f"{a!r} != {b!r}")


def compare_complex(path, a, b):
    compare_float(f"{path}.real", a.real, b.real)
    compare_float(f"{path}.imag", a.imag, b.imag)


def compare_repr(path, a, b):
    if repr(a) != repr(b):
        raise Mismatch(path, f"{show(a)} != {show(b)}")


# Classes and functions load as references to one global object.
GLOBAL_KINDS = (type, types.FunctionType, types.BuiltinFunctionType)


def compare_global(path, a, b):
    if a is not b:
        raise Mismatch(path, f"{a.__module__}.{a.__qualname__} != {b.__module__}.{b.__qualname__}")


SCALAR_COMPARERS = {float: compare_float, complex: compare_complex,
                    **{t: compare_repr for t in REPR_SCALARS}}


def compare_bytes(path, a, b):
    if a != b:
        offset = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
        raise Mismatch(path, f"{len(a)} vs {len(b)} bytes, first difference at offset {offset}")


def compare_numpy(path, a, b):
    if a.dtype != b.dtype:
        raise Mismatch(path, f"dtype {a.dtype} != {b.dtype}")
    if a.shape != b.shape:
        raise Mismatch(path, f"shape {a.shape} != {b.shape}")
    if a.dtype.hasobject:
        raise Mismatch(path, "arrays of Python objects are not supported")
    raw_a, raw_b = a.tobytes(), b.tobytes()
    if raw_a != raw_b:
        offset = next(i for i, (x, y) in enumerate(zip(raw_a, raw_b)) if x != y)
        flat = offset // a.dtype.itemsize
        raise Mismatch(path, f"element {flat} (flat index) differs: "
                             f"{a.reshape(-1)[flat]!r} != {b.reshape(-1)[flat]!r}")


def sequence_children(path, a, b):
    if len(a) != len(b):
        raise Mismatch(path, f"length {len(a)} != {len(b)}")
    return [(f"{path}[{i}]", x, y) for i, (x, y) in enumerate(zip(a, b))]


def deque_children(path, a, b):
    if a.maxlen != b.maxlen:
        raise Mismatch(path, f"maxlen {a.maxlen} != {b.maxlen}")
    return sequence_children(path, a, b)


def dict_children(path, a, b):
    if len(a) != len(b):
        raise Mismatch(path, f"length {len(a)} != {len(b)}")
    children = []
    if isinstance(a, collections.defaultdict):
        children.append((f"{path}.default_factory", a.default_factory, b.default_factory))
    # Keys are visited pairwise in order, so a reordering shows up as a key mismatch.
    for i, ((key_a, value_a), (key_b, value_b)) in enumerate(zip(a.items(), b.items())):
        children.append((f"{path}<key #{i}>", key_a, key_b))
        children.append((f"{path}[{show(key_a)}]", value_a, value_b))
    return children


def set_children(path, a, b):
    if len(a) != len(b):
        raise Mismatch(path, f"length {len(a)} != {len(b)}")
    # Pair elements by hash equality; the walk then checks them exactly (type, -0.0, sharing).
    candidates = {element: element for element in b}
    children = []
    for element in a:
        if element not in candidates:
            raise Mismatch(path, f"element {show(element)} missing from candidate")
        children.append((f"{path}{{{show(element)}}}", element, candidates[element]))
    return children


def attribute_values(obj):
    """__dict__ entries then set __slots__, in a stable order."""
    values = dict(getattr(obj, "__dict__", {}))
    for name in copyreg._slotnames(type(obj)):
        if hasattr(obj, name):
            values[name] = getattr(obj, name)
    return values


def attribute_children(path, a, b):
    attrs_a, attrs_b = attribute_values(a), attribute_values(b)
    if list(attrs_a) != list(attrs_b):
        raise Mismatch(path, f"attributes {list(attrs_a)} != {list(attrs_b)}")
    return [(f"{path}.{name}", attrs_a[name], attrs_b[name]) for name in attrs_a]


def has_attributes(obj):
    return hasattr(obj, "__dict__") or bool(copyreg._slotnames(type(obj)))


def reduce_children(path, a, b):
    return [(f"{path}.__reduce_ex__(2)", a.__reduce_ex__(2), b.__reduce_ex__(2))]


def content_children(path, a, b):
    """Children (or leaf check) for what the object holds besides attributes."""
    if numpy is not None and isinstance(a, (numpy.ndarray, numpy.generic)):
        compare_numpy(path, a, b)
    elif isinstance(a, (bytes, bytearray)):
        compare_bytes(path, a, b)
    elif isinstance(a, (list, tuple)):
        return sequence_children(path, a, b)
    elif isinstance(a, collections.deque):
        return deque_children(path, a, b)
    elif isinstance(a, dict):
        return dict_children(path, a, b)
    elif isinstance(a, (set, frozenset)):
        return set_children(path, a, b)
    elif not has_attributes(a):
        return reduce_children(path, a, b)
    return []


class GraphWalker:
    """Walks two graphs in parallel, depth first, without recursion."""

    def __init__(self):
        # id -> (node, partner, first path); holding the nodes keeps their ids valid,
        # including temporaries such as __reduce_ex__ results.
        self.by_original = {}
        self.by_candidate = {}

    def walk(self, original, candidate):
        pending = [("root", original, candidate)]
        while pending:
            path, a, b = pending.pop()
            children = self.visit(path, a, b)
            pending.extend(reversed(children))  # reversed: the first child is visited first

    def visit(self, path, a, b):
        if type(a) is not type(b):
            raise Mismatch(path, f"type {type(a).__qualname__} != {type(b).__qualname__}")
        scalar = SCALAR_COMPARERS.get(type(a))
        if scalar is not None:
            scalar(path, a, b)
            return []
        if isinstance(a, GLOBAL_KINDS):
            compare_global(path, a, b)
            return []
        if not self.first_visit(path, a, b) or a is b:
            return []  # already compared, or one module-level object such as corpus_classes.MISSING
        children = content_children(path, a, b)
        if has_attributes(a):
            children = children + attribute_children(path, a, b)
        return children

    def first_visit(self, path, a, b):
        """Records a <-> b in the sharing map; False if this pair was seen before."""
        seen = self.by_original.get(id(a))
        if seen is not None:
            if seen[1] is b:
                return False
            raise Mismatch(path, f"original shares this object with {seen[2]}, candidate does not")
        seen = self.by_candidate.get(id(b))
        if seen is not None:
            raise Mismatch(path, f"candidate shares this object with {seen[2]}, original does not")
        self.by_original[id(a)] = (a, b, path)
        self.by_candidate[id(b)] = (b, a, path)
        return True


def compare_graphs(original, candidate):
    """None if the graphs match, else '<path>: <reason>' for the first difference."""
    try:
        GraphWalker().walk(original, candidate)
    except Mismatch as mismatch:
        return str(mismatch)
    return None


def compare_files(original_path, candidate_path):
    graphs = []
    for role, path in (("original", original_path), ("candidate", candidate_path)):
        try:
            graphs.append(load(path))
        except Exception as error:  # any load failure is a verdict, not a crash
            return f"cannot load {role}: {error!r}"
    try:
        return compare_graphs(*graphs)
    except Exception as error:  # report it and go on with the next pair
        return f"oracle error: {error!r}"


def one_line(text):
    return text.replace("\t", " ").replace("\r", " ").replace("\n", " ")


def main():
    all_ok = True
    for line in sys.stdin:
        line = line.rstrip("\r\n")
        if not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) != 2:
            reason = "expected ORIGINAL<TAB>CANDIDATE"
        else:
            reason = compare_files(*fields)
        candidate = fields[-1]
        if reason is None:
            print(f"OK\t{candidate}")
        else:
            all_ok = False
            print(f"FAIL\t{candidate}\t{one_line(reason)}")
    return 0 if all_ok else 1


if __name__ == "__main__":
    sys.exit(main())
