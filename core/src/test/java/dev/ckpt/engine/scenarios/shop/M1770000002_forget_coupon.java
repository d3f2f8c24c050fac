package dev.ckpt.engine.scenarios.shop;

import dev.ckpt.api.Checkpoint;
import dev.ckpt.api.Migration;
import dev.ckpt.api.MigrationContext;
import dev.ckpt.api.MigrationInfo;

/** Deletes {@code Coupon} but forgets to remove its instance: a placeholder is left in the tree. */
@MigrationInfo(version = "1.2.0")
public class M1770000002_forget_coupon extends Migration {
    @Override
    public void migrateSetup(MigrationContext context) {
        context.deleteAttribute("shop.core.orders.Coupon");
    }

    @Override
    public void migrate(Checkpoint checkpoint) {
    }
}
