package dev.ckpt.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ckpt.api.Migration;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The migration signature ignores formatting, comments and debug information, and sees every
 * change to the code. The oracle is javac itself ({@code javax.tools}): two sources that differ
 * only in layout, comments and local variable names, compiled with and without {@code -g}, each
 * loaded by its own class loader, must give one signature; a changed constant or statement,
 * anywhere in the migration or a class it owns, must give another.
 */
class MigrationSignatureTest {
    private static final String NAME = "example.migrations.M1750840837_rename_encoder";

    /** Tidy layout, with comments; placeholders for the variants that change the code. */
    private static final String TIDY = """
            package example.migrations;

            import dev.ckpt.api.Checkpoint;
            import dev.ckpt.api.Migration;
            import dev.ckpt.api.MigrationInfo;
            import dev.ckpt.api.Reversible;
            import java.util.ArrayList;
            import java.util.List;

            /** Renames the encoder to backbone. */
            @MigrationInfo(version = "@VERSION@")
            public class M1750840837_rename_encoder extends Migration implements Reversible {
                // the prefix before the rename
                private static final String OLD = "model.encoder.";
                private static final String NEW = "@NEW@";

                @Override
                public void migrate(Checkpoint checkpoint) {
                    int renamed = checkpoint.stateDict().renamePrefix(OLD, NEW);
                    checkpoint.root().put("renamed", (long) renamed);
                }

                @Override
                public void rollback(Checkpoint checkpoint) {
                    List<String> names = new ArrayList<>();
                    checkpoint.stateDict().keys().forEach(name -> names.add(@STATEMENT@));
                    new Helper(NEW).apply(checkpoint, OLD);
                    Runnable marker = new Runnable() {
                        @Override
                        public void run() {
                            names.add("@ANONYMOUS@");
                        }
                    };
                    marker.run();
                    checkpoint.root().put("names", names.size() + " names: " + names);
                }

                /** Does the renaming. */
                static final class Helper {
                    private final String from;

                    Helper(String from) {
                        this.from = from;
                    }

                    void apply(Checkpoint checkpoint, String to) {
                        int count = checkpoint.stateDict().renamePrefix(from, to);
                        checkpoint.root().put("rolled_back", "@NESTED@ " + count + " from " + from);
                    }
                }
            }

            /** Not part of the migration, though its name starts like the migration's nested classes. */
            class M1750840837_rename_encoder$Stray {
                static final String TEXT = "@STRAY@";
            }
            """;

    /** The same code: other layout, other comments, other local variable and parameter names. */
    private static final String MESSY = """
            package example.migrations;
            import dev.ckpt.api.*;
            import java.util.ArrayList;   import java.util.List;
            /* a block comment
               over lines */
            @MigrationInfo(version="1.2.0") public class M1750840837_rename_encoder extends Migration
                    implements Reversible
            {
              private static final String OLD="model.encoder.";private static final String NEW="@NEW@";
              @Override public void migrate(Checkpoint c){int n=c.stateDict().renamePrefix(OLD,NEW);c.root().put("renamed",(long)n);}



              @Override public void rollback(Checkpoint c)
              {
                List<String> collected=new ArrayList<>();
                c.stateDict().keys().forEach(name->collected.add(
                        @STATEMENT@));   // same statement, split
                new Helper(NEW)
                    .apply(c,OLD);
                Runnable r=new Runnable(){@Override public void run(){collected.add("@ANONYMOUS@");}};
                r.run();
                c.root().put("names",collected.size()+" names: "+collected);
              }
              static final class Helper { private final String from; Helper(String f) { this.from = f; }
                void apply(Checkpoint ck, String target) { int k = ck.stateDict().renamePrefix(from, target);
                  ck.root().put("rolled_back", "@NESTED@ " + k + " from " + from); } }
            }
            class M1750840837_rename_encoder$Stray { static final String TEXT = "@STRAY@"; }
            """;

    private static final Map<String, String> ORIGINAL = Map.of(
            "@NEW@", "model.backbone.",
            "@STATEMENT@", "name.toUpperCase()",
            "@ANONYMOUS@", "done",
            "@NESTED@", "renamed",
            "@STRAY@", "stray",
            "@VERSION@", "%NEXT_VERSION%");

    @TempDir
    Path dir;
    private int compilations;

    private Class<? extends Migration> compile(String template, Map<String, String> values, String... options) {
        String source = template;
        for (Map.Entry<String, String> value : ORIGINAL.entrySet()) {
            source = source.replace(value.getKey(), values.getOrDefault(value.getKey(), value.getValue()));
        }
        return SourceCompiler.migration(dir.resolve("build" + compilations++), NAME, source, options);
    }

    private Class<? extends Migration> compile(String template, String... options) {
        return compile(template, Map.of(), options);
    }

