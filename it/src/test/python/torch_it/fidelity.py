"""Fidelity corpus and loader-mode checks (the torch 2.x issue), for the running torch (2.13 or 1.13).

make_corpus(dir)       saves one file per save option, dtype and tensor kind this torch has into
                       dir; returns one line per file: name TAB the modes the original loads in.
check_modes(orig, new, manifest)
                       loads `new` in every loader mode this torch has; in each mode where `orig`
                       loads, `new` must load too, its tensors at Java's manifest paths must be
                       what Java says (bytes compared, or dtype and shape where the mode reads
                       no data), and every other tensor must equal `orig`'s at the same path.
"""
import collections
import contextlib
import hashlib
import io
import json
import os

import numpy as np
import torch

import checkpoints
import checks

TORCH2 = int(torch.__version__.split(".")[0]) >= 2


def _version_at_least(major, minor):
    parts = torch.__version__.split(".")
    return (int(parts[0]), int(parts[1].split("+")[0])) >= (major, minor)


@contextlib.contextmanager
def _env(name, value):
    old = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if old is None:
            del os.environ[name]
        else:
            os.environ[name] = old


@contextlib.contextmanager
def _calculate_offsets():
    from torch.utils.serialization import config
    old = config.load.calculate_storage_offsets
    config.load.calculate_storage_offsets = True
    try:
        yield
    finally:
        config.load.calculate_storage_offsets = old


def _fake_load(path):
    from torch._subclasses.fake_tensor import FakeTensorMode
    with FakeTensorMode():
        return torch.load(path, weights_only=False)


# mode -> (load function, reads data)
def _modes():
    cpu = "cpu"
    modes = collections.OrderedDict()
    modes["default"] = (lambda p: torch.load(p, map_location=cpu), True)
    modes["weights_only"] = (lambda p: torch.load(p, map_location=cpu, weights_only=True), True)
    modes["full"] = (lambda p: torch.load(p, map_location=cpu, weights_only=False), True)
    if TORCH2:
        modes["mmap"] = (lambda p: torch.load(p, map_location=cpu, weights_only=False, mmap=True), True)

        def mmap_offsets(p):
            with _calculate_offsets():
                return torch.load(p, map_location=cpu, weights_only=False, mmap=True)
        modes["mmap_calculated_offsets"] = (mmap_offsets, True)
        modes["meta"] = (lambda p: torch.load(p, map_location="meta", weights_only=False), False)
        modes["fake"] = (_fake_load, False)

        def debug(p):
            with _env("TORCH_SERIALIZATION_DEBUG", "1"):
                return torch.load(p, map_location=cpu, weights_only=False)
        modes["debug"] = (debug, True)
    return modes


MODES = _modes()


def _try(load, path):
    try:
        return load(path), None
    except Exception as e:  # a mode the original does not load in is skipped for the rewrite too
        return None, f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"


def _big_endian(path):
    import struct
    import zipfile
    if not zipfile.is_zipfile(path):
        return False
    with zipfile.ZipFile(path) as z, open(path, "rb") as f:
        infos = [i for i in z.infolist() if i.filename.endswith("/byteorder") and i.filename.count("/") == 1]
        if not infos:
            return False
        # read the stored bytes from the local header on: zipfile would check a CRC that torch may have left 0
        f.seek(infos[0].header_offset)
        header = f.read(30)
        name_length, extra_length = struct.unpack("<HH", header[26:30])
        f.seek(infos[0].header_offset + 30 + name_length + extra_length)
        return f.read(infos[0].file_size) == b"big"


def _modes_for(path):
    """The loader modes to try on a file: torch 2.13 crashes (SIGSEGV in UntypedStorage.byteswap)
    loading a big-endian file where its storages have no data (map_location="meta", FakeTensorMode)
    or are mmap'd read-only, so those modes are not tried on one."""
    if _big_endian(path):
        return {m: v for m, v in MODES.items() if not m.startswith("mmap") and m not in ("meta", "fake")}
    return MODES


