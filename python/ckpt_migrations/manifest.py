"""The migrations manifest that ckpt's Maven build writes to META-INF/ckpt/migrations.json."""

from __future__ import annotations

import json
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, List, Optional, Tuple, Union

ENTRY = "META-INF/ckpt/migrations.json"
FORMAT = 1


class ManifestError(ValueError):
    """A manifest that is missing or malformed; the message names the file and the place."""


@dataclass(frozen=True)
class Manifest:
    """The migrations of one project version and the exact records ``register`` would write."""

    source: str
    app_key: str
    version: Optional[str]
    records: List[dict]

    @classmethod
    def load(cls, path: Union[str, os.PathLike]) -> Manifest:
        """Reads a migrations.json file, or META-INF/ckpt/migrations.json in a jar or directory."""
        source, text = _read(Path(path))
        try:
            data = json.loads(text)
        except ValueError as e:
            raise ManifestError(f"{source}: not JSON: {e}") from None
        return cls.parse(data, source)

    @classmethod
    def parse(cls, data: Any, source: str) -> Manifest:
        """Validates the decoded JSON of a manifest; ``source`` names it in errors."""
        _check(isinstance(data, dict), source, "the manifest", "must be a JSON object", data)
        _check_format(data.get("format"), source)
        app_key = data.get("appKey")
        _check(isinstance(app_key, str), source, "appKey", "must be a string", app_key)
        version = data.get("version")
        _check(version is None or isinstance(version, str), source, "version", "must be a string", version)
        return cls(source, app_key, version, _records(data.get("records"), source))


def _read(path: Path) -> Tuple[str, str]:
    """The name of the manifest (file, or jar entry) and its text."""
    if path.is_dir():
        file = path / ENTRY
        if not file.is_file():
            raise ManifestError(f"{path} has no {ENTRY}: is it the classes directory of a ckpt migrations project?")
        return str(file), _decode(file.read_bytes(), str(file))
    if zipfile.is_zipfile(path):
        source = f"{path}!/{ENTRY}"
        with zipfile.ZipFile(path) as jar:
            if ENTRY not in jar.namelist():
                raise ManifestError(f"{path} has no {ENTRY}: is it the jar of a ckpt migrations project?")
            return source, _decode(jar.read(ENTRY), source)
    if not path.is_file():
        raise ManifestError(f"{path}: no such manifest (a migrations.json file, a migrations jar or a classes directory)")
    return str(path), _decode(path.read_bytes(), str(path))


def _decode(data: bytes, source: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ManifestError(f"{source}: not UTF-8 JSON: {e}") from None


def _check_format(value, source: str):
    if type(value) is not int:
        raise ManifestError(f"{source}: format must be the integer {FORMAT}, not {value!r}")
    if value != FORMAT:
        raise ManifestError(f"{source}: format {value} is not supported: this ckpt-migrations reads format {FORMAT} only;"
                            f" use the ckpt-migrations release that matches your ckpt Maven plugin")


def _records(records, source: str) -> List[dict]:
    _check(isinstance(records, list), source, "records", "must be a list", records)
    for i, record in enumerate(records):
        _check(isinstance(record, dict), source, f"records[{i}]", "must be an object", record)
        name = record.get("name")
        _check(isinstance(name, str), source, f"records[{i}].name", "must be a string", name)
    return records


def _check(ok: bool, source: str, place: str, rule: str, value):
    if not ok:
        raise ManifestError(f"{source}: {place} {rule}, not {_json_type(value)}")


def _json_type(value) -> str:
    if value is None:
        return "null (or missing)"
    names = {bool: "a boolean", int: "a number", float: "a number", str: "a string", list: "a list", dict: "an object"}
    return names.get(type(value), type(value).__name__)
