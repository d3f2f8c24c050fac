"""The demo model before and after a refactor: the encoder renamed backbone, the hyperparameter
hidden renamed width, activation added.

    model.py save old|new PATH   torch.save a trained-looking checkpoint of that code (seeded)
    model.py check PATH          the file loads into the new model (load_state_dict strict=True)
                                 and carries the new code's hyperparameters (besides ckpt's history)
"""
import sys

import torch

NEW_HYPER_PARAMETERS = {"width": 4, "lr": 0.01, "activation": "relu"}


def model(side):
    net = torch.nn.Module()
    setattr(net, "encoder" if side == "old" else "backbone", torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU()))
    net.head = torch.nn.Linear(4, 2)
    return net


def save(side, path):
    torch.manual_seed(1 if side == "old" else 2)
    hyper_parameters = {"hidden": 4, "lr": 0.01} if side == "old" else NEW_HYPER_PARAMETERS
    torch.save({"epoch": 3, "state_dict": model(side).state_dict(), "hyper_parameters": hyper_parameters}, path)


def check(path):
    checkpoint = torch.load(path, weights_only=False) if torch.__version__ >= "2" else torch.load(path)
    model("new").load_state_dict(checkpoint["state_dict"], strict=True)
    # ckpt keeps its history in hyper_parameters["metadata"]; the rest must be the new code's.
    hyper_parameters = {k: v for k, v in checkpoint["hyper_parameters"].items() if k != "metadata"}
    assert hyper_parameters == NEW_HYPER_PARAMETERS, checkpoint["hyper_parameters"]
    print("OK torch", torch.__version__, "loads", path, "into the new model")


if __name__ == "__main__":
    if sys.argv[1] == "save":
        save(sys.argv[2], sys.argv[3])
    else:
        check(sys.argv[2])