    @Test
    void layoutCommentsAndDebugInfoDoNotChangeTheSignature() throws IOException {
        Class<? extends Migration> tidyWithDebug = compile(TIDY, "-g");
        Class<? extends Migration> tidyWithoutDebug = compile(TIDY, "-g:none");
        Class<? extends Migration> messyWithDebug = compile(MESSY, "-g");
        Class<? extends Migration> messyWithoutDebug = compile(MESSY, "-g:none");
        Class<? extends Migration> messyWithParameters = compile(MESSY, "-g", "-parameters");

        // not vacuous: the class files differ (line numbers, local variable names, parameter names)
        assertFalse(Arrays.equals(classFile(tidyWithDebug), classFile(messyWithDebug)));
        assertFalse(Arrays.equals(classFile(tidyWithDebug), classFile(tidyWithoutDebug)));
        assertFalse(Arrays.equals(classFile(messyWithDebug), classFile(messyWithParameters)));
        // and each was loaded by a loader of its own
        assertNotEquals(tidyWithDebug, messyWithDebug);

        String expected = MigrationSignature.of(tidyWithDebug);
        assertEquals(expected, MigrationSignature.of(tidyWithoutDebug));
        assertEquals(expected, MigrationSignature.of(messyWithDebug));
        assertEquals(expected, MigrationSignature.of(messyWithoutDebug));
        assertEquals(expected, MigrationSignature.of(messyWithParameters));
    }

    @Test
    void aChangedConstantChangesTheSignature() {
        assertNotEquals(MigrationSignature.of(compile(TIDY, "-g")),
                MigrationSignature.of(compile(MESSY, Map.of("@NEW@", "model.trunk."), "-g")));
    }

    @Test
    void stampingTheReleaseVersionChangesNoSignature() throws IOException {
        Class<? extends Migration> released = compile(TIDY, Map.of("@VERSION@", "1.2.0"));
        assertFalse(Arrays.equals(classFile(compile(TIDY)), classFile(released)), "the annotation is in the class file");
        assertEquals(MigrationSignature.of(compile(TIDY)), MigrationSignature.of(released));
    }

    @Test
    void aChangedStatementChangesTheSignature() {
        assertNotEquals(MigrationSignature.of(compile(TIDY, "-g")),
                MigrationSignature.of(compile(TIDY, Map.of("@STATEMENT@", "name.toLowerCase()"), "-g")));
    }

    @Test
    void aChangeInANestedClassChangesTheSignature() {
        assertNotEquals(MigrationSignature.of(compile(TIDY)),
                MigrationSignature.of(compile(TIDY, Map.of("@NESTED@", "moved"))));
    }

    @Test
    void aChangeInAnAnonymousClassChangesTheSignature() {
        assertNotEquals(MigrationSignature.of(compile(TIDY)),
                MigrationSignature.of(compile(TIDY, Map.of("@ANONYMOUS@", "finished"))));
    }

    @Test
    void aClassOutsideTheMigrationDoesNotCount() {
        assertEquals(MigrationSignature.of(compile(TIDY)),
                MigrationSignature.of(compile(TIDY, Map.of("@STRAY@", "elsewhere"))));
    }

    @Test
    void theMigrationOwnsItsNestedAndAnonymousClassesButNotItsNeighbours() {
        SortedMap<String, byte[]> owned = OwnedClassFiles.of(compile(TIDY));
        assertEquals(List.of(NAME, NAME + "$1", NAME + "$Helper"), List.copyOf(owned.keySet()));
    }

    @Test
    void classesNestedAtAnyDepthBelongToTheMigration() {
        String source = """
                package example.migrations;

                import dev.ckpt.api.Checkpoint;
                import dev.ckpt.api.Migration;
                import java.util.Comparator;

                public class M1750840900_deep extends Migration {
                    enum Kind { A, B }

                    @Override
                    public void migrate(Checkpoint checkpoint) {
                        class Local {
                            Comparator<String> order() {
                                return new Comparator<String>() {
                                    public int compare(String a, String b) {
                                        return b.compareTo(a);
                                    }
                                };
                            }
                        }
                        checkpoint.root().put("order", String.valueOf(new Local().order().compare("a", "b")));
                        checkpoint.root().put("kind", Helper.name(Kind.B));
                    }

                    static class Helper {
                        static String name(Kind kind) {
                            switch (kind) {
                                case A: return "a";
                                default: return "other";
                            }
                        }

                        static class Deeper {
                        }
                    }
                }
                """;
        String name = "example.migrations.M1750840900_deep";
        Class<? extends Migration> migration = SourceCompiler.migration(dir.resolve("deep"), name, source);

        assertEquals(List.of(name, name + "$1", name + "$1Local", name + "$1Local$1", name + "$Helper",
                name + "$Helper$Deeper", name + "$Kind"), List.copyOf(OwnedClassFiles.of(migration).keySet()));
    }

    @Test
    void classFilesGiveTheSameSignatureInAnyOrder() {
        Class<? extends Migration> migration = compile(TIDY, "-g");
        byte[][] files = OwnedClassFiles.of(migration).values().toArray(new byte[0][]);
        byte[][] reversed = files.clone();
        java.util.Collections.reverse(Arrays.asList(reversed));
        assertEquals(MigrationSignature.of(migration), MigrationSignature.of(files));
        assertEquals(MigrationSignature.of(migration), MigrationSignature.of(reversed));
        assertThrows(IllegalArgumentException.class, () -> MigrationSignature.of(files[0], files[0]));
    }

    @Test
    void theSignatureIsAHexSha256AndStable() {
        String signature = MigrationSignature.of(RenameBackExample.class);
        assertTrue(signature.matches("[0-9a-f]{64}"), signature);
        assertEquals(signature, MigrationSignature.of(RenameBackExample.class));
        assertNotEquals(signature, MigrationSignature.of(compile(TIDY)));
    }

    private static byte[] classFile(Class<?> type) throws IOException {
        try (var in = type.getClassLoader().getResourceAsStream(type.getName().replace('.', '/') + ".class")) {
            return in.readAllBytes();
        }
    }
}
