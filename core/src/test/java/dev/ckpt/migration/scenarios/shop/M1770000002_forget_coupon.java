package dev.ckpt.migration.scenarios.shop;

import dev.ckpt.migration.Checkpoint;
import dev.ckpt.migration.Migration;
import dev.ckpt.migration.MigrationContext;
import dev.ckpt.migration.MigrationInfo;

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
