"""The show oracle: makes checkpoints with real torch and says what they hold, as Python sees it.

make KIND FILE   KIND: lightning (Trainer.fit, torch 2 venv only), state_dict, legacy, module
describe FILE    JSON: tensors [{name, dtype, shape, bytes}] in walk order, configs {name: to_container(resolve=False)}
yaml             JSON of yaml.safe_load(stdin)
Names follow dev.ckpt.inspect.ReadablePath: keys joined by dots, keys with . [ ] " or \\ quoted as ["..."], list items [i].
"""
import collections
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np
import torch
import yaml
from omegaconf import DictConfig, ListConfig, OmegaConf

import show_models


def config():
    return OmegaConf.create({"model": {"hidden": 16, "layers": [1, 2, {"k": "yes"}], "ratio": 1e-5, "big": 1e10,
                                       "name": "1.5", "empty": {}, "none": None, "ref": "${model.hidden}"},
                             "lr": 0.001, "flag": True, "dotted.key": "x"})


def make(kind, path):
    torch.manual_seed(0)
    if kind == "lightning":
        make_lightning(path)
    elif kind == "state_dict":
        torch.save(show_models.Net().state_dict(), path)
    elif kind == "legacy":
        torch.save({"state_dict": show_models.Net().state_dict(), "config": config(),
                    "stats": np.arange(4.0).reshape(2, 2), "epoch": 3}, path, _use_new_zipfile_serialization=False)
    elif kind == "module":
        torch.save(show_models.Net(), path)
    else:
        raise SystemExit("unknown kind " + kind)


def make_lightning(path):
    import lightning.pytorch as pl

    class Module(pl.LightningModule):
        def __init__(self, cfg):
            super().__init__()
            self.save_hyperparameters(cfg)
            self.model = show_models.Net()

        def training_step(self, batch, _):
            x, y = batch
            return torch.nn.functional.mse_loss(self.model.head(self.model.encoder(x)), y)

        def configure_optimizers(self):
            return torch.optim.Adam(self.parameters(), lr=1e-3)

    data = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.randn(8, 3), torch.randn(8, 2)), batch_size=4)
    trainer = pl.Trainer(max_steps=2, logger=False, enable_checkpointing=False, enable_progress_bar=False,
                         enable_model_summary=False, accelerator="cpu", devices=1)
    trainer.fit(Module(config()), data)
    trainer.save_checkpoint(path)


def quote(key):
    if key and not any(c in key for c in '.[]"\\'):
        return key
    return '["' + key.replace("\\", "\\\\").replace('"', '\\"') + '"]'


def child(path, key):
    q = quote(str(key))
    return q if not path or q.startswith("[") and not path else (path + q if q.startswith("[") else path + "." + q)


def describe(path):
    tree = torch.load(path, map_location="cpu", weights_only=False)
    tensors, configs, seen = [], {}, set()
    stack = [(tree, "")]
    while stack:
        value, where = stack.pop()
        if isinstance(value, torch.Tensor):
            tensors.append({"name": where, "dtype": str(value.dtype).replace("torch.", ""), "shape": list(value.shape),
                            "bytes": value.numel() * value.element_size()})
            continue
        if id(value) in seen:
            continue
        seen.add(id(value))
        children = []
        if isinstance(value, (DictConfig, ListConfig)):
            configs[where] = OmegaConf.to_container(value, resolve=False)
        elif isinstance(value, dict):
            children = [(v, child(where, k)) for k, v in value.items()]
            if isinstance(value, collections.OrderedDict):
                children += [(v, child(where, k)) for k, v in vars(value).items()]
        elif isinstance(value, (list, tuple)):
            children = [(v, where + "[%d]" % i) for i, v in enumerate(value)]
        elif isinstance(value, torch.nn.Module):
            children = [(v, child(where, k)) for k, v in vars(value).items()]
        stack.extend(reversed(children))
    print(json.dumps({"tensors": tensors, "configs": configs}))


if __name__ == "__main__":
    if sys.argv[1] == "make":
        make(sys.argv[2], sys.argv[3])
    elif sys.argv[1] == "describe":
        describe(sys.argv[2])
    elif sys.argv[1] == "yaml":
        print(json.dumps(yaml.safe_load(sys.stdin.read())))
