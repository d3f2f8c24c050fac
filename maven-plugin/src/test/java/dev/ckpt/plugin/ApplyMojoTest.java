package dev.ckpt.plugin;

import static dev.ckpt.plugin.TestProjects.RECORD;
import static dev.ckpt.plugin.TestProjects.RENAME;
import static dev.ckpt.plugin.TestProjects.checkpoint;
import static dev.ckpt.plugin.TestProjects.records;
import static dev.ckpt.plugin.TestProjects.stateDictKeys;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ckpt.io.CheckpointLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.maven.api.di.Provides;
import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoParameter;
import org.apache.maven.api.plugin.testing.MojoTest;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code checkpoint:apply}: which checkpoints it takes, what it prints, and how each error reaches the
 * build. The migrations are the test fixtures; the checkpoints are written by TorchCheckpoint.create.
 */
@MojoTest
class ApplyMojoTest {
    private static final String FILE_SET = "<project><build><plugins><plugin>"
            + "<artifactId>checkpoint-maven-plugin</artifactId><configuration>"
            + "<migrationsPackage>dev.ckpt.plugin.fixtures.basic</migrationsPackage>"
            + "<threads>2</threads>"
            + "<checkpoints><directory>checkpoints</directory>"
            + "<includes><include>*.ckpt</include></includes>"
            + "</checkpoints></configuration></plugin></plugins></build></project>";

    @TempDir
    Path basedir;

    private MavenProject project;
    private final RecordingLog log = new RecordingLog();

    @Provides
    MavenProject project() {
        project = TestProjects.project(basedir);
        return project;
    }

    @Test
    @InjectMojo(goal = "apply")
    @MojoParameter(name = "migrationsPackage", value = TestProjects.BASIC)
    @MojoParameter(name = "checkpoint", value = "last.ckpt")
    void migratesTheCheckpointAndPrintsEachOperationLikeTheReference(ApplyMojo mojo) throws Exception {
        Path file = checkpoint(basedir.resolve("last.ckpt"));
        mojo.setLog(log);
        mojo.execute();
        assertEquals(List.of(RENAME, RECORD), records(file));
        assertEquals(List.of("model.backbone.weight", "model.head.weight"), stateDictKeys(file));
        assertTrue(log.lines.contains("[info]   + MIGRATE " + RENAME + " [v1.0.0]"), log.text());
        assertTrue(log.lines.contains("[info]   + MIGRATE " + RECORD + " [v1.1.0]"), log.text()); // %NEXT_VERSION% = project version
        assertTrue(log.lines.contains("[info]   original kept as .ckpt-backups/last-v0.ckpt.bak ("
                + Sizes.human(Files.size(basedir.resolve(".ckpt-backups/last-v0.ckpt.bak"))) + " kept on disk until it is deleted)"), log.text());
        assertTrue(log.lines.stream().anyMatch(l -> l.matches("\\[info\\]   rewritten: [0-9.]+ k?B in \\d+\\.\\d\\d s")), log.text());
    }

    @Test
    @InjectMojo(goal = "apply")
    @MojoParameter(name = "migrationsPackage", value = TestProjects.BASIC)
    @MojoParameter(name = "checkpoint", value = "last.ckpt")
    void takesTheTensorDataOverAsItIsAndSaysWhatItWrote(ApplyMojo mojo) throws Exception {
        Path file = withTensor(checkpoint(basedir.resolve("last.ckpt")));
        mojo.setLog(log);
        mojo.execute();
        long dead = dev.ckpt.torch.TorchCheckpoint.deadBytes(file);
        assertTrue(dead > 0, "the old pickle stays behind");
        assertTrue(log.lines.stream().anyMatch(line -> line.startsWith("[info]   wrote ") && line.contains(" taken over as they were (")
                && line.endsWith(dev.ckpt.io.HumanSize.of(dead) + " dead (-Dcheckpoint.compact drops them)")), log.text());
    }

