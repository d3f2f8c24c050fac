#!/usr/bin/python3
"""Build a realistic PyTorch-Lightning-style training checkpoint and extract its data.pkl.

Usage: make_training_pickle.py OUT.pkl

Uses real torch (no Lightning needed): a small transformer-ish model (~200
parameter tensors), Adam state after one optimizer step, an LR scheduler, the
callbacks / loops / hyper_parameters entries Lightning writes, then torch.save
to a temporary zip and copies the ``*/data.pkl`` record to OUT.pkl.

The pickle holds storage keys (persistent ids), not tensor bytes, so its
content depends only on the structure; the seed is fixed anyway. Run it with
Debian's /usr/bin/python3 (where torch is installed).
"""
import collections
import io
import os
import sys
import tempfile
import zipfile

import torch
from torch import nn

D_MODEL = 64
N_HEAD = 4
N_LAYERS = 16
VOCAB = 512
SEQ = 16


class TinyLM(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(VOCAB, D_MODEL)
        self.pos = nn.Parameter(torch.zeros(SEQ, D_MODEL))
        self.layers = nn.ModuleList(
            nn.TransformerEncoderLayer(D_MODEL, N_HEAD, dim_feedforward=4 * D_MODEL,
                                       dropout=0.1, batch_first=True)
            for _ in range(N_LAYERS))
        self.norm = nn.LayerNorm(D_MODEL)
        self.head = nn.Linear(D_MODEL, VOCAB)
        self.register_buffer("step_count", torch.zeros((), dtype=torch.long))

    def forward(self, tokens):
        x = self.embed(tokens) + self.pos[: tokens.shape[1]]
        for layer in self.layers:
            x = layer(x)
        return self.head(self.norm(x))


def progress(ready, completed, started=None, processed=None):
    d = {"ready": ready, "completed": completed}
    if started is not None:
        d["started"] = started
    if processed is not None:
        d["processed"] = processed
    return d


def build_checkpoint():
    torch.manual_seed(1234)
    hparams = {
        "model": {
            "d_model": D_MODEL, "n_head": N_HEAD, "n_layers": N_LAYERS, "vocab_size": VOCAB,
            "max_seq_len": SEQ, "dropout": 0.1, "activation": "relu", "tie_embeddings": False,
        },
        "optim": {
            "name": "adam", "lr": 3e-4, "betas": [0.9, 0.999], "eps": 1e-8, "weight_decay": 0.0,
            "scheduler": {"name": "step", "step_size": 1000, "gamma": 0.5},
        },
        "data": {
            "train_files": ["shard-%05d.bin" % i for i in range(8)],
            "val_files": ["val-00000.bin"],
            "batch_size": 32, "num_workers": 2, "shuffle": True,
        },
        "trainer": {"max_epochs": 10, "precision": 32, "gradient_clip_val": 1.0,
                    "accumulate_grad_batches": 1, "devices": [0], "seed": 1234},
        "tags": ["bench", "tiny-lm", None],
        "notes": None,
    }

    model = TinyLM()
    opt = torch.optim.Adam(model.parameters(), lr=hparams["optim"]["lr"],
                           betas=tuple(hparams["optim"]["betas"]), eps=hparams["optim"]["eps"])
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=1000, gamma=0.5)

    tokens = torch.randint(0, VOCAB, (4, SEQ))
    logits = model(tokens)
    loss = nn.functional.cross_entropy(logits.reshape(-1, VOCAB), tokens.reshape(-1))
    loss.backward()
    opt.step()
    opt.zero_grad()
    sched.step()

    # Lightning prefixes the LightningModule's attributes; here the net lives at `model.`.
    state_dict = collections.OrderedDict(
        ("model." + k, v) for k, v in model.state_dict().items())
    state_dict._metadata = collections.OrderedDict(
        ("model." + k if k else "model", v) for k, v in model.state_dict()._metadata.items())

    global_step = 1
    batch_progress = {
        "total": progress(global_step, global_step, global_step, global_step),
        "current": progress(global_step, global_step, global_step, global_step),
        "is_last_batch": False,
    }
    loops = {
        "fit_loop": {
            "state_dict": {},
            "epoch_loop.state_dict": {"_batches_that_stepped": global_step},
            "epoch_loop.batch_progress": batch_progress,
            "epoch_loop.scheduler_progress": {"total": progress(0, 0), "current": progress(0, 0)},
            "epoch_loop.batch_loop.state_dict": {},
            "epoch_loop.batch_loop.optimizer_loop.state_dict": {},
            "epoch_loop.batch_loop.optimizer_loop.optim_progress": {
                "optimizer": {
                    "step": {"total": progress(1, 1), "current": progress(1, 1)},
                    "zero_grad": {"total": progress(1, 1, 1), "current": progress(1, 1, 1)},
                },
                "optimizer_position": 1,
            },
            "epoch_loop.val_loop.state_dict": {},
            "epoch_loop.val_loop.dataloader_progress": {"total": progress(1, 1), "current": progress(1, 1)},
            "epoch_loop.val_loop.epoch_loop.state_dict": {},
            "epoch_loop.val_loop.epoch_loop.batch_progress": {
                "total": progress(4, 4, 4, 4), "current": progress(4, 4, 4, 4), "is_last_batch": True},
            "epoch_loop.val_loop._results": {},
            "epoch_progress": {"total": progress(1, 0, 1, 1), "current": progress(1, 0, 1, 1)},
        },
        "validate_loop": {"state_dict": {}, "dataloader_progress": {"total": progress(0, 0), "current": progress(0, 0)}},
        "test_loop": {"state_dict": {}, "dataloader_progress": {"total": progress(0, 0), "current": progress(0, 0)}},
        "predict_loop": {"state_dict": {}, "dataloader_progress": {"total": progress(0, 0), "current": progress(0, 0)}},
    }

    ckpt_key = ("ModelCheckpoint{'monitor': 'val_loss', 'mode': 'min', 'every_n_train_steps': 0, "
                "'every_n_epochs': 1, 'train_time_interval': None}")
    best_path = "/runs/tiny-lm/checkpoints/epoch=0-step=1.ckpt"
    callbacks = {
        ckpt_key: {
            "monitor": "val_loss",
            "best_model_score": torch.tensor(6.2383),
            "best_model_path": best_path,
            "current_score": torch.tensor(6.2383),
            "dirpath": "/runs/tiny-lm/checkpoints",
            "best_k_models": {best_path: torch.tensor(6.2383)},
            "kth_best_model_path": best_path,
            "kth_value": torch.tensor(6.2383),
            "last_model_path": "/runs/tiny-lm/checkpoints/last.ckpt",
        },
        "EarlyStopping{'monitor': 'val_loss', 'mode': 'min'}": {
            "wait_count": 0, "stopped_epoch": 0, "best_score": torch.tensor(6.2383), "patience": 3,
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
    }


def main(argv):
    if len(argv) != 2:
        sys.stderr.write("usage: make_training_pickle.py OUT.pkl\n")
        return 2
    out = argv[1]
    ckpt = build_checkpoint()
    n_params = len([k for k in ckpt["state_dict"]])
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "training.ckpt")
        torch.save(ckpt, path)
        with zipfile.ZipFile(path) as zf:
            names = [n for n in zf.namelist() if n.endswith("/data.pkl")]
            if len(names) != 1:
                raise SystemExit("expected one */data.pkl in the archive, got %r" % names)
            data = zf.read(names[0])
    with open(out, "wb") as f:
        f.write(data)
    n_opt = sum(len(s) for s in ckpt["optimizer_states"][0]["state"].values())
    print("wrote %s: %d bytes (%d state_dict entries, %d optimizer state entries)"
          % (out, len(data), n_params, n_opt))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
