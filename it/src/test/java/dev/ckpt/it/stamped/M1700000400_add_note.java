package dev.ckpt.it.stamped;

import dev.ckpt.api.Checkpoint;
import dev.ckpt.api.Migration;
import dev.ckpt.api.MigrationInfo;

/** Not reversible, version still to be released: its record has no rollback and the next version. */
@MigrationInfo(version = MigrationInfo.NEXT_VERSION)
public class M1700000400_add_note extends Migration {
    @Override
    public void migrate(Checkpoint checkpoint) {
        checkpoint.root().put("note", "added");
    }
}
