package dev.ckpt.template;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ckpt.engine.GeneratedSources;
import dev.ckpt.engine.MigrationName;
import dev.ckpt.engine.MigrationSet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * fix-order in a throwaway git repository: main has two migrations; a branch adds one older than
 * main's newest and one newer; then main moves on with another migration. On the branch,
 * fix-order against main renames (file and class) only the branch's stale migration.
 */
class FixOrderTest {
    private static final String PACKAGE = "com.example.migrations";
    private static final MigrationSkeleton.Options PLAIN = new MigrationSkeleton.Options(false, false, false);

    @TempDir
    Path repo;

    @Test
    void theStaleBranchMigrationIsRenamedAfterTheNewestOnTheBase() throws IOException {
        MigrationSources sources = new MigrationSources(repo.resolve("src/main/java"), PACKAGE);
        Layout layout = branchScenario(repo, sources);
        Map<Path, byte[]> untouched = contents(layout.first, layout.second, layout.newer);

        List<FixOrder.Rename> renames = FixOrder.run(repo, sources, "main");

        MigrationName stale = MigrationName.parse("1750000050_add_head");
        MigrationName fixed = MigrationName.parse("1750000301_add_head");
        Path fixedFile = sources.packageDirectory().resolve(fixed.className() + ".java");
        assertEquals(List.of(new FixOrder.Rename(stale, fixed, fixedFile)), renames);
        assertFalse(Files.exists(layout.stale));
        String text = Files.readString(fixedFile);
        assertEquals(MigrationSkeleton.render(PACKAGE, fixed, PLAIN), text, "the class is renamed with its file");
        assertFalse(text.contains(stale.className()));
        untouched.forEach((file, bytes) -> assertArrayEquals(bytes, read(file), file + " is untouched"));
        assertEquals(List.of("1750000000_first", "1750000100_second", "1750000301_add_head", "1750000500_add_tail"),
                names(sources));
        Class<?> type = GeneratedSources.compileAndLoad(repo.resolve("target/classes"),
                Map.of(PACKAGE + "." + fixed.className(), text)).get(0);
        assertEquals(fixed, MigrationSet.of(List.of(type)).migrations().get(0).name());

        // After merging main, the branch's migrations run after main's newest, in their own order.
        git(repo, "add", "-A");
        git(repo, "commit", "-q", "-m", "fix order");
        git(repo, "merge", "-q", "--no-edit", "main");
        assertEquals(List.of("1750000000_first", "1750000100_second", "1750000300_main_moves_on", "1750000301_add_head",
                "1750000500_add_tail"), names(sources));
        assertEquals(List.of(), FixOrder.run(repo, sources, "main"), "running it again changes nothing");
    }

    @Test
    void worksFromAProjectInASubdirectoryOfTheRepository() throws IOException {
        Path project = repo.resolve("models/migrations-project");
        MigrationSources sources = new MigrationSources(project.resolve("src/main/java"), PACKAGE);
        Layout layout = branchScenario(repo, sources);

        List<FixOrder.Rename> renames = FixOrder.run(project, sources, "main");

        assertEquals(List.of("1750000050_add_head -> 1750000301_add_head"),
                renames.stream().map(r -> r.from() + " -> " + r.to()).toList());
        assertFalse(Files.exists(layout.stale));
        assertEquals(List.of("1750000000_first", "1750000100_second", "1750000301_add_head", "1750000500_add_tail"),
                names(sources));
    }

    @Test
    void aMissingBaseRefIsAClearError() throws IOException {
        MigrationSources sources = new MigrationSources(repo.resolve("src/main/java"), PACKAGE);
        Layout layout = branchScenario(repo, sources);
        Map<Path, byte[]> before = contents(layout.first, layout.second, layout.stale, layout.newer);

        IOException e = assertThrows(IOException.class, () -> FixOrder.run(repo, sources, "origin/main"));

        assertTrue(e.getMessage().contains("origin/main") && e.getMessage().contains("git fetch"), e.getMessage());
        before.forEach((file, bytes) -> assertArrayEquals(bytes, read(file), file + " is untouched"));
    }