    @Test
    @InjectMojo(goal = "apply")
    @MojoParameter(name = "migrationsPackage", value = TestProjects.BASIC)
    @MojoParameter(name = "checkpoint", value = "last.ckpt")
    @MojoParameter(name = "compact", value = "true")
    void compactWritesEveryRecordAnewAndLeavesNoDeadBytes(ApplyMojo mojo) throws Exception {
        Path file = withTensor(checkpoint(basedir.resolve("last.ckpt")));
        mojo.setLog(log);
        mojo.execute();
        assertEquals(0, dev.ckpt.torch.TorchCheckpoint.deadBytes(file));
        assertTrue(log.lines.contains("[info]   wrote " + Sizes.human(Files.size(file)) + " (every record anew)"), log.text());
        assertEquals(List.of(RENAME, RECORD), records(file));
    }

    /** The test checkpoint with a tensor (so there are storages to take over), 64 KiB of float32. */
    private static Path withTensor(Path file) throws java.io.IOException {
        try (dev.ckpt.torch.TorchCheckpoint archive = dev.ckpt.torch.TorchCheckpoint.open(file)) {
            float[] values = new float[16384];
            java.util.Arrays.fill(values, 0.5f);
            archive.rootDict().put("ema", archive.newTensor(dev.ckpt.torch.DType.FLOAT32, new long[] {values.length},
                    dev.ckpt.torch.TorchCheckpoint.fromFloats(values)).value());
            archive.write(file);
        }
        return file;
    }

    @Test
    @InjectMojo(goal = "apply")
    @MojoParameter(name = "migrationsPackage", value = TestProjects.BASIC)
    @MojoParameter(name = "checkpoint", value = "last.ckpt")
    void saysAlreadyUpToDateTheSecondTime(ApplyMojo mojo) throws Exception {
        checkpoint(basedir.resolve("last.ckpt"));
        mojo.execute();
        mojo.setLog(log);
        mojo.execute();
        assertTrue(log.lines.contains("[info]   already up to date"), log.text());
    }

    @Test
    @InjectMojo(goal = "apply")
    @MojoParameter(name = "migrationsPackage", value = TestProjects.BASIC)
    @MojoParameter(name = "checkpoint", value = "last.ckpt")
    @MojoParameter(name = "dryRun", value = "true")
    void aDryRunPrintsThePlanAndWritesNothing(ApplyMojo mojo) throws Exception {
        Path file = checkpoint(basedir.resolve("last.ckpt"));
        byte[] before = Files.readAllBytes(file);
        mojo.setLog(log);
        mojo.execute();
        assertArrayEquals(before, Files.readAllBytes(file));
        assertTrue(log.lines.contains("[info] last.ckpt (dry run: nothing written)"), log.text());
        assertTrue(log.lines.contains("[info]   + MIGRATE " + RENAME + " [v1.0.0]"), log.text());
        assertFalse(Files.exists(basedir.resolve("last-v0.ckpt")));
    }

