"""Shared by the tests: the package under test on sys.path, a sample manifest, optional imports.

Run from the repository root: python3 -m unittest discover -s python/tests -v
"""

import importlib
import json
import os
import sys
import unittest
import zipfile
from pathlib import Path

# The source tree, not an installed copy, is what these tests check.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ckpt_migrations.manifest import ENTRY  # noqa: E402

SIGNATURE_1 = "1" * 64
SIGNATURE_2 = "ab" * 32

# Two records as the Java register goal writes them; the second has an embedded rollback and a
# setup_context, and its keys are deliberately not sorted.
RECORDS = [
    {"name": "1700000000_initial",
     "metadata": {"versions": {"migration": "1.0.0", "demo-model": "1.0.0"}, "final": False},
     "signature": SIGNATURE_1,
     "rollback": None,
     "setup_context": None},
    {"name": "1700000100_rename_encoder",
     "metadata": {"versions": {"migration": "1.0.0", "demo-model": "1.1.0"}, "final": True},
     "signature": SIGNATURE_2,
     "rollback": {"format": "ckpt-jvm-class/2", "class": "com.example.M1700000100_rename_encoder$Rollback",
                  "signature": SIGNATURE_2, "classes": {"com.example.M1700000100_rename_encoder$Rollback": "yv66vgAAAD0A"}},
     "setup_context": {"moves": [{"from": "model.Encoder", "to": "model.encoder.Encoder"}], "zeta": {}, "alpha": [1, True, None]}},
]


def manifest_data(records=None):
    return {
        "format": 1,
        "appKey": "demo-model",
        "version": "1.1.0",
        "migrations": [{"name": r["name"], "version": r["metadata"]["versions"]["demo-model"],
                        "final": r["metadata"]["final"], "signature": r["signature"]} for r in RECORDS],
        "records": RECORDS if records is None else records,
    }


def write_json(path: Path, data) -> Path:
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return path


def write_classes_dir(root: Path, data) -> Path:
    file = root / ENTRY
    file.parent.mkdir(parents=True)
    write_json(file, data)
    return root


def write_jar(path: Path, data) -> Path:
    with zipfile.ZipFile(path, "w") as jar:
        jar.writestr("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n")
        jar.writestr(ENTRY, json.dumps(data))
    return path


def ordered(value) -> str:
    """JSON text of a value: equal only when the key order is the same too."""
    return json.dumps(value)


def import_optional(module: str, required_by: str):
    """Imports ``module``; when it is missing, skips the test, or fails it when the environment
    variable ``required_by`` is 1 (the JUnit runner sets it where the module must be there)."""
    try:
        return importlib.import_module(module)
    except ImportError as e:
        if os.environ.get(required_by) == "1":
            raise AssertionError(f"{module} cannot be imported but {required_by}=1 requires it: {e}") from e
        raise unittest.SkipTest(f"{module} is not installed ({e}); set {required_by}=1 to fail instead")
