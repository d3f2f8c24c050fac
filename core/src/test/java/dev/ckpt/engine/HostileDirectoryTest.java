package dev.ckpt.engine;

import static dev.ckpt.engine.MigrationOracle.fixture;
import static dev.ckpt.engine.Scenarios.OLD;
import static dev.ckpt.engine.Scenarios.bytes;
import static dev.ckpt.engine.Scenarios.migrator;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ckpt.engine.scenarios.more.M1760000000_add_qux;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoint's directory may be shared with strangers: nothing planted next to a checkpoint
 * is followed or overwritten, names ckpt creates never come from the checkpoint's contents, a
 * symlinked checkpoint migrates the file it points to, and a replaced file keeps its owner,
 * group and mode (these tests run as root in CI).
 */
@Tag("torch")
class HostileDirectoryTest {
    @TempDir
    Path dir;
    @TempDir
    Path elsewhere;

    @Test
    void aSymlinkAtTheLockNameIsRefusedAndWhatItPointsToIsUntouched() throws IOException {
        Path file = fixture("fresh", dir);
        byte[] before = bytes(file);
        Path victim = Files.writeString(elsewhere.resolve("victim.txt"), "precious");
        Path lock = Files.createSymbolicLink(dir.resolve(".model.ckpt.ckpt-lock"), victim);

        FileSystemException e = assertThrows(FileSystemException.class, () -> migrator(OLD).apply(file));

        assertTrue(e.getMessage().contains("a symbolic link") && e.getMessage().contains("never writes through it"), e.getMessage());
        assertEquals("precious", Files.readString(victim));
        assertTrue(Files.isSymbolicLink(lock), "the planted link is not deleted either");
        assertArrayEquals(before, bytes(file));
    }

    @Test
    void aDanglingSymlinkAtTheLockNameCreatesNothingWhereItPoints() throws IOException {
        Path file = fixture("fresh", dir);
        Path target = elsewhere.resolve("created-by-ckpt");
        Files.createSymbolicLink(dir.resolve(".model.ckpt.ckpt-lock"), target);

        assertThrows(FileSystemException.class, () -> migrator(OLD).apply(file));

        assertTrue(Files.notExists(target, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void aHardLinkAtTheLockNameIsRefusedAndItsOtherNameKeepsItsContent() throws IOException {
        Path file = fixture("fresh", dir);
        Path victim = Files.writeString(dir.resolve("victim.txt"), "precious");
        Files.createLink(dir.resolve(".model.ckpt.ckpt-lock"), victim);

        FileSystemException e = assertThrows(FileSystemException.class, () -> migrator(OLD).apply(file));

        assertTrue(e.getMessage().contains("hard link"), e.getMessage());
        assertEquals("precious", Files.readString(victim));
    }

    @Test
    void aVersionFromTheCheckpointNeverLeadsTheBackupOutOfItsDirectory() throws IOException {
        Path file = fixture("fresh", dir);
        // records made by a stranger's code base: the newest says its application version is "/../../evil"
        new Migrator(MigrationSet.of(OLD), MigratorOptions.defaults("/../../evil").withAppKey(MigrationOracle.APP).withBackup(false)).apply(file);
        List<Class<?>> more = new ArrayList<>(OLD);
        more.add(M1760000000_add_qux.class);

        MigrationReport report = migrator(more).apply(file);

        assertEquals(dir.resolve(".ckpt-backups"), report.backup().getParent(), report.backup().toString());
        assertEquals("model-v_.._.._evil-4.ckpt.bak", report.backup().getFileName().toString());
        try (var walk = Files.list(elsewhere.getParent())) {
            assertTrue(walk.noneMatch(p -> p.getFileName().toString().contains("evil")));
        }
    }

    @Test
    void aSymlinkedCheckpointMigratesTheFileItPointsToAndStaysALink() throws IOException {
        Path real = fixture("fresh", elsewhere);
        Path link = Files.createSymbolicLink(dir.resolve("last.ckpt"), real);

        MigrationReport report = migrator(OLD).apply(link);

        assertTrue(Files.isSymbolicLink(link));
        assertEquals(real.toRealPath(), Files.readSymbolicLink(link).toRealPath());
        assertEquals(4, Scenarios.recordNames(real).size(), "the target is migrated");
        assertTrue(report.warnings().stream().anyMatch(w -> w.contains("is a symbolic link")), report.warnings().toString());
        assertEquals(real.toRealPath().getParent().resolve(".ckpt-backups"), report.backup().getParent(), "the backup is beside the real file");
        try (var names = Files.list(dir)) {
            assertEquals(List.of(link), names.toList(), "nothing is left beside the link");
        }
    }

    @Test
    void oneFileReachedThroughASymlinkedDirectoryIsMigratedOnceInABatch() throws Exception {
        Path file = fixture("fresh", dir);
        Path alias = Files.createSymbolicLink(elsewhere.resolve("alias"), dir);

        Migrator.BatchResult result = migrator(OLD).applyAll(List.of(file, alias.resolve("model.ckpt")), 2);

        assertEquals(Map.of(), result.failures());
        assertEquals(1, result.reports().size(), "the second path is the same file");
        assertEquals(4, Scenarios.recordNames(file).size());
    }

    @Test
    void aReplacedCheckpointKeepsItsOwnerGroupModeAndExtendedAttributes() throws IOException {
        Path file = fixture("fresh", dir);
        UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
        boolean root = "root".equals(System.getProperty("user.name"));
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        UserPrincipal owner = root ? users.lookupPrincipalByName("nobody") : view.getOwner();
        GroupPrincipal group = root ? users.lookupPrincipalByGroupName("nogroup") : view.readAttributes().group();
        view.setOwner(owner);
        view.setGroup(group);
        view.setPermissions(PosixFilePermissions.fromString("rw-r-----"));
        boolean xattrs = Files.getFileStore(file).supportsFileAttributeView(java.nio.file.attribute.UserDefinedFileAttributeView.class);
        if (xattrs) {
            Files.getFileAttributeView(file, java.nio.file.attribute.UserDefinedFileAttributeView.class)
                    .write("origin", java.nio.ByteBuffer.wrap("run 7".getBytes()));
        }

        migrator(OLD).apply(file);

        PosixFileAttributeView after = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        assertEquals(owner, after.getOwner());
        assertEquals(group, after.readAttributes().group());
        assertEquals("rw-r-----", PosixFilePermissions.toString(after.readAttributes().permissions()));
        if (xattrs) {
            var attrs = Files.getFileAttributeView(file, java.nio.file.attribute.UserDefinedFileAttributeView.class);
            java.nio.ByteBuffer value = java.nio.ByteBuffer.allocate(attrs.size("origin"));
            attrs.read("origin", value);
            assertEquals("run 7", new String(value.array()));
        }
    }
}
