package dev.ckpt.plugin;

import static dev.ckpt.plugin.TestProjects.RECORD;
import static dev.ckpt.plugin.TestProjects.RENAME;
import static dev.ckpt.plugin.TestProjects.checkpoint;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.maven.api.di.Provides;
import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoParameter;
import org.apache.maven.api.plugin.testing.MojoTest;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code checkpoint:inspect}: the plan in a project, the records outside one, JSON on request; nothing changes. */
@MojoTest
class InspectMojoTest {
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
    @InjectMojo(goal = "inspect")
    @MojoParameter(name = "migrationsPackage", value = TestProjects.BASIC)
    @MojoParameter(name = "checkpoint", value = "last.ckpt")
    @MojoParameter(name = "json", value = "target/last.json")
    void inAProjectShowsEachMigrationsStatusAndWritesTheSameAsJson(InspectMojo mojo) throws Exception {
        Path file = checkpoint(basedir.resolve("last.ckpt"), RENAME);
        byte[] before = Files.readAllBytes(file);
        mojo.setLog(log);
        mojo.execute();
        assertTrue(log.lines.stream().anyMatch(l -> l.matches("\\[info] " + RENAME + " +0\\.9\\.0 +applied .*")), log.text());
        assertTrue(log.lines.stream().anyMatch(l -> l.matches("\\[info] " + RECORD + " +1\\.1\\.0 +missing +to run")), log.text());
        assertTrue(log.lines.contains("[info] Compatible: yes"), log.text());
        JsonNode json = new ObjectMapper().readTree(basedir.resolve("target/last.json").toFile());
        assertEquals(RECORD, json.path("missing").path(0).asText());
        assertEquals(RENAME, json.path("registered").path(0).asText());
        assertArrayEquals(before, Files.readAllBytes(file));
    }

    @Test
    @InjectMojo(goal = "inspect")
    @MojoParameter(name = "checkpoint", value = "last.ckpt")
    void outsideAProjectShowsTheCheckpointsOwnRecords(InspectMojo mojo) throws Exception {
        checkpoint(basedir.resolve("last.ckpt"), RENAME, "1750000200_from_elsewhere");
        project.setFile(null); // Maven's stand-in project for goals run without a pom.xml
        mojo.json = basedir.resolve("last.json").toString();  // there, a relative path is relative to the working directory
        mojo.setLog(log);
        mojo.execute();
        assertTrue(log.lines.stream().anyMatch(l -> l.matches("\\[info] 1750000200_from_elsewhere +0\\.9\\.0 +no +none")), log.text());
        JsonNode json = new ObjectMapper().readTree(basedir.resolve("last.json").toFile());
        assertEquals("1750000200_from_elsewhere", json.path("records").path(1).path("name").asText());
        assertEquals("none", json.path("records").path(1).path("rollback").asText());
    }

    @Test
    @InjectMojo(goal = "inspect")
    @MojoParameter(name = "checkpoint", value = "last.ckpt")
    void beforeCompilationWarnsAndShowsTheRecords(InspectMojo mojo) throws Exception {
        checkpoint(basedir.resolve("last.ckpt"), RENAME);
        project.getBuild().setOutputDirectory(basedir.resolve("target/classes").toString());
        mojo.setLog(log);
        mojo.execute();
        assertTrue(log.lines.stream().anyMatch(l -> l.startsWith("[warn] The project is not compiled")), log.text());
        assertTrue(log.lines.stream().anyMatch(l -> l.matches("\\[info] " + RENAME + " +0\\.9\\.0 +no +none")), log.text());
    }

    @Test
    @InjectMojo(goal = "inspect")
    @MojoParameter(name = "checkpoint", value = "broken.ckpt")
    void aFileThatIsNotACheckpointFailsNamingIt(InspectMojo mojo) throws Exception {
        Files.writeString(basedir.resolve("broken.ckpt"), "not a checkpoint");
        project.setFile(null);
        MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
        assertTrue(e.getMessage().contains("broken.ckpt"), e.getMessage());
    }

