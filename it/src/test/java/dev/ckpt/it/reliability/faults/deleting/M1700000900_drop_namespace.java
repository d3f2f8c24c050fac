package dev.ckpt.it.reliability.faults.deleting;

import dev.ckpt.api.Checkpoint;
import dev.ckpt.api.Migration;
import dev.ckpt.api.MigrationContext;
import dev.ckpt.api.MigrationInfo;

/** Deletes the class of the checkpoint's {@code args} (an argparse.Namespace) but leaves the value: a placeholder. */
@MigrationInfo(version = "2.0.0")
public class M1700000900_drop_namespace extends Migration {
    @Override
    public void migrateSetup(MigrationContext context) {
        context.deleteAttribute("argparse.Namespace");
    }

    @Override
    public void migrate(Checkpoint checkpoint) {
    }
}
