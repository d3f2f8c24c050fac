"""Checks of ckpt's Lightning sample (dev.ckpt.testing.LightningSample) with the real torch.load,
OmegaConf, torch.optim.Adam and, where it is installed (the torch 2.13 venv), Lightning itself."""
import collections
import json

import torch
from omegaconf import DictConfig, OmegaConf


def check(path, expected_file):
    """Raises AssertionError listing every difference from the JSON expectation; returns what was checked."""
    with open(expected_file, encoding="utf-8") as f:
        expected = json.load(f)
    ckpt = torch.load(path, weights_only=False)
    problems = []

    def same(what, actual, wanted):
        if actual != wanted:
            problems.append(f"{what}: {actual!r} != {wanted!r}")

    same("root keys", list(ckpt), expected["keys"])
    for key, value in expected["scalars"].items():
        same(key, ckpt.get(key), value)
    state_dict = ckpt["state_dict"]
    same("state_dict type", type(state_dict), collections.OrderedDict)
    same("state_dict keys", list(state_dict), list(expected["tensors"]))
    for name, want in expected["tensors"].items():
        t = state_dict.get(name)
        if not isinstance(t, torch.Tensor):
            problems.append(f"{name}: {type(t).__name__}, not a tensor")
            continue
        same(name + " dtype", t.dtype, torch.float32)
        same(name + " shape", list(t.shape), want["shape"])
        same(name + " values", t.reshape(-1).tolist(), want["values"])
    metadata = getattr(state_dict, "_metadata", None)
    same("_metadata type", type(metadata), collections.OrderedDict)
    same("_metadata", list((metadata or {}).items()), [tuple(item) for item in expected["metadata"]])
    hyper = ckpt["hyper_parameters"]
    same("hyper_parameters type", type(hyper), DictConfig)
    if isinstance(hyper, DictConfig):
        same("hyper_parameters", OmegaConf.to_container(hyper), expected["hyper_parameters"])
    adam = load_adam(ckpt, expected, problems)
    lightning = load_with_lightning(path, ckpt, problems)
    if problems:
        raise AssertionError("\n".join(problems))
    return f"OK torch {torch.__version__}: {adam}; {lightning}"


def load_adam(ckpt, expected, problems):
    """Loads optimizer_states[0] into a real Adam over parameters of the state_dict's shapes, and steps it."""
    params = [torch.nn.Parameter(torch.zeros(want["shape"])) for want in expected["tensors"].values()]
    optimizer = torch.optim.Adam(params, lr=expected["adam"]["lr"])
    optimizer.load_state_dict(ckpt["optimizer_states"][0])
    group = optimizer.param_groups[0]
    if group["lr"] != expected["adam"]["lr"] or list(group["betas"]) != expected["adam"]["betas"]:
        problems.append(f"Adam param group: lr {group['lr']}, betas {group['betas']}")
    for p, (name, want) in zip(params, expected["tensors"].items()):
        state = optimizer.state[p]
        if float(state["step"]) != expected["adam"]["step"]:
            problems.append(f"Adam step of {name}: {state['step']}")
        for moment, scale in (("exp_avg", expected["adam"]["exp_avg_scale"]), ("exp_avg_sq", expected["adam"]["exp_avg_sq_scale"])):
            if state[moment].reshape(-1).tolist() != [v * scale for v in want["values"]]:
                problems.append(f"Adam {moment} of {name}: {state[moment].reshape(-1).tolist()}")
        p.grad = torch.ones_like(p)
    optimizer.step()
    return f"Adam over {len(params)} parameters loaded and stepped"


def load_with_lightning(path, ckpt, problems):
    try:
        import lightning
    except ImportError:
        return "no Lightning here"

    class Sample(lightning.LightningModule):
        def __init__(self, cfg):
            super().__init__()
            self.save_hyperparameters(cfg)
            self.model = torch.nn.Module()
            self.model.encoder = torch.nn.Linear(3, cfg.model.hidden)
            self.model.head = torch.nn.Linear(cfg.model.hidden, 2)

    module = Sample.load_from_checkpoint(path, weights_only=False)  # strict: every state_dict key must fit
    for name, tensor in module.state_dict().items():
        if not torch.equal(tensor, ckpt["state_dict"][name]):
            problems.append(f"Lightning loaded {name} as {tensor}")
    if OmegaConf.to_container(module.hparams) != OmegaConf.to_container(ckpt["hyper_parameters"]):
        problems.append(f"Lightning hparams: {module.hparams}")
    return f"Lightning {lightning.__version__} load_from_checkpoint"
