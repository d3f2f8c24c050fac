package dev.ckpt.it.stamped;

import dev.ckpt.migration.Checkpoint;
import dev.ckpt.migration.Migration;
import dev.ckpt.migration.MigrationInfo;

/** Not reversible, version still to be released: its record has no rollback and the next version. */
@MigrationInfo(version = MigrationInfo.NEXT_VERSION)
public class M1700000400_add_note extends Migration {
    @Override
    public void migrate(Checkpoint checkpoint) {
        checkpoint.root().put("note", "added");
    }
}
