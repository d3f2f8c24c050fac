package dev.ckpt.engine.scenarios.shop;

import dev.ckpt.api.Checkpoint;
import dev.ckpt.api.Migration;
import dev.ckpt.api.MigrationContext;
import dev.ckpt.api.MigrationInfo;
import dev.ckpt.api.Reversible;

/**
 * The refactor {@code shop.v1.models} → {@code shop.core.orders}, where {@code Item} became
 * {@code LineItem}. The rollback setup is the engine's default: this setup reversed.
 */
@MigrationInfo(version = "1.1.0")
public class M1770000000_move_shop extends Migration implements Reversible {
    @Override
    public void migrateSetup(MigrationContext context) {
        context.moveModule("shop.v1.models", "shop.core.orders");
        context.moveAttribute("shop.v1.models.Item", "shop.core.orders.LineItem");
    }

    @Override
    public void migrate(Checkpoint checkpoint) {
    }

    @Override
    public void rollback(Checkpoint checkpoint) {
    }
}
