package dev.ckpt.it.reliability;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;

/**
 * {@link CrashTest} on XFS with reflinks, where the rewrite clones the tensor data instead of
 * copying it ({@code copy_file_range}): the temp file is complete within milliseconds, and a kill
 * at any moment must still leave the original or the whole migrated checkpoint. The tally goes
 * to {@code target/reliability/crash-xfs.txt}.
 */
class XfsCrashTest extends CrashTest {
    private XfsReflinkMount xfs;

    @Override
    protected Path workDirectory(Path scratch) throws Exception {
        xfs = XfsReflinkMount.create(scratch, 2);
        return Files.createDirectory(xfs.root().resolve("work"));
    }

    @Override
    protected String reportName() {
        return "crash-xfs.txt";
    }

    @AfterEach
    void unmount() throws Exception {
        if (xfs != null) {
            xfs.close();
        }
    }
}
