"""The OmegaConf oracle for OmegaConfView's rename, move, copy and insert (OmegaConfMoveTest).

Usage: PYTHON omegaconf_move_oracle.py COMMAND ARGS...

  make NAME OUT.pkl              pickle (protocol 2) the config NAME: 'train' (interpolations of
                                 every form), 'mixed' (a plain dict and a structured config)
  check ORIGINAL OURS CASES      for each case, OmegaConf makes the edit on ORIGINAL and the
                                 case's rewritten interpolation texts are set with its API; the
                                 Java result (OURS, one per case) must be the same config node
                                 for node (omegaconf_oracle.compare: classes, metadata, parent
                                 links, keys, values), to_yaml, to_container resolved and not;
                                 for rename and move also: OmegaConf.create of the plain
                                 container with the key moved gives the same to_yaml and key
                                 order, and every interpolation resolves to the value the
                                 original resolved to. Prints 'same N'.
  random SEED COUNT OUT.pkl      random configs (nested dicts and lists, interpolations of all
                                 forms at random nodes) with a random rename or move each:
                                 a list of (seed, config, edit)
  random-check MADE OURS         checks each Java result without knowing the rewritten texts:
                                 structure, key order and values as OmegaConf moves them, every
                                 interpolation still resolves (OmegaConf's own resolution) to the
                                 moved counterpart of its original target node, relative ones
                                 stay relative, parents and metadata keys consistent, the
                                 rewritten count right. Prints 'same N' or the failing seeds.

A case is (edit, rewrites): edit is ('rename', path, key), ('move', from, to), ('copy', from,
to) or ('insert', path, index, value); rewrites maps a path (after the edit) to its new text.
"""
import copy
import pickle
import random
import sys

from omegaconf import DictConfig, ListConfig, OmegaConf
from omegaconf.base import Container, Node
from omegaconf.grammar.gen.OmegaConfGrammarParser import OmegaConfGrammarParser
from omegaconf.grammar_parser import parse
from antlr4 import ParserRuleContext

import views_structured
from omegaconf_oracle import Different, compare, load, resolved, same_value

OmegaConf.register_new_resolver("cat", lambda *args: "_".join(str(a) for a in args))


def make(name):
    if name == "train":
        return OmegaConf.create({
            "training": {"lr": 0.1, "max_epochs": 10, "lr_warmup": "${.lr}", "layers": [4, 8, {"width": 2}]},
            "optim": {"name": "adam", "rate": "${training.lr}", "eps": "${..training.max_epochs}"},
            "log": "lr=${training.lr} epochs=${training.max_epochs}",
            "env": "${cat:${training.lr},'${training.layers[2].width}'}",
            "width": "${training.layers.2.width}",
            "first": "${training.layers[0]}",
            "esc": "\\${training.lr}",
            "whole": "${training}",
        })
    if name == "mixed":
        return OmegaConf.create({"plain": {"a": 1}, "train": OmegaConf.structured(views_structured.Train)})
    raise SystemExit("unknown config " + name)


def keys_of(path):
    return [k for k in path.replace("[", ".").replace("]", "").split(".") if k] if path else []


def node_at(cfg, path):
    node = cfg
    for key in keys_of(path):
        node = node._get_node(int(key) if isinstance(node, ListConfig) else key)
        if node is None:
            raise KeyError(path)
    return node


def parent_and_key(cfg, path):
    keys = keys_of(path)
    parent = node_at(cfg, ".".join(keys[:-1]))
    return parent, (int(keys[-1]) if isinstance(parent, ListConfig) else keys[-1])


def ensure_dict(cfg, keys):
    node = cfg
    for key in keys:
        if node._get_node(key) is None:
            node[key] = {}
        node = node._get_node(key)
    return node


def apply(cfg, edit):
    """The edit with OmegaConf's API on the config (rename: the dict rebuilt in order, the node kept)."""
    kind = edit[0]
    if kind == "rename":
        parent, key = parent_and_key(cfg, edit[1])
        node = parent._get_node(key)
        content = parent.__dict__["_content"]
        parent.__dict__["_content"] = {(edit[2] if k == key else k): v for k, v in content.items()}
        node._set_key(edit[2])
    elif kind == "move" and keys_of(edit[1])[:-1] == keys_of(edit[2])[:-1]:
        apply(cfg, ("rename", edit[1], keys_of(edit[2])[-1]))
    elif kind == "move":
        parent, key = parent_and_key(cfg, edit[1])
        node = parent._get_node(key)
        del parent[key]
        to = keys_of(edit[2])
        ensure_dict(cfg, to[:-1])[to[-1]] = node  # OmegaConf deep-copies the node and re-parents it
    elif kind == "copy":
        to = keys_of(edit[2])
        ensure_dict(cfg, to[:-1])[to[-1]] = node_at(cfg, edit[1])
    elif kind == "insert":
        node_at(cfg, edit[1]).insert(edit[2], edit[3])
    else:
        raise SystemExit("unknown edit " + repr(edit))


