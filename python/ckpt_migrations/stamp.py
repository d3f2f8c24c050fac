"""Stamping a checkpoint dict with the records of the current code."""

from __future__ import annotations

import copy

from ckpt_migrations.manifest import Manifest


def stamp(checkpoint: dict, manifest: Manifest) -> dict:
    """Sets ``checkpoint["migrations"]`` to a copy of the manifest's records and returns the checkpoint.

    What was there is replaced: the current code saved this checkpoint, so its records are the truth.
    """
    if not isinstance(manifest, Manifest):
        raise TypeError(f"stamp: manifest must be a Manifest (Manifest.load(path) reads one), not {type(manifest).__name__}")
    # The Java side reads records from a plain dict root only; a subclass (OrderedDict) pickles as a global.
    if type(checkpoint) is not dict:
        raise TypeError(f"stamp: the checkpoint's root is a {type(checkpoint).__module__}.{type(checkpoint).__qualname__},"
                        " not a plain dict; use `mvn checkpoint:register -Dcheckpoint=...` for checkpoints whose root"
                        " is not a plain dict")
    checkpoint["migrations"] = copy.deepcopy(manifest.records)
    return checkpoint
