package dev.ckpt.plugin;

import static dev.ckpt.plugin.TestProjects.RENAME;
import static dev.ckpt.plugin.TestProjects.checkpoint;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.maven.api.di.Provides;
import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoTest;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code checkpoint:diff}'s own behaviour (the comparison itself is tested in core, and end to end by
 * the invoker build diff-create): ckpt's records are no difference, JSON on request, the refusals.
 */
@MojoTest
class DiffMojoTest {
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
    @InjectMojo(goal = "diff")
    void aCheckpointDiffersFromItsMigratedCopyByNothingButCkptsRecordsWhichItLeavesOut(DiffMojo mojo) throws Exception {
        mojo.from = checkpoint(basedir.resolve("old.ckpt")).toFile();
        mojo.to = checkpoint(basedir.resolve("new.ckpt"), RENAME).toFile();
        mojo.json = "target/diff.json";
        mojo.setLog(log);
        mojo.execute();
        assertTrue(log.lines.contains("[info] No differences"), log.text());
        assertTrue(log.lines.contains("[info] 0 differences (0 structural, 0 of values only)"), log.text());
        JsonNode json = new ObjectMapper().readTree(basedir.resolve("target/diff.json").toFile());
        assertEquals(0, json.path("differences").size(), json.toString());
        assertEquals(mojo.to.toPath().toAbsolutePath().toString(), json.path("to").asText());
    }

    @Test
    @InjectMojo(goal = "diff")
    void withoutFromItFailsNamingTheParameter(DiffMojo mojo) throws Exception {
        mojo.to = checkpoint(basedir.resolve("new.ckpt")).toFile();
        MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
        assertTrue(e.getMessage().contains("-Dfrom=OLD.ckpt"), e.getMessage());
    }

    @Test
    @InjectMojo(goal = "diff")
    void outsideAProjectCreateIsRefusedAndNothingIsWritten(DiffMojo mojo) throws Exception {
        mojo.from = checkpoint(basedir.resolve("old.ckpt")).toFile();
        mojo.to = checkpoint(basedir.resolve("new.ckpt")).toFile();
        mojo.create = "rename_encoder";
        project.setFile(null); // Maven's stand-in project for goals run without a pom.xml
        MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
        assertTrue(e.getMessage().contains("-Dcreate writes into a project's migrations package"), e.getMessage());
        assertFalse(Files.exists(basedir.resolve("src")));
    }

    @Test
    @InjectMojo(goal = "diff")
    void createWithoutStructuralDifferencesIsRefused(DiffMojo mojo) throws Exception {
        mojo.from = checkpoint(basedir.resolve("old.ckpt")).toFile();
        mojo.to = checkpoint(basedir.resolve("same.ckpt")).toFile();
        mojo.create = "nothing";
        mojo.setLog(log);
        MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
        assertTrue(e.getMessage().startsWith("nothing to migrate: "), e.getMessage());
    }
}
