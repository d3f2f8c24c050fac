"""The package itself: importable without Lightning, and Python 3.9 syntax throughout."""

import ast
import subprocess
import sys
import unittest
from pathlib import Path

import support

PACKAGE = Path(support.__file__).resolve().parents[1] / "ckpt_migrations"


def run_python(code):
    """Runs ``code`` in a fresh interpreter (this one) with the source tree on its path."""
    return subprocess.run([sys.executable, "-c", code], cwd=PACKAGE.parent, capture_output=True, text=True, timeout=120)


class PackageTest(unittest.TestCase):
    def test_importing_the_package_imports_neither_lightning_nor_torch(self):
        result = run_python("import sys, ckpt_migrations\n"
                            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('lightning', 'pytorch_lightning', 'torch')))")
        self.assertEqual((0, "[]"), (result.returncode, result.stdout.strip()), result.stderr)

    def test_the_callback_without_lightning_says_how_to_install_it(self):
        # None in sys.modules makes an import fail as if the package were not installed.
        result = run_python("import sys\n"
                            "sys.modules['lightning'] = sys.modules['pytorch_lightning'] = None\n"
                            "from ckpt_migrations import MigrationRecordsCallback")
        self.assertNotEqual(0, result.returncode)
        self.assertIn("ImportError: MigrationRecordsCallback needs PyTorch Lightning (lightning.pytorch or pytorch_lightning):"
                      " pip install lightning", result.stderr)

    def test_import_star_works_without_lightning(self):
        result = run_python("import sys\n"
                            "sys.modules['lightning'] = sys.modules['pytorch_lightning'] = None\n"
                            "from ckpt_migrations import *\n"
                            "names = dir()\n"
                            "print(sorted(n for n in ('Manifest', 'ManifestError', 'stamp') if n in names))")
        self.assertEqual((0, "['Manifest', 'ManifestError', 'stamp']"), (result.returncode, result.stdout.strip()), result.stderr)

    def test_an_unknown_attribute_is_an_attribute_error(self):
        import ckpt_migrations
        with self.assertRaises(AttributeError):
            ckpt_migrations.Callback

    def test_every_module_parses_as_python_3_9(self):
        for module in sorted(PACKAGE.glob("*.py")):
            with self.subTest(module=module.name):
                ast.parse(module.read_text(encoding="utf-8"), str(module), feature_version=(3, 9))


if __name__ == "__main__":
    unittest.main()
