#if ( $finalMigration == "true" )
package ${package}.migrations;

import dev.ckpt.api.Checkpoint;
import dev.ckpt.api.FinalMigration;
import dev.ckpt.api.MigrationInfo;

/**
 * Initial: a final migration. Checkpoints made before it can no longer be migrated past
 * it; they are refused as too old. A final migration has no migrate body, setup or rollback.
 */
@MigrationInfo(version = MigrationInfo.NEXT_VERSION)
public class M1700000000_initial extends FinalMigration {
}
#else
package ${package}.migrations;

import dev.ckpt.api.Checkpoint;
import dev.ckpt.api.Migration;
import dev.ckpt.api.MigrationInfo;

/** Initial. */
@MigrationInfo(version = MigrationInfo.NEXT_VERSION)
public class M1700000000_initial extends Migration {
    /** Turns a checkpoint made before this change into one that fits the code after it. */
    @Override
    public void migrate(Checkpoint checkpoint) {
    }

    /**
     * Undoes {@link #migrate}. It does not count until it is real: once it undoes migrate, add
     * {@code implements dev.ckpt.api.Reversible} to the class (and {@code @Override} here).
     */
    public void rollback(Checkpoint checkpoint) {
    }
}
#end
