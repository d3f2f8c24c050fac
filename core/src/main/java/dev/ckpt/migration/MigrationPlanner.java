package dev.ckpt.migration;

import dev.ckpt.pickle.Relocation;
import java.util.ArrayList;
import java.util.List;

/**
 * Compares a checkpoint's records with the code's migrations and plans, by the reference's
 * rules: the checkpoint must sit in the last compatibility group; extras are counted from the
 * end and rolled back newest first; then every migration of the last group that the checkpoint
 * lacks runs in order.
 */
final class MigrationPlanner {
    private final MigrationSet migrations;
    private final String nextVersion;
    private final String appKey;

    MigrationPlanner(MigrationSet migrations, String nextVersion, String appKey) {
        this.migrations = migrations;
        this.nextVersion = nextVersion;
        this.appKey = appKey;
    }

    MigrationPlan sync(List<MigrationRecord> records, boolean hasRecords) {
        List<List<MigrationDescriptor>> groups = migrations.groups();
        String incompatibility = null;
        String firstIncompatible = null;
        if (!hasRecords || records.isEmpty()) {
            if (groups.size() > 1) {
                firstIncompatible = groups.get(1).get(0).version(nextVersion);
                incompatibility = tooOld(appKey, firstIncompatible);
            }
        } else {
            int group = groupOf(records.get(0).name());
            if (group < 0) {
                incompatibility = "No compatible migration available: the checkpoint's first migration "
                        + records.get(0).name() + " is unknown to this code base.";
            } else if (group < groups.size() - 1) {
                firstIncompatible = groups.get(group + 1).get(0).version(nextVersion);
                incompatibility = tooOld(appKey, firstIncompatible);
            }
        }
        List<Operation> operations = new ArrayList<>();
        List<String> blockers = new ArrayList<>();
        if (incompatibility == null) {
            planSync(records, migrations.lastGroup(), operations, blockers);
        }
        return new MigrationPlan(List.copyOf(records), incompatibility == null, incompatibility, firstIncompatible,
                List.copyOf(operations), changedSignatures(records), List.copyOf(blockers));
    }

    /** Rolls back every record after {@code target}, newest first. */
    MigrationPlan rollbackTo(List<MigrationRecord> records, String target) {
        int index = indexOf(records, target);
        if (index < 0) {
            return blocked(records, "the checkpoint has no migration " + target + " to roll back to");
        }
        return rollbackLast(records, records.size() - 1 - index);
    }

    /** Rolls back the newest {@code count} records. */
    MigrationPlan rollbackLast(List<MigrationRecord> records, int count) {
        if (count < 0 || count > records.size()) {
            return blocked(records, "cannot roll back " + count + " migrations: the checkpoint has " + records.size());
        }
        List<Operation> operations = new ArrayList<>();
        List<String> blockers = new ArrayList<>();
        for (int i = records.size() - 1; i >= records.size() - count; i--) {
            MigrationRecord record = records.get(i);
            if (record.isFinal()) {
                blockers.add("cannot roll back past the final migration " + record.name());
                break;
            }
            addRollback(record, operations, blockers);
        }
        return new MigrationPlan(List.copyOf(records), true, null, null, List.copyOf(operations), changedSignatures(records), List.copyOf(blockers));
    }

    private MigrationPlan blocked(List<MigrationRecord> records, String why) {
        return new MigrationPlan(List.copyOf(records), true, null, null, List.of(), changedSignatures(records), List.of(why));
    }

    /** The reference's _resolve_operations. */
    private void planSync(List<MigrationRecord> records, List<MigrationDescriptor> code, List<Operation> operations, List<String> blockers) {
        int n = records.size();
        int extras = 0;
        for (int k = 1; k <= n; k++) {
            MigrationRecord record = records.get(n - k);
            if (code.size() > n - k && code.get(n - k).name().toString().equals(record.name())) {
                break;
            }
            addRollback(record, operations, blockers);
            extras++;
        }
        int kept = n - extras;
        for (int k = 0; k < code.size(); k++) {
            MigrationDescriptor migration = code.get(k);
            if (kept > k && migration.name().toString().equals(records.get(k).name())) {
                continue;
            }
            operations.add(new Operation(Operation.Type.MIGRATE, migration.name(), migration.version(nextVersion), migration, null));
        }
    }

    private void addRollback(MigrationRecord record, List<Operation> operations, List<String> blockers) {
        MigrationDescriptor local = migrations.find(record.name());
        if (local != null && local.isReversible()) {
            operations.add(new Operation(Operation.Type.ROLLBACK, local.name(), local.version(nextVersion), local, record));
            return;
        }
        if (!record.hasEmbeddedJvmRollback()) {
            blockers.add(record.hasPythonRollback()
                    ? record.name() + " has only a Python rollback, which cannot run on the JVM"
                    : record.name() + " cannot be rolled back: it has no rollback");
        }
        MigrationName name;
        try {
            name = MigrationName.parse(record.name());
        } catch (IllegalArgumentException e) {
            // A record another tool wrote (the reference accepts any name): the plan is blocked, not broken.
            if (record.hasEmbeddedJvmRollback()) {
                blockers.add(record.name() + " cannot be rolled back: " + e.getMessage());
            }
            return;
        }
        operations.add(new Operation(Operation.Type.ROLLBACK, name, versionOf(record), local, record));
    }

    private String versionOf(MigrationRecord record) {
        String version = record.appVersion(appKey);
        return version == null ? "?" : version;
    }

    /** The setups of every operation, in order, as one relocation applied while reading. */
    Relocation relocation(List<Operation> operations) {
        Relocation relocation = Relocation.NONE;
        for (Operation op : operations) {
            relocation = relocation.then(relocation(op));
        }
        return relocation;
    }

    /** The setup of one operation: a migration's own, a local rollback's, or the reverse of the recorded one. */
    Relocation relocation(Operation op) {
        MigrationContext context;
        if (op.type() == Operation.Type.MIGRATE) {
            context = op.migration().migrateContext();
        } else if (!op.usesEmbeddedRollback()) {
            context = op.migration().rollbackContext();
        } else {
            context = CheckpointRecords.contextOf(op.record().setupContext()).reversed();
        }
        return context.toRelocation();
    }

    private List<String> changedSignatures(List<MigrationRecord> records) {
        List<String> changed = new ArrayList<>();
        for (MigrationRecord record : records) {
            MigrationDescriptor local = migrations.find(record.name());
            if (local != null && record.signature() != null && !record.signature().equals(local.signature())) {
                changed.add(record.name());
            }
        }
        return changed;
    }

    private int groupOf(String firstRecord) {
        List<List<MigrationDescriptor>> groups = migrations.groups();
        for (int g = 0; g < groups.size(); g++) {
            if (!groups.get(g).isEmpty() && groups.get(g).get(0).name().toString().equals(firstRecord)) {
                return g;
            }
        }
        return -1;
    }

    private static int indexOf(List<MigrationRecord> records, String name) {
        for (int i = 0; i < records.size(); i++) {
            if (records.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** The reference's words, naming the application as the records do (its app key). */
    private static String tooOld(String appKey, String firstIncompatibleVersion) {
        return "No compatible migration available: the checkpoint is too old. Use a version of " + appKey + " < "
                + firstIncompatibleVersion + ".";
    }
}
