#!/usr/bin/python3
"""Write a big PyTorch-Lightning-style training checkpoint with real torch.

Usage: make_big_checkpoint.py OUT.ckpt [SIZE_MB]      (SIZE_MB defaults to 2048)

The checkpoint holds what Lightning's ModelCheckpoint writes: a state_dict of a
few hundred float32 tensors named ``model.encoder.layers.N.<...>`` (plus an
embedding, a final norm and a head), Adam optimizer state after one step
(exp_avg and exp_avg_sq, each as large as the model, so the model is sized at
about a third of SIZE_MB), an LR scheduler, loops / callbacks entries and
hyper_parameters with a nested config. The total file size lands within about
a megabyte of SIZE_MB (10^6 bytes): the width is picked first, then the vocabulary
fills the rest.

Tensors are filled cheaply and reproducibly (fixed seed): weights with
``randn`` scaled in place, gradients with a constant, then one real
``torch.optim.Adam`` step fills exp_avg / exp_avg_sq. Run it with Debian's
/usr/bin/python3 (where torch is installed).
"""
import collections
import math
import os
import sys
import time

import torch

N_LAYERS = 24
N_HEAD = 8
MIN_VOCAB = 8192


def layer_shapes(d):
    """Parameter shapes of one pre-norm transformer block, in state_dict order."""
    return [
        ("attn.weight", (3 * d, d)), ("attn.bias", (3 * d,)),
        ("attn.out_proj.weight", (d, d)), ("attn.out_proj.bias", (d,)),
        ("norm1.weight", (d,)), ("norm1.bias", (d,)),
        ("mlp.fc1.weight", (4 * d, d)), ("mlp.fc1.bias", (4 * d,)),
        ("mlp.fc2.weight", (d, 4 * d)), ("mlp.fc2.bias", (d,)),
        ("norm2.weight", (d,)), ("norm2.bias", (d,)),
    ]


def model_shapes(d, vocab):
    shapes = [("model.embed.weight", (vocab, d))]
    for n in range(N_LAYERS):
        shapes += [("model.encoder.layers.%d.%s" % (n, k), s) for k, s in layer_shapes(d)]
    shapes += [("model.encoder.norm.weight", (d,)), ("model.encoder.norm.bias", (d,)),
               ("model.head.weight", (vocab, d)), ("model.head.bias", (vocab,))]
    return shapes


def n_elements(shapes):
    return sum(math.prod(s) for _, s in shapes)


def pick_size(size_bytes):
    """Width and vocabulary whose model, times 3 (weights + exp_avg + exp_avg_sq), comes closest to size_bytes.

    The width is the largest multiple of N_HEAD that fits with MIN_VOCAB; the vocabulary (a
    multiple of 64) then takes up the rest, so the file lands within about 3 * 4 * 64 * 2d bytes.
    """
    d = N_HEAD
    while 3 * 4 * n_elements(model_shapes(d + N_HEAD, MIN_VOCAB)) <= size_bytes:
        d += N_HEAD
    per_64_tokens = 3 * 4 * 64 * (2 * d + 1)
    rest = size_bytes - 3 * 4 * n_elements(model_shapes(d, MIN_VOCAB))
    return d, MIN_VOCAB + 64 * max(0, round(rest / per_64_tokens))


def progress(ready, completed, started=None, processed=None):
    d = {"ready": ready, "completed": completed}
    if started is not None:
        d["started"] = started
    if processed is not None:
        d["processed"] = processed
    return d


