package dev.ckpt.it.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ckpt.engine.MigrationReport;
import dev.ckpt.engine.MigrationSet;
import dev.ckpt.engine.Migrator;
import dev.ckpt.engine.MigratorOptions;
import dev.ckpt.io.SameOffsetCopy;
import dev.ckpt.torch.TorchCheckpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a file system with reflinks an apply costs the disk what it changes: a 200 MB checkpoint on
 * XFS ({@code reflink=1}) migrated with its original kept as a backup (a hard link) takes the
 * tensor data over as clones, so the disk use grows by the bytes written anew, not by the file.
 * The real torch then reads the migrated checkpoint, every tensor checked.
 */
class ReflinkApplyTest {
    private static final int MEGABYTES = 200;
    /** XFS's own bookkeeping of a new file and its shared extents: its inode, extent and refcount btrees, the log. */
    private static final long FILE_SYSTEM_SLACK = 4L << 20;

    @TempDir
    Path dir;

    @Test
    void anApplyOnXfsGrowsTheDiskUseByTheBytesWrittenAnewOnly() throws Exception {
        Path pristine = FaultCheckpoints.make(dir.resolve("pristine.ckpt"), MEGABYTES);
        try (XfsReflinkMount xfs = XfsReflinkMount.create(dir, 2);
             CrashChecker checker = new CrashChecker(FaultCheckpoints.manifest(pristine), dir.resolve("checker.log"))) {
            Path file = Files.copy(pristine, xfs.root().resolve("model.ckpt"));
            long before = xfs.usedBytes();
            MigrationSet migrations = MigrationSet.discover(getClass().getClassLoader(), "dev.ckpt.it.reliability.migrations");
            MigrationReport report = new Migrator(migrations, MigratorOptions.defaults("2.0.0")).apply(file);
            long growth = xfs.usedBytes() - before;

            assertEquals(SameOffsetCopy.Method.COPY_FILE_RANGE, report.rewrite().copyMethod());
            assertTrue(report.rewrite().clonedBytes() > MEGABYTES / 2 * 1_000_000L, report.rewrite().toString());
            assertTrue(report.backup() != null && Files.isRegularFile(report.backup()), "the original is kept as a backup");
            assertTrue(growth <= report.rewrite().writtenBytes() + FILE_SYSTEM_SLACK, "the disk use grew by " + growth
                    + " bytes for " + report.rewrite().writtenBytes() + " bytes written anew (" + report.rewrite() + ")");
            assertEquals(report.rewrite().deadBytes(), TorchCheckpoint.deadBytes(file));
            assertEquals("migrated", checker.check(file));
        }
    }
}
