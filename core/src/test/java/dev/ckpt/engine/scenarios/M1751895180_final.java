package dev.ckpt.engine.scenarios;

import dev.ckpt.api.FinalMigration;
import dev.ckpt.api.MigrationInfo;

/**
 * Ends support for checkpoints from before it. It cannot have a migrate body or a setup: both
 * methods are final in {@link FinalMigration}, so overriding them does not compile.
 */
@MigrationInfo(version = "0.9.0")
public class M1751895180_final extends FinalMigration {
}
