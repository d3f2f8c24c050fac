package dev.ckpt.migration.scenarios.shop;

import dev.ckpt.migration.Checkpoint;
import dev.ckpt.migration.Migration;
import dev.ckpt.migration.MigrationContext;
import dev.ckpt.migration.MigrationInfo;
import dev.ckpt.pickle.PyObject;

/** {@code Coupon} was deleted (after the module move): its instance is dropped from the checkpoint. */
@MigrationInfo(version = "1.2.0")
public class M1770000001_drop_coupon extends Migration {
    @Override
    public void migrateSetup(MigrationContext context) {
        context.deleteAttribute("shop.core.orders.Coupon");
    }

    @Override
    public void migrate(Checkpoint checkpoint) {
        Object coupon = checkpoint.root().remove("coupon");
        if (!(coupon instanceof PyObject object && object.isPlaceholder())) {
            throw new IllegalStateException("expected the deleted Coupon's placeholder, found " + coupon);
        }
    }
}
