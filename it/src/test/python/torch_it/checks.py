"""Checks of what the Java side wrote, made with the real torch.load (torch 1.13) and zipfile.

Tensor paths are JSON arrays of dict keys (str or int) and list/tuple indexes, walked through
dicts, OrderedDicts, lists and tuples only, exactly as the Java side walks its value tree.
Every check raises AssertionError listing all differences, or returns a line starting "OK".
"""
import collections
import hashlib
import json
import math
import struct
import zipfile

import numpy as np
import torch
from omegaconf import DictConfig, ListConfig, OmegaConf

CONTAINERS = (dict, collections.OrderedDict, list, tuple)


def load(path):
    # Content checks; every loader mode (weights_only among them) is checked by fidelity.check_modes.
    return torch.load(path, weights_only=False)


def key(path):
    return json.dumps(list(path))


def tensors(tree, path=()):
    """(path, tensor) for every tensor reachable through dicts, lists and tuples."""
    if isinstance(tree, torch.Tensor):
        yield path, tree
    elif type(tree) in (dict, collections.OrderedDict):
        for k, v in tree.items():
            yield from tensors(v, path + (k,))
    elif type(tree) in (list, tuple):
        for i, v in enumerate(tree):
            yield from tensors(v, path + (i,))


def tensor_bytes(t):
    """Row-major little-endian bytes of the elements (the integer representation when quantized)."""
    t = t.detach()
    if t.is_quantized:
        t = t.int_repr()
    return t.contiguous().reshape(-1).view(torch.uint8).numpy().tobytes()


def storage_bytes(t):
    return torch.tensor([], dtype=torch.uint8).set_(t.storage().untyped()).numpy().tobytes()


def sha256(t):
    return hashlib.sha256(tensor_bytes(t)).hexdigest()


def check_tensors(ckpt, manifest):
    """The tensors torch.load finds in `ckpt` are exactly those of Java's manifest (JSON lines
    of path, dtype, shape, sha256 of the row-major bytes, requires_grad, parameter)."""
    expected = {}
    with open(manifest, encoding="utf-8") as f:
        for line in f:
            entry = json.loads(line)
            expected[key(entry["path"])] = entry
    actual = {key(p): t for p, t in tensors(load(ckpt))}
    problems = []
    if set(expected) != set(actual):
        problems.append(f"tensor paths differ: only in Java's manifest {sorted(set(expected) - set(actual))}, "
                        f"only in torch.load's tree {sorted(set(actual) - set(expected))}")
    for k in sorted(set(expected) & set(actual)):
        t = actual[k]
        got = {"dtype": str(t.dtype).replace("torch.", ""), "shape": list(t.shape), "sha256": sha256(t),
               "requires_grad": t.requires_grad, "parameter": isinstance(t, torch.nn.Parameter)}
        for field, value in got.items():
            if expected[k][field] != value:
                problems.append(f"{k} {field}: Java says {expected[k][field]!r}, torch.load gives {value!r}")
    if problems:
        raise AssertionError("\n".join(problems))
    return f"OK {len(actual)} tensors"


class _Added:
    def __repr__(self):
        return "<added>"


def _parent(tree, path):
    for k in path[:-1]:
        tree = tree[k]
    return tree, path[-1]


def _get(tree, path):
    parent, k = _parent(tree, path)
    return parent[k]


