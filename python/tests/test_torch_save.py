"""The oracle is the real torch: records stamped before torch.save come back from
torch.load(weights_only=True) unchanged, which proves they are plain data."""

import tempfile
import unittest
from pathlib import Path

import support
from ckpt_migrations import Manifest, stamp


class TorchSaveTest(unittest.TestCase):
    def setUp(self):
        self.torch = support.import_optional("torch", required_by="CKPT_REQUIRE_TORCH")
        temp = tempfile.TemporaryDirectory()
        self.addCleanup(temp.cleanup)
        self.dir = Path(temp.name)

    def test_torch_load_with_weights_only_gives_the_records_back_in_order(self):
        torch = self.torch
        manifest = Manifest.load(support.write_json(self.dir / "migrations.json", support.manifest_data()))
        file = self.dir / "model.pt"
        torch.save(stamp({"state_dict": {"w": torch.ones(2)}, "epoch": 1}, manifest), file)
        loaded = torch.load(file, weights_only=True)
        self.assertEqual(support.ordered(support.RECORDS), support.ordered(loaded["migrations"]))
        self.assertTrue(torch.equal(torch.ones(2), loaded["state_dict"]["w"]))

    def test_a_state_dict_is_refused_before_anything_is_saved(self):
        manifest = Manifest.parse(support.manifest_data(), "test manifest")
        with self.assertRaises(TypeError):
            stamp(self.torch.nn.Linear(2, 1).state_dict(), manifest)


if __name__ == "__main__":
    unittest.main()
