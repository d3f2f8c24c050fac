package dev.ckpt.engine.scenarios.hostile;

import dev.ckpt.api.Checkpoint;
import dev.ckpt.api.Migration;
import dev.ckpt.api.MigrationContext;
import dev.ckpt.api.MigrationInfo;

/** A setup that would rename the user's inert hook function to posix.system. */
@MigrationInfo(version = "1.0.0")
public class M1700000300_move_hook_to_system extends Migration {
    @Override
    public void migrateSetup(MigrationContext context) {
        context.moveAttribute("mymodel.hooks.on_load", "posix.system");
    }

    @Override
    public void migrate(Checkpoint checkpoint) {
    }
}
