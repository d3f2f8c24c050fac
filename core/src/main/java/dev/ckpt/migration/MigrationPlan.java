package dev.ckpt.migration;

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

    public boolean isUpToDate() {
        return compatible && operations.isEmpty() && baseline.isEmpty() && blockers.isEmpty();
    }

    public boolean canRun() {
        return compatible && blockers.isEmpty();
    }
}
