/**
 * The status report of a directory of checkpoints against a code base's migrations
 * ({@code DirectoryReport}): per file its status, application version, size, last migration, age,
 * history and tensor bytes per module, rendered as one self-contained HTML page ({@code ReportPage})
 * that needs no network and runs no script.
 */
package dev.ckpt.report;
