package dev.ckpt.engine;

import dev.ckpt.api.MigrationContext;
import dev.ckpt.pickle.Relocation;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Compares a checkpoint's records with the code's migrations and plans, by the reference's
 * rules: the checkpoint must sit in the last compatibility group; extras are counted from the
 * end and rolled back newest first; then every migration of the last group that the checkpoint
 * lacks runs in order.
 */
final class MigrationPlanner {
    /** The way out a refusal of a record-less checkpoint names. */
    static final String REGISTER_HINT = "If the current code saved it, stamp it: mvn checkpoint:register -Dcheckpoint=<file>"
            + " (-Dbaseline=<migration> for code of an older release); training code stamps every checkpoint it saves"
            + " with the ckpt-migrations Python callback";

    private final MigrationSet migrations;
    private final MigratorOptions options;
    /** What the baseline policy stamps on a checkpoint without records; empty under the other policies. */
    private final List<MigrationDescriptor> baseline;

    /** A baseline policy naming no migration fails here, before any file is planned. */
    MigrationPlanner(MigrationSet migrations, MigratorOptions options) {
        this.migrations = migrations;
        this.options = options;
        this.baseline = options.recordless().kind() == RecordlessPolicy.Kind.BASELINE
                ? migrations.upTo(options.recordless().baseline()) : List.of();
    }

    MigrationPlan sync(List<MigrationRecord> records, boolean hasRecords) {
        String foreign = foreignApplication(records);
        if (foreign != null) {
            return incompatible(records, foreign, null);
        }
        // An empty list (register with no migration, another tool) says no more than no list at all.
        boolean recordless = !hasRecords || records.isEmpty();
        if (recordless && options.recordless().kind() == RecordlessPolicy.Kind.FAIL) {
            return incompatible(records, "it has no migration records, so which migrations it already has is unknown"
                    + " (the policy for checkpoints without records is fail). " + REGISTER_HINT + ".", null);
        }
        if (recordless && options.recordless().kind() == RecordlessPolicy.Kind.BASELINE) {
            return sync(records, baselineRecords(baseline), baseline);
        }
        return sync(records, records, List.of());
    }

    /**
     * Plans from {@code effective}, the records the checkpoint holds or, under a baseline policy, those
     * the baseline stamps; {@code registered} is what the checkpoint really holds.
     */
    private MigrationPlan sync(List<MigrationRecord> registered, List<MigrationRecord> effective, List<MigrationDescriptor> stamped) {
        List<List<MigrationDescriptor>> groups = migrations.groups();
        String incompatibility = null;
        String firstIncompatible = null;
        if (effective.isEmpty()) {
            if (groups.size() > 1) {
                firstIncompatible = groups.get(1).get(0).version(options.nextVersion());
                incompatibility = tooOld(firstIncompatible) + " It has no migration records: if it was saved by code that"
                        + " already has " + groups.get(1).get(0).name() + ", it is not too old, only unregistered. " + REGISTER_HINT + ".";
            }
        } else {
            int group = groupOf(effective.get(0).name());
            if (group < 0) {
                incompatibility = "No compatible migration available: the checkpoint's first migration "
                        + effective.get(0).name() + " is unknown to this code base.";
            } else if (group < groups.size() - 1) {
                firstIncompatible = groups.get(group + 1).get(0).version(options.nextVersion());
                incompatibility = tooOld(firstIncompatible);
            }
        }
        List<Operation> operations = new ArrayList<>();
        List<String> blockers = new ArrayList<>();
        if (incompatibility == null) {
            planSync(effective, migrations.lastGroup(), operations, blockers);
        }
        return new MigrationPlan(List.copyOf(registered), incompatibility == null, incompatibility, firstIncompatible,
                List.copyOf(operations), changedSignatures(registered), List.copyOf(blockers),
                incompatibility == null ? registrations(stamped) : List.of());
    }

    private List<Operation> registrations(List<MigrationDescriptor> stamped) {
        return stamped.stream().map(m -> new Operation(Operation.Type.REGISTER, m.name(), m.version(options.nextVersion()), m, null)).toList();
    }

    /** The records a baseline stamps, as the planner reads them. */
    private List<MigrationRecord> baselineRecords(List<MigrationDescriptor> stamped) {
        List<MigrationRecord> records = new ArrayList<>();
        for (MigrationDescriptor migration : stamped) {
            records.add(new MigrationRecord(migration.name().toString(), null, migration.isFinal(), migration.signature(),
                    null, null, null));
        }
        return records;
    }