def compare(orig, new, changes_file):
    """torch.load of `new` equals torch.load of `orig` with the changes applied: every
    non-tensor value equal, every unchanged tensor equal in type, dtype, shape, stride, offset,
    requires_grad, values and whole-storage bytes, and unchanged tensors that shared a storage
    (and only those) still share one.

    changes: {"deleted": [path], "renamed": [[new, old]], "replaced": [[path, expr|null]],
    "added": [[path, expr|null]], "shared": [[a, b]], "not_shared": [[a, b]]}, applied in that
    order. An expr is Python evaluated with `orig` (the original checkpoint) and `torch`; its
    value must equal the tensor at the path (dtype, shape, values, requires_grad, class).
    """
    with open(changes_file, encoding="utf-8") as f:
        changes = json.load(f)
    pristine = load(orig)
    expected = load(orig)
    actual = load(new)
    for path in changes.get("deleted", []):
        parent, k = _parent(expected, path)
        del parent[k]
    for new_path, old_path in changes.get("renamed", []):
        parent, k = _parent(expected, old_path)
        value = parent.pop(k)
        parent, k = _parent(expected, new_path)
        parent[k] = value
    changed = changes.get("replaced", []) + changes.get("added", [])
    for path, _ in changes.get("added", []):
        parent, k = _parent(expected, path)
        parent[k] = _Added()
    skip = {key(path) for path, _ in changed}

    problems = []
    counts = collections.Counter()
    _same(expected, actual, (), problems, skip, counts)
    for path, expr in changed:
        if expr is not None:
            want = eval(expr, {"orig": pristine, "torch": torch})
            _same_values(want, _get(actual, path), key(path), problems)
    groups_expected = _storage_groups(expected, skip)
    groups_actual = _storage_groups(actual, skip)
    if groups_expected != groups_actual:
        problems.append(f"storage sharing of unchanged tensors differs: original {groups_expected}, rewritten {groups_actual}")
    for a, b in changes.get("shared", []):
        if _get(actual, a).storage().data_ptr() != _get(actual, b).storage().data_ptr():
            problems.append(f"{key(a)} and {key(b)} should share one storage after the rewrite, but do not")
    for a, b in changes.get("not_shared", []):
        if _get(actual, a).storage().data_ptr() == _get(actual, b).storage().data_ptr():
            problems.append(f"{key(a)} and {key(b)} should not share a storage after the rewrite, but do")
    if problems:
        raise AssertionError("\n".join(problems))
    shared = [g for g in groups_actual if len(g) > 1]
    return f"OK {counts['value']} values, {counts['tensor']} tensors, shared storages {shared}"


def _storage_groups(tree, skip):
    groups = collections.defaultdict(list)
    for p, t in tensors(tree):
        if key(p) not in skip and t.storage().nbytes() > 0:
            groups[t.storage().data_ptr()].append(key(p))
    return sorted(sorted(g) for g in groups.values())


def _same(exp, act, path, problems, skip, counts):
    k = key(path)
    if k in skip:
        return
    counts["value"] += 1
    if type(exp) is not type(act):
        problems.append(f"{k}: {type(act).__name__} {act!r:.80}, expected {type(exp).__name__} {exp!r:.80}")
    elif isinstance(exp, torch.Tensor):
        counts["tensor"] += 1
        _same_tensor(exp, act, k, problems)
    elif isinstance(exp, np.ndarray) or isinstance(exp, np.generic):
        if exp.dtype != act.dtype or exp.shape != act.shape or exp.tobytes() != act.tobytes():
            problems.append(f"{k}: numpy {act.dtype}{act.shape} {act!r:.80}, expected {exp.dtype}{exp.shape} {exp!r:.80}")
    elif isinstance(exp, (DictConfig, ListConfig)):
        if OmegaConf.to_yaml(exp) != OmegaConf.to_yaml(act):
            problems.append(f"{k}: OmegaConf\n{OmegaConf.to_yaml(act)}expected\n{OmegaConf.to_yaml(exp)}")
    elif isinstance(exp, dict):
        if list(exp) != list(act):
            problems.append(f"{k}: keys {list(act)}, expected {list(exp)}")
        for kk in exp:
            if kk in act:
                _same(exp[kk], act[kk], path + (kk,), problems, skip, counts)
        if hasattr(exp, "__dict__"):
            _same(vars(exp), vars(act), path + ("__dict__",), problems, skip, counts)
    elif isinstance(exp, (list, tuple)):
        if len(exp) != len(act):
            problems.append(f"{k}: length {len(act)}, expected {len(exp)}")
        for i, (e, a) in enumerate(zip(exp, act)):
            _same(e, a, path + (i,), problems, skip, counts)
    elif isinstance(exp, float):
        if struct.pack("<d", exp) != struct.pack("<d", act) and not (math.isnan(exp) and math.isnan(act)):
            problems.append(f"{k}: {act!r}, expected {exp!r}")
    elif hasattr(exp, "__dict__") and not isinstance(exp, type):
        _same(vars(exp), vars(act), path + ("__dict__",), problems, skip, counts)
    elif exp != act:
        problems.append(f"{k}: {act!r:.80}, expected {exp!r:.80}")


