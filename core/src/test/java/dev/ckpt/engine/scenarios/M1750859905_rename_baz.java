package dev.ckpt.engine.scenarios;

import dev.ckpt.api.Checkpoint;
import dev.ckpt.api.Migration;
import dev.ckpt.api.MigrationInfo;
import dev.ckpt.api.Reversible;
import java.util.Map;

/** {@code ckpt["test"] = ckpt.pop("baz")}; its version is the unreleased one. */
@MigrationInfo(version = MigrationInfo.NEXT_VERSION)
public class M1750859905_rename_baz extends Migration implements Reversible {
    @Override
    public void migrate(Checkpoint checkpoint) {
        Map<Object, Object> root = checkpoint.root();
        root.put("test", root.remove("baz"));
    }

    @Override
    public void rollback(Checkpoint checkpoint) {
        Map<Object, Object> root = checkpoint.root();
        root.put("baz", root.remove("test"));
    }
}
