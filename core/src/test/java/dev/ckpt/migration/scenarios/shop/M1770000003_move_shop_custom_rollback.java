package dev.ckpt.migration.scenarios.shop;

import dev.ckpt.migration.Checkpoint;
import dev.ckpt.migration.Migration;
import dev.ckpt.migration.MigrationContext;
import dev.ckpt.migration.MigrationInfo;
import dev.ckpt.migration.Reversible;

/** Like move_shop, but its own rollback setup sends the classes to a third place, not back. */
@MigrationInfo(version = "1.1.0")
public class M1770000003_move_shop_custom_rollback extends Migration implements Reversible {
    @Override
    public void migrateSetup(MigrationContext context) {
        context.moveModule("shop.v1.models", "shop.core.orders");
        context.moveAttribute("shop.v1.models.Item", "shop.core.orders.LineItem");
    }

    @Override
    public void migrate(Checkpoint checkpoint) {
    }

    @Override
    public void rollbackSetup(MigrationContext context) {
        context.moveModule("shop.core.orders", "shop.legacy.models");
        context.moveAttribute("shop.core.orders.LineItem", "shop.legacy.models.Item");
    }

    @Override
    public void rollback(Checkpoint checkpoint) {
    }
}
