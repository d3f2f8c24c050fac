"""Shows that compare.py rejects what it must and accepts what it must.

Run: cd core/src/test/python/pickle_corpus && /usr/bin/python3 -B -m unittest
"""
import io
import os
import pickle
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

import numpy

import compare
import corpus_classes as cc

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parents[1] / "resources" / "pickle-corpus"


def recursive_list():
    items = [1]
    items.append(items)
    return items


def tuple_list_cycle():
    outer = ([],)
    outer[0].append(outer)
    return outer


class CompareGraphsTest(unittest.TestCase):
    def assert_match(self, original, candidate):
        self.assertIsNone(compare.compare_graphs(original, candidate))

    def assert_mismatch(self, original, candidate, expected_reason):
        self.assertEqual(compare.compare_graphs(original, candidate), expected_reason)

    def test_accepts_equal_graphs_including_cycles(self):
        def build():
            shared = [1, "x"]
            mapping = {"a": shared, "b": shared, "nan": float("nan")}
            mapping["self"] = mapping
            return [mapping, recursive_list(), tuple_list_cycle(), {frozenset({1, 2}), (3, -0.0)},
                    cc.Plain("p", shared), numpy.arange(4.0)]

        self.assert_match(build(), build())

    def test_reports_changed_int(self):
        self.assert_mismatch({"k": [1, 2]}, {"k": [1, 3]}, "root['k'][1]: 2 != 3")

    def test_reports_int_versus_bool(self):
        self.assert_mismatch([1], [True], "root[0]: type int != bool")

    def test_reports_lost_sharing(self):
        shared = [1]
        self.assert_mismatch([shared, shared], [[1], [1]],
                             "root[1]: original shares this object with root[0], candidate does not")

    def test_reports_added_sharing(self):
        shared = [1]
        self.assert_mismatch([[1], [1]], [shared, shared],
                             "root[1]: candidate shares this object with root[0], original does not")

    def test_reports_memoized_persistent_id(self):
        marker = compare.PidMarker(("storage", "0"))
        self.assert_mismatch([compare.PidMarker(("storage", "0")), compare.PidMarker(("storage", "0"))],
                             [marker, marker],
                             "root[1]: candidate shares this object with root[0], original does not")

    def test_reports_cycle_unrolled_once(self):
        inner = [1]
        unrolled = [1, inner]
        inner.append(unrolled)
        self.assert_mismatch(recursive_list(), unrolled,
                             "root[1]: original shares this object with root, candidate does not")

    def test_reports_negative_zero(self):
        self.assert_mismatch([0.0], [-0.0], "root[0]: 0.0 != -0.0")

    def test_reports_changed_numpy_element(self):
        original = numpy.arange(6, dtype=numpy.float32).reshape(2, 3)
        candidate = original.copy()
        candidate[1, 1] = 9
        self.assert_mismatch(original, candidate,
                             "root: element 4 (flat index) differs: 4.0 != 9.0")

    def test_reports_numpy_dtype(self):
        self.assert_mismatch(numpy.zeros(2, numpy.int64), numpy.zeros(2, numpy.int32),
                             "root: dtype int64 != int32")

    def test_reports_dict_order(self):
        self.assert_mismatch({"a": 1, "b": 2}, {"b": 2, "a": 1}, "root<key #0>: 'a' != 'b'")

    def test_reports_set_element(self):
        self.assert_mismatch({1, 2}, {1, 3}, "root: element 2 missing from candidate")

    def test_reports_object_attribute(self):
        self.assert_mismatch(cc.Plain("p", [1]), cc.Plain("p", [2]), "root.values[0]: 1 != 2")

    def test_reports_slot_value(self):
        self.assert_mismatch(cc.Slotted(1, 2), cc.Slotted(1, 3), "root.y: 2 != 3")

    def test_reports_attribute_on_dict_subclass(self):
        self.assert_mismatch(cc.TaggedDict({}, "a"), cc.TaggedDict({}, "b"), "root.tag: 'a' != 'b'")

    def test_reports_different_global(self):
        self.assert_mismatch([cc.Plain], [cc.Bag], "root[0]: corpus_classes.Plain != corpus_classes.Bag")

    def test_reports_object_without_attributes_through_reduce(self):
        self.assert_mismatch(range(3), range(4), "root.__reduce_ex__(2)[1][1]: 3 != 4")

    def test_reports_decimal_precision(self):
        from decimal import Decimal
        self.assert_mismatch([Decimal("1.0")], [Decimal("1.00")],
                             "root[0]: Decimal('1.0') != Decimal('1.00')")


class BatchModeTest(unittest.TestCase):
    """Runs compare.py the way the Java tests do."""

    def run_compare(self, *pairs):
        stdin = "".join(f"{original}\t{candidate}\n" for original, candidate in pairs)
        env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
        return subprocess.run([sys.executable, str(HERE / "compare.py")], input=stdin, text=True,
                              capture_output=True, cwd="/", env=env, check=False)

    def test_prints_ok_and_fail_lines_and_exit_status(self):
        with tempfile.TemporaryDirectory() as tmp:
            original, changed, trailing = (Path(tmp, name) for name in ("o.pkl", "c.pkl", "t.pkl"))
            original.write_bytes(pickle.dumps({"x": [1, 2]}, 2))
            changed.write_bytes(pickle.dumps({"x": [1, 5]}, 2))
            trailing.write_bytes(original.read_bytes() + b"\0")

            result = self.run_compare((original, original), (original, changed), (original, trailing))

        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertEqual(result.stdout.splitlines(), [
            f"OK\t{original}",
            f"FAIL\t{changed}\troot['x'][1]: 2 != 5",
            f"FAIL\t{trailing}\tcannot load candidate: UnpicklingError('trailing bytes after STOP')",
        ])

    def test_exit_status_zero_when_all_ok(self):
        first = CORPUS / "training_like.p2.pkl"
        result = self.run_compare((first, first))
        self.assertEqual((result.returncode, result.stdout), (0, f"OK\t{first}\n"), result.stderr)


class MarkerPickler(pickle.Pickler):
    """Writes PidMarkers back as the persistent ids they were loaded from."""

    def persistent_id(self, obj):
        return obj.pid if isinstance(obj, compare.PidMarker) else None


class CorpusTest(unittest.TestCase):
    def manifest(self):
        rows = (line.split("\t") for line in (CORPUS / "MANIFEST.tsv").read_text().splitlines())
        return [(file, int(protocol)) for file, _case, protocol, _needs in rows]

    def test_every_corpus_file_matches_its_python_repickling(self):
        for file, protocol in self.manifest():
            with self.subTest(file=file):
                original = compare.load(CORPUS / file)
                out = io.BytesIO()
                MarkerPickler(out, protocol).dump(original)
                repickled = compare.MarkingUnpickler(io.BytesIO(out.getvalue())).load()
                self.assertIsNone(compare.compare_graphs(compare.load(CORPUS / file), repickled))

    def test_manifest_lists_exactly_the_corpus_files(self):
        listed = sorted(file for file, _ in self.manifest())
        self.assertEqual(listed, sorted(path.name for path in CORPUS.glob("*.pkl")))


if __name__ == "__main__":
    unittest.main()
