package dev.ckpt.engine;

import static dev.ckpt.engine.Scenarios.ALL;
import static dev.ckpt.engine.Scenarios.names;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ckpt.api.Checkpoint;
import dev.ckpt.api.FinalMigration;
import dev.ckpt.api.Migration;
import dev.ckpt.api.MigrationContext;
import dev.ckpt.api.MigrationInfo;
import dev.ckpt.engine.scenarios.M1750840837_add_foo;
import dev.ckpt.engine.scenarios.M1751895180_final;
import dev.ckpt.engine.scenarios.bad.M1780000000_AddFoo;
import dev.ckpt.engine.scenarios.bad.MigrationAddFoo;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding migration classes on a class path, and refusing malformed ones with clear messages. */
@Tag("torch")
class MigrationDiscoveryTest {
    private static final String PACKAGE = "dev.ckpt.engine.scenarios";

    @TempDir
    Path dir;

    @Test
    void discoversTheScenarioClassesInTheTestClassesDirectory() {
        MigrationSet set = MigrationSet.discover(getClass().getClassLoader(), PACKAGE);

        assertEquals(names(ALL), set.migrations().stream().map(m -> m.name().toString()).toList(),
                "only the package's own top-level classes, ordered by timestamp (subpackages are not scanned)");
        assertEquals(2, set.groups().size());
        assertEquals(names(Scenarios.OLD), set.groups().get(0).stream().map(m -> m.name().toString()).toList());
        assertEquals(names(Scenarios.FINAL, Scenarios.RECENT), set.lastGroup().stream().map(m -> m.name().toString()).toList());
        MigrationDescriptor last = set.find("1751895203_recent");
        assertEquals("0.9.1", last.version("0.9.1"), "%NEXT_VERSION% becomes the project version");
        assertEquals(MigrationInfo.NEXT_VERSION, last.version(null));
        assertTrue(set.find("1751895180_final").isFinal());
        assertTrue(set.find("1750840837_add_foo").isReversible());
    }

