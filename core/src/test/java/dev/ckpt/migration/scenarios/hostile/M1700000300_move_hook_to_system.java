package dev.ckpt.migration.scenarios.hostile;

import dev.ckpt.migration.Checkpoint;
import dev.ckpt.migration.Migration;
import dev.ckpt.migration.MigrationContext;
import dev.ckpt.migration.MigrationInfo;

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
