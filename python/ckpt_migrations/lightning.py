"""The PyTorch Lightning callback; importing this module needs Lightning."""

from __future__ import annotations

import os
from typing import Optional, Union

from ckpt_migrations.manifest import Manifest
from ckpt_migrations.stamp import stamp

try:
    from lightning.pytorch import Callback
except ImportError:
    try:
        from pytorch_lightning import Callback
    except ImportError:
        raise ImportError("MigrationRecordsCallback needs PyTorch Lightning (lightning.pytorch or pytorch_lightning):"
                          " pip install lightning, or install this package with its extra: pip install '<ckpt checkout>/python[lightning]'") from None

MANIFEST_VARIABLE = "CKPT_MIGRATIONS_MANIFEST"


class MigrationRecordsCallback(Callback):
    """Stamps the manifest's migration records into every checkpoint Lightning saves.

    ``manifest`` is a ``Manifest`` or a path ``Manifest.load`` accepts; without it, the path comes
    from the environment variable CKPT_MIGRATIONS_MANIFEST. The manifest is read here, so a
    missing or malformed one fails before training starts, not at the first save.

    Lightning skips the callbacks when it saves weights only, so a ModelCheckpoint with
    save_weights_only=True fails the fit at setup rather than write unstamped checkpoints.
    """

    def __init__(self, manifest: Union[Manifest, str, os.PathLike, None] = None):
        super().__init__()
        self.manifest = manifest if isinstance(manifest, Manifest) else Manifest.load(_manifest_path(manifest))

    def setup(self, trainer, pl_module, stage) -> None:
        weights_only = [c for c in trainer.checkpoint_callbacks if getattr(c, "save_weights_only", False)]
        if weights_only:
            raise ValueError(f"MigrationRecordsCallback: {type(weights_only[0]).__name__}(save_weights_only=True) saves without"
                             " calling the callbacks' on_save_checkpoint, so its checkpoints would not be stamped; call"
                             " stamp(checkpoint, manifest) in your LightningModule's on_save_checkpoint instead")

    def on_save_checkpoint(self, trainer, pl_module, checkpoint) -> None:
        stamp(checkpoint, self.manifest)


def _manifest_path(path: Optional[Union[str, os.PathLike]]) -> Union[str, os.PathLike]:
    if path is not None:
        return path
    from_environment = os.environ.get(MANIFEST_VARIABLE)
    if not from_environment:
        raise ValueError(f"MigrationRecordsCallback: no manifest: pass manifest=<path or Manifest> or set {MANIFEST_VARIABLE}"
                         " to the migrations jar, its target/classes directory or its META-INF/ckpt/migrations.json")
    return from_environment
