/**
 * The structural difference between two checkpoints ({@link dev.ckpt.diff.CheckpointDiff}), and the
 * migration that turns the old one into the new one's shape ({@link dev.ckpt.diff.DiffMigration}):
 * what the plugin's {@code diff} goal reports and, with {@code -Dcreate}, writes.
 */
package dev.ckpt.diff;
