package dev.ckpt.engine;

import dev.ckpt.pickle.PyGlobal;
import dev.ckpt.pickle.PyObject;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One entry of {@code ckpt["migrations"]}: a migration that ran on the checkpoint. Entries the
 * Python reference wrote (a MigrationMetadata object, a pickled Python rollback) are read as
 * well; the entry itself is kept untouched.
 *
 * @param name          the migration's name
 * @param versions      {@code {"migration": format, <app key>: version}}
 * @param isFinal       whether it started a compatibility group
 * @param signature     digest of the migration's code when it ran
 * @param rollback      the embedded rollback (our class bytes, a Python rollback object), or null
 * @param setupContext  the migrate setup's declarations, or null
 * @param entry         the raw entry, as it sits in the checkpoint
 */
public record MigrationRecord(String name, Map<Object, Object> versions, boolean isFinal, String signature,
                              Object rollback, Map<Object, Object> setupContext, Object entry) {

    /** The application version it carries under {@code appKey}, or null. */
    public String appVersion(String appKey) {
        if (versions == null) {
            return null;
        }
        Object v = versions.get(appKey);
        if (v == null) {
            // Records made by another tool name their application differently: take the one that is not "migration".
            v = versions.entrySet().stream().filter(e -> !"migration".equals(e.getKey())).map(Map.Entry::getValue).findFirst().orElse(null);
        }
        return v == null ? null : String.valueOf(v);
    }

    /** The applications whose versions it records (every key of {@code versions} but "migration"). */
    public Set<String> applications() {
        Set<String> applications = new TreeSet<>();
        if (versions != null) {
            versions.keySet().stream().map(String::valueOf).filter(key -> !"migration".equals(key)).forEach(applications::add);
        }
        return applications;
    }

    public boolean hasEmbeddedJvmRollback() {
        return EmbeddedRollback.isEmbedded(rollback);
    }

    /** A rollback the Python reference pickled (cloudpickle bytes, or a function by reference): it cannot run on the JVM. */
    public boolean hasPythonRollback() {
        return rollback instanceof PyObject || rollback instanceof PyGlobal;
    }

    @Override
    public String toString() {
        return name;
    }
}
