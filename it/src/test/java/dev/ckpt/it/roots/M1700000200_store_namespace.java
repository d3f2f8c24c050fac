package dev.ckpt.it.roots;

import dev.ckpt.api.Checkpoint;
import dev.ckpt.api.Migration;
import dev.ckpt.api.MigrationInfo;
import dev.ckpt.pickle.PyGlobal;
import dev.ckpt.pickle.PyObject;
import dev.ckpt.pickle.PyTuple;
import java.util.LinkedHashMap;
import java.util.Map;

/** Stores an argparse.Namespace in the root: a class torch's weights-only loader refuses. */
@MigrationInfo(version = "1.2.0")
public class M1700000200_store_namespace extends Migration {
    @Override
    public void migrate(Checkpoint checkpoint) {
        PyObject args = new PyObject(PyObject.Construction.REDUCE, PyGlobal.of("argparse", "Namespace"), PyTuple.of());
        Map<Object, Object> state = new LinkedHashMap<>();
        state.put("lr", 0.001);
        args.setState(state);
        checkpoint.root().put("args", args);
    }
}