    @Test
    void aBaseWithoutTheMigrationsPackageRenamesNothing() throws IOException {
        MigrationSources sources = new MigrationSources(repo.resolve("src/main/java"), PACKAGE);
        init(repo);
        Files.writeString(repo.resolve("README.md"), "a project before migrations\n");
        commitAll(repo, "start");
        git(repo, "checkout", "-q", "-b", "feature");
        Path a = sources.create("first", PLAIN, at(1750000000L));
        Path b = sources.create("second", PLAIN, at(1750000100L));
        commitAll(repo, "migrations");
        Map<Path, byte[]> before = contents(a, b);

        assertEquals(List.of(), FixOrder.run(repo, sources, "main"));

        before.forEach((file, bytes) -> assertArrayEquals(bytes, read(file), file + " is untouched"));
        assertEquals(List.of("1750000000_first", "1750000100_second"), names(sources));
    }

    @Test
    void nothingToDoWhenTheBranchIsTheBase() throws IOException {
        MigrationSources sources = new MigrationSources(repo.resolve("src/main/java"), PACKAGE);
        branchScenario(repo, sources);
        git(repo, "checkout", "-q", "main");

        assertEquals(List.of(), FixOrder.run(repo, sources, "main"));
        assertEquals(List.of(), FixOrder.run(repo, sources, "feature~1"), "feature~1 is where it branched: main's own migrations are older");
    }

    private record Layout(Path first, Path second, Path stale, Path newer) {
    }

    /**
     * main: first (…000), second (…100). feature: add_head (…050, older than main's newest),
     * add_tail (…500). Then main: main_moves_on (…300). Leaves feature checked out.
     */
    private static Layout branchScenario(Path repo, MigrationSources sources) throws IOException {
        init(repo);
        Path first = sources.create("first", PLAIN, at(1750000000L));
        Path second = sources.create("second", PLAIN, at(1750000100L));
        commitAll(repo, "two migrations");
        git(repo, "checkout", "-q", "-b", "feature");
        // Written before main's newest existed where it was written, so create would not have bumped it.
        Path stale = write(sources, MigrationName.parse("1750000050_add_head"));
        Path newer = sources.create("add tail", PLAIN, at(1750000500L));
        commitAll(repo, "branch migrations");
        git(repo, "checkout", "-q", "main");
        sources.create("main moves on", PLAIN, at(1750000300L));
        commitAll(repo, "main moves on");
        git(repo, "checkout", "-q", "feature");
        assertEquals(List.of("1750000000_first", "1750000050_add_head", "1750000100_second", "1750000500_add_tail"), names(sources));
        return new Layout(first, second, stale, newer);
    }

    private static Path write(MigrationSources sources, MigrationName name) throws IOException {
        Path file = sources.packageDirectory().resolve(name.className() + ".java");
        return Files.writeString(file, MigrationSkeleton.render(PACKAGE, name, PLAIN));
    }

    private static void init(Path repo) throws IOException {
        git(repo, "init", "-q", "-b", "main");
        git(repo, "config", "user.name", "Checkpoint Tests");
        git(repo, "config", "user.email", "tests@ckpt.invalid");
        git(repo, "config", "commit.gpgsign", "false");
    }

    private static void commitAll(Path repo, String message) throws IOException {
        git(repo, "add", "-A");
        git(repo, "commit", "-q", "-m", message);
    }

    private static String git(Path dir, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        builder.environment().put("GIT_CONFIG_GLOBAL", "/dev/null");
        Process process = builder.start();
        try {
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "git " + command + " timed out");
            assertEquals(0, process.exitValue(), command + " failed: " + out);
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static List<String> names(MigrationSources sources) throws IOException {
        return sources.existing().stream().map(MigrationName::toString).toList();
    }

    private static Map<Path, byte[]> contents(Path... files) {
        Map<Path, byte[]> contents = new LinkedHashMap<>();
        for (Path file : files) {
            contents.put(file, read(file));
        }
        return contents;
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static Clock at(long epochSecond) {
        return Clock.fixed(Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC);
    }
}
