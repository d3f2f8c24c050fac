"""Checkpoints born registered: stamps the migration records of the current code into every
checkpoint at save time, so ckpt's Maven plugin knows which migrations it already has.

- ``Manifest.load(path)`` reads the manifest the Maven build writes
  (``META-INF/ckpt/migrations.json``, from a .json file, a jar or a directory).
- ``stamp(checkpoint, manifest)`` stamps a plain ``torch.save`` dict.
- ``MigrationRecordsCallback(manifest)`` does it for PyTorch Lightning; it is imported on first
  use, so plain-torch users do not need Lightning.
"""

from ckpt_migrations.manifest import Manifest, ManifestError
from ckpt_migrations.stamp import stamp

# MigrationRecordsCallback is left out: "import *" must work without Lightning.
__all__ = ["Manifest", "ManifestError", "stamp"]


def __getattr__(name):
    if name == "MigrationRecordsCallback":
        from ckpt_migrations.lightning import MigrationRecordsCallback
        return MigrationRecordsCallback
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
