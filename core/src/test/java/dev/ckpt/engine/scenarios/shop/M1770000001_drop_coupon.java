package dev.ckpt.engine.scenarios.shop;

import dev.ckpt.api.Checkpoint;
import dev.ckpt.api.Migration;
import dev.ckpt.api.MigrationContext;
import dev.ckpt.api.MigrationInfo;
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
