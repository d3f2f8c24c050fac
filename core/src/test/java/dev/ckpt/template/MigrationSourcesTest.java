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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Creating, listing and renaming the migration sources of a project. */
class MigrationSourcesTest {
    private static final String PACKAGE = "com.example.migrations";
    private static final long NOW = 1750840837L;
    private static final MigrationSkeleton.Options PLAIN = new MigrationSkeleton.Options(false, false, false);

    @TempDir
    Path dir;

    private MigrationSources sources() {
        return new MigrationSources(dir.resolve("src/main/java"), PACKAGE);
    }

    private static Clock at(long epochSecond) {
        return Clock.fixed(Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC);
    }

    @Test
    void createsTheFileUnderThePackageDirectoryStampedWithTheClock() throws IOException {
        Path file = sources().create("Rename Layer", PLAIN, at(NOW));

        assertEquals(dir.resolve("src/main/java/com/example/migrations/M1750840837_rename_layer.java"), file);
        assertEquals(dir.resolve("src/main/java/com/example/migrations"), sources().packageDirectory());
        assertEquals(MigrationSkeleton.render(PACKAGE, MigrationName.parse("1750840837_rename_layer"), PLAIN), Files.readString(file));
        assertEquals(List.of(MigrationName.parse("1750840837_rename_layer")), sources().existing());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "add_foo|add_foo",
            "Add Foo|add_foo",
            "add-foo|add_foo",
            "  Rename-Layer  Norm 2 |rename_layer_norm_2",
            "ADD FOO|add_foo",
            "v2-head|v2_head"})
    void theNameIsNormalisedLikeTheReference(String typed, String normalised) throws IOException {
        Path file = sources().create(typed, PLAIN, at(NOW));

        assertEquals("M" + NOW + "_" + normalised + ".java", file.getFileName().toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "add.foo", "add__foo", "_add_foo", "add_foo_", "add/foo", "ajouté", "add-_foo"})
    void anInvalidNameIsRefusedAndNothingIsWritten(String typed) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sources().create(typed, PLAIN, at(NOW)));

        assertTrue(e.getMessage().contains("cannot be a migration name"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("src")), "nothing created");
    }

    @Test
    void theSameSecondTwiceIsBumpedByOne() throws IOException {
        MigrationSources sources = sources();

        Path first = sources.create("add foo", PLAIN, at(NOW));
        Path second = sources.create("add bar", PLAIN, at(NOW));
        Path third = sources.create("add baz", PLAIN, at(NOW));

        assertEquals("M1750840837_add_foo.java", first.getFileName().toString());
        assertEquals("M1750840838_add_bar.java", second.getFileName().toString());
        assertEquals("M1750840839_add_baz.java", third.getFileName().toString());
        assertEquals(List.of("1750840837_add_foo", "1750840838_add_bar", "1750840839_add_baz"),
                sources.existing().stream().map(MigrationName::toString).toList());
    }

    @Test
    void aNewMigrationGoesAfterTheNewestEvenWhenTheClockIsBehindIt() throws IOException {
        MigrationSources sources = sources();
        sources.create("from the future", PLAIN, at(NOW + 100));

        Path file = sources.create("now", PLAIN, at(NOW));

        assertEquals("M" + (NOW + 101) + "_now.java", file.getFileName().toString());
    }

    @Test
    void anOlderMigrationDoesNotMoveTheClock() throws IOException {
        MigrationSources sources = sources();
        sources.create("old", PLAIN, at(NOW - 1000));

        assertEquals("M" + NOW + "_new.java", sources.create("new", PLAIN, at(NOW)).getFileName().toString());
    }

    @Test
    void anExistingFileIsNeverOverwritten() throws IOException {
        MigrationSources sources = sources();
        Path taken = sources.packageDirectory().resolve("M" + NOW + "_add_foo.java");
        Files.createDirectories(taken.getParent());
        Files.writeString(taken, "// the author's own work");
        byte[] before = Files.readAllBytes(taken);

        Path file = sources.create("add foo", PLAIN, at(NOW));

        assertEquals("M" + (NOW + 1) + "_add_foo.java", file.getFileName().toString());
        assertArrayEquals(before, Files.readAllBytes(taken));
    }

    @Test
    void existingListsOnlyMigrationSourcesInOrderOfTimestampThenName() throws IOException {
        Path pkg = sources().packageDirectory();
        Files.createDirectories(pkg);
        for (String file : List.of("M1000_b.java", "M999_z.java", "M1000_a.java", "M20000_early.java",
                "package-info.java", "Helpers.java", "README.md", "M1000_a.java.orig", "M1000_a.class")) {
            Files.writeString(pkg.resolve(file), "");
        }

        assertEquals(List.of("999_z", "1000_a", "1000_b", "20000_early"),
                sources().existing().stream().map(MigrationName::toString).toList(),
                "numeric order, not the file names' order");
    }

    @Test
    void existingIsEmptyBeforeThePackageExists() throws IOException {
        assertEquals(List.of(), sources().existing());
    }

    @Test
    void renameChangesTheFileAndTheClassAndTheResultCompiles() throws IOException {
        MigrationSources sources = sources();
        Path original = sources.create("add foo", new MigrationSkeleton.Options(false, true, false), at(NOW));
        MigrationName from = MigrationName.parse(NOW + "_add_foo");
        MigrationName to = MigrationName.parse("1760000000_add_foo");

        Path renamed = sources.rename(from, to);

        assertEquals(sources.packageDirectory().resolve("M1760000000_add_foo.java"), renamed);
        assertFalse(Files.exists(original));
        String text = Files.readString(renamed);
        assertEquals(MigrationSkeleton.render(PACKAGE, to, new MigrationSkeleton.Options(false, true, false)), text);
        assertFalse(text.contains(from.className()));
        assertEquals(List.of(to), sources.existing());
        Class<?> type = GeneratedSources.compileAndLoad(dir.resolve("classes"), Map.of(PACKAGE + "." + to.className(), text)).get(0);
        assertEquals(to, MigrationSet.of(List.of(type)).migrations().get(0).name());
    }

    @Test
    void renameRefusesToReplaceAnotherMigration() throws IOException {
        MigrationSources sources = sources();
        Path a = sources.create("add foo", PLAIN, at(NOW));
        Path b = sources.create("add bar", PLAIN, at(NOW + 5));
        byte[] aBefore = Files.readAllBytes(a);
        byte[] bBefore = Files.readAllBytes(b);

        IOException e = assertThrows(IOException.class,
                () -> sources.rename(MigrationName.parse(NOW + "_add_foo"), MigrationName.parse((NOW + 5) + "_add_bar")));

        assertTrue(e.getMessage().contains("exists"), e.getMessage());
        assertArrayEquals(aBefore, Files.readAllBytes(a));
        assertArrayEquals(bBefore, Files.readAllBytes(b));
        assertEquals(2, sources.existing().size());
    }
}
