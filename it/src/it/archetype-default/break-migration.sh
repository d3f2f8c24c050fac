# A migration whose code throws, and what the checkpoints hold before the build that would apply it.
set -e
mkdir -p target
(cd checkpoints && sha256sum *.ckpt) > target/before-broken.sha
cat > src/main/java/com/example/model/migrations/M1900000000_broken.java <<'JAVA'
package com.example.model.migrations;

import dev.ckpt.api.Checkpoint;
import dev.ckpt.api.Migration;
import dev.ckpt.api.MigrationInfo;

@MigrationInfo(version = MigrationInfo.NEXT_VERSION)
public class M1900000000_broken extends Migration {
    @Override
    public void migrate(Checkpoint checkpoint) {
        throw new IllegalStateException("broken on purpose");
    }
}
JAVA
