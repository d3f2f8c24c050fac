package dev.ckpt.engine;

import static dev.ckpt.engine.MigrationOracle.check;
import static dev.ckpt.engine.MigrationOracle.fixture;
import static dev.ckpt.engine.MigrationOracle.listing;
import static dev.ckpt.engine.MigrationOracle.py;
import static dev.ckpt.engine.MigrationOracle.write;
import static dev.ckpt.engine.Scenarios.OPTIONS;
import static dev.ckpt.engine.Scenarios.bytes;
import static dev.ckpt.engine.Scenarios.migrator;
import static dev.ckpt.engine.Scenarios.names;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ckpt.engine.scenarios.shop.M1770000000_move_shop;
import dev.ckpt.engine.scenarios.shop.M1770000001_drop_coupon;
import dev.ckpt.engine.scenarios.shop.M1770000002_forget_coupon;
import dev.ckpt.engine.scenarios.shop.M1770000003_move_shop_custom_rollback;
import dev.ckpt.pickle.PyObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Setup callbacks end to end: a checkpoint holding objects of Python classes that a refactor
 * moved, renamed or deleted is migrated so that it loads where only the new code exists, and
 * rolled back so that it loads where only the old code exists.
 */
@Tag("torch")
class RelocationMigrationTest {
    private static final Class<?> MOVE = M1770000000_move_shop.class;
    private static final Class<?> DROP = M1770000001_drop_coupon.class;
    private static final Class<?> FORGET = M1770000002_forget_coupon.class;

    /** The orders of the fixture, whatever the classes are called now. */
    private static final String SAME_ORDERS = """
            def same_orders(ck, item_class, order_class):
                orders = ck["orders"]
                assert [type(o) for o in orders] == [order_class, order_class], orders
                assert [o.number for o in orders] == [1, 2]
                assert [[(type(i), i.sku, i.qty) for i in o.items] for o in orders] == \\
                    [[(item_class, "A-1", 2), (item_class, "B-2", 5)], [(item_class, "B-2", 5)]]
                assert orders[0].items[1] is orders[1].items[0], "sharing lost"
                assert ck["kind"] is item_class
                assert torch.equal(ck["state_dict"]["w"], torch.ones(3))
            """;

    @TempDir
    Path dir;

    @Test
    void movedRenamedAndDeletedClassesLoadWhereOnlyTheNewCodeExists() throws IOException {
        Path file = fixture("shop", dir);

        migrator(MOVE, DROP).apply(file);

        Path newCode = newCode();
        Map<String, Object> moveSetup = Map.of(
                "attribute_paths", Map.of("shop.core.orders.LineItem", "shop.v1.models.Item"),
                "module_paths", Map.of("shop.core.orders", "shop.v1.models"),
                "deleted_attributes", List.of(), "deleted_modules", List.of());
        check(newCode, SAME_ORDERS + """
                assert importlib.util.find_spec("shop.v1") is None, "the old code must not be importable here"
                from shop.core.orders import LineItem, Order
                ck = load(sys.argv[1])
                same_orders(ck, LineItem, Order)
                assert "coupon" not in ck
                recs = records(ck)
                assert names(ck) == %s, names(ck)
                assert recs[0]["setup_context"] == %s, recs[0]["setup_context"]
                assert recs[1]["setup_context"]["deleted_attributes"] == ["shop.core.orders.Coupon"], recs[1]
                """.formatted(py(names(MOVE, DROP)), py(moveSetup)), file);
    }

    @Test
    void rolledBackWithTheReversedSetupItLoadsWhereOnlyTheOldCodeExists() throws IOException {
        Path file = fixture("shop", dir);
        migrator(MOVE).apply(file);
        PyObject order = (PyObject) ((List<?>) Scenarios.root(file).get("orders")).get(0);
        assertEquals("shop.core.orders.Order", order.pythonClass().path());

        migrator(MOVE).rollbackLast(file, 1);

        Path oldCode = dir.resolve("old");
        write(oldCode, "shop/__init__.py", "");
        write(oldCode, "shop/v1/__init__.py", "");
        write(oldCode, "shop/v1/models.py", MigrationOracle.SHOP_V1);
        check(oldCode, SAME_ORDERS + """
                assert importlib.util.find_spec("shop.core") is None, "the new code must not be importable here"
                from shop.v1.models import Coupon, Item, Order
                ck = load(sys.argv[1])
                same_orders(ck, Item, Order)
                assert type(ck["coupon"]) is Coupon and ck["coupon"].code == "SAVE10"
                assert records(ck) == []
                assert history(ck) == [("migrate", %1$s), ("rollback", %1$s)], history(ck)
                """.formatted(py(Scenarios.name(MOVE))), file);
    }