    @Test
    void discoversTheScenarioClassesInAJar() throws IOException, URISyntaxException {
        Path jar = jarOfPackage(PACKAGE);
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, new Hiding(getClass().getClassLoader(), PACKAGE))) {
            MigrationSet set = MigrationSet.discover(loader, PACKAGE);

            assertEquals(names(ALL), set.migrations().stream().map(m -> m.name().toString()).toList());
            for (MigrationDescriptor migration : set.migrations()) {
                assertSame(loader, migration.type().getClassLoader(), migration + " comes from the jar");
            }
            assertEquals(2, set.groups().size());
        }
    }

    @Test
    void reportsEveryMalformedMigrationOfAPackageAtOnce() {
        MigrationDefinitionException e = assertThrows(MigrationDefinitionException.class,
                () -> MigrationSet.discover(getClass().getClassLoader(), PACKAGE + ".bad"));

        String bad = PACKAGE + ".bad.";
        assertProblem(e, bad + "MigrationAddFoo", "must be named M<unix-seconds>_<snake_case>");
        assertProblem(e, bad + "M1780000000_AddFoo", "must be named M<unix-seconds>_<snake_case>");
        assertProblem(e, bad + "M1780000001_no_info", "has no @MigrationInfo(version = ...) metadata");
        assertProblem(e, bad + "M1780000002_abstract_one", "must be a public, non-abstract class");
        assertProblem(e, bad + "M1780000003_hidden", "must be a public, non-abstract class");
        assertProblem(e, bad + "M1780000004_needs_args", "needs a public constructor without parameters");
        assertProblem(e, bad + "M1780000005_final_reversible", "is a final migration and cannot be reversible");
        assertProblem(e, bad + "M1780000006_not_a_migration", "does not extend " + Migration.class.getName());
        assertEquals(9, e.problems().size(), String.join("\n", e.problems()));
        assertTrue(e.getMessage().startsWith("invalid migrations:"), e.getMessage());
    }

    @Test
    void aBadClassNameSaysWhatTheNameMustLookLike() {
        for (Class<?> type : List.of(MigrationAddFoo.class, M1780000000_AddFoo.class)) {
            MigrationDefinitionException e = assertThrows(MigrationDefinitionException.class, () -> MigrationSet.of(List.of(type)));
            assertEquals(List.of(type.getName() + ": migration class " + type.getSimpleName()
                    + " must be named M<unix-seconds>_<snake_case>, e.g. M1750840837_rename_layer"), e.problems());
        }
    }

    @Test
    void twoClassesWithOneMigrationNameAreRefused() {
        MigrationDefinitionException e = assertThrows(MigrationDefinitionException.class,
                () -> MigrationSet.of(List.of(M1750840837_add_foo.class, Twin.M1750840837_add_foo.class)));

        assertEquals(List.of("migration 1750840837_add_foo is defined twice: " + M1750840837_add_foo.class.getName()
                + " and " + Twin.M1750840837_add_foo.class.getName()), e.problems());
    }

    @Test
    void migrationsAreOrderedByTimestampThenName() {
        MigrationSet set = MigrationSet.of(List.of(Scenarios.RECENT, Scenarios.BAZ, Scenarios.FOO, Twin.M1750840837_add_bar.class));

        assertEquals(List.of("1750840837_add_bar", "1750840837_add_foo", "1750859824_add_baz", "1751895203_recent"),
                set.migrations().stream().map(m -> m.name().toString()).toList());
        assertEquals(1, set.groups().size());
    }

    /**
     * A final migration has no migrate body and no setup: FinalMigration declares both methods
     * final, so a subclass that overrides them does not compile. This pins that guarantee.
     */
    @Test
    void aFinalMigrationCannotOverrideMigrateOrItsSetup() throws NoSuchMethodException {
        assertTrue(Modifier.isFinal(FinalMigration.class.getMethod("migrate", Checkpoint.class).getModifiers()));
        assertTrue(Modifier.isFinal(FinalMigration.class.getMethod("migrateSetup", MigrationContext.class).getModifiers()));
        assertEquals(FinalMigration.class, M1751895180_final.class.getMethod("migrate", Checkpoint.class).getDeclaringClass());
    }

    /** Twins of scenario migrations, for duplicate names and ordering. */
    public static final class Twin {
        private Twin() {
        }

        @MigrationInfo(version = "9.9.9")
        public static class M1750840837_add_foo extends Migration {
            @Override
            public void migrate(Checkpoint checkpoint) {
            }
        }

        @MigrationInfo(version = "9.9.9")
        public static class M1750840837_add_bar extends Migration {
            @Override
            public void migrate(Checkpoint checkpoint) {
            }
        }
    }

    private static void assertProblem(MigrationDefinitionException e, String className, String expected) {
        assertTrue(e.problems().stream().anyMatch(p -> p.startsWith(className) && p.contains(expected)),
                "no problem '" + expected + "' for " + className + " in:\n" + String.join("\n", e.problems()));
    }

    @Test
    void discoversMigrationsInAJarWithoutDirectoryEntriesFromTheClassPathEntries() throws IOException, URISyntaxException {
        Path jar = jarOfPackage(PACKAGE, false);
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, new Hiding(getClass().getClassLoader(), PACKAGE))) {
            assertEquals(List.of(), MigrationSet.discover(loader, PACKAGE).migrations(), "a resource lookup cannot see the package");
            MigrationSet set = MigrationSet.discover(loader, List.of(jar), PACKAGE);
            assertEquals(names(ALL), set.migrations().stream().map(m -> m.name().toString()).toList());
        }
    }

    private Path jarOfPackage(String packageName) throws IOException, URISyntaxException {
        return jarOfPackage(packageName, true);
    }

    /** A jar of the package's compiled classes, with or without directory entries. */
    private Path jarOfPackage(String packageName, boolean directoryEntries) throws IOException, URISyntaxException {
        String folder = packageName.replace('.', '/');
        URL url = getClass().getClassLoader().getResource(folder);
        assertNotNull(url, folder);
        Path classes = Path.of(url.toURI());
        Path jar = dir.resolve("migrations.jar");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file);
             Stream<Path> listing = Files.list(classes)) {
            StringBuilder path = new StringBuilder();
            for (String part : directoryEntries ? folder.split("/") : new String[0]) {
                path.append(part).append('/');
                out.putNextEntry(new JarEntry(path.toString()));
                out.closeEntry();
            }
            for (Path classFile : listing.filter(p -> p.toString().endsWith(".class")).sorted().toList()) {
                out.putNextEntry(new JarEntry(folder + "/" + classFile.getFileName()));
                Files.copy(classFile, out);
                out.closeEntry();
            }
        }
        return jar;
    }

    /** A parent loader that cannot see the package, so its classes can only come from the jar. */
    private static final class Hiding extends ClassLoader {
        private final String hiddenPackage;
        private final String hiddenFolder;

        Hiding(ClassLoader parent, String hiddenPackage) {
            super(parent);
            this.hiddenPackage = hiddenPackage + ".";
            this.hiddenFolder = hiddenPackage.replace('.', '/');
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith(hiddenPackage)) {
                throw new ClassNotFoundException(name);
            }
            return super.loadClass(name, resolve);
        }

        @Override
        public URL getResource(String name) {
            return name.startsWith(hiddenFolder) ? null : super.getResource(name);
        }

        @Override
        public Enumeration<URL> getResources(String name) throws IOException {
            if (name.startsWith(hiddenFolder)) {
                return Collections.emptyEnumeration();
            }
            List<URL> urls = new ArrayList<>(Collections.list(super.getResources(name)));
            return Collections.enumeration(urls);
        }
    }
}