def apply_plain(plain, edit):
    """The same rename or move on plain containers (to_container's output)."""
    def at(keys):
        node = plain
        for key in keys:
            node = node[int(key) if isinstance(node, list) else key]
        return node
    keys = keys_of(edit[1])
    parent = at(keys[:-1])
    if edit[0] == "move" and keys[:-1] == keys_of(edit[2])[:-1]:
        edit = ("rename", edit[1], keys_of(edit[2])[-1])
    if edit[0] == "rename":
        items = list(parent.items())
        parent.clear()
        parent.update({(edit[2] if k == keys[-1] else k): v for k, v in items})
    else:
        value = parent.pop(keys[-1])
        node = plain
        to = keys_of(edit[2])
        for key in to[:-1]:
            node = node.setdefault(int(key) if isinstance(node, list) else key, {}) if not isinstance(node, list) else node[int(key)]
        node[to[-1]] = value
    return plain


def check_parents(cfg, where="cfg"):
    for key, node in node_items(cfg):
        if node._get_parent() is not cfg:
            raise Different(f"{where}.{key}: _get_parent() is not its container")
        if node._key() != key:
            raise Different(f"{where}.{key}: _metadata.key is {node._key()!r}")
        if isinstance(node, Container):
            check_parents(node, f"{where}.{key}")


def node_items(cfg):
    content = cfg.__dict__["_content"]
    if isinstance(content, dict):
        return list(content.items())
    if isinstance(content, list):
        return list(enumerate(content))
    return []


def key_orders(cfg):
    """list(cfg.keys()) of every DictConfig, depth first."""
    own = [list(cfg.keys())] if isinstance(cfg, DictConfig) and not cfg._is_interpolation() else []
    return own + [order for _, node in node_items(cfg) if isinstance(node, Container) for order in key_orders(node)]


def check(original, ours, cases):
    """Each case is a sequence of (edit, rewrites), made in order on the original; ours has one result per case."""
    for i, (steps, actual) in enumerate(zip(cases, ours)):
        try:
            expected = pickle.loads(pickle.dumps(original, protocol=2))
            plain = OmegaConf.to_container(original, resolve=False)
            for edit, rewrites in steps:
                apply(expected, edit)
                if edit[0] in ("rename", "move"):
                    plain = apply_plain(plain, edit)
                for path, text in rewrites.items():
                    OmegaConf.update(expected, path, text, merge=False)
                    keys = keys_of(path)
                    parent = plain
                    for key in keys[:-1]:
                        parent = parent[int(key) if isinstance(parent, list) else key]
                    parent[int(keys[-1]) if isinstance(parent, list) else keys[-1]] = text
            expected = pickle.loads(pickle.dumps(expected, protocol=2))
            compare(expected, actual, "cfg", None, None)
            check_parents(actual)
            same_value(OmegaConf.to_yaml(expected), OmegaConf.to_yaml(actual), "to_yaml")
            same_value(resolved(expected), resolved(actual), "to_container(resolve=True)")
            same_value(OmegaConf.to_container(expected), OmegaConf.to_container(actual), "to_container(resolve=False)")
            same_value(key_orders(expected), key_orders(actual), "key order at every level")
            if all(edit[0] in ("rename", "move") for edit, _ in steps):
                rebuilt = OmegaConf.create(plain)
                same_value(OmegaConf.to_yaml(rebuilt), OmegaConf.to_yaml(actual), "to_yaml vs OmegaConf.create of the moved container")
                same_value(key_orders(rebuilt), key_orders(actual), "key order vs OmegaConf.create")
                if len(steps) == 1:
                    same_site_values(original, actual, steps[0][0])
                same_interpolations(rebuilt, actual)
        except Different as e:
            raise Different(f"case {i} {steps!r}: {e}") from None
    print("same", len(cases))


def same_interpolations(expected, actual, where="cfg"):
    for (key, e), (_, a) in zip(node_items(expected), node_items(actual)):
        same_value(OmegaConf.is_interpolation(expected, str(key)) if isinstance(expected, DictConfig) else e._is_interpolation(),
                   a._is_interpolation(), f"{where}.{key} is_interpolation")
        if isinstance(e, Container) and not e._is_interpolation():
            same_interpolations(e, a, f"{where}.{key}")


