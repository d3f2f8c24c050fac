"""Manifest.load: the three places a manifest is read from, and each malformed manifest."""

import tempfile
import unittest
import zipfile
from pathlib import Path

import support
from ckpt_migrations import Manifest, ManifestError


class ManifestLoadTest(unittest.TestCase):
    def setUp(self):
        temp = tempfile.TemporaryDirectory()
        self.addCleanup(temp.cleanup)
        self.dir = Path(temp.name)

    def test_a_json_file_gives_its_app_key_version_and_records(self):
        manifest = Manifest.load(support.write_json(self.dir / "migrations.json", support.manifest_data()))
        self.assertEqual(("demo-model", "1.1.0"), (manifest.app_key, manifest.version))
        self.assertEqual(support.ordered(support.RECORDS), support.ordered(manifest.records))

    def test_a_jar_gives_the_records_of_its_meta_inf_entry(self):
        jar = support.write_jar(self.dir / "demo-migrations-1.1.0.jar", support.manifest_data())
        manifest = Manifest.load(jar)
        self.assertEqual(support.ordered(support.RECORDS), support.ordered(manifest.records))
        self.assertEqual(f"{jar}!/META-INF/ckpt/migrations.json", manifest.source)

    def test_a_classes_directory_gives_the_records_of_its_meta_inf_file(self):
        classes = support.write_classes_dir(self.dir / "classes", support.manifest_data())
        manifest = Manifest.load(str(classes))
        self.assertEqual(support.ordered(support.RECORDS), support.ordered(manifest.records))

    def test_zero_records_is_a_valid_manifest(self):
        manifest = Manifest.load(support.write_json(self.dir / "m.json", support.manifest_data(records=[])))
        self.assertEqual([], manifest.records)

    def test_a_missing_path_is_named(self):
        self.assertError(self.dir / "nowhere.json", "nowhere.json: no such manifest")

    def test_a_directory_without_the_manifest_says_what_it_looked_for(self):
        self.assertError(self.dir, "has no META-INF/ckpt/migrations.json")

    def test_a_jar_without_the_manifest_says_what_it_looked_for(self):
        jar = self.dir / "other.jar"
        with zipfile.ZipFile(jar, "w") as z:
            z.writestr("a/B.class", b"\xca\xfe\xba\xbe")
        self.assertError(jar, "other.jar has no META-INF/ckpt/migrations.json")

    def test_a_file_that_is_not_json_is_named(self):
        bad = self.dir / "m.json"
        bad.write_text("{records: []}", encoding="utf-8")
        self.assertError(bad, f"{bad}: not JSON")

    def test_a_json_root_that_is_not_an_object(self):
        self.assertInvalid([], "the manifest must be a JSON object, not a list")

    def test_a_missing_format(self):
        self.assertInvalid(self.without("format"), "format must be the integer 1, not None")

    def test_a_format_given_as_a_string(self):
        self.assertInvalid(dict(support.manifest_data(), format="1"), "format must be the integer 1, not '1'")

    def test_an_unknown_format_says_which_format_this_package_reads(self):
        self.assertInvalid(dict(support.manifest_data(), format=2),
                           "format 2 is not supported: this ckpt-migrations reads format 1 only")

    def test_an_app_key_that_is_not_a_string(self):
        self.assertInvalid(dict(support.manifest_data(), appKey=7), "appKey must be a string, not a number")

    def test_a_missing_app_key(self):
        self.assertInvalid(self.without("appKey"), "appKey must be a string, not null (or missing)")

    def test_records_that_are_not_a_list(self):
        self.assertInvalid(dict(support.manifest_data(), records={}), "records must be a list, not an object")

    def test_a_record_that_is_not_an_object_is_named_by_index(self):
        self.assertInvalid(support.manifest_data(records=[support.RECORDS[0], "1700000100_x"]),
                           "records[1] must be an object, not a string")

    def test_a_record_without_a_string_name_is_named_by_index(self):
        nameless = dict(support.RECORDS[1], name=None)
        self.assertInvalid(support.manifest_data(records=[support.RECORDS[0], nameless]),
                           "records[1].name must be a string, not null (or missing)")

    def without(self, key):
        data = support.manifest_data()
        del data[key]
        return data

    def assertInvalid(self, data, message):
        file = support.write_json(self.dir / "migrations.json", data)
        self.assertError(file, f"{file}: {message}")

    def assertError(self, path, message):
        with self.assertRaises(ManifestError) as caught:
            Manifest.load(path)
        self.assertIn(message, str(caught.exception))


if __name__ == "__main__":
    unittest.main()