def loads_in(path):
    return [m for m, (load, _) in _modes_for(path).items() if _try(load, path)[1] is None]


def _tensors(tree):
    return {checks.key(p): t for p, t in checks.tensors(tree)}


def _bytes_sha(t):
    if t.is_sparse or t.layout != torch.strided:
        t = t.to_dense()
    return checks.sha256(t)


def check_modes(orig, new, manifest):
    expected = {}
    with open(manifest, encoding="utf-8") as f:
        for line in f:
            entry = json.loads(line)
            expected[checks.key(entry["path"])] = entry
    problems, checked = [], []
    for mode, (load, reads_data) in _modes_for(orig).items():
        original, why = _try(load, orig)
        if why is not None:
            continue
        rewritten, why = _try(load, new)
        if why is not None:
            problems.append(f"{mode}: the original loads, the rewritten file does not: {why}")
            continue
        checked.append(mode)
        before, after = _tensors(original), _tensors(rewritten)
        for k, entry in expected.items():
            if k not in after:
                problems.append(f"{mode}: {k} missing from torch.load's tree")
                continue
            t = after[k]
            got = {"dtype": str(t.dtype).replace("torch.", ""), "shape": list(t.shape)}
            if reads_data:
                got["sha256"] = checks.sha256(t)
                got["requires_grad"] = t.requires_grad
                got["parameter"] = isinstance(t, torch.nn.Parameter)
            for field, value in got.items():
                if entry[field] != value:
                    problems.append(f"{mode}: {k} {field}: Java says {entry[field]!r}, torch.load gives {value!r}")
        for k, t in after.items():
            if k in expected:
                continue
            if k not in before:
                problems.append(f"{mode}: {k} is in the rewritten tree only")
            elif t.is_nested:
                parts, was = t.unbind(), before[k].unbind()
                if [(p.dtype, tuple(p.shape)) for p in parts] != [(p.dtype, tuple(p.shape)) for p in was] or (
                        reads_data and [checks.sha256(p) for p in parts] != [checks.sha256(p) for p in was]):
                    problems.append(f"{mode}: {k} (a nested tensor) changed")
            elif (t.dtype, tuple(t.shape)) != (before[k].dtype, tuple(before[k].shape)):
                problems.append(f"{mode}: {k} changed dtype or shape")
            elif reads_data and not t.is_meta and _bytes_sha(t) != _bytes_sha(before[k]):
                problems.append(f"{mode}: {k} (a tensor Java does not model) changed its values")
    if problems:
        raise AssertionError("\n".join(problems))
    return "OK " + ",".join(checked)


# ---------------------------------------------------------------------------------------------
# The corpus: files saved by this torch with each save option, dtype and tensor kind.

def _all_dtypes():
    names = ["float32", "float64", "float16", "bfloat16", "complex64", "complex128", "uint8", "int8", "int16",
             "int32", "int64", "bool"]
    if TORCH2:
        names += ["complex32", "uint16", "uint32", "uint64", "float8_e5m2", "float8_e4m3fn", "float8_e5m2fnuz",
                  "float8_e4m3fnuz", "float8_e8m0fnu", "float4_e2m1fn_x2", "bits8", "bits16", "bits1x8", "bits2x4",
                  "bits4x2"]
    return [getattr(torch, n) for n in names if hasattr(torch, n)]


def _raw(dtype, shape, seed):
    """A tensor of `dtype` with arbitrary (seeded) bit patterns, made through uint8 bytes."""
    g = torch.Generator().manual_seed(seed)
    size = torch.empty((), dtype=dtype).element_size()
    n = int(np.prod(shape))
    data = torch.randint(0, 256, (n * size,), generator=g, dtype=torch.uint8)
    if dtype == torch.bool:
        data = data % 2
    return data.view(dtype).reshape(shape)


