/**
 * The migration engine: discovery and ordering ({@code MigrationSet}), plans
 * ({@code MigrationPlanner}), applying and rolling back ({@code Migrator}), the records and history
 * inside a checkpoint, signatures and the manifest. The Maven plugin drives it; migrations never
 * need it.
 */
package dev.ckpt.engine;