# ---------------------------------------------------------------- random configs

NAMES = ["a", "b", "lr", "opt", "model", "x1", "drop-out", "layers", "k", "head", "w_2"]


def random_tree(rng, depth, counter):
    def leaf():
        counter[0] += 1
        return counter[0] if rng.random() < 0.5 else f"v{counter[0]}"

    def value(d):
        r = rng.random()
        if d < 3 and r < 0.3:
            return tree(d + 1)
        if d < 3 and r < 0.4:
            return [value(d + 1) if rng.random() < 0.3 else leaf() for _ in range(rng.randint(1, 3))]
        return leaf()

    def tree(d):
        keys = rng.sample(NAMES, rng.randint(1, 4))
        return {k: value(d) for k in keys}
    return tree(depth)


def all_paths(plain, prefix=()):
    """(keys, value, is_dict_key) for every node under plain."""
    items = plain.items() if isinstance(plain, dict) else enumerate(plain)
    for k, v in items:
        path = prefix + (str(k),)
        yield path, v, isinstance(plain, dict)
        if isinstance(v, (dict, list)):
            yield from all_paths(v, path)


def spell(keys, rng):
    out = ""
    for i, k in enumerate(keys):
        out += f"[{k}]" if k.isdigit() and rng.random() < 0.5 else ("" if i == 0 else ".") + k
    return out


def reference(rng, site, target):
    """An absolute or relative path from a node at site to target."""
    if rng.random() < 0.5:
        return spell(target, rng)
    base = site[:-1]
    common = 0
    while common < len(base) and common < len(target) - 1 and base[common] == target[common]:
        common += 1
    if rng.random() < 0.3:
        common = rng.randint(0, common)  # more dots than needed
    return "." * (len(base) - common + 1) + spell(target[common:], rng)


def random_case(seed):
    rng = random.Random(seed)
    plain = random_tree(rng, 0, [0])
    targets = [p for p, v, _ in all_paths(plain) if not isinstance(v, list) or rng.random() < 0.5]
    dicts = [()] + [p for p, v, _ in all_paths(plain) if isinstance(v, dict)]
    used, refs = [], []
    for n in range(rng.randint(1, 4)):
        holder = rng.choice(dicts)
        site = holder + (f"i{n}",)
        choices = [t for t in targets if holder[:len(t)] != t]  # no ancestor of the site
        if not choices:
            continue
        t1, t2 = rng.choice(choices), rng.choice(choices)
        form = rng.random()
        leafy = [t for t in choices if not isinstance(value_at(plain, t), (dict, list))]
        if form < 0.5 or not leafy:
            text = "${" + reference(rng, site, t1) + "}"
        elif form < 0.8:
            t1, t2 = rng.choice(leafy), rng.choice(leafy)
            text = "p=${" + reference(rng, site, t1) + "}/q=${" + reference(rng, site, t2) + "}"
        else:
            t1, t2 = rng.choice(leafy), rng.choice(leafy)
            text = "${cat:${" + reference(rng, site, t1) + "},'${" + reference(rng, site, t2) + "}'}"
        value_at(plain, holder)[site[-1]] = text
        used += [t1, t2] if "q=" in text or "cat:" in text else [t1]
        refs += [(site, t1), (site, t2)]
    movable = [p for p, v, is_key in all_paths(plain) if is_key]
    referenced = [p for p in movable if any(t[:len(p)] == p for t in used)]
    source = rng.choice(referenced if referenced and rng.random() < 0.7 else movable)
    if rng.random() < 0.5:
        edit = ("rename", ".".join(source), "renamed")
    else:
        # not into itself, nor under a config an interpolation moving with it points at (a cycle)
        homes = [d for d in dicts if d[:len(source)] != source
                 and not any(s[:len(source)] == source and d[:len(t)] == t for s, t in refs)]
        home = rng.choice(homes) + (("fresh",) if rng.random() < 0.3 else ())
        edit = ("move", ".".join(source), ".".join(home + ("moved",)))
    return plain, edit


def value_at(plain, keys):
    for k in keys:
        plain = plain[int(k)] if isinstance(plain, list) else plain[k]
    return plain


def random_make(seed, count):
    out = []
    for i in range(count):
        case_seed = seed * 100003 + i
        plain, edit = random_case(case_seed)
        attempt = 0
        while isinstance(resolved(OmegaConf.create(plain)), str):  # interpolations in a cycle: draw again
            attempt += 1
            plain, edit = random_case(case_seed + attempt * 7919)
        out.append((case_seed, OmegaConf.create(plain), edit))
    return out


