package dev.ckpt.engine.scenarios.shop;

import dev.ckpt.api.Checkpoint;
import dev.ckpt.api.Migration;
import dev.ckpt.api.MigrationContext;
import dev.ckpt.api.MigrationInfo;
import dev.ckpt.api.Reversible;

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
