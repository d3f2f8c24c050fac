"""The torch side of the README's recipes: make a checkpoint of the old model, then check what
the Java migration made of it with the new model, its optimizer and one more training step.

    recipes.py make <recipe> <file>
    recipes.py check <recipe> <original> <migrated>
    recipes.py rolled_back <recipe> <original> <rolled back>
"""
import math
import sys

import torch


def net(modules):
    model = torch.nn.Module()
    for name, module in modules:
        model.add_module(name, module)
    return model


class Attention(torch.nn.Module):
    def __init__(self, fused):
        super().__init__()
        if fused:
            self.qkv = torch.nn.Linear(4, 12)
        else:
            self.q, self.k, self.v = torch.nn.Linear(4, 4), torch.nn.Linear(4, 4), torch.nn.Linear(4, 4)
        self.out = torch.nn.Linear(4, 4)


OLD = {
    "rename_encoder": lambda: net([("encoder", torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.BatchNorm1d(4))),
                                   ("head", torch.nn.Linear(4, 2))]),
    "split_qkv": lambda: net([("embed", torch.nn.Linear(3, 4)), ("attn", Attention(True))]),
    "grow_vocabulary": lambda: net([("embed", torch.nn.Embedding(10, 3)), ("head", torch.nn.Linear(3, 2))]),
    "cast_to_bfloat16": lambda: net([("encoder", torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.BatchNorm1d(4))),
                                     ("head", torch.nn.Linear(4, 2))]),
    "classifier_first": lambda: net([("encoder", torch.nn.Linear(3, 4)), ("head", torch.nn.Linear(4, 2))]),
}
NEW = {
    "rename_encoder": lambda: net([("backbone", torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.BatchNorm1d(4))),
                                   ("head", torch.nn.Linear(4, 2))]),
    "split_qkv": lambda: net([("embed", torch.nn.Linear(3, 4)), ("attn", Attention(False))]),
    "grow_vocabulary": lambda: net([("embed", torch.nn.Embedding(14, 3)), ("head", torch.nn.Linear(3, 2))]),
    "cast_to_bfloat16": lambda: OLD["cast_to_bfloat16"]().to(torch.bfloat16),
    "classifier_first": lambda: net([("classifier", torch.nn.Linear(4, 2)), ("encoder", torch.nn.Linear(3, 4))]),
}


def loss(recipe, model):
    """A loss that touches every parameter, whatever the model's version."""
    total = 0
    for p in model.parameters():
        total = total + (p.float() ** 2).sum()
    return total


CONFIG = {
    "training": {"max_epochs": 10, "warmup_lr": "${training.lr}", "lr": 0.001},
    "optimizer": {"name": "adam", "betas": [0.9, 0.999]},
    "scheduler": {"peak": "${training.lr}", "label": "lr=${training.lr}, epochs=${training.max_epochs}"},
}
MOVED = {
    "training": {"max_epochs": 10, "warmup_lr": "${optimizer.lr}"},
    "optimizer": {"name": "adam", "betas": [0.9, 0.999], "lr": 0.001},
    "scheduler": {"peak": "${optimizer.lr}", "label": "lr=${optimizer.lr}, epochs=${training.max_epochs}"},
}


def make_config(path):
    from omegaconf import OmegaConf
    torch.save({"state_dict": {}, "hyper_parameters": OmegaConf.create(CONFIG), "epoch": 1}, path)


def check_config(original, migrated, expected):
    from omegaconf import OmegaConf
    cfg = without_history(torch.load(migrated, weights_only=False)["hyper_parameters"])  # a DictConfig: not for weights_only
    want = OmegaConf.create(expected)
    assert OmegaConf.to_yaml(cfg) == OmegaConf.to_yaml(want), OmegaConf.to_yaml(cfg)
    assert OmegaConf.to_container(cfg, resolve=True) == OmegaConf.to_container(want, resolve=True)
    for key in cfg:
        assert cfg._get_node(key)._get_parent() is cfg
        assert list(cfg[key]) == list(want[key]), (key, list(cfg[key]), list(want[key]))
        for child in cfg[key]:
            assert cfg[key]._get_node(child)._get_parent() is cfg[key], (key, child)
    if "lr" in cfg.optimizer:
        cfg.optimizer.lr = 0.5  # the interpolations are live: they follow the moved value
        assert cfg.scheduler.peak == 0.5 and cfg.scheduler.label.startswith("lr=0.5") and cfg.training.warmup_lr == 0.5


def without_history(cfg):
    """The config without the migration history ckpt keeps in it (metadata.migrations.history)."""
    assert [h["name"] for h in cfg.metadata.migrations.history][-1].endswith("move_learning_rate"), cfg.metadata
    del cfg["metadata"]
    return cfg


def make(recipe, path):
    if recipe == "move_learning_rate":
        return make_config(path)
    torch.manual_seed(7)
    model = OLD[recipe]()
    if recipe in ("rename_encoder", "cast_to_bfloat16"):
        model.encoder(torch.randn(5, 3))  # BatchNorm's running statistics move
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    for _ in range(2):
        opt.zero_grad()
        loss(recipe, model).backward()
        opt.step()
    torch.save({"state_dict": model.state_dict(), "optimizer_states": [opt.state_dict()], "epoch": 1}, path)


def load(path):
    # torch 1.13's weights-only unpickler has no BINFLOAT, so it refuses any file with a float
    # (torch's own Adam state included): there it loads fully.
    return torch.load(path, weights_only=torch.__version__ >= "2")


