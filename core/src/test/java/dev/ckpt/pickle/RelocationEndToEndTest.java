package dev.ckpt.pickle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Class relocation proven by CPython: a pickle made where only the old code exists is
 * re-written with a relocation and loaded where only the new code exists, with equal state.
 */
class RelocationEndToEndTest {
    private static final String OLD_MODELS = """
            class Item:
                def __init__(self, sku, qty):
                    self.sku, self.qty = sku, qty

            class Order:
                def __init__(self, number, items):
                    self.number, self.items = number, items
            """;

    private static final String NEW_ORDERS = """
            class LineItem:
                pass

            class Order:
                pass
            """;

    private static final String MAKE = """
            import pickle, sys
            from shop.v1.models import Item, Order
            shared = Item("B-2", 5)
            orders = [Order(1, [Item("A-1", 2), shared]), Order(2, [shared])]
            open(sys.argv[2], "wb").write(pickle.dumps({"orders": orders, "kind": Item}, protocol=int(sys.argv[1])))
            """;

    private static final String CHECK = """
            import pickle, sys, importlib.util
            assert importlib.util.find_spec("shop.v1") is None, "the old code must not be importable here"
            from shop.core.orders import LineItem, Order
            tree = pickle.load(open(sys.argv[1], "rb"))
            orders = tree["orders"]
            assert tree["kind"] is LineItem
            assert [type(o) for o in orders] == [Order, Order]
            assert [o.number for o in orders] == [1, 2]
            assert [[(type(i).__name__, i.sku, i.qty) for i in o.items] for o in orders] == \\
                [[("LineItem", "A-1", 2), ("LineItem", "B-2", 5)], [("LineItem", "B-2", 5)]]
            assert orders[0].items[1] is orders[1].items[0], "sharing lost"
            print("OK")
            """;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "protocol {0}")
    @ValueSource(ints = {0, 2, 4})
    void movedModuleAndRenamedClassLoadWhereOnlyTheNewCodeExists(int protocol) throws IOException {
        Path original = pickleMadeByOldCode(protocol);
        write("new/shop/__init__.py", "");
        write("new/shop/core/__init__.py", "");
        write("new/shop/core/orders.py", NEW_ORDERS);

        Relocation relocation = Relocation.builder()
                .moveModule("shop.v1.models", "shop.core.orders")
                .moveAttribute("shop.v1.models.Item", "shop.core.orders.LineItem")
                .build();
        Object tree = new PickleReader().withRelocation(relocation).read(Files.readAllBytes(original));
        Path migrated = Files.write(dir.resolve("migrated.pkl"), new PickleWriter(protocol).write(tree));

        String out = PythonOracle.run(write("new/check.py", CHECK), List.of(migrated.toString()), "");
        assertEquals("OK", out.strip());
    }

    @Test
    void deletedClassIsWrittenAsAnInertDictKeepingItsPathAndState() throws IOException {
        Path original = pickleMadeByOldCode(2);
        Relocation relocation = Relocation.builder().deleteModule("shop").build();
        Object tree = new PickleReader().withRelocation(relocation).read(Files.readAllBytes(original));
        Path written = Files.write(dir.resolve("inert.pkl"), new PickleWriter().write(tree));

        String check = """
                import pickle, sys, types
                tree = pickle.load(open(sys.argv[1], "rb"))
                order = tree["orders"][0]
                assert type(order) is dict
                assert order["__ckpt_placeholder__"] == "shop.v1.models.Order"
                assert order["state"]["number"] == 1
                item = order["state"]["items"][0]
                assert item["__ckpt_placeholder__"] == "shop.v1.models.Item" and item["state"] == {"sku": "A-1", "qty": 2}
                assert tree["kind"] == {"__ckpt_placeholder__": "shop.v1.models.Item"}
                print("OK")
                """;
        assertEquals("OK", PythonOracle.run(write("plain/check.py", check), List.of(written.toString()), "").strip());
    }

    @Test
    void strictWriterRefusesAPlaceholderNamingTheDeletedClass() throws IOException {
        byte[] original = Files.readAllBytes(pickleMadeByOldCode(2));
        Object tree = new PickleReader().withRelocation(Relocation.builder().deleteAttribute("shop.v1.models.Item").build()).read(original);
        PickleException e = assertThrows(PickleException.class, () -> new PickleWriter().strict().write(tree));
        assertTrue(e.getMessage().contains("shop.v1.models.Item"), e.getMessage());
    }

    /** Orders pickled by CPython in a directory where only shop.v1.models exists. */
    private Path pickleMadeByOldCode(int protocol) throws IOException {
        write("old/shop/__init__.py", "");
        write("old/shop/v1/__init__.py", "");
        write("old/shop/v1/models.py", OLD_MODELS);
        Path original = dir.resolve("orders.p" + protocol + ".pkl");
        PythonOracle.run(write("old/make.py", MAKE), List.of(String.valueOf(protocol), original.toString()), "");
        assertTrue(Files.size(original) > 0, "the old code made no pickle");
        return original;
    }

    private Path write(String relative, String content) throws IOException {
        Path file = dir.resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content);
    }
}
