package dev.ckpt.report;

import dev.ckpt.engine.CheckpointInspection;
import dev.ckpt.engine.MigrationPlan;
import dev.ckpt.engine.MigrationRecord;
import dev.ckpt.engine.MigrationSet;
import dev.ckpt.engine.Migrator;
import dev.ckpt.engine.MigratorOptions;
import dev.ckpt.engine.Operation;
import dev.ckpt.torch.TorchCheckpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Examines one checkpoint for the report, reading it only: its plan, its history, its tensors. */
final class CheckpointSurvey {
    private final MigrationSet migrations;
    private final Migrator migrator;
    private final String appKey;
    private final int moduleDepth;
    private final Clock clock;

    CheckpointSurvey(MigrationSet migrations, MigratorOptions options, int moduleDepth, Clock clock) {
        this.migrations = migrations;
        this.migrator = new Migrator(migrations, options);
        this.appKey = options.appKey();
        this.moduleDepth = moduleDepth;
        this.clock = clock;
    }

    ReportEntry examine(Path directory, Path file) {
        String name = directory.relativize(file).toString();
        long bytes = -1;
        Duration age = Duration.ZERO;
        try {
            bytes = Files.size(file);
            age = Duration.between(Files.getLastModifiedTime(file).toInstant(), clock.instant());
            MigrationPlan plan = migrator.plan(file);
            List<HistoryStep> history = CheckpointInspection.of(file).history().stream().map(HistoryStep::parse).toList();
            List<ModuleSize> modules;
            try (TorchCheckpoint archive = TorchCheckpoint.open(file)) {
                modules = TensorSizes.perModule(archive.root(), moduleDepth);
            }
            List<MigrationRecord> records = plan.registered();
            MigrationRecord newest = records.isEmpty() ? null : records.get(records.size() - 1);
            List<String> extra = extraNames(plan);
            return new ReportEntry(name, statusOf(plan, extra), detailOf(plan, extra), newest == null ? null : newest.appVersion(appKey),
                    bytes, newest == null ? null : newest.name(), age, history, modules);
        } catch (IOException | RuntimeException e) {
            // The report goes on with the other files: an unreadable one is a row saying why.
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            return new ReportEntry(name, CheckpointStatus.FAILED, message, null, Math.max(bytes, 0), null, age, List.of(), List.of());
        }
    }

    /**
     * The plan's extra records, newest first, and those of migrations this code does not have that the
     * plan cannot roll back (no rollback kept with them): extra all the same, with a blocker saying why.
     */
    private List<String> extraNames(MigrationPlan plan) {
        List<String> names = new ArrayList<>(plan.extraNames());
        List<MigrationRecord> records = plan.registered();
        for (int i = records.size() - 1; i >= 0; i--) {
            String name = records.get(i).name();
            if (migrations.find(name) == null && !names.contains(name)) {
                names.add(name);
            }
        }
        return names;
    }

    private static CheckpointStatus statusOf(MigrationPlan plan, List<String> extra) {
        if (!plan.compatible()) {
            return CheckpointStatus.INCOMPATIBLE;
        }
        if (!extra.isEmpty()) {
            return CheckpointStatus.EXTRA;
        }
        return plan.isUpToDate() ? CheckpointStatus.UP_TO_DATE : CheckpointStatus.PENDING;
    }

    private static String detailOf(MigrationPlan plan, List<String> extra) {
        if (!plan.compatible()) {
            return plan.incompatibility();
        }
        List<String> parts = new ArrayList<>();
        if (!extra.isEmpty()) {
            parts.add("to roll back: " + String.join(", ", extra));
        }
        if (!plan.baseline().isEmpty()) {
            parts.add("to stamp as a baseline: " + names(plan.baseline()));
        }
        if (!plan.missing().isEmpty()) {
            parts.add("to run: " + names(plan.missing()));
        }
        plan.blockers().forEach(blocker -> parts.add("blocked: " + blocker));
        if (!plan.changedSignatures().isEmpty()) {
            parts.add("code changed since it ran: " + String.join(", ", plan.changedSignatures()));
        }
        return String.join("; ", parts);
    }

    private static String names(List<Operation> operations) {
        return String.join(", ", operations.stream().map(op -> op.name().toString()).toList());
    }
}
