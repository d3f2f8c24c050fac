package dev.ckpt.plugin;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.apache.maven.api.di.Provides;
import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoParameter;
import org.apache.maven.api.plugin.testing.MojoTest;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code checkpoint:fix-order} errors (the renames themselves run in a real git repository in it/src/it/fix-order). */
@MojoTest
class FixOrderMojoTest {
    @TempDir
    Path basedir;

    private final RecordingLog log = new RecordingLog();

    @Provides
    MavenProject project() {
        return TestProjects.project(basedir);
    }

    @Test
    @InjectMojo(goal = "fix-order")
    void theDefaultBaseRefIsOriginMainAndAMissingOneFailsWithGitsWordsAndAHint(FixOrderMojo mojo) {
        MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
        assertTrue(e.getMessage().contains("origin/main"), e.getMessage());
        assertTrue(e.getMessage().contains("git fetch"), e.getMessage());
    }

    @Test
    @InjectMojo(goal = "fix-order")
    @MojoParameter(name = "skip", value = "true")
    void skipDoesNotRunGit(FixOrderMojo mojo) throws Exception {
        mojo.setLog(log);
        mojo.execute();
        assertTrue(log.text().contains("Skipping"), log.text());
    }
}
