package dev.ckpt.it.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * An XFS file system with reflinks ({@code mkfs.xfs -m reflink=1}, from Debian's xfsprogs) in a
 * sparse image file, loop-mounted for one test: where {@code copy_file_range} clones blocks
 * instead of copying them. Mounting needs root; without it the tests are skipped with a message,
 * as the tmpfs ones are.
 */
final class XfsReflinkMount implements AutoCloseable {
    private static final Duration RUN = Duration.ofSeconds(60);

    private final Path image;
    private final Path mountPoint;

    private XfsReflinkMount(Path image, Path mountPoint) {
        this.image = image;
        this.mountPoint = mountPoint;
    }

    /** Formats a sparse image of {@code gigabytes} in {@code dir} and mounts it at {@code dir/xfs}. */
    static XfsReflinkMount create(Path dir, int gigabytes) throws IOException, InterruptedException {
        assumeTrue(FaultCheckpoints.isRoot(), "mounting an XFS loop image needs root");
        Path image = dir.resolve("xfs.img");
        Path mountPoint = Files.createDirectories(dir.resolve("xfs"));
        run(List.of("truncate", "-s", gigabytes + "G", image.toString()));
        run(List.of("mkfs.xfs", "-q", "-f", "-m", "reflink=1", image.toString()));
        run(List.of("mount", "-o", "loop", image.toString(), mountPoint.toString()));
        return new XfsReflinkMount(image, mountPoint);
    }

    Path root() {
        return mountPoint;
    }

    /** Bytes in use on the file system, after a sync: what {@code df} shows as used. */
    long usedBytes() throws IOException, InterruptedException {
        run(List.of("sync", "-f", mountPoint.toString()));
        var store = Files.getFileStore(mountPoint);
        return store.getTotalSpace() - store.getUnallocatedSpace();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        run(List.of("umount", mountPoint.toString()));
        Files.delete(image);
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        FaultProcess.Result result = FaultProcess.run(RUN, command);
        assertEquals(0, result.exit(), result::toString);
    }
}
