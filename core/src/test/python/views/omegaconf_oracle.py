"""The OmegaConf oracle for OmegaConfViewTest: real omegaconf 2.2 makes configs, applies the same
edits the Java view makes, and compares the results node by node.

Usage: /usr/bin/python3 omegaconf_oracle.py COMMAND ARGS...

  make NAME OUT.pkl                 pickle (protocol 2, the C pickler) the config NAME:
                                    'plain' or 'hparams' (OmegaConf.create), or 'structured'
                                    (dataclasses)
  compare ORIGINAL EDITED EDITS     load ORIGINAL, apply EDITS with the OmegaConf API, and check
                                    that EDITED (written by Java) is the same config node for node:
                                    node classes, metadata, parent links, keys, values and their
                                    types, to_yaml, to_container(resolve=True). Prints 'same'.
  eval IN.pkl EXPR                  load the config as `cfg` and print EXPR (str as is, else
                                    repr); OmegaConf is in scope

EDITS is a pickle of a list of tuples, applied in order:
  ('set', path, value)      OmegaConf.update(cfg, path, value, merge=False)
  ('remove', path)          del parent[key]
  ('append', path, value)   OmegaConf.select(cfg, path).append(value)
"""
import pickle
import sys

from omegaconf import DictConfig, ListConfig, OmegaConf
from omegaconf.base import Box

import views_structured


def make(name):
    if name == "plain":
        return OmegaConf.create({
            "model": {
                "name": "resnet",
                "processor": {"num_layers": 4, "dropout": 0.1, "use_bias": True, "activation": None},
                "layers": [64, 128, {"kernel": 3}],
                "width": "${model.processor.num_layers}",
                "raw": b"\x00\xff",
            },
            "data": {"path": "???", "batch_size": 32},
            "seed": 7,
            "tags": [],
        })
    if name == "hparams":
        return OmegaConf.create({"model": {"hidden": 4, "dropout": 0.1, "tags": ["a", 1]}, "lr": 0.001})
    if name == "structured":
        return OmegaConf.structured(views_structured.Train)
    raise SystemExit("unknown config " + name)


def split(path):
    parts = path.split(".")
    return ".".join(parts[:-1]), parts[-1]


def apply(cfg, edit):
    if edit[0] == "set":
        OmegaConf.update(cfg, edit[1], edit[2], merge=False)
    elif edit[0] == "remove":
        parent_path, key = split(edit[1])
        parent = OmegaConf.select(cfg, parent_path) if parent_path else cfg
        del parent[int(key) if isinstance(parent, ListConfig) else key]
    elif edit[0] == "append":
        (OmegaConf.select(cfg, edit[1]) if edit[1] else cfg).append(edit[2])
    else:
        raise SystemExit("unknown edit " + repr(edit))


class Different(AssertionError):
    pass


def same_value(a, b, where):
    if type(a) is not type(b) or a != b:
        raise Different(f"{where}: {a!r} ({type(a).__name__}) vs {b!r} ({type(b).__name__})")


def compare(expected, actual, where, expected_parent, actual_parent):
    """Raises Different at the first node where actual is not what OmegaConf built as expected."""
    if type(expected) is not type(actual):
        raise Different(f"{where}: node class {type(expected).__name__} vs {type(actual).__name__}")
    if expected.__dict__["_parent"] is not expected_parent:
        raise Different(f"{where}: the oracle's own parent link is broken")
    if actual.__dict__["_parent"] is not actual_parent:
        raise Different(f"{where}: _parent is {actual.__dict__['_parent']!r}, not the containing node")
    attributes = [k for k in expected.__dict__ if k != "_flags_cache"]
    same_value(attributes, [k for k in actual.__dict__ if k != "_flags_cache"], where + " attributes")
    meta_e, meta_a = vars(expected._metadata), vars(actual._metadata)
    if type(expected._metadata) is not type(actual._metadata):
        raise Different(f"{where}: metadata class {type(expected._metadata)} vs {type(actual._metadata)}")
    same_value(list(meta_e), list(meta_a), where + " metadata fields")
    for field in meta_e:
        same_value(meta_e[field], meta_a[field], f"{where} metadata.{field}")
    if isinstance(expected, Box):
        content_e, content_a = expected.__dict__["_content"], actual.__dict__["_content"]
        if isinstance(content_e, dict) and isinstance(content_a, dict):
            same_value(list(content_e), list(content_a), where + " keys")
            for key in content_e:
                same_value(type(key), type(list(content_a)[list(content_e).index(key)]), f"{where} key {key!r} type")
                compare(content_e[key], content_a[key], f"{where}.{key}", expected, actual)
        elif isinstance(content_e, list) and isinstance(content_a, list):
            same_value(len(content_e), len(content_a), where + " length")
            for i, (e, a) in enumerate(zip(content_e, content_a)):
                compare(e, a, f"{where}[{i}]", expected, actual)
        else:
            same_value(content_e, content_a, where + " content")
    else:
        same_value(expected.__dict__["_val"], actual.__dict__["_val"], where + " _val")


def resolved(cfg):
    try:
        return OmegaConf.to_container(cfg, resolve=True)
    except Exception as e:  # the same failure (e.g. a missing value) counts as the same
        return type(e).__name__


def load(path):
    with open(path, "rb") as f:
        return pickle.load(f)


def main(argv):
    command = argv[1]
    if command == "make":
        with open(argv[3], "wb") as out:
            pickle.dump(make(argv[2]), out, protocol=2)
    elif command == "compare":
        expected, actual, edits = load(argv[2]), load(argv[3]), load(argv[4])
        for edit in edits:
            apply(expected, edit)
        expected = pickle.loads(pickle.dumps(expected, protocol=2))  # as it would be saved
        compare(expected, actual, "cfg", None, None)
        same_value(OmegaConf.to_yaml(expected), OmegaConf.to_yaml(actual), "to_yaml")
        same_value(resolved(expected), resolved(actual), "to_container(resolve=True)")
        print("same")
    elif command == "eval":
        cfg = load(argv[2])
        result = eval(argv[3], {"cfg": cfg, "OmegaConf": OmegaConf, "DictConfig": DictConfig, "ListConfig": ListConfig})
        print(result if isinstance(result, str) else repr(result))
    else:
        raise SystemExit("unknown command " + command)


if __name__ == "__main__":
    main(sys.argv)
