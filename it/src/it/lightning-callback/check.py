"""Checks the migrated checkpoints with the real torch.load (torch 1.13 or 2.13) and, where
Lightning is installed, with Lightning's own load_from_checkpoint on the migrated model code.

    check.py MIGRATIONS FILE...    MIGRATIONS: the expected record names, comma-separated
"""
import importlib.util
import os
import sys

import torch

names = sys.argv[1].split(",")
# torch 1.13's weights-only unpickler lacks BINFLOAT, which Lightning's checkpoints hold: the full loader there
weights_only = not torch.__version__.startswith("1.")
for path in sys.argv[2:]:
    ckpt = torch.load(path, map_location="cpu", weights_only=weights_only)
    assert [r["name"] for r in ckpt["migrations"]] == names, (path, ckpt["migrations"])
    assert sorted(ckpt["state_dict"]) == ["block.bias", "block.weight"], (path, list(ckpt["state_dict"]))
    assert ckpt["hyper_parameters"]["hidden"] == 4, ckpt["hyper_parameters"]
    assert len(ckpt["optimizer_states"]) == 1, ckpt.keys()

if importlib.util.find_spec("lightning"):
    # The migrated checkpoints load into the model code after the rename, as a training repository would.
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path[:0] = [here, os.path.join(here, "demo-model", "target", "train-libs")]  # train.py and the callback train.sh installed
    import train

    class Renamed(train.Model):
        def __init__(self, hidden=4):
            super().__init__(hidden)
            self.block = self.layer
            del self.layer

    for path in sys.argv[2:]:
        model = Renamed.load_from_checkpoint(path, map_location="cpu")
        assert model.hparams.hidden == 4
        assert tuple(model.block.weight.shape) == (1, 4)
print("OK", torch.__version__, len(sys.argv) - 2, "checkpoints")
