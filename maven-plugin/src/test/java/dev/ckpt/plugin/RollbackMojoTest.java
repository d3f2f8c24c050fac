package dev.ckpt.plugin;

import static dev.ckpt.plugin.TestProjects.RECORD;
import static dev.ckpt.plugin.TestProjects.RENAME;
import static dev.ckpt.plugin.TestProjects.checkpoint;
import static dev.ckpt.plugin.TestProjects.records;
import static dev.ckpt.plugin.TestProjects.stateDictKeys;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ckpt.engine.MigrationSet;
import dev.ckpt.engine.Migrator;
import dev.ckpt.engine.MigratorOptions;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.api.di.Provides;
import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoParameter;
import org.apache.maven.api.plugin.testing.MojoTest;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code checkpoint:rollback}: {@code -Dtarget} or {@code -Dcount}, exactly one. */
@MojoTest
class RollbackMojoTest {
    @TempDir
    Path basedir;

    private final RecordingLog log = new RecordingLog();

    @Provides
    MavenProject project() {
        return TestProjects.project(basedir);
    }

    /** A checkpoint both fixture migrations ran on. */
    private Path migrated() throws Exception {
        Path file = checkpoint(basedir.resolve("last.ckpt"));
        MigrationSet set = MigrationSet.discover(getClass().getClassLoader(), TestProjects.BASIC);
        new Migrator(set, MigratorOptions.defaults("1.1.0").withAppKey("demo-model").withBackup(false)).apply(file);
        return file;
    }

    @Test
    @InjectMojo(goal = "rollback")
    @MojoParameter(name = "migrationsPackage", value = TestProjects.BASIC)
    @MojoParameter(name = "checkpoint", value = "last.ckpt")
    @MojoParameter(name = "count", value = "1")
    void countRollsBackTheNewestMigrations(RollbackMojo mojo) throws Exception {
        Path file = migrated();
        mojo.setLog(log);
        mojo.execute();
        assertEquals(List.of(RENAME), records(file));
        assertTrue(log.lines.contains("[info]   + ROLLBACK " + RECORD + " [v1.1.0]"), log.text());
    }

    @Test
    @InjectMojo(goal = "rollback")
    @MojoParameter(name = "migrationsPackage", value = TestProjects.BASIC)
    @MojoParameter(name = "checkpoint", value = "last.ckpt")
    @MojoParameter(name = "target", value = RENAME)
    void targetRollsBackEverythingAfterIt(RollbackMojo mojo) throws Exception {
        Path file = migrated();
        mojo.execute();
        assertEquals(List.of(RENAME), records(file));
        assertEquals(List.of("model.backbone.weight", "model.head.weight"), stateDictKeys(file));
    }

    @Test
    @InjectMojo(goal = "rollback")
    @MojoParameter(name = "migrationsPackage", value = TestProjects.BASIC)
    @MojoParameter(name = "checkpoint", value = "last.ckpt")
    @MojoParameter(name = "target", value = RENAME)
    @MojoParameter(name = "count", value = "1")
    void refusesTargetAndCountTogether(RollbackMojo mojo) throws Exception {
        Path file = migrated();
        MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
        assertEquals("Give either -Dtarget=<migration name> or -Dcount=N, not both", e.getMessage());
        assertEquals(List.of(RENAME, RECORD), records(file));
    }

    @Test
    @InjectMojo(goal = "rollback")
    @MojoParameter(name = "migrationsPackage", value = TestProjects.BASIC)
    @MojoParameter(name = "checkpoint", value = "last.ckpt")
    void refusesToGuessHowFarToGo(RollbackMojo mojo) throws Exception {
        migrated();
        MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
        assertTrue(e.getMessage().contains("-Dtarget=<migration name>") && e.getMessage().contains("-Dcount=N"), e.getMessage());
    }

    @Test
    @InjectMojo(goal = "rollback")
    @MojoParameter(name = "migrationsPackage", value = TestProjects.BASIC)
    @MojoParameter(name = "checkpoint", value = "last.ckpt")
    @MojoParameter(name = "count", value = "0")
    void refusesACountBelowOne(RollbackMojo mojo) throws Exception {
        migrated();
        MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
        assertEquals("-Dcount must be 1 or more, not 0", e.getMessage());
    }

    @Test
    @InjectMojo(goal = "rollback")
    @MojoParameter(name = "migrationsPackage", value = TestProjects.BASIC)
    @MojoParameter(name = "checkpoint", value = "last.ckpt")
    @MojoParameter(name = "target", value = "1600000000_never_ran")
    void anUnknownTargetFailsTheBuildAndChangesNothing(RollbackMojo mojo) throws Exception {
        Path file = migrated();
        MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
        assertTrue(e.getMessage().contains("the checkpoint has no migration 1600000000_never_ran to roll back to"), e.getMessage());
        assertEquals(List.of(RENAME, RECORD), records(file));
    }

    @Test
    @InjectMojo(goal = "rollback")
    @MojoParameter(name = "checkpoint", value = "last.ckpt")
    @MojoParameter(name = "count", value = "1")
    @MojoParameter(name = "skip", value = "true")
    void skipLeavesTheCheckpointAlone(RollbackMojo mojo) throws Exception {
        Path file = migrated();
        mojo.execute();
        assertEquals(List.of(RENAME, RECORD), records(file));
    }
}