def build_checkpoint(size_bytes):
    torch.manual_seed(1234)
    d, vocab = pick_size(size_bytes)
    shapes = model_shapes(d, vocab)

    params = []
    for name, shape in shapes:
        p = torch.empty(shape)
        if len(shape) == 1:
            p.fill_(1.0 if name.endswith("norm1.weight") or name.endswith("norm2.weight") else 0.0)
        else:
            p.normal_(0.0, 0.02)
        params.append(torch.nn.Parameter(p))

    hparams = {
        "model": {
            "d_model": d, "n_head": N_HEAD, "n_layers": N_LAYERS, "vocab_size": vocab,
            "mlp_ratio": 4, "dropout": 0.1, "activation": "gelu", "norm": {"type": "layernorm", "eps": 1e-5},
            "tie_embeddings": False,
        },
        "optim": {
            "name": "adam", "lr": 3e-4, "betas": [0.9, 0.999], "eps": 1e-8, "weight_decay": 0.0,
            "scheduler": {"name": "cosine", "warmup_steps": 2000, "max_steps": 100000, "min_lr": 3e-5},
        },
        "data": {
            "train_files": ["shard-%05d.bin" % i for i in range(64)],
            "val_files": ["val-00000.bin"],
            "batch_size": 32, "seq_len": 2048, "num_workers": 8, "shuffle": True,
        },
        "trainer": {"max_epochs": 10, "precision": 32, "gradient_clip_val": 1.0,
                    "accumulate_grad_batches": 4, "devices": [0, 1], "seed": 1234,
                    "strategy": {"name": "ddp", "find_unused_parameters": False}},
        "tags": ["bench", "big", None],
        "notes": None,
    }

    opt = torch.optim.Adam(params, lr=hparams["optim"]["lr"],
                           betas=tuple(hparams["optim"]["betas"]), eps=hparams["optim"]["eps"])
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=1000, gamma=0.5)
    for i, p in enumerate(params):
        p.grad = torch.empty_like(p).fill_(1e-3 * (1 + i % 7))
    opt.step()
    opt.zero_grad(set_to_none=True)
    sched.step()

    state_dict = collections.OrderedDict((name, p.detach()) for (name, _), p in zip(shapes, params))
    # what nn.Module.state_dict() attaches: one entry per module prefix
    metadata = collections.OrderedDict([("model", {"version": 1}), ("model.embed", {"version": 1})])
    for n in range(N_LAYERS):
        for m in ("", ".attn", ".attn.out_proj", ".norm1", ".mlp", ".mlp.fc1", ".mlp.fc2", ".norm2"):
            metadata["model.encoder.layers.%d%s" % (n, m)] = {"version": 1}
    metadata["model.encoder.norm"] = {"version": 1}
    metadata["model.head"] = {"version": 1}
    state_dict._metadata = metadata

    global_step = 1
    loops = {
        "fit_loop": {
            "state_dict": {},
            "epoch_loop.state_dict": {"_batches_that_stepped": global_step},
            "epoch_loop.batch_progress": {
                "total": progress(1, 1, 1, 1), "current": progress(1, 1, 1, 1), "is_last_batch": False},
            "epoch_loop.scheduler_progress": {"total": progress(0, 0), "current": progress(0, 0)},
            "epoch_loop.batch_loop.optimizer_loop.optim_progress": {
                "optimizer": {
                    "step": {"total": progress(1, 1), "current": progress(1, 1)},
                    "zero_grad": {"total": progress(1, 1, 1), "current": progress(1, 1, 1)},
                },
                "optimizer_position": 1,
            },
            "epoch_progress": {"total": progress(1, 0, 1, 1), "current": progress(1, 0, 1, 1)},
        },
    }
    best_path = "/runs/big/checkpoints/epoch=0-step=1.ckpt"
    callbacks = {
        "ModelCheckpoint{'monitor': 'val_loss', 'mode': 'min', 'every_n_train_steps': 0, "
        "'every_n_epochs': 1, 'train_time_interval': None}": {
            "monitor": "val_loss",
            "best_model_score": torch.tensor(6.2383),
            "best_model_path": best_path,
            "current_score": torch.tensor(6.2383),
            "dirpath": "/runs/big/checkpoints",
            "best_k_models": {best_path: torch.tensor(6.2383)},
            "kth_best_model_path": best_path,
            "kth_value": torch.tensor(6.2383),
            "last_model_path": "/runs/big/checkpoints/last.ckpt",
        },
        "LearningRateMonitor": {},
    }
    return {
        "epoch": 0,
        "global_step": global_step,
        "pytorch-lightning_version": "1.9.5",
        "state_dict": state_dict,
        "loops": loops,
        "callbacks": callbacks,
        "optimizer_states": [opt.state_dict()],
        "lr_schedulers": [sched.state_dict()],
        "hparams_name": "kwargs",
        "hyper_parameters": hparams,
    }, d, vocab


def main(argv):
    if len(argv) not in (2, 3):
        sys.stderr.write("usage: make_big_checkpoint.py OUT.ckpt [SIZE_MB]\n")
        return 2
    out = argv[1]
    size_mb = float(argv[2]) if len(argv) == 3 else 2048.0
    t0 = time.perf_counter()
    ckpt, d, vocab = build_checkpoint(int(size_mb * 1e6))
    t1 = time.perf_counter()
    torch.save(ckpt, out)
    t2 = time.perf_counter()
    n_opt = sum(len(s) for s in ckpt["optimizer_states"][0]["state"].values())
    print("wrote %s: %d bytes (d_model %d, vocab %d, %d state_dict tensors, %d optimizer state entries; "
          "build %.1f s, torch.save %.1f s)"
          % (out, os.path.getsize(out), d, vocab, len(ckpt["state_dict"]), n_opt, t1 - t0, t2 - t1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
