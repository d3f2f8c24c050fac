package dev.ckpt.report;

/** How many checkpoints of the report have one status: the summary above the table. */
public record StatusCount(CheckpointStatus status, long count) {
}
