package dev.ckpt.plugin;

import static dev.ckpt.plugin.TestProjects.RECORD;
import static dev.ckpt.plugin.TestProjects.RENAME;
import static dev.ckpt.plugin.TestProjects.checkpoint;
import static dev.ckpt.plugin.TestProjects.records;
import static dev.ckpt.plugin.TestProjects.stateDictKeys;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
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

/** {@code checkpoint:register} (the baseline) and {@code checkpoint:validate} (the CI check). */
@MojoTest
class RegisterAndValidateMojoTest {
    @TempDir
    Path basedir;

    private final RecordingLog log = new RecordingLog();

    @Provides
    MavenProject project() {
        return TestProjects.project(basedir);
    }

    @Test
    @InjectMojo(goal = "register")
    @MojoParameter(name = "migrationsPackage", value = TestProjects.BASIC)
    @MojoParameter(name = "checkpoint", value = "fresh.ckpt")
    void registerStampsAFreshCheckpointWithoutRunningTheMigrations(RegisterMojo mojo) throws Exception {
        Path file = checkpoint(basedir.resolve("fresh.ckpt"));
        mojo.setLog(log);
        mojo.execute();
        assertEquals(List.of(RENAME, RECORD), records(file));
        assertEquals(List.of("model.encoder.weight", "model.head.weight"), stateDictKeys(file)); // not migrated
        assertTrue(log.lines.contains("[info]   + REGISTER " + RENAME + " [v1.0.0]"), log.text());
    }

    @Test
    @InjectMojo(goal = "register")
    @MojoParameter(name = "migrationsPackage", value = TestProjects.BASIC)
    @MojoParameter(name = "checkpoint", value = "old.ckpt")
    void registerRefusesACheckpointThatHasRecords(RegisterMojo mojo) throws Exception {
        checkpoint(basedir.resolve("old.ckpt"), RENAME);
        MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
        assertTrue(e.getMessage().contains("use apply"), e.getMessage());
    }

    @Test
    @InjectMojo(goal = "validate")
    @MojoParameter(name = "migrationsPackage", value = TestProjects.BASIC)
    void validatePassesWhenEveryRollbackUndoesItsMigration(ValidateMojo mojo) throws Exception {
        mojo.setLog(log);
        mojo.execute();
        assertTrue(log.lines.contains("[info] 2 migrations well formed and in order; 2 reversible, each proved by a round trip"
                + " on a synthetic checkpoint"), log.text());
    }

    @Test
    @InjectMojo(goal = "validate")
    @MojoParameter(name = "migrationsPackage", value = "dev.ckpt.plugin.fixtures.lossy")
    void validateFailsOnARollbackThatDoesNotUndoItsMigration(ValidateMojo mojo) {
        mojo.setLog(log);
        MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
        assertTrue(e.getMessage().startsWith("1 migration problem in dev.ckpt.plugin.fixtures.lossy:"), e.getMessage());
        assertTrue(e.getMessage().contains("1750000000_add_dropout on synthetic.ckpt: rollback does not give back the checkpoint"),
                e.getMessage());
        assertTrue(log.lines.stream().anyMatch(l -> l.startsWith("[error] 1750000000_add_dropout on synthetic.ckpt: ")), log.text());
    }

    @Test
    @InjectMojo(goal = "validate", pom = "<project><build><plugins><plugin><artifactId>checkpoint-maven-plugin</artifactId>"
            + "<configuration><migrationsPackage>dev.ckpt.plugin.fixtures.basic</migrationsPackage>"
            + "<samples><directory>samples</directory></samples></configuration></plugin></plugins></build></project>")
    void validateRunsTheRoundTripsOnTheSamplesAndRefusesAnEmptySampleSet(ValidateMojo mojo) throws Exception {
        MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
        assertTrue(e.getMessage().startsWith("The samples file set matches no checkpoint in "), e.getMessage());

        Path sample = checkpoint(basedir.resolve("samples/real.ckpt"));
        byte[] before = Files.readAllBytes(sample);
        mojo.setLog(log);
        mojo.execute();
        assertTrue(log.lines.contains("[info] 2 migrations well formed and in order; 2 reversible, each proved by a round trip"
                + " on 1 sample checkpoint(s)"), log.text());
        assertArrayEquals(before, Files.readAllBytes(sample));
    }

    @Test
    @InjectMojo(goal = "validate")
    @MojoParameter(name = "migrationsPackage", value = "dev.ckpt.plugin.fixtures.malformed")
    void validateFailsListingMalformedMigrations(ValidateMojo mojo) {
        MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
        assertTrue(e.getMessage().startsWith("invalid migrations:"), e.getMessage());
        assertTrue(e.getMessage().contains("M1750000000_RenameEncoder"), e.getMessage());
    }
}