def every_dtype():
    out = {}
    for i, dtype in enumerate(_all_dtypes()):
        name = str(dtype).replace("torch.", "")
        out[name] = _raw(dtype, (3, 4), i)
    return out


def tied_state_dict():
    torch.manual_seed(7)
    model = torch.nn.Sequential(torch.nn.Embedding(6, 4), torch.nn.Linear(4, 6))
    model[1].weight = model[0].weight
    return model.state_dict()


def load_state_dict_strict(path):
    """The state dict file loads into the model that saved it with load_state_dict(strict=True):
    nothing ckpt keeps (its records) shows up as an unexpected key."""
    torch.manual_seed(7)
    model = torch.nn.Sequential(torch.nn.Embedding(6, 4), torch.nn.Linear(4, 6))
    model[1].weight = model[0].weight
    state = torch.load(path, weights_only=True) if TORCH2 else torch.load(path)
    model.load_state_dict(state, strict=True)
    return f"OK {type(state).__name__} with {len(state)} keys"


def zero_first():
    return {"empty": torch.zeros(0), "w": torch.arange(6, dtype=torch.float32).reshape(2, 3), "e2": torch.zeros(0, 4),
            "b": torch.ones(3, dtype=torch.int16)}


def subclasses_and_parameters():
    torch.manual_seed(8)
    out = {"param": torch.nn.Parameter(torch.randn(2, 3)), "frozen": torch.nn.Parameter(torch.randn(3), requires_grad=False),
           "grad": torch.randn(2, requires_grad=True)}
    if hasattr(torch.nn, "Buffer"):
        out["buffer_module"] = torch.nn.BatchNorm1d(3).state_dict()
    return out


def sparse():
    i = torch.tensor([[0, 1, 1], [2, 0, 2]])
    v = torch.tensor([3.0, 4.0, 5.0])
    coo = torch.sparse_coo_tensor(i, v, (2, 3))
    out = {"coo": coo, "dense": torch.ones(2)}
    if TORCH2:
        out["csr"] = coo.to_sparse_csr()
    return out


def nested():
    out = {"plain": torch.arange(3.0)}
    if TORCH2:
        out["nested"] = torch.nested.nested_tensor([torch.arange(3.0), torch.arange(5.0)])
    return out


def meta():
    return {"meta": torch.empty(3, 4, device="meta"), "real": torch.ones(2)}


def views_sharing():
    base = torch.arange(24, dtype=torch.float32)
    return {"head": base[:4], "rows": base.view(4, 6)[1:3], "t": base.view(4, 6).t(), "other": torch.ones(2, dtype=torch.int64)}


def lightning_fit(out):
    """A real Lightning 2.6.6 Trainer.fit on CPU (a tiny model, a few steps): its last checkpoint."""
    import lightning as L

    class Tiny(L.LightningModule):
        def __init__(self, hidden=4, lr=0.01):
            super().__init__()
            self.save_hyperparameters()
            self.net = torch.nn.Sequential(torch.nn.Linear(3, hidden), torch.nn.ReLU(), torch.nn.Linear(hidden, 1))

        def training_step(self, batch, _):
            x, y = batch
            return torch.nn.functional.mse_loss(self.net(x), y)

        def configure_optimizers(self):
            return torch.optim.Adam(self.parameters(), lr=self.hparams.lr)

    torch.manual_seed(9)
    data = torch.utils.data.TensorDataset(torch.randn(16, 3), torch.randn(16, 1))
    loader = torch.utils.data.DataLoader(data, batch_size=4)
    root = os.path.dirname(out)
    trainer = L.Trainer(max_epochs=2, accelerator="cpu", logger=False, enable_progress_bar=False,
                        enable_model_summary=False, default_root_dir=root)
    trainer.fit(Tiny(), loader)
    trainer.save_checkpoint(out)


def _save(obj, path, **kwargs):
    torch.save(obj, path, **kwargs)