def resumed(recipe, ckpt):
    """The new model and Adam, loaded from the checkpoint as Lightning resumes them."""
    model = NEW[recipe]()
    model.load_state_dict(ckpt["state_dict"], strict=True)
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    opt.load_state_dict(ckpt["optimizer_states"][0])
    return model, opt


def state_by_name(model, opt):
    return {name: opt.state[p] for name, p in model.named_parameters() if p in opt.state}


def same(a, b, where):
    assert a.dtype == b.dtype and a.shape == b.shape, f"{where}: {a.dtype}{list(a.shape)} != {b.dtype}{list(b.shape)}"
    bits = lambda t: t.reshape(-1).view(torch.uint8) if t.numel() else t
    assert torch.equal(bits(a), bits(b)), f"{where}: {a} != {b}"


def mean_rows(weight):
    """Each column's exactly rounded mean (math.fsum), cast as torch casts a float64."""
    columns = weight.double().t().tolist()
    return torch.tensor([math.fsum(c) / len(c) for c in columns], dtype=torch.float64).to(weight.dtype)


def expected(recipe, old):
    """The new model's tensors and Adam moments by name, from the old checkpoint."""
    sd = old["state_dict"]
    model, opt = OLD[recipe](), None
    model.load_state_dict(sd)
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    opt.load_state_dict(old["optimizer_states"][0])
    moments = state_by_name(model, opt)
    if recipe == "rename_encoder":
        rename = lambda k: k.replace("encoder.", "backbone.", 1)
        return {rename(k): v for k, v in sd.items()}, {rename(k): v for k, v in moments.items()}
    if recipe == "classifier_first":
        rename = lambda k: k.replace("head.", "classifier.", 1)
        return {rename(k): v for k, v in sd.items()}, {rename(k): v for k, v in moments.items()}
    if recipe == "split_qkv":
        tensors, states = {}, {}
        for k, v in sd.items():
            if k.startswith("attn.qkv."):
                kind = k.split(".")[-1]
                for part, chunk in zip("qkv", v.chunk(3, 0)):
                    tensors[f"attn.{part}.{kind}"] = chunk
                    states[f"attn.{part}.{kind}"] = {key: (s if s.dim() == 0 else s.chunk(3, 0)["qkv".index(part)])
                                                     for key, s in moments[k].items()}
            else:
                tensors[k] = v
                states[k] = moments[k]
        return tensors, states
    if recipe == "grow_vocabulary":
        w = sd["embed.weight"]
        grown = torch.cat([w] + [mean_rows(w).unsqueeze(0)] * 4, 0)
        states = dict(moments)
        states["embed.weight"] = {key: (s if s.dim() == 0 else torch.cat([s, torch.zeros(4, s.shape[1], dtype=s.dtype)], 0))
                                  for key, s in moments["embed.weight"].items()}
        return dict(sd, **{"embed.weight": grown}), states
    if recipe == "cast_to_bfloat16":
        return {k: (v.to(torch.bfloat16) if v.dtype == torch.float32 else v) for k, v in sd.items()}, None
    raise SystemExit("unknown recipe " + recipe)


def check(recipe, original, migrated):
    if recipe == "move_learning_rate":
        return check_config(original, migrated, MOVED)
    old, new = load(original), load(migrated)
    tensors, states = expected(recipe, old)
    assert list(new["state_dict"]) == list(NEW[recipe]().state_dict()), list(new["state_dict"])
    for k, v in tensors.items():
        same(new["state_dict"][k], v, k)
    model, opt = resumed(recipe, new)
    if states is not None:
        got = state_by_name(model, opt)
        assert set(got) == set(states), (sorted(got), sorted(states))
        for name, moment in states.items():
            for key, value in moment.items():
                same(got[name][key], value, f"Adam state {name}.{key}")
        opt.zero_grad()
        loss(recipe, model).backward()
        opt.step()  # the resumed optimizer trains on
    assert new["epoch"] == old["epoch"]


def rolled_back(recipe, original, back):
    if recipe == "move_learning_rate":
        from omegaconf import OmegaConf
        cfg = without_history(torch.load(back, weights_only=False)["hyper_parameters"])
        assert OmegaConf.to_yaml(cfg) == OmegaConf.to_yaml(OmegaConf.create(CONFIG)), OmegaConf.to_yaml(cfg)
        return
    old, new = load(original), load(back)
    assert list(new["state_dict"]) == list(old["state_dict"]), (list(new["state_dict"]), list(old["state_dict"]))
    for k, v in old["state_dict"].items():
        same(new["state_dict"][k], v, k)
    a, b = old["optimizer_states"][0], new["optimizer_states"][0]
    assert a["param_groups"] == b["param_groups"], (a["param_groups"], b["param_groups"])
    assert list(a["state"]) == list(b["state"]), (list(a["state"]), list(b["state"]))
    for i, moment in a["state"].items():
        assert list(moment) == list(b["state"][i])
        for key, value in moment.items():
            same(b["state"][i][key], value, f"state {i}.{key}")
    model = OLD[recipe]()
    model.load_state_dict(new["state_dict"], strict=True)


if __name__ == "__main__":
    command, recipe, *files = sys.argv[1:]
    {"make": make, "check": check, "rolled_back": rolled_back}[command](recipe, *files)
    print("OK")
