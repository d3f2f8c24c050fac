"""MigrationRecordsCallback under the real Lightning: every checkpoint a Trainer.fit writes holds
the manifest's records. Skipped without Lightning, failed instead when CKPT_REQUIRE_LIGHTNING=1."""

import os
import tempfile
import unittest
from pathlib import Path
from unittest import mock

import support
from ckpt_migrations import Manifest, ManifestError, stamp


class LightningTestCase(unittest.TestCase):
    def setUp(self):
        support.import_optional("lightning.pytorch", required_by="CKPT_REQUIRE_LIGHTNING")
        self.torch = support.import_optional("torch", required_by="CKPT_REQUIRE_TORCH")
        from ckpt_migrations import MigrationRecordsCallback
        self.callback_class = MigrationRecordsCallback
        temp = tempfile.TemporaryDirectory()
        self.addCleanup(temp.cleanup)
        self.dir = Path(temp.name)
        self.manifest_file = support.write_json(self.dir / "migrations.json", support.manifest_data())


class CallbackConstructionTest(LightningTestCase):
    def test_reads_a_manifest_path(self):
        jar = support.write_jar(self.dir / "migrations.jar", support.manifest_data())
        self.assertEqual(support.RECORDS, self.callback_class(jar).manifest.records)

    def test_takes_a_manifest(self):
        manifest = Manifest.load(self.manifest_file)
        self.assertIs(manifest, self.callback_class(manifest=manifest).manifest)

    def test_reads_the_path_from_the_environment_when_none_is_given(self):
        with mock.patch.dict(os.environ, {"CKPT_MIGRATIONS_MANIFEST": str(self.manifest_file)}):
            self.assertEqual(support.RECORDS, self.callback_class().manifest.records)

    def test_without_a_path_or_the_environment_variable_it_fails_at_construction(self):
        with mock.patch.dict(os.environ):
            os.environ.pop("CKPT_MIGRATIONS_MANIFEST", None)
            with self.assertRaises(ValueError) as caught:
                self.callback_class()
        self.assertIn("no manifest: pass manifest=<path or Manifest> or set CKPT_MIGRATIONS_MANIFEST", str(caught.exception))

    def test_a_malformed_manifest_fails_at_construction(self):
        support.write_json(self.manifest_file, dict(support.manifest_data(), format=2))
        with self.assertRaises(ManifestError):
            self.callback_class(self.manifest_file)


class TrainerFitTest(LightningTestCase):
    def test_every_checkpoint_of_two_fits_into_one_directory_holds_the_records(self):
        checkpoints = self.dir / "checkpoints"
        for _ in range(2):
            self.fit(checkpoints)
        files = sorted(p.name for p in checkpoints.glob("*.ckpt"))
        # The second fit finds the names of the first taken, so Lightning adds -v1.
        self.assertEqual(["epoch=0-step=2-v1.ckpt", "epoch=0-step=2.ckpt", "epoch=0-step=4-v1.ckpt", "epoch=0-step=4.ckpt",
                          "last-v1.ckpt", "last.ckpt"], files)
        for name in files:
            with self.subTest(checkpoint=name):
                loaded = self.torch.load(checkpoints / name, map_location="cpu", weights_only=True)
                self.assertEqual(support.ordered(support.RECORDS), support.ordered(loaded["migrations"]))

    def test_a_weights_only_model_checkpoint_fails_the_fit_before_the_first_step(self):
        import lightning.pytorch as pl
        checkpoints = self.dir / "checkpoints"
        with self.assertRaises(ValueError) as caught:
            self.fit(checkpoints, self.callback_class(self.manifest_file),
                     pl.callbacks.ModelCheckpoint(dirpath=checkpoints, save_weights_only=True, every_n_train_steps=1))
        self.assertIn("ModelCheckpoint(save_weights_only=True) saves without calling the callbacks' on_save_checkpoint",
                      str(caught.exception))
        self.assertEqual([], list(checkpoints.glob("*.ckpt")))

    def test_stamp_in_the_modules_hook_stamps_weights_only_checkpoints(self):
        import lightning.pytorch as pl
        checkpoints = self.dir / "checkpoints"
        manifest = Manifest.load(self.manifest_file)
        self.fit(checkpoints, pl.callbacks.ModelCheckpoint(dirpath=checkpoints, save_weights_only=True, save_top_k=-1,
                                                           every_n_train_steps=2),
                 module=tiny_module(on_save_checkpoint=lambda checkpoint: stamp(checkpoint, manifest)))
        files = sorted(checkpoints.glob("*.ckpt"))
        self.assertEqual(["epoch=0-step=2.ckpt", "epoch=0-step=4.ckpt"], [f.name for f in files])
        for file in files:
            with self.subTest(checkpoint=file.name):
                loaded = self.torch.load(file, map_location="cpu", weights_only=True)
                self.assertNotIn("optimizer_states", loaded)
                self.assertEqual(support.ordered(support.RECORDS), support.ordered(loaded["migrations"]))

    def fit(self, checkpoints, *callbacks, module=None):
        import lightning.pytorch as pl
        torch = self.torch
        callbacks = callbacks or (
            self.callback_class(self.manifest_file),
            pl.callbacks.ModelCheckpoint(dirpath=checkpoints, save_top_k=-1, every_n_train_steps=2, save_last=True))
        data = torch.utils.data.TensorDataset(torch.randn(16, 4), torch.randn(16, 1))
        trainer = pl.Trainer(accelerator="cpu", devices=1, max_epochs=1, enable_progress_bar=False, enable_model_summary=False,
                             logger=False, callbacks=list(callbacks))
        trainer.fit(module or tiny_module(), torch.utils.data.DataLoader(data, batch_size=4))


def tiny_module(on_save_checkpoint=None):
    """A one-layer LightningModule; ``on_save_checkpoint``, if given, is its hook of that name."""
    import lightning.pytorch as pl
    import torch

    class Module(pl.LightningModule):
        def __init__(self):
            super().__init__()
            self.layer = torch.nn.Linear(4, 1)

        def on_save_checkpoint(self, checkpoint):
            if on_save_checkpoint:
                on_save_checkpoint(checkpoint)

        def training_step(self, batch, batch_index):
            x, y = batch
            return torch.nn.functional.mse_loss(self.layer(x), y)

        def configure_optimizers(self):
            return torch.optim.SGD(self.parameters(), lr=0.1)

    return Module()


if __name__ == "__main__":
    unittest.main()
