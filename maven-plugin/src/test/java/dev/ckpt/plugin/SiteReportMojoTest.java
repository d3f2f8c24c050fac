package dev.ckpt.plugin;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** mvn site goes on without the checkpoints page in a project that has no checkpoints directory. */
class SiteReportMojoTest {
    @TempDir
    Path dir;

    @Test
    void theReportIsOnlyMadeForAnExistingCheckpointsDirectoryAndWhenNotSkipped() {
        SiteReportMojo report = new SiteReportMojo();
        report.checkpoints = dir.resolve("checkpoints").toFile();
        assertFalse(report.canGenerateReport());
        report.checkpoints = dir.toFile();
        assertTrue(report.canGenerateReport());
        report.skip = true;
        assertFalse(report.canGenerateReport());
    }
}
