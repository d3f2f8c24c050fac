"""The torch oracle for the view tests: a real torch.save checkpoint holding a numpy array and an
OmegaConf config, and torch.load to look at an edited one.

Usage: /usr/bin/python3 checkpoint_oracle.py COMMAND ARGS...

  make OUT.ckpt         torch.save a small Lightning-style checkpoint: a state_dict, and
                        hyper_parameters with an OmegaConf config and numpy statistics
  eval IN.ckpt EXPR     torch.load the checkpoint as `ckpt` and print EXPR (str as is, else repr);
                        np, torch and OmegaConf are in scope
"""
import sys

import numpy as np
import torch
from omegaconf import OmegaConf


def make_checkpoint():
    torch.manual_seed(0)
    model = torch.nn.Linear(3, 2)
    config = OmegaConf.create({
        "model": {"hidden": 4, "layers": [8, 16], "width": "${model.hidden}"},
        "trainer": {"max_epochs": 10},
    })
    return {
        "epoch": 3,
        "state_dict": model.state_dict(),
        "hyper_parameters": {
            "config": config,
            "statistics": {"mean": np.arange(3, dtype=np.float32) / 2, "count": np.int64(40)},
        },
    }


def main(argv):
    command = argv[1]
    if command == "make":
        torch.save(make_checkpoint(), argv[2])
    elif command == "eval":
        ckpt = torch.load(argv[2], weights_only=False)
        result = eval(argv[3], {"ckpt": ckpt, "np": np, "torch": torch, "OmegaConf": OmegaConf})
        print(result if isinstance(result, str) else repr(result))
    else:
        raise SystemExit("unknown command " + command)


if __name__ == "__main__":
    main(sys.argv)