def big_endian(path):
    """A file as a big-endian machine's torch.save writes it: the byteorder record says big and
    every storage holds its elements byte-swapped. Made from a little-endian save by rewriting the
    zip (Python's zipfile, so without torch's alignment; the layout records are left out)."""
    import zipfile
    obj = {"f32": torch.arange(6, dtype=torch.float32).reshape(2, 3) / 3, "i64": torch.tensor([1, -2, 3 << 40]),
           "c64": torch.tensor([1 + 2j, -3.5j]), "u8": torch.arange(4, dtype=torch.uint8), "f16": torch.tensor([0.5, -2.0], dtype=torch.float16)}
    little = path + ".little"
    torch.save(obj, little)
    with zipfile.ZipFile(little) as z:
        prefix = z.namelist()[0].split("/")[0]
    # storage key -> element size to swap by, from the order torch.save met them (the dict's order)
    units = [4, 8, 4, 1, 2]
    with zipfile.ZipFile(little) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as dst:
        for info in src.infolist():
            name = info.filename[len(prefix) + 1:]
            data = src.read(info)
            if name in (".format_version", ".storage_alignment", ".data/serialization_id"):
                continue
            if name == "byteorder":
                data = b"big"
            elif name.startswith("data/"):
                unit = units[int(name[5:])]
                data = b"".join(data[i:i + unit][::-1] for i in range(0, len(data), unit))
            dst.writestr(info.filename, data)
    os.remove(little)


def make_corpus(directory):
    os.makedirs(directory, exist_ok=True)
    tag = "t2" if TORCH2 else "t1"
    made = []

    def save(name, obj, **kwargs):
        path = os.path.join(directory, f"{tag}_{name}.pt")
        _save(obj, path, **kwargs)
        made.append(path)

    lightning_like = checkpoints.lightning()
    save("lightning_like", lightning_like)
    save("state_dict", tied_state_dict())
    save("tensor_root", torch.arange(5, dtype=torch.float32))
    save("list_root", [torch.ones(2), {"x": torch.zeros(3)}, 4])
    save("tuple_root", (torch.ones(2), torch.arange(3)))
    save("module_root", torch.nn.Linear(3, 2))
    save("every_dtype", every_dtype())
    save("zero_first", zero_first())
    save("views", views_sharing())
    save("parameters", subclasses_and_parameters())
    save("sparse", sparse())
    save("quantized", checkpoints.quantized())
    save("nested", nested())
    save("meta", meta())
    # enough records for the serialization id's std::unordered_set to rehash several times; empty storages between
    save("many_records", {f"w{i}": torch.full((i % 3,), float(i)) for i in range(300)})
    for protocol in (2, 3, 4, 5):
        save(f"protocol{protocol}", tied_state_dict(), pickle_protocol=protocol)
    save("legacy_format", checkpoints.multi(), _use_new_zipfile_serialization=False)
    buffer = io.BytesIO()
    torch.save(checkpoints.multi(), buffer)
    with open(os.path.join(directory, f"{tag}_bytesio.pt"), "wb") as f:
        f.write(buffer.getvalue())
    made.append(os.path.join(directory, f"{tag}_bytesio.pt"))
    if TORCH2:
        path = os.path.join(directory, f"{tag}_big_endian.pt")
        big_endian(path)
        made.append(path)
        from torch.utils.serialization import config
        config.save.compute_crc32 = False
        try:
            save("no_crc32", zero_first())
        finally:
            config.save.compute_crc32 = True
        config.save.storage_alignment = 4096
        try:
            save("alignment_4096", zero_first())
        finally:
            config.save.storage_alignment = 64
        with torch.serialization.skip_data():
            save("skip_data", checkpoints.multi())
        path = os.path.join(directory, f"{tag}_lightning_fit.ckpt")
        lightning_fit(path)
        made.append(path)
    return "\n".join(os.path.basename(p) + "\t" + ",".join(loads_in(p)) for p in made)


def sha256_file(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()