    /**
     * One plan that rolls a setup migration back and runs it again (it is no longer at the end):
     * the reversed setup and the setup compose while reading, and the classes end where the new
     * code has them.
     */
    @Test
    void rollingBackAndReRunningAMovingMigrationInOnePlanKeepsTheNewPaths() throws IOException {
        Path file = fixture("shop", dir);
        Scenarios.prepare(file, Scenarios.FOO, MOVE);

        MigrationReport report = migrator(Scenarios.FOO, Scenarios.BAR, MOVE, DROP).apply(file);

        assertEquals(List.of("ROLLBACK " + Scenarios.name(MOVE), "MIGRATE " + Scenarios.name(Scenarios.BAR),
                "MIGRATE " + Scenarios.name(MOVE), "MIGRATE " + Scenarios.name(DROP)), Scenarios.describe(report.plan().operations()));
        check(newCode(), SAME_ORDERS + """
                from shop.core.orders import LineItem, Order
                ck = load(sys.argv[1])
                same_orders(ck, LineItem, Order)
                assert "coupon" not in ck and ck["bar"] == "bar"
                records(ck)
                assert names(ck) == %s, names(ck)
                """.formatted(py(names(Scenarios.FOO, Scenarios.BAR, MOVE, DROP))), file);
    }

    @Test
    void aMigrationsOwnRollbackSetupReplacesTheReversedOne() throws IOException {
        Path file = fixture("shop", dir);
        Class<?> custom = M1770000003_move_shop_custom_rollback.class;
        migrator(custom).apply(file);

        migrator(custom).rollbackLast(file, 1);

        Map<Object, Object> root = Scenarios.root(file);
        PyObject order = (PyObject) ((List<?>) root.get("orders")).get(0);
        assertEquals("shop.legacy.models.Order", order.pythonClass().path());
        assertEquals("shop.legacy.models.Item", ((PyObject) ((List<?>) order.attributes().get("items")).get(0)).pythonClass().path());
        assertEquals("shop.legacy.models.Coupon", ((PyObject) root.get("coupon")).pythonClass().path());
    }

    @Test
    void aPlaceholderLeftInLenientModeIsWrittenAsAnInertObjectWithAWarning() throws IOException {
        Path file = fixture("shop", dir);

        MigrationReport report = migrator(MOVE, FORGET).apply(file);

        assertTrue(report.warnings().stream().anyMatch(w -> w.contains("coupon: shop.core.orders.Coupon")), report.warnings().toString());
        check(newCode(), SAME_ORDERS + """
                from shop.core.orders import LineItem, Order
                ck = load(sys.argv[1])
                same_orders(ck, LineItem, Order)
                coupon = ck["coupon"]
                assert type(coupon) is dict, type(coupon)
                assert coupon["__ckpt_placeholder__"] == "shop.core.orders.Coupon"
                assert coupon["state"] == {"code": "SAVE10"}, coupon
                """, file);
    }

    @Test
    void aPlaceholderLeftInStrictModeFailsAndChangesNothing() throws IOException {
        Path file = fixture("shop", dir);
        byte[] before = bytes(file);

        IncompatibleCheckpointException e = assertThrows(IncompatibleCheckpointException.class,
                () -> migrator(OPTIONS.withStrictPlaceholders(true), List.of(MOVE, FORGET)).apply(file));

        assertTrue(e.getMessage().contains("coupon: shop.core.orders.Coupon (deleted by the setup of migration "
                + Scenarios.name(FORGET) + ")"), e.getMessage());
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertArrayEquals(before, bytes(file));
        assertEquals(List.of("model.ckpt"), listing(dir));
    }

    /** A script directory where only the refactored shop exists (no Coupon, no shop.v1). */
    private Path newCode() throws IOException {
        Path newCode = dir.resolve("new");
        write(newCode, "shop/__init__.py", "");
        write(newCode, "shop/core/__init__.py", "");
        write(newCode, "shop/core/orders.py", MigrationOracle.SHOP_CORE);
        return newCode;
    }
}