    @Test
    @InjectMojo(goal = "inspect")
    @MojoParameter(name = "migrationsPackage", value = TestProjects.BASIC)
    @MojoParameter(name = "checkpoint", value = "last.ckpt")
    @MojoParameter(name = "json", value = "true")
    void aBareJsonPrintsTheReportToStandardOutput(InspectMojo mojo) throws Exception {
        checkpoint(basedir.resolve("last.ckpt"), RENAME);
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        java.io.PrintStream stdout = System.out;
        System.setOut(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            mojo.setLog(log);
            mojo.execute();
        } finally {
            System.setOut(stdout);
        }
        JsonNode json = new ObjectMapper().readTree(captured.toString(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(RECORD, json.path("missing").path(0).asText());
        assertTrue(Files.notExists(basedir.resolve("true")), "no file named true");
    }

    @Test
    @InjectMojo(goal = "inspect")
    @MojoParameter(name = "migrationsPackage", value = TestProjects.BASIC)
    @MojoParameter(name = "checkpoint", value = "last.ckpt")
    @MojoParameter(name = "failOnPending", value = "true")
    void failOnPendingFailsTheBuildWhenMigrationsAreMissing(InspectMojo mojo) throws Exception {
        checkpoint(basedir.resolve("last.ckpt"), RENAME);
        mojo.setLog(log);
        MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
        assertTrue(e.getMessage().contains("not up to date: 1 migration(s) to run, 0 to roll back"), e.getMessage());
        assertTrue(log.lines.stream().anyMatch(l -> l.matches("\\[info] " + RECORD + " +1\\.1\\.0 +missing +to run")), "the table comes first");
    }

    @Test
    @InjectMojo(goal = "inspect")
    @MojoParameter(name = "migrationsPackage", value = TestProjects.BASIC)
    @MojoParameter(name = "checkpoint", value = "last.ckpt")
    void anIncompatibleCheckpointFailsTheBuildByDefault(InspectMojo mojo) throws Exception {
        checkpoint(basedir.resolve("last.ckpt"), "1600000000_elsewhere");
        mojo.setLog(log);
        MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
        assertTrue(e.getMessage().contains("incompatible with this code: No compatible migration available"), e.getMessage());
        assertTrue(e.getMessage().contains("-Dcheckpoint.failOnIncompatible=false"), e.getMessage());
    }

    @Test
    @InjectMojo(goal = "inspect")
    @MojoParameter(name = "migrationsPackage", value = TestProjects.BASIC)
    @MojoParameter(name = "checkpoint", value = "last.ckpt")
    void aMigrationWrittenSinceTheLastCompileIsWarnedAbout(InspectMojo mojo) throws Exception {
        checkpoint(basedir.resolve("last.ckpt"), RENAME, RECORD);
        Path sources = Files.createDirectories(basedir.resolve("src/main/java/" + TestProjects.BASIC.replace('.', '/')));
        Files.writeString(sources.resolve("M1999999999_not_compiled.java"), "// written after the last compile");
        Files.writeString(sources.resolve("NotAMigration.java"), "// not named like a migration");
        project.addCompileSourceRoot(basedir.resolve("src/main/java").toString());
        mojo.setLog(log);
        mojo.execute();
        assertTrue(log.lines.stream().anyMatch(l -> l.startsWith("[warn] Migration sources are newer than their compiled classes (or not compiled): "
                + "[src/main/java/" + TestProjects.BASIC.replace('.', '/') + "/M1999999999_not_compiled.java]")), log.text());
        assertTrue(log.lines.contains("[info] Already up to date."), "the compiled migrations are still what it compares: " + log.text());
    }

    @Test
    @InjectMojo(goal = "inspect")
    void withoutACheckpointFailsSayingWhatToGive(InspectMojo mojo) {
        MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
        assertEquals("No checkpoint given: pass -Dcheckpoint=PATH", e.getMessage());
    }
}
