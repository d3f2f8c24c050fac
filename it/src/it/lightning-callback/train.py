"""A tiny Lightning training run with the ckpt-migrations callback: two fits into one directory,
so ModelCheckpoint writes epoch=0-step=2.ckpt, epoch=0-step=4.ckpt, last.ckpt and, on the second
fit, the same names with -v1."""
import sys

import lightning.pytorch as pl
import torch
from ckpt_migrations import MigrationRecordsCallback


class Model(pl.LightningModule):
    """One linear layer; after the rename migration its checkpoints name it block (see check.py)."""

    def __init__(self, hidden=4):
        super().__init__()
        self.save_hyperparameters()
        self.layer = torch.nn.Linear(hidden, 1)

    def training_step(self, batch, batch_index):
        x, y = batch
        return torch.nn.functional.mse_loss(self.layer(x), y)

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=0.01)


def train(manifest, checkpoints):
    torch.manual_seed(0)
    data = torch.utils.data.TensorDataset(torch.randn(16, 4), torch.randn(16, 1))
    for _ in range(2):
        trainer = pl.Trainer(
            accelerator="cpu", max_epochs=1, logger=False, enable_progress_bar=False, enable_model_summary=False,
            callbacks=[
                MigrationRecordsCallback(manifest),
                pl.callbacks.ModelCheckpoint(dirpath=checkpoints, save_top_k=-1, every_n_train_steps=2, save_last=True),
            ])
        trainer.fit(Model(), torch.utils.data.DataLoader(data, batch_size=4))


if __name__ == "__main__":
    train(sys.argv[1], sys.argv[2])