    /**
     * Why records that name only other applications are not ours (null when they are): a checkpoint of
     * another application is refused, never rolled back. Records naming no application at all (another
     * tool's) are left to the plan.
     */
    private String foreignApplication(List<MigrationRecord> records) {
        Set<String> others = new TreeSet<>();
        for (MigrationRecord record : records) {
            Set<String> applications = record.applications();
            if (applications.contains(options.appKey())) {
                return null;
            }
            others.addAll(applications);
        }
        if (others.isEmpty()) {
            return null;
        }
        return "its migration records belong to " + (others.size() == 1 ? "the application " : "the applications ")
                + String.join(", ", others) + ", not to " + options.appKey() + " (appKey); it was refused and not changed."
                + " If it is the same application under another name, set appKey to " + others.iterator().next();
    }

    private MigrationPlan incompatible(List<MigrationRecord> records, String why, String firstIncompatible) {
        return new MigrationPlan(List.copyOf(records), false, why, firstIncompatible, List.of(), changedSignatures(records),
                List.of(), List.of());
    }

    /** Rolls back every record after {@code target}, newest first. */
    MigrationPlan rollbackTo(List<MigrationRecord> records, String target) {
        String foreign = foreignApplication(records);
        if (foreign != null) {
            return incompatible(records, foreign, null);
        }
        int index = indexOf(records, target);
        if (index < 0) {
            return blocked(records, "the checkpoint has no migration " + target + " to roll back to");
        }
        return rollbackLast(records, records.size() - 1 - index);
    }

    /** Rolls back the newest {@code count} records. */
    MigrationPlan rollbackLast(List<MigrationRecord> records, int count) {
        String foreign = foreignApplication(records);
        if (foreign != null) {
            return incompatible(records, foreign, null);
        }
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
        return new MigrationPlan(List.copyOf(records), true, null, null, List.copyOf(operations), changedSignatures(records), List.copyOf(blockers), List.of());
    }

    private MigrationPlan blocked(List<MigrationRecord> records, String why) {
        return new MigrationPlan(List.copyOf(records), true, null, null, List.of(), changedSignatures(records), List.of(why), List.of());
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
            Set<String> applications = record.applications();
            if (!applications.isEmpty() && !applications.contains(options.appKey())) {
                blockers.add(record.name() + " was recorded by " + String.join(", ", applications) + ", not by "
                        + options.appKey() + " (appKey): another application's migration is never rolled back");
            }
            if (!options.rollbackExtras()) {
                blockers.add(record.name() + " is applied in the checkpoint but unknown to this code (an extra migration),"
                        + " and rollbackExtras is false, so it is not rolled back");
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
            operations.add(new Operation(Operation.Type.MIGRATE, migration.name(), migration.version(options.nextVersion()), migration, null));
        }
    }

    private void addRollback(MigrationRecord record, List<Operation> operations, List<String> blockers) {
        MigrationDescriptor local = migrations.find(record.name());
        if (local != null && local.isReversible()) {
            operations.add(new Operation(Operation.Type.ROLLBACK, local.name(), local.version(options.nextVersion()), local, record));
            return;
        }
        if (!record.hasEmbeddedJvmRollback()) {
            blockers.add((record.hasPythonRollback()
                    ? record.name() + " has only a Python rollback, which cannot run on the JVM"
                    : record.name() + " cannot be rolled back: it has no rollback") + forgetHint(record));
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

    /** The way out of an extra that cannot be rolled back. */
    static String forgetHint(MigrationRecord record) {
        return " (if what it changed no longer matters, drop its record, noted in the history:"
                + " mvn checkpoint:forget -Dcheckpoint=<file> -Dmigration=" + record.name() + ")";
    }

    private String versionOf(MigrationRecord record) {
        String version = record.appVersion(options.appKey());
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
            context = SetupContexts.reversed(CheckpointRecords.contextOf(op.record().setupContext()));
        }
        return SetupContexts.toRelocation(context);
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
    private String tooOld(String firstIncompatibleVersion) {
        return "No compatible migration available: the checkpoint is too old. Use a version of " + options.appKey() + " < "
                + firstIncompatibleVersion + ".";
    }
}
