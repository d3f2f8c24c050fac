"""Saves a small PyTorch-Lightning-style training checkpoint with the real torch.save.

Usage: /usr/bin/python3 make_torch_checkpoint.py OUT.ckpt

Holds what real checkpoints hold: parameters of several dtypes, a tied weight
(two keys, one storage), a view with a storage offset, an OrderedDict state_dict
with _metadata, Adam optimizer state, an OmegaConf config and numpy statistics.
"""
import collections
import sys

import numpy as np
import torch
from omegaconf import OmegaConf


def make_checkpoint():
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Embedding(10, 4), torch.nn.Linear(4, 10))
    model[1].weight = model[0].weight  # tied: one storage, two keys
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    model(torch.tensor([1, 2])).sum().backward()
    optimizer.step()
    state_dict = model.state_dict()
    base = torch.arange(12, dtype=torch.float64)
    state_dict["extra.view"] = base[4:8]
    state_dict["extra.half"] = torch.ones(3, dtype=torch.float16)
    state_dict["extra.bool"] = torch.tensor([True, False])
    state_dict["extra.int8"] = torch.tensor([-1, 2], dtype=torch.int8)
    state_dict["extra.bf16"] = torch.zeros(2, dtype=torch.bfloat16)
    config = OmegaConf.create({"model": {"hidden": 4, "layers": [1, 2]}, "data": {"path": "${oc.env:HOME}"}})
    return {
        "epoch": 3,
        "global_step": 120,
        "pytorch-lightning_version": "2.0.0",
        "state_dict": state_dict,
        "optimizer_states": [optimizer.state_dict()],
        "lr_schedulers": [],
        "callbacks": collections.OrderedDict(),
        "hyper_parameters": {"config": config, "statistics": {"mean": np.arange(3, dtype=np.float32)}},
    }


if __name__ == "__main__":
    torch.save(make_checkpoint(), sys.argv[1])
