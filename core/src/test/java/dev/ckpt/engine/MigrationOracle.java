package dev.ckpt.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ckpt.pickle.PythonOracle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The torch oracle of the migration tests. The base checkpoints are made once per JVM by one
 * {@code torch.save} run ({@link #fixture}); each test works on a copy and checks its result with
 * {@code torch.load} in a Python process whose script directory holds only the code it names
 * ({@link #check}).
 */
public final class MigrationOracle {
    public static final String APP = "anemoi-models";

    /** The shop's code before the refactor. */
    public static final String SHOP_V1 = """
            class Item:
                def __init__(self, sku, qty):
                    self.sku, self.qty = sku, qty

            class Order:
                def __init__(self, number, items):
                    self.number, self.items = number, items

            class Coupon:
                def __init__(self, code):
                    self.code = code
            """;

    /** The shop's code after it: a new module, Item renamed, Coupon gone. */
    public static final String SHOP_CORE = """
            class LineItem:
                pass

            class Order:
                pass
            """;

    /** Where the Python reference keeps its record classes (a minimal stand-in). */
    public static final String REFERENCE_MIGRATOR = """
            from dataclasses import dataclass

            @dataclass
            class MigrationMetadata:
                versions: dict
                final: bool = False

            class _SerializedRollback:
                def __init__(self, rollback_bytes):
                    self._rollback_bytes = rollback_bytes

                def __reduce__(self):
                    return self.__class__, (self._rollback_bytes,)
            """;

    public static final String PYTHON_ROLLBACK_BYTES = "cloudpickled rollback";

    private static final String MAKE = """
            import collections, sys
            import torch
            from shop.v1.models import Coupon, Item, Order
            from anemoi.models.migrations.migrator import MigrationMetadata, _SerializedRollback

            out = sys.argv[1]
            torch.manual_seed(0)

            # A checkpoint without migration records, as training code saves it.
            torch.save({"state_dict": collections.OrderedDict(w=torch.arange(4.0)),
                        "hyper_parameters": {"lr": 0.1},
                        "pytorch-lightning_version": "2.0.0"}, out + "/fresh.ckpt")

            # The reference's recent_ckpt: only the final migration is registered.
            torch.save({"foo": "foo", "bar": "bar", "test": "baz",
                        "migrations": [{"name": "1751895180_final",
                                        "metadata": {"versions": {"migration": "1.0.0", "anemoi-models": "0.9.0"}, "final": True},
                                        "signature": "1751895180_final", "rollback": None, "setup_context": None}],
                        "pytorch-lightning_version": "",
                        "hyper_parameters": {"metadata": {}}}, out + "/recent.ckpt")

            # The reference's test_extra_migration: an extra record "dummy" whose rollback is a Python function.
            def rollback_fn_extra_migration(ckpt):
                return ckpt

            versions = {"versions": {"migration": "1.0.0", "anemoi-models": "x.x.x"}}
            torch.save({"foo": "foo",
                        "migrations": [{"name": "1750840837_add_foo", "metadata": versions, "signature": "1750840837_add_foo",
                                        "rollback": None, "setup_context": None},
                                       {"name": "dummy", "metadata": versions, "signature": "dummy",
                                        "rollback": rollback_fn_extra_migration, "setup_context": None}],
                        "pytorch-lightning_version": "",
                        "hyper_parameters": {"metadata": {}}}, out + "/dummy.ckpt")

            # Objects of the shop's classes, pickled where only shop.v1 exists.
            shared = Item("B-2", 5)
            torch.save({"state_dict": collections.OrderedDict(w=torch.ones(3)),
                        "orders": [Order(1, [Item("A-1", 2), shared]), Order(2, [shared])],
                        "kind": Item,
                        "coupon": Coupon("SAVE10"),
                        "hyper_parameters": {"metadata": {}}}, out + "/shop.ckpt")

            # Records written by the Python reference: objects of its classes.
            torch.save({"foo": "foo",
                        "migrations": [{"name": "1750840837_add_foo",
                                        "metadata": MigrationMetadata(versions={"migration": "1.0.0", "anemoi-models": "0.8.0"}),
                                        "signature": "3f5a9c",
                                        "rollback": _SerializedRollback(b"%s"),
                                        "setup_context": None}],
                        "pytorch-lightning_version": "",
                        "hyper_parameters": {"metadata": {}}}, out + "/pyref.ckpt")

            # A model whose submodule "encoder" is renamed "backbone" by a migration.
            class Net(torch.nn.Module):
                def __init__(self, name):
                    super().__init__()
                    setattr(self, name, torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.BatchNorm1d(4)))
                    self.head = torch.nn.Linear(4, 2)
                    self.body = name

                def forward(self, x):
                    return self.head(getattr(self, self.body)(x))

            net = Net("encoder")
            net(torch.randn(5, 3))  # the batch norm's running statistics move away from their defaults
            torch.save({"state_dict": net.state_dict(), "hyper_parameters": {"metadata": {}}}, out + "/model.ckpt")
            print("OK")
            """.formatted(PYTHON_ROLLBACK_BYTES);

    /**
     * Helpers every check script starts with: {@code load}, {@code plain} (every value reachable
     * is of a builtin type), {@code records} (the records' layout, DESIGN section 6; returns
     * them), {@code names} and {@code history} (as (type, name) pairs).
     */
    private static final String PRELUDE = """
            import importlib.util, sys, types
            import torch

            def load(path):
                return torch.load(path, weights_only=False)  # content checks; weights_only is tested on its own

            def plain(value, where):
                t = type(value)
                assert t.__module__ == "builtins", f"{where} is a {t.__module__}.{t.__qualname__}"
                if t is dict:
                    for k, v in value.items():
                        plain(k, f"{where} key {k!r}")
                        plain(v, f"{where}[{k!r}]")
                elif t in (list, tuple):
                    for i, v in enumerate(value):
                        plain(v, f"{where}[{i}]")

            def record(r, where, app="%s"):
                assert type(r) is dict, f"{where} is {type(r)}"
                assert list(r) == ["name", "metadata", "signature", "rollback", "setup_context"], list(r)
                assert type(r["name"]) is str, r
                md = r["metadata"]
                assert type(md) is dict and list(md) == ["versions", "final"], md
                assert type(md["final"]) is bool, md
                assert type(md["versions"]) is dict and list(md["versions"]) == ["migration", app], md
                assert all(type(v) is str for v in md["versions"].values()), md
                assert type(r["signature"]) is str, r
                assert r["rollback"] is None or type(r["rollback"]) is dict, r
                assert r["setup_context"] is None or type(r["setup_context"]) is dict, r
                plain(r, where)

            def records(ck, first=0):
                recs = ck["migrations"]
                assert type(recs) is list, type(recs)
                for i, r in enumerate(recs[first:], first):
                    record(r, f"migrations[{i}]")
                return recs

            def names(ck):
                return [r["name"] for r in ck["migrations"]]

            def history(ck):
                migrations = ck["hyper_parameters"]["metadata"]["migrations"]
                plain(migrations, "hyper_parameters.metadata.migrations")
                for entry in migrations["history"]:
                    assert list(entry) == ["type", "name", "signature"], entry
                return [(e["type"], e["name"]) for e in migrations["history"]]

            """.formatted(APP);

    private static Path fixtures;
    private static AssertionError fixturesFailed;
    private static int checks;

    private MigrationOracle() {
    }

    /** A copy of a base checkpoint ({@code fresh}, {@code recent}, {@code dummy}, {@code shop}, {@code pyref}, {@code model}) as {@code dir/model.ckpt}. */
    public static Path fixture(String name, Path dir) throws IOException {
        return Files.copy(fixtures().resolve(name + ".ckpt"), dir.resolve("model.ckpt"));
    }

    private static synchronized Path fixtures() throws IOException {
        if (fixturesFailed != null) {
            throw fixturesFailed;
        }
        if (fixtures == null) {
            Path made = Files.createTempDirectory("ckpt-migration-fixtures");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(made)));
            write(made, "shop/__init__.py", "");
            write(made, "shop/v1/__init__.py", "");
            write(made, "shop/v1/models.py", SHOP_V1);
            referenceModule(made);
            try {
                String out = PythonOracle.run(write(made, "make.py", MAKE), List.of(made.toString()), "");
                assertEquals("OK", out.strip());
            } catch (AssertionError e) {
                fixturesFailed = e;  // one failing torch run, not one per test
                throw e;
            }
            fixtures = made;
        }
        return fixtures;
    }

    /** Writes the stand-in of the Python reference's migrator module under {@code dir}. */
    public static void referenceModule(Path dir) throws IOException {
        write(dir, "anemoi/__init__.py", "");
        write(dir, "anemoi/models/__init__.py", "");
        write(dir, "anemoi/models/migrations/__init__.py", "");
        write(dir, "anemoi/models/migrations/migrator.py", REFERENCE_MIGRATOR);
    }

    /**
     * Runs {@code body} (after the {@link #PRELUDE helpers}) as a script in {@code scriptDir}, so
     * that only the modules under that directory can be imported; {@code sys.argv[1:]} are the
     * files. The script must print nothing but end normally: "OK" is printed after it.
     */
    public static void check(Path scriptDir, String body, Path... files) throws IOException {
        Path script;
        synchronized (MigrationOracle.class) {
            script = write(scriptDir, "check_" + checks++ + ".py", PRELUDE + body + "\nprint(\"OK\")\n");
        }
        List<String> args = Stream.of(files).map(Path::toString).toList();
        assertEquals("OK", PythonOracle.run(script, args, "").strip());
    }

    /** A Python literal for a Java value: str, int, float, bool, None, list, dict. */
    public static String py(Object value) {
        if (value == null) {
            return "None";
        }
        if (value instanceof Boolean b) {
            return b ? "True" : "False";
        }
        if (value instanceof Number) {
            return value.toString();
        }
        if (value instanceof String s) {
            return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
        }
        if (value instanceof List<?> list) {
            return list.stream().map(MigrationOracle::py).collect(Collectors.joining(", ", "[", "]"));
        }
        if (value instanceof Map<?, ?> map) {
            return map.entrySet().stream().map(e -> py(e.getKey()) + ": " + py(e.getValue()))
                    .collect(Collectors.joining(", ", "{", "}"));
        }
        throw new IllegalArgumentException("no Python literal for " + value.getClass());
    }

    public static Path write(Path dir, String relative, String content) throws IOException {
        Path file = dir.resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content);
    }

    /** The names in a directory, sorted: what a failed or dry run must leave alone. */
    public static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            List<Path> all = new ArrayList<>(walk.toList());
            all.sort(Comparator.reverseOrder());
            for (Path p : all) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
