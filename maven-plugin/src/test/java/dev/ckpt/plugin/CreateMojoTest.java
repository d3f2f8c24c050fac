package dev.ckpt.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.maven.api.di.Provides;
import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoParameter;
import org.apache.maven.api.plugin.testing.MojoTest;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code checkpoint:create}: parameters and refusals, through the plugin descriptor (Maven Plugin Testing Harness). */
@MojoTest
class CreateMojoTest {
    @TempDir
    Path basedir;

    private final RecordingLog log = new RecordingLog();

    @Provides
    MavenProject project() {
        return TestProjects.project(basedir);
    }

    private Path packageDir() {
        return basedir.resolve("src/main/java/com/example/migrations");
    }

    private List<Path> created() throws Exception {
        if (!Files.isDirectory(packageDir())) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(packageDir())) {
            return files.sorted().toList();
        }
    }

    @Test
    @InjectMojo(goal = "create")
    @MojoParameter(name = "name", value = "Rename encoder")
    void writesTheMigrationIntoTheGroupIdPackageOfTheSourceDirectory(CreateMojo mojo) throws Exception {
        mojo.setLog(log);
        mojo.execute();
        List<Path> files = created();
        assertEquals(1, files.size());
        String file = files.get(0).getFileName().toString();
        assertTrue(file.matches("M\\d{10}_rename_encoder\\.java"), file);
        String source = Files.readString(files.get(0));
        assertTrue(source.startsWith("package com.example.migrations;"), source);
        assertTrue(log.text().contains("[info] Created src/main/java/com/example/migrations/" + file), log.text());
    }

    @Test
    @InjectMojo(goal = "create")
    void withoutANameFailsSayingHowToGiveOne(CreateMojo mojo) throws Exception {
        MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
        assertTrue(e.getMessage().contains("-Dname="), e.getMessage());
        assertEquals(List.of(), created());
    }

    @Test
    @InjectMojo(goal = "create")
    @MojoParameter(name = "name", value = "new format")
    @MojoParameter(name = "finalMigration", value = "true")
    @MojoParameter(name = "withSetup", value = "true")
    void refusesAFinalMigrationWithASetupAsTheReferenceDoes(CreateMojo mojo) throws Exception {
        MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
        assertTrue(e.getMessage().contains("final migration cannot have a setup"), e.getMessage());
        assertEquals(List.of(), created());
    }

    @Test
    @InjectMojo(goal = "create")
    @MojoParameter(name = "name", value = "new format")
    @MojoParameter(name = "finalMigration", value = "true")
    void createsAFinalMigration(CreateMojo mojo) throws Exception {
        mojo.execute();
        assertTrue(Files.readString(created().get(0)).contains("extends FinalMigration"));
    }

    @Test
    @InjectMojo(goal = "create")
    @MojoParameter(name = "name", value = "move layers")
    @MojoParameter(name = "withSetup", value = "true")
    @MojoParameter(name = "noRollback", value = "true")
    @MojoParameter(name = "migrationsPackage", value = "org.acme.ckpt")
    void honoursTheVariantsAndAConfiguredPackage(CreateMojo mojo) throws Exception {
        mojo.execute();
        Path file = Files.list(basedir.resolve("src/main/java/org/acme/ckpt")).findFirst().orElseThrow();
        String source = Files.readString(file);
        assertTrue(source.contains("public void migrateSetup(MigrationContext context)"), source);
        assertFalse(source.contains("public void rollback("), source);
    }

    @Test
    @InjectMojo(goal = "create")
    @MojoParameter(name = "name", value = "Bad!Name")
    void refusesANameThatCannotBeAMigrationName(CreateMojo mojo) {
        MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
        assertTrue(e.getMessage().contains("cannot be a migration name"), e.getMessage());
    }

    @Test
    @InjectMojo(goal = "create")
    @MojoParameter(name = "name", value = "skipped")
    @MojoParameter(name = "skip", value = "true")
    void skipCreatesNothing(CreateMojo mojo) throws Exception {
        mojo.setLog(log);
        mojo.execute();
        assertEquals(List.of(), created());
        assertTrue(log.text().contains("Skipping"), log.text());
    }
}
