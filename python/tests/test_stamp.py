"""stamp: the records of the manifest, copied into a plain checkpoint dict."""

import collections
import unittest

import support
from ckpt_migrations import Manifest, stamp


def manifest(records=None):
    return Manifest.parse(support.manifest_data(records), "test manifest")


class StampTest(unittest.TestCase):
    def test_sets_the_records_in_the_order_of_the_manifest_and_returns_the_checkpoint(self):
        checkpoint = {"state_dict": {}, "epoch": 3}
        self.assertIs(checkpoint, stamp(checkpoint, manifest()))
        self.assertEqual(support.ordered(support.RECORDS), support.ordered(checkpoint["migrations"]))
        self.assertEqual(["state_dict", "epoch", "migrations"], list(checkpoint))

    def test_replaces_the_records_already_there_in_their_place(self):
        checkpoint = {"migrations": [{"name": "1600000000_stale"}], "epoch": 3}
        stamp(checkpoint, manifest())
        self.assertEqual(support.RECORDS, checkpoint["migrations"])
        self.assertEqual(["migrations", "epoch"], list(checkpoint))

    def test_each_checkpoint_gets_its_own_copy(self):
        shared = manifest()
        first, second = stamp({}, shared), stamp({}, shared)
        first["migrations"][1]["setup_context"]["moves"].append("edited")
        self.assertEqual(support.RECORDS, second["migrations"])
        self.assertEqual(support.RECORDS, shared.records)

    def test_a_manifest_without_records_stamps_an_empty_list(self):
        self.assertEqual([], stamp({"migrations": support.RECORDS}, manifest(records=[]))["migrations"])

    def test_refuses_an_ordered_dict_root_and_points_to_the_maven_goal(self):
        with self.assertRaises(TypeError) as caught:
            stamp(collections.OrderedDict(weight=1), manifest())
        self.assertIn("root is a collections.OrderedDict, not a plain dict; use `mvn checkpoint:register -Dcheckpoint=...`",
                      str(caught.exception))

    def test_refuses_a_list_root(self):
        with self.assertRaises(TypeError) as caught:
            stamp([1, 2], manifest())
        self.assertIn("root is a builtins.list, not a plain dict", str(caught.exception))

    def test_refuses_a_path_in_place_of_a_manifest(self):
        with self.assertRaises(TypeError) as caught:
            stamp({}, "target/classes")
        self.assertIn("manifest must be a Manifest (Manifest.load(path) reads one), not str", str(caught.exception))


if __name__ == "__main__":
    unittest.main()