def node_keys(node):
    keys = []
    while node._get_parent() is not None:
        keys.insert(0, str(node._key()))
        node = node._get_parent()
    return keys


def interpolation_keys(text):
    found = []

    def walk(ctx):
        if isinstance(ctx, OmegaConfGrammarParser.InterpolationNodeContext):
            found.append(ctx.getText()[2:-1])
        if isinstance(ctx, ParserRuleContext) and ctx.children:
            for child in ctx.children:
                walk(child)
    walk(parse(text))
    return found


def sites(cfg, prefix=()):
    for key, node in node_items(cfg):
        path = prefix + (str(key),)
        if node._is_interpolation():
            yield path, node
        elif isinstance(node, Container):
            yield from sites(node, path)


def moved_keys(keys, edit):
    """The keys of a node after the edit (a list of str)."""
    keys = [str(k) for k in keys]
    source = keys_of(edit[1])
    to = source[:-1] + [edit[2]] if edit[0] == "rename" else keys_of(edit[2])
    return to + keys[len(source):] if keys[:len(source)] == source else keys


def random_check(made, ours):
    failures = []
    for (seed, original, edit), (actual, count) in zip(made, ours):
        try:
            check_parents(actual)
            plain = apply_plain(OmegaConf.to_container(original, resolve=False), edit)
            same_structure(plain, OmegaConf.to_container(actual, resolve=False), "cfg")
            same_site_values(original, actual, edit)
            changed = 0
            for path, node in sites(original):
                after = node_at(actual, ".".join(moved_keys(list(path), edit)))
                before_keys = interpolation_keys(node._value())
                after_keys = interpolation_keys(after._value())
                same_value(len(before_keys), len(after_keys), f"{path} interpolation count")
                for b, a in zip(before_keys, after_keys):
                    expected = moved_keys(node_keys(node._get_parent()._resolve_node_interpolation(b, memo=None)), edit)
                    got = node_keys(after._get_parent()._resolve_node_interpolation(a, memo=None))
                    same_value(expected, got, f"{path}: target of {a!r} (was {b!r})")
                    same_value(b.startswith("."), a.startswith("."), f"{path}: {a!r} relative like {b!r}")
                    changed += a != b
            same_value(changed, count, "interpolations rewritten")
        except Exception as e:
            failures.append(f"seed {seed} {edit!r} {OmegaConf.to_container(original)}: {type(e).__name__}: {e}")
    print("same", len(made) if not failures else "\n".join(failures[:5]) + f"\n{len(failures)} of {len(made)} failed")


def same_site_values(original, actual, edit):
    """Every interpolation resolves to the value it had (one to a config may see the moved key come or go)."""
    values_before, values_after = resolved(original), resolved(actual)
    for path, node in sites(original):
        value = value_at(values_before, path)
        if not isinstance(value, (dict, list)):
            same_value(value, value_at(values_after, moved_keys(list(path), edit)), f"{path}: resolved value")


def same_structure(expected, actual, where):
    """Keys in order, lengths and values equal; an interpolation only needs to be one in both."""
    if isinstance(expected, dict):
        same_value(list(expected), list(actual) if isinstance(actual, dict) else actual, where + " keys")
        for k in expected:
            same_structure(expected[k], actual[k], f"{where}.{k}")
    elif isinstance(expected, list):
        same_value(len(expected), len(actual), where + " length")
        for i, (e, a) in enumerate(zip(expected, actual)):
            same_structure(e, a, f"{where}[{i}]")
    elif isinstance(expected, str) and "${" in expected:
        if not (isinstance(actual, str) and "${" in actual):
            raise Different(f"{where}: {actual!r} is no interpolation, was {expected!r}")
    else:
        same_value(expected, actual, where)


def main(argv):
    command = argv[1]
    if command == "make":
        with open(argv[3], "wb") as out:
            pickle.dump(make(argv[2]), out, protocol=2)
    elif command == "check":
        check(load(argv[2]), load(argv[3]), load(argv[4]))
    elif command == "random":
        with open(argv[4], "wb") as out:
            pickle.dump(random_make(int(argv[2]), int(argv[3])), out, protocol=2)
    elif command == "random-check":
        random_check(load(argv[2]), load(argv[3]))
    else:
        raise SystemExit("unknown command " + command)


if __name__ == "__main__":
    main(sys.argv)