    @Test
    @InjectMojo(goal = "apply")
    @MojoParameter(name = "migrationsPackage", value = TestProjects.BASIC)
    @MojoParameter(name = "checkpoint", value = "last.ckpt")
    @MojoParameter(name = "backup", value = "false")
    void backupCanBeTurnedOff(ApplyMojo mojo) throws Exception {
        checkpoint(basedir.resolve("last.ckpt"));
        mojo.execute();
        try (var files = Files.list(basedir)) {
            assertEquals(List.of("last.ckpt"), files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".ckpt")).toList());
        }
    }

    @Test
    @InjectMojo(goal = "apply")
    @MojoParameter(name = "migrationsPackage", value = TestProjects.BASIC)
    @MojoParameter(name = "checkpoint", value = "last.ckpt")
    @MojoParameter(name = "lockTimeout", value = "0")
    void aCheckpointLockedByAnotherRunFailsTheBuildNamingTheLock(ApplyMojo mojo) throws Exception {
        Path file = checkpoint(basedir.resolve("last.ckpt"));
        byte[] before = Files.readAllBytes(file);
        try (CheckpointLock other = CheckpointLock.acquire(file, Duration.ZERO)) {
            MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
            assertTrue(e.getMessage().contains("is migrating this checkpoint (it holds the lock " + other.lockFile()), e.getMessage());
        }
        assertArrayEquals(before, Files.readAllBytes(file));
    }

    @Test
    @InjectMojo(goal = "apply")
    @MojoParameter(name = "migrationsPackage", value = TestProjects.BASIC)
    @MojoParameter(name = "checkpoint", value = "last.ckpt")
    @MojoParameter(name = "lockTimeout", value = "-1")
    void aNegativeLockTimeoutIsRefused(ApplyMojo mojo) throws Exception {
        checkpoint(basedir.resolve("last.ckpt"));
        MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
        assertEquals("lockTimeout must be 0 (fail at once) or more seconds, not -1", e.getMessage());
    }

    @Test
    @InjectMojo(goal = "apply")
    @MojoParameter(name = "migrationsPackage", value = TestProjects.BASIC)
    void withoutCheckpointOrFileSetFailsSayingWhatToGive(ApplyMojo mojo) {
        MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
        assertTrue(e.getMessage().contains("-Dcheckpoint=PATH") && e.getMessage().contains("<checkpoints>"), e.getMessage());
    }

    @Test
    @InjectMojo(goal = "apply")
    @MojoParameter(name = "migrationsPackage", value = TestProjects.BASIC)
    @MojoParameter(name = "checkpoint", value = "nowhere.ckpt")
    void aMissingCheckpointFileFailsNamingIt(ApplyMojo mojo) {
        MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
        assertTrue(e.getMessage().startsWith("No checkpoint file at ") && e.getMessage().contains("nowhere.ckpt"), e.getMessage());
    }

    @Test
    @InjectMojo(goal = "apply")
    @MojoParameter(name = "migrationsPackage", value = TestProjects.FINAL_GROUP)
    @MojoParameter(name = "checkpoint", value = "old.ckpt")
    void aCheckpointTooOldFailsTheBuildWithTheReferencesMessage(ApplyMojo mojo) throws Exception {
        Path file = checkpoint(basedir.resolve("old.ckpt"), "1700000000_old_layout");
        byte[] before = Files.readAllBytes(file);
        MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
        assertEquals(file + ": No compatible migration available: the checkpoint is too old. Use a version of demo-model < 1.0.0.",
                e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(file));
    }

    @Test
    @InjectMojo(goal = "apply")
    @MojoParameter(name = "migrationsPackage", value = "com.example.nothing.here")
    @MojoParameter(name = "checkpoint", value = "last.ckpt")
    void refusesToRunWithoutAnyMigrationRatherThanTreatEveryRecordAsExtra(ApplyMojo mojo) throws Exception {
        checkpoint(basedir.resolve("last.ckpt"), RENAME);
        MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
        assertTrue(e.getMessage().startsWith("No migrations in package com.example.nothing.here"), e.getMessage());
    }

    @Test
    @InjectMojo(goal = "apply")
    @MojoParameter(name = "migrationsPackage", value = TestProjects.BASIC)
    @MojoParameter(name = "checkpoint", value = "last.ckpt")
    void refusesToRunBeforeTheProjectIsCompiled(ApplyMojo mojo) throws Exception {
        checkpoint(basedir.resolve("last.ckpt"));
        project.getBuild().setOutputDirectory(basedir.resolve("target/classes").toString());
        MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
        assertTrue(e.getMessage().contains("mvn compile checkpoint:apply"), e.getMessage());
    }

    @Test
    @InjectMojo(goal = "apply", pom = FILE_SET)
    void migratesEveryCheckpointOfTheFileSetButTheBackups(ApplyMojo mojo) throws Exception {
        Path a = checkpoint(basedir.resolve("checkpoints/a.ckpt"));
        Path b = checkpoint(basedir.resolve("checkpoints/b.ckpt"));
        Path other = checkpoint(basedir.resolve("checkpoints/notes.pt"));
        mojo.setLog(log);
        mojo.execute();
        assertEquals(List.of(RENAME, RECORD), records(a));
        assertEquals(List.of(RENAME, RECORD), records(b));
        assertEquals(List.of(), records(other));
        assertTrue(log.lines.contains("[info] Migrating 2 checkpoints, 2 at a time"), log.text());
        assertTrue(log.lines.contains("[info] checkpoints/a.ckpt"), log.text());
        assertTrue(log.lines.contains("[info] Skipped checkpoints/notes.pt: matched by no include of [*.ckpt]"), log.text());
        assertTrue(log.lines.stream().anyMatch(l -> l.startsWith("[info] 2 of 2 checkpoints migrated or up to date (2 rewritten, 0 unchanged), 0 failed, in ")),
                log.text());

        RecordingLog second = new RecordingLog();
        mojo.setLog(second);
        mojo.execute(); // the backups (.ckpt-backups/a-v0.ckpt.bak) match no checkpoint pattern: no exclude needed
        assertEquals(List.of(), records(basedir.resolve("checkpoints/.ckpt-backups/a-v0.ckpt.bak")));
        assertEquals(2, second.lines.stream().filter(l -> l.equals("[info]   already up to date")).count(), second.text());
        assertTrue(second.lines.stream().anyMatch(l -> l.startsWith("[info] 2 of 2 checkpoints migrated or up to date (0 rewritten, 2 unchanged)")),
                second.text());
    }

    @Test
    @InjectMojo(goal = "apply", pom = FILE_SET)
    void aBatchMigratesTheGoodCheckpointsThenFailsListingEachBadOne(ApplyMojo mojo) throws Exception {
        Path good = checkpoint(basedir.resolve("checkpoints/good.ckpt"));
        Path broken = basedir.resolve("checkpoints/broken.ckpt");
        Files.writeString(broken, "not a checkpoint");
        Path old = checkpoint(basedir.resolve("checkpoints/foreign.ckpt"), "1600000000_elsewhere");
        mojo.setLog(log);
        MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
        assertEquals(List.of(RENAME, RECORD), records(good));
        assertEquals("not a checkpoint", Files.readString(broken));
        assertEquals(List.of("1600000000_elsewhere"), records(old));
        assertTrue(e.getMessage().startsWith("2 of 3 checkpoints could not be migrated (the other 1 were; each failed file is unchanged)"),
                e.getMessage());
        assertTrue(e.getMessage().contains("checkpoints/broken.ckpt: "), e.getMessage());
        assertTrue(e.getMessage().contains("checkpoints/foreign.ckpt: No compatible migration available: the checkpoint's first"
                + " migration 1600000000_elsewhere is unknown to this code base."), e.getMessage());
        assertTrue(log.lines.stream().anyMatch(l -> l.startsWith("[error] checkpoints/broken.ckpt: ")), log.text());
        assertTrue(log.lines.contains("[info]   + MIGRATE " + RENAME + " [v1.0.0]"), log.text());
    }

    @Test
    @InjectMojo(goal = "apply", pom = FILE_SET)
    void aFileSetWithoutCheckpointsIsNothingToMigrateNotAnError(ApplyMojo mojo) throws Exception {
        mojo.setLog(log);
        mojo.execute();
        assertTrue(log.lines.contains("[info] No checkpoint matches the checkpoints file set in checkpoints (no such directory):"
                + " nothing to migrate"), log.text());
    }

    @Test
    @InjectMojo(goal = "apply", pom = FILE_SET)
    @MojoParameter(name = "checkpoint", value = "elsewhere/last.ckpt")
    void anExplicitCheckpointTakesPrecedenceOverTheFileSet(ApplyMojo mojo) throws Exception {
        Path explicit = checkpoint(basedir.resolve("elsewhere/last.ckpt"));
        Path inSet = checkpoint(basedir.resolve("checkpoints/a.ckpt"));
        mojo.execute();
        assertEquals(List.of(RENAME, RECORD), records(explicit));
        assertEquals(List.of(), records(inSet));
    }

    @Test
    @InjectMojo(goal = "apply")
    @MojoParameter(name = "migrationsPackage", value = TestProjects.BASIC)
    @MojoParameter(name = "checkpoint", value = "last.ckpt")
    @MojoParameter(name = "skip", value = "true")
    void skipLeavesTheCheckpointAlone(ApplyMojo mojo) throws Exception {
        Path file = checkpoint(basedir.resolve("last.ckpt"));
        mojo.execute();
        assertEquals(List.of(), records(file));
    }
}
