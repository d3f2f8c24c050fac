package dev.ckpt.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * What the engine would do to one checkpoint, as data that {@code inspect} prints and
 * {@code apply} carries out: the records the checkpoint holds, which migrations are missing
 * (to run, in order) and extra (to roll back, newest first), its compatibility, migrations whose
 * code changed since they ran, and anything that blocks the plan.
 *
 * @param registered               records in the checkpoint, oldest first
 * @param compatible               false when the checkpoint is too old (or of another lineage)
 * @param incompatibility          why not, in the reference's words; null when compatible
 * @param firstIncompatibleVersion the first version the checkpoint cannot reach, or null
 * @param operations               rollbacks then migrations, in the order they run
 * @param changedSignatures        migrations that ran with code that has changed since
 * @param blockers                 why the operations cannot all run (e.g. a missing rollback)
 * @param baseline                 migrations to register as applied (REGISTER), without running them, before
 *                                 the operations (a checkpoint without records under a baseline policy)
 */
public record MigrationPlan(List<MigrationRecord> registered, boolean compatible, String incompatibility,
                            String firstIncompatibleVersion, List<Operation> operations,
                            List<String> changedSignatures, List<String> blockers, List<Operation> baseline) {

    public List<Operation> missing() {
        return operations.stream().filter(op -> op.type() == Operation.Type.MIGRATE).toList();
    }

    public List<Operation> extra() {
        return operations.stream().filter(op -> op.type() == Operation.Type.ROLLBACK).toList();
    }

    /**
     * The names of the records to roll back, newest first: those with a rollback operation and, when
     * the plan is compatible, records another tool wrote under a name no migration can have (such as
     * the reference's "dummy"). The code cannot know those, so they are extra too; they only have no
     * operation because they cannot be one, and the blockers say why.
     */
    public List<String> extraNames() {
        List<String> withOperation = extra().stream().map(op -> op.name().toString()).toList();
        List<String> names = new ArrayList<>();
        for (int i = registered.size() - 1; i >= 0; i--) {
            String name = registered.get(i).name();
            if (withOperation.contains(name) || compatible && !MigrationName.isValid(name)) {
                names.add(name);
            }
        }
        return names;
    }

    public boolean isUpToDate() {
        return compatible && operations.isEmpty() && baseline.isEmpty() && blockers.isEmpty();
    }

    public boolean canRun() {
        return compatible && blockers.isEmpty();
    }
}
