package dev.ckpt.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ckpt.api.Checkpoint;
import dev.ckpt.api.FinalMigration;
import dev.ckpt.api.Reversible;
import dev.ckpt.engine.GeneratedSources;
import dev.ckpt.engine.MigrationDescriptor;
import dev.ckpt.engine.MigrationName;
import dev.ckpt.engine.MigrationSet;
import dev.ckpt.testing.RoundTripValidator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Velocity skeleton {@code create} and the archetype render: every variant compiles as
 * generated (javax.tools, against ckpt-core, with every lint warning an error), loads as a valid
 * migration, and a generated rollback stub does not count as a rollback (DESIGN section 5).
 */
class MigrationSkeletonTest {
    private static final String PACKAGE = "com.example.migrations";
    private static final MigrationName NAME = MigrationName.parse("1750840837_rename_layer");
    private static final String CLASS = PACKAGE + "." + NAME.className();

    @TempDir
    Path dir;

    static Stream<Arguments> variants() {
        return Stream.of(
                Arguments.of("plain", new MigrationSkeleton.Options(false, false, false)),
                Arguments.of("final", new MigrationSkeleton.Options(true, false, false)),
                Arguments.of("final, noRollback", new MigrationSkeleton.Options(true, false, true)),
                Arguments.of("withSetup", new MigrationSkeleton.Options(false, true, false)),
                Arguments.of("noRollback", new MigrationSkeleton.Options(false, false, true)),
                Arguments.of("withSetup, noRollback", new MigrationSkeleton.Options(false, true, true)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void everyVariantCompilesAsGeneratedAndLoadsAsAMigration(String variant, MigrationSkeleton.Options options) throws IOException {
        String source = MigrationSkeleton.render(PACKAGE, NAME, options);

        assertTrue(source.startsWith("package " + PACKAGE + ";\n"), source);
        String superclass = options.isFinal() ? "FinalMigration" : "Migration";
        assertTrue(source.contains("public class " + NAME.className() + " extends " + superclass + " {\n"), source);
        assertTrue(source.contains("@MigrationInfo(version = MigrationInfo.NEXT_VERSION)"), source);
        assertTrue(source.contains(options.isFinal() ? " * Rename layer: a final migration." : "/** Rename layer. */"), source);
        assertFalse(source.contains("$"), "every Velocity reference is resolved:\n" + source);
        assertFalse(source.contains("import dev.ckpt.api.Reversible;"), "a skeleton never claims to be Reversible:\n" + source);

        Class<?> type = compile(Map.of(CLASS, source)).get(0);
        MigrationSet set = MigrationSet.of(List.of(type));
        MigrationDescriptor migration = set.migrations().get(0);

        assertEquals(NAME, migration.name());
        assertEquals(CLASS, migration.type().getName());
        assertEquals(options.isFinal(), migration.isFinal());
        assertEquals(options.isFinal(), FinalMigration.class.isAssignableFrom(type));
        assertFalse(migration.isReversible(), "a generated rollback is not a rollback until its author writes one");
        assertEquals(options.withSetup(), migration.hasMigrateSetup());
        assertEquals("0.9.1", migration.version("0.9.1"), "the version is the project's next one");
        assertEquals(!options.isFinal() && !options.noRollback(), declaresRollback(type));

        RoundTripValidator validator = new RoundTripValidator(set, dir);
        assertEquals(List.of(), validator.roundTrips(List.of()), "every skeleton passes validate as generated");
        if (declaresRollback(type)) {
            assertEquals(List.of(NAME + " has a rollback method but does not implement Reversible, so it is never used"),
                    validator.unusedRollbacks(), "a warning");
        } else {
            assertEquals(List.of(), validator.unusedRollbacks());
        }
    }

    @Test
    void aFinalSkeletonStartsANewCompatibilityGroup() {
        MigrationName older = MigrationName.parse("1750840000_add_head");
        Map<String, String> sources = new LinkedHashMap<>();
        sources.put(PACKAGE + "." + older.className(), MigrationSkeleton.render(PACKAGE, older, new MigrationSkeleton.Options(false, false, false)));
        sources.put(CLASS, MigrationSkeleton.render(PACKAGE, NAME, new MigrationSkeleton.Options(true, false, false)));

        MigrationSet set = MigrationSet.of(compile(sources));

        assertEquals(2, set.groups().size());
        assertEquals(List.of(older), set.groups().get(0).stream().map(MigrationDescriptor::name).toList());
        assertEquals(List.of(NAME), set.lastGroup().stream().map(MigrationDescriptor::name).toList());
        assertTrue(set.lastGroup().get(0).isFinal());
        assertFalse(set.groups().get(0).get(0).isFinal());
    }

    @Test
    void theRollbackCountsOnceItsAuthorDeclaresItReversibleAsTheStubSays() throws IOException {
        String generated = MigrationSkeleton.render(PACKAGE, NAME, new MigrationSkeleton.Options(false, true, false));
        assertTrue(generated.contains("add\n     * {@code implements dev.ckpt.api.Reversible} to the class"), generated);
        String written = generated.replace("extends Migration {", "extends Migration implements dev.ckpt.api.Reversible {")
                .replace("    public void rollback(", "    @Override\n    public void rollback(");

        MigrationSet set = MigrationSet.of(compile(Map.of(CLASS, written)));

        assertTrue(set.migrations().get(0).isReversible());
        assertTrue(Reversible.class.isAssignableFrom(set.migrations().get(0).type()));
        assertEquals(List.of(), new RoundTripValidator(set, dir).roundTrips(List.of()),
                "empty migrate and rollback: the round trip on the synthetic checkpoint holds");
    }

    @Test
    void aFinalMigrationWithASetupIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new MigrationSkeleton.Options(true, true, false));

        assertEquals("a final migration cannot have a setup (as in the reference): drop -DwithSetup or -Dfinal", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new MigrationSkeleton.Options(true, true, true));
    }

    @Test
    void theDescriptionIsTheNameInWordsAndThePackageIsTheOneGiven() {
        MigrationName name = MigrationName.parse("1760000000_drop_old_head_2");

        String source = MigrationSkeleton.render("org.acme.ml.migrations", name, new MigrationSkeleton.Options(false, false, true));

        assertTrue(source.startsWith("package org.acme.ml.migrations;\n"), source);
        assertTrue(source.contains("/** Drop old head 2. */\n@MigrationInfo"), source);
        assertTrue(source.contains("public class M1760000000_drop_old_head_2 extends Migration {"), source);
        assertFalse(source.contains("rollback"), "noRollback leaves no rollback stub:\n" + source);
        assertFalse(source.contains("migrateSetup"), source);
        assertFalse(source.contains("MigrationContext"), "no unused import without a setup:\n" + source);
    }

    /** Compiles as generated, with every lint warning an error. */
    private List<Class<?>> compile(Map<String, String> sources) {
        return GeneratedSources.compileAndLoad(dir.resolve("classes"), sources, "-Xlint:all", "-Werror");
    }

    private static boolean declaresRollback(Class<?> type) {
        try {
            type.getMethod("rollback", Checkpoint.class);
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }
}
