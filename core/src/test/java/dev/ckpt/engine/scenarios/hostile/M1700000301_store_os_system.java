package dev.ckpt.engine.scenarios.hostile;

import dev.ckpt.api.Checkpoint;
import dev.ckpt.api.Migration;
import dev.ckpt.api.MigrationInfo;
import dev.ckpt.pickle.PyGlobal;
import dev.ckpt.pickle.PyObject;
import dev.ckpt.pickle.PyTuple;

/** A migration that stores a call of os.system: loading the result would run a command. */
@MigrationInfo(version = "1.0.0")
public class M1700000301_store_os_system extends Migration {
    @Override
    public void migrate(Checkpoint checkpoint) {
        checkpoint.root().put("payload", new PyObject(PyObject.Construction.REDUCE, PyGlobal.of("os", "system"), PyTuple.of("touch pwned")));
    }
}
