package dev.ckpt.it.reliability;

import static dev.ckpt.it.reliability.FaultCheckpoints.sha256;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An {@link ApplyProcess} run by a user who may not read the checkpoint, may not create files in
 * its directory, or may not even enter that directory, fails with "permission denied" naming the
 * checkpoint or the directory; the checkpoint stays byte-identical and nothing is added to the
 * directory. The same user migrates
 * a checkpoint in a directory of its own (checked with torch.load), so it is the permissions that
 * fail the other runs, not the setup. Root would be allowed everything, so the runs are made as
 * nobody with setpriv, which needs root; the tests are skipped without it.
 */
class PermissionTest {
    private static final int NOBODY = 65534;
    private static final Duration RUN = Duration.ofSeconds(60);

    /** Readable by nobody: a copy of the test class path (root's ~/.m2 is private). */
    @TempDir
    static Path shared;
    private static String classPath;
    private static Path original;

    @TempDir
    Path dir;

    @BeforeAll
    static void copyClassPathForNobody() throws Exception {
        assumeTrue(FaultCheckpoints.isRoot(), "running the apply as nobody (setpriv) needs root");
        worldReadable(shared);
        classPath = copyClassPath(shared.resolve("class-path"));
        original = FaultCheckpoints.make(shared.resolve("model.ckpt"), 4);
    }

    @BeforeEach
    void letNobodyIn() throws IOException {
        worldReadable(dir); // JUnit makes it private to root
    }

    @Test
    void anUnreadableCheckpointFailsWithPermissionDeniedNamingIt() throws Exception {
        Path home = ownedByNobody(Files.createDirectory(dir.resolve("home")));
        Path file = Files.copy(original, home.resolve("model.ckpt"));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
        String before = sha256(file);

        applyAsNobody(file).assertFailure(file, "permission denied", file.toString());
        assertEquals(before, sha256(file));
        assertEquals(List.of(file), list(home));
    }

    @Test
    void aDirectoryNobodyMayNotWriteFailsWithPermissionDeniedNamingIt() throws Exception {
        Path readOnly = worldReadable(Files.createDirectory(dir.resolve("read-only")));
        Path file = Files.copy(original, readOnly.resolve("model.ckpt"));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        String before = sha256(file);

        String message = applyAsNobody(file).assertFailure(file, "permission denied");
        // The directory's path, not just as the start of the checkpoint's path.
        assertTrue(message.replace(file.toString(), "").contains(readOnly.toString()),
                () -> "the message does not name the directory " + readOnly + ": " + message);
        assertEquals(before, sha256(file));
        assertEquals(List.of(file), list(readOnly));
    }

    @Test
    void aDirectoryNobodyMayNotEnterFailsWithPermissionDenied() throws Exception {
        Path closed = Files.createDirectory(dir.resolve("closed"));
        Path file = Files.copy(original, closed.resolve("model.ckpt"));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("rwx------"));
        String before = sha256(file);

        // Not "no such file": the file is there, nobody just may not look.
        applyAsNobody(file).assertFailure(file, "permission denied", closed.toString());
        assertEquals(before, sha256(file));
        assertEquals(List.of(file), list(closed));
    }

    @Test
    void nobodyMigratesACheckpointInItsOwnDirectory() throws Exception {
        Path home = ownedByNobody(Files.createDirectory(dir.resolve("home")));
        Path file = ownedByNobody(Files.copy(original, home.resolve("model.ckpt")));

        FaultProcess.Result apply = applyAsNobody(file);
        assertEquals(0, apply.exit(), apply::toString);
        assertEquals("migrated", FaultCheckpoints.check(file, FaultCheckpoints.manifest(original)));
    }

    private static FaultProcess.Result applyAsNobody(Path file) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups",
                ApplyProcesses.java().toString(), "-Xmx256m", "-cp", classPath, ApplyProcess.class.getName(), "--no-backup", file.toString())
                .directory(shared.toFile());
        try (FaultProcess process = FaultProcess.start(builder)) {
            return process.await(RUN);
        }
    }

    /** Copies each class path entry (jar or directory) under {@code target}, readable by all. */
    private static String copyClassPath(Path target) throws IOException {
        List<String> copies = new ArrayList<>();
        worldReadable(Files.createDirectory(target));
        for (String entry : ApplyProcesses.classPath().split(File.pathSeparator)) {
            Path source = Path.of(entry);
            if (entry.isEmpty() || !Files.exists(source)) {
                continue;
            }
            Path copy = target.resolve(copies.size() + "-" + source.getFileName());
            try (Stream<Path> files = Files.walk(source)) {
                for (Path from : (Iterable<Path>) files::iterator) {
                    worldReadable(Files.copy(from, copy.resolve(source.relativize(from).toString())));
                }
            }
            copies.add(copy.toString());
        }
        return String.join(File.pathSeparator, copies);
    }

    private static Path worldReadable(Path path) throws IOException {
        return Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(Files.isDirectory(path) ? "rwxr-xr-x" : "rw-r--r--"));
    }

    private static Path ownedByNobody(Path path) throws IOException {
        Files.setAttribute(path, "unix:uid", NOBODY);
        return Files.setAttribute(path, "unix:gid", NOBODY);
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }
}