def _same_tensor(exp, act, k, problems):
    fields = ["dtype", "shape", "requires_grad", "is_quantized"]
    if not exp.is_quantized:
        fields += ["stride", "storage_offset"]
    for field in fields:
        e, a = getattr(exp, field), getattr(act, field)
        e, a = (e(), a()) if callable(e) else (e, a)
        if e != a:
            problems.append(f"{k} {field}: {a}, expected {e}")
    if exp.is_quantized:
        qe, qa = _quantizer(exp), _quantizer(act)
        if qe != qa:
            problems.append(f"{k} quantizer: {qa}, expected {qe}")
    if tensor_bytes(exp) != tensor_bytes(act):
        problems.append(f"{k} values: {act!r:.200}, expected {exp!r:.200}")
    if not exp.is_quantized and storage_bytes(exp) != storage_bytes(act):
        problems.append(f"{k}: its storage's bytes differ from the original storage's")


def _quantizer(t):
    if t.qscheme() in (torch.per_tensor_affine, torch.per_tensor_symmetric):
        return (t.qscheme(), t.q_scale(), t.q_zero_point())
    return (t.qscheme(), t.q_per_channel_scales().tolist(), t.q_per_channel_zero_points().tolist(), t.q_per_channel_axis())


def _same_values(want, act, k, problems):
    if type(want) is not type(act):
        problems.append(f"{k}: {type(act).__name__}, expected {type(want).__name__}")
        return
    for field in ["dtype", "shape", "requires_grad"]:
        if getattr(want, field) != getattr(act, field):
            problems.append(f"{k} {field}: {getattr(act, field)}, expected {getattr(want, field)}")
    if tensor_bytes(want) != tensor_bytes(act):
        problems.append(f"{k} values: {act!r:.200}, expected {want!r:.200}")


def zip_records(path):
    """Line 1: 'testzip <first bad record or None>'; then per record (central directory order):
    name, data offset (from its local header), size, compression method, sha256 of its bytes."""
    lines = []
    with zipfile.ZipFile(path) as z, open(path, "rb") as f:
        lines.append(f"testzip\t{z.testzip()}")
        for info in z.infolist():
            f.seek(info.header_offset)
            header = struct.unpack("<IHHHHHIIIHH", f.read(30))
            if header[0] != 0x04034B50:
                raise AssertionError(f"{info.filename}: no local header at {info.header_offset}")
            data_offset = info.header_offset + 30 + header[9] + header[10]
            digest = hashlib.sha256(z.read(info)).hexdigest()
            lines.append(f"{info.filename}\t{data_offset}\t{info.file_size}\t{info.compress_type}\t{digest}")
    return "\n".join(lines)


def copy_zip(src, dst, drop="", shorten="", by="0"):
    """Rewrites `src` as `dst` with Python's zipfile (stored), without the record `drop` and
    with the record `shorten` cut short by `by` bytes."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_STORED) as zout:
        for info in zin.infolist():
            if info.filename == drop:
                continue
            data = zin.read(info)
            if info.filename == shorten:
                data = data[:len(data) - int(by)]
            zout.writestr(info.filename, data)
    return "OK"


def append_record(path, name, text):
    """Adds a record to an existing archive with zipfile's append mode."""
    with zipfile.ZipFile(path, "a", zipfile.ZIP_STORED) as z:
        z.writestr(name, text)
    return "OK"


def flip_byte(path, name, index):
    """Inverts one byte inside a record's data, leaving the zip's CRCs as they were."""
    with zipfile.ZipFile(path) as z:
        info = z.getinfo(name)
    with open(path, "r+b") as f:
        f.seek(info.header_offset)
        header = struct.unpack("<IHHHHHIIIHH", f.read(30))
        position = info.header_offset + 30 + header[9] + header[10] + int(index)
        f.seek(position)
        byte = f.read(1)[0]
        f.seek(position)
        f.write(bytes([byte ^ 0xFF]))
    return "OK"


def load_type(path):
    """The type name of what torch.load returns (proves the file loads)."""
    return "OK " + type(load(path)).__name__
