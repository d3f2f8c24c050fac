package dev.ckpt.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ckpt.api.Checkpoint;
import dev.ckpt.api.Migration;
import dev.ckpt.api.Reversible;
import dev.ckpt.api.StateDict;
import dev.ckpt.pickle.DictLike;
import dev.ckpt.pickle.PickleReader;
import dev.ckpt.pickle.PickleWriter;
import dev.ckpt.pickle.PyGlobal;
import dev.ckpt.pickle.PyObject;
import dev.ckpt.pickle.PythonOracle;
import dev.ckpt.sandbox.UntrustedRollbackException;
import dev.ckpt.torch.TorchCheckpoint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.commons.ClassRemapper;
import org.objectweb.asm.commons.SimpleRemapper;

/**
 * Rollback by value (DESIGN 6): a reversible migration's class files are captured into a record of
 * plain builtins, survive the pickle round trip (ours and Python's), and load back, after the
 * allow-list check, in an isolated class loader, where the rollback runs on a real checkpoint
 * written by torch.save (/usr/bin/python3). Hostile rollbacks are compiled while the test runs
 * ({@code javax.tools}) and must be refused, naming what they reach for, before any of their code
 * is loaded.
 */
@Tag("torch")
class EmbeddedRollbackTest {
    private static final String TORCH_SAVE = """
            import collections, sys, torch
            state = collections.OrderedDict([
                ("model.backbone.weight", torch.arange(4, dtype=torch.float32)),
                ("model.backbone.bias", torch.ones(2)),
                ("head.weight", torch.zeros(3)),
            ])
            torch.save({"state_dict": state, "epoch": 3}, sys.argv[1])
            """;

    /** Loads a pickle with no class at all but the bytes constructor of protocol 2, and pickles it again. */
    private static final String PYTHON_KEEPS_RECORD = """
            import pickle, sys
            class OnlyBuiltins(pickle.Unpickler):
                def find_class(self, module, name):
                    raise pickle.UnpicklingError(f"the record needs the global {module}.{name}")
            with open(sys.argv[1], "rb") as f:
                record = OnlyBuiltins(f).load()
            assert set(record) == {"format", "class", "signature", "classes"}, record.keys()
            assert all(isinstance(k, str) and isinstance(v, str) for k, v in record["classes"].items())
            with open(sys.argv[2], "wb") as f:
                pickle.dump(record, f, protocol=2)
            print(record["class"])
            """;

    @TempDir
    static Path shared;
    static Path checkpointFile;

    @TempDir
    Path dir;

    @BeforeAll
    static void torchSavesACheckpoint() throws IOException {
        Path script = Files.writeString(shared.resolve("torch_save.py"), TORCH_SAVE);
        checkpointFile = shared.resolve("tiny.pt");
        PythonOracle.run(script, List.of(checkpointFile.toString()), "");
    }

    /** Runs the rollback on a fresh copy of the torch.save checkpoint and returns its root dict. */
    private static Map<Object, Object> rollBack(Reversible migration) throws Exception {
        try (TorchCheckpoint archive = TorchCheckpoint.open(checkpointFile)) {
            Checkpoint checkpoint = Checkpoint.of(archive);
            migration.rollback(checkpoint);
            return checkpoint.root();
        }
    }

    private static Map<Object, Object> classes(Map<Object, Object> record) {
        @SuppressWarnings("unchecked")
        Map<Object, Object> classes = (Map<Object, Object>) record.get("classes");
        return classes;
    }

    // ---- capture ----

    @Test
    void theRecordHoldsTheClassFilesOfTheMigrationAndWhatItOwnsAsPlainBuiltins() {
        Map<Object, Object> record = EmbeddedRollback.capture(RenameBackExample.class);

        assertEquals(List.of("format", "class", "signature", "classes"), List.copyOf(record.keySet()));
        assertEquals("ckpt-jvm-class/2", record.get("format"));
        assertEquals(RenameBackExample.class.getName(), record.get("class"));
        assertEquals(MigrationSignature.of(RenameBackExample.class), record.get("signature"));
        String main = RenameBackExample.class.getName();
        List<Object> names = List.copyOf(classes(record).keySet());
        assertTrue(names.containsAll(List.of(main, main + "$Rename", main + "$Renamer", main + "$Step")), names::toString);
        assertEquals(names.stream().sorted().toList(), names, "sorted by name");
        assertTrue(names.stream().allMatch(name -> name.equals(main) || ((String) name).startsWith(main + "$")), names::toString);
        // base64 str, not bytes: protocol 2 pickles bytes as _codecs.encode, which torch 1.13's weights-only loader refuses
        Map<String, byte[]> owned = OwnedClassFiles.of(RenameBackExample.class);
        classes(record).forEach((name, text) -> assertArrayEquals(owned.get((String) name),
                java.util.Base64.getDecoder().decode((String) text), name + "'s class file"));
        assertTrue(EmbeddedRollback.isEmbedded(record));
    }

    @Test
    void aFormat1RecordWithClassFilesAsBytesIsStillLoaded() throws Exception {
        Map<Object, Object> record = new LinkedHashMap<>(EmbeddedRollback.capture(RenameBackExample.class));
        Map<Object, Object> asBytes = new LinkedHashMap<>();
        classes(record).forEach((name, text) -> asBytes.put(name, java.util.Base64.getDecoder().decode((String) text)));
        record.put("format", "ckpt-jvm-class/1");
        record.put("classes", asBytes);

        assertEquals(RenameBackExample.class.getName(), EmbeddedRollback.load(record, false).getClass().getName());
    }

    @Test
    void aRollbackEmbeddedUnderTheFormerApiNamesStillLoadsAndUndoesTheMigration() throws Exception {
        // Release 0.1 kept the API in dev.ckpt.migration (the OmegaConf view in dev.ckpt.torch).
        Map<Object, Object> record = formerRecord(EmbeddedRollback.capture(RenameBackExample.class));

        Reversible loaded = EmbeddedRollback.load(record, false);
        assertEquals(keys(rollBack(new RenameBackExample())), keys(rollBack(loaded)));
        assertEquals(rollBack(new RenameBackExample()).get("rollback_note"), rollBack(loaded).get("rollback_note"));
    }

    @Test
    void aFormerRollbackThatRewritesTensorBytesWithTheFormerCallsStillDoesSo() throws Exception {
        // what release 0.1's README taught: readData, replaceData (and newTensor) on Checkpoint
        Class<? extends Migration> reverser = SourceCompiler.migration(dir.resolve("classes"), "old.M1700000500_reverse_head", """
                package old;
                import dev.ckpt.api.*;
                import dev.ckpt.torch.TensorView;
                @MigrationInfo(version = "0.1.0")
                @SuppressWarnings("deprecation")
                public class M1700000500_reverse_head extends Migration implements Reversible {
                    public void migrate(Checkpoint ckpt) throws Exception { rollback(ckpt); }
                    public void rollback(Checkpoint ckpt) throws Exception {
                        TensorView w = ckpt.stateDict().view("model.backbone.weight");
                        byte[] data = ckpt.readData(w);
                        byte[] reversed = new byte[data.length];
                        for (int i = 0; i < data.length; i++) {
                            reversed[i] = data[data.length - 4 - i / 4 * 4 + i % 4];
                        }
                        ckpt.replaceData(w, reversed);
                        ckpt.stateDict().put("extra", ckpt.newTensor(dev.ckpt.torch.DType.INT8, new long[] {1}, new byte[] {7}).value());
                    }
                }
                """);
        Map<Object, Object> record = formerRecord(EmbeddedRollback.capture(reverser));

        Reversible loaded = EmbeddedRollback.load(record, false);
        try (TorchCheckpoint archive = TorchCheckpoint.open(checkpointFile)) {
            loaded.rollback(Checkpoint.of(archive));
            StateDict stateDict = Checkpoint.of(archive).stateDict();
            assertEquals(List.of(3.0, 2.0, 1.0, 0.0), Arrays.stream(stateDict.read("model.backbone.weight").toDoubles()).boxed().toList());
            assertEquals(List.of(7.0), Arrays.stream(stateDict.read("extra").toDoubles()).boxed().toList());
        }
    }

    /** The record as release 0.1 would have embedded it: every API class under its former name. */
    private static Map<Object, Object> formerRecord(Map<Object, Object> current) {
        Map<String, String> former = new LinkedHashMap<>();
        for (String type : List.of("Migration", "Reversible", "FinalMigration", "MigrationInfo", "MigrationContext", "Checkpoint",
                "Node", "StateDict")) {
            former.put("dev/ckpt/api/" + type, "dev/ckpt/migration/" + type);
        }
        former.put("dev/ckpt/api/OmegaConfView", "dev/ckpt/torch/OmegaConfView");
        Map<Object, Object> record = new LinkedHashMap<>(current);
        Map<String, byte[]> oldFiles = new TreeMap<>();
        Map<Object, Object> encoded = new LinkedHashMap<>();
        classes(record).forEach((name, text) -> {
            byte[] old = remapped(java.util.Base64.getDecoder().decode((String) text), former);
            oldFiles.put((String) name, old);
            encoded.put(name, java.util.Base64.getEncoder().encodeToString(old));
        });
        String main = new String(oldFiles.get((String) record.get("class")), StandardCharsets.ISO_8859_1);
        assertTrue(main.contains("dev/ckpt/migration/Checkpoint") && !main.contains("dev/ckpt/api/"), "the class names only the former API");
        record.put("classes", encoded);
        record.put("signature", MigrationSignature.of(oldFiles));
        return record;
    }

    @Test
    void embeddedCodeCannotTakeTheNameOfAFormerApiClass() {
        Map<Object, Object> record = new LinkedHashMap<>(EmbeddedRollback.capture(RenameBackExample.class));
        String internal = RenameBackExample.class.getName().replace('.', '/');
        byte[] impostor = remapped(java.util.Base64.getDecoder().decode((String) classes(record).get(RenameBackExample.class.getName())),
                Map.of(internal, "dev/ckpt/migration/Node"));
        Map<String, byte[]> files = new TreeMap<>(Map.of("dev.ckpt.migration.Node", impostor));
        record.put("class", "dev.ckpt.migration.Node");
        record.put("classes", new LinkedHashMap<>(Map.of("dev.ckpt.migration.Node", java.util.Base64.getEncoder().encodeToString(impostor))));
        record.put("signature", MigrationSignature.of(files));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EmbeddedRollback.load(record, true));
        assertTrue(e.getMessage().contains("dev.ckpt.migration.Node, a class of the ckpt API itself"), e.getMessage());
    }

    private static byte[] remapped(byte[] classFile, Map<String, String> names) {
        ClassWriter writer = new ClassWriter(0);
        new ClassReader(classFile).accept(new ClassRemapper(writer, new SimpleRemapper(names)), 0);
        return writer.toByteArray();
    }

    @Test
    void onlyReversibleMigrationsAreCaptured() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EmbeddedRollback.capture(OneWay.class));
        assertTrue(e.getMessage().contains("does not implement Reversible"), e.getMessage());
    }

    /** A migration without a rollback. */
    public static class OneWay extends Migration {
        @Override
        public void migrate(Checkpoint checkpoint) {
        }
    }

    @Test
    void otherRollbackValuesAreNotEmbeddedJvmCode() {
        assertFalse(EmbeddedRollback.isEmbedded(null));
        assertFalse(EmbeddedRollback.isEmbedded("def rollback(ckpt): ..."));
        assertFalse(EmbeddedRollback.isEmbedded(new byte[] {(byte) 0x80, 4}));
        assertFalse(EmbeddedRollback.isEmbedded(PyObject.newInstance(PyGlobal.of("ckpt.rollback", "Rollback"), null)));
        assertFalse(EmbeddedRollback.isEmbedded(Map.of("format", "pickled-python-function")));
        assertTrue(EmbeddedRollback.isEmbedded(Map.of("format", "ckpt-jvm-class/2")), "a newer format is still ours");
    }

    // ---- load ----

    @Test
    void theLoadedRollbackIsAnotherClassInAnIsolatedLoaderAndUndoesTheMigration() throws Exception {
        Reversible loaded = EmbeddedRollback.load(EmbeddedRollback.capture(RenameBackExample.class), false);

        Class<?> type = loaded.getClass();
        assertEquals(RenameBackExample.class.getName(), type.getName());
        assertNotSame(RenameBackExample.class, type);
        assertNotSame(RenameBackExample.class.getClassLoader(), type.getClassLoader());
        assertTrue(type.getClassLoader().getName().startsWith("ckpt-embedded-rollback"), type.getClassLoader().getName());
        assertInstanceOf(Migration.class, loaded);

        Map<Object, Object> root = rollBack(loaded);
        assertEquals(List.of("model.encoder.weight", "model.encoder.bias", "head.weight"),
                keys(root));
        @SuppressWarnings("unchecked")
        Map<Object, Object> note = (Map<Object, Object>) root.get("rollback_note");
        assertEquals(2L, note.get("count"));
        assertEquals(List.of("model.encoder.bias", "model.encoder.weight"), note.get("moved"));
        assertEquals("renamed by Rename[from=model.backbone., to=model.encoder.]", note.get("how"));
        // the same rollback, run from the class itself: by value it does exactly the same
        Map<Object, Object> direct = rollBack(new RenameBackExample());
        assertEquals(keys(direct), keys(root));
        assertEquals(direct.get("rollback_note"), note);
    }

    private static List<String> keys(Map<Object, Object> root) {
        List<String> keys = new ArrayList<>();
        DictLike.entriesOrNull(root.get("state_dict")).keySet().forEach(key -> keys.add((String) key));
        return keys;
    }

    @Test
    void everyLoadGetsALoaderOfItsOwn() {
        Map<Object, Object> record = EmbeddedRollback.capture(RenameBackExample.class);
        Class<?> first = EmbeddedRollback.load(record, false).getClass();
        Class<?> second = EmbeddedRollback.load(record, false).getClass();
        assertNotSame(first, second);
        assertNotSame(first.getClassLoader(), second.getClassLoader());
        assertSame(Reversible.class, loadedInterface(first), "the API itself is ckpt-core's, shared");
    }

    private static Class<?> loadedInterface(Class<?> type) {
        return Stream.of(type.getInterfaces()).filter(i -> i.getSimpleName().equals("Reversible")).findFirst().orElseThrow();
    }

    @Test
    void theLoadedClassHasTheRecordedSignature() {
        Map<Object, Object> record = EmbeddedRollback.capture(RenameBackExample.class);
        @SuppressWarnings("unchecked")
        Class<? extends Migration> loaded = (Class<? extends Migration>) EmbeddedRollback.load(record, false).getClass();
        assertEquals(record.get("signature"), MigrationSignature.of(loaded));
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4, 5})
    void theRecordSurvivesOurPickleRoundTripAndStillLoads(int protocol) throws Exception {
        Map<Object, Object> record = EmbeddedRollback.capture(RenameBackExample.class);
        Object back = new PickleReader().read(new PickleWriter(protocol).strict().write(record));

        assertTrue(EmbeddedRollback.isEmbedded(back));
        Reversible loaded = EmbeddedRollback.load(back, false);
        assertEquals(List.of("model.encoder.weight", "model.encoder.bias", "head.weight"), keys(rollBack(loaded)));
    }

    @Test
    void pythonLoadsTheRecordWithoutAnyClassAndKeepsIt() throws Exception {
        Map<Object, Object> record = EmbeddedRollback.capture(RenameBackExample.class);
        Path ours = Files.write(dir.resolve("record.pkl"), new PickleWriter().write(record));
        Path theirs = dir.resolve("record-python.pkl");
        Path script = Files.writeString(dir.resolve("keep.py"), PYTHON_KEEPS_RECORD);

        String printed = PythonOracle.run(script, List.of(ours.toString(), theirs.toString()), "");

        assertEquals(RenameBackExample.class.getName(), printed.strip());
        Object back = new PickleReader().read(Files.readAllBytes(theirs));
        assertEquals(List.of("model.encoder.weight", "model.encoder.bias", "head.weight"),
                keys(rollBack(EmbeddedRollback.load(back, false))));
    }

    // ---- hostile rollbacks ----

    static final String HOSTILE = """
            package evil;

            import dev.ckpt.api.Checkpoint;
            import dev.ckpt.api.Migration;
            import dev.ckpt.api.Reversible;

            public class @CLASS@ extends Migration implements Reversible {
                @Override
                public void migrate(Checkpoint ckpt) {
                }

                @Override
                public void rollback(Checkpoint ckpt) throws Exception {
                    @BODY@
                }

                @MEMBERS@
            }
            """;

    /** name, rollback body, other members, fragments the refusal must name. */
    static Stream<Arguments> hostileRollbacks() {
        return Stream.of(
                hostile("reads_file", "ckpt.root().put(\"leak\", new java.io.File(\"/etc/hostname\").length());", "",
                        "method rollback(dev.ckpt.api.Checkpoint)", "java.io.File", "file and stream I/O"),
                hostile("reads_file_nio",
                        "ckpt.root().put(\"leak\", java.nio.file.Files.readString(java.nio.file.Path.of(\"/etc/hostname\")));",
                        "", "java.nio.file.Files.readString(java.nio.file.Path)", "file and stream I/O"),
                hostile("runs_process", "Runtime.getRuntime().exec(new String[] {\"touch\", \"/tmp/ckpt-pwned\"});", "",
                        "java.lang.Runtime.getRuntime()", "processes and the JVM"),
                hostile("reflection", "Class.forName(\"java.lang.Runtime\").getMethod(\"getRuntime\").invoke(null);", "",
                        "java.lang.Class.forName(java.lang.String)", "reflection"),
                hostile("reflection_via_get_class", "ckpt.getClass().getClassLoader();", "",
                        "java.lang.Object.getClass()", "java.lang.Class is forbidden"),
                hostile("starts_thread", "new Thread(() -> ckpt.root().clear()).start();", "",
                        "java.lang.Thread", "threads"),
                hostile("executor", "java.util.concurrent.Executors.newSingleThreadExecutor().shutdown();", "",
                        "java.util.concurrent.Executors.newSingleThreadExecutor()", "threads"),
                hostile("exits", "System.exit(3);", "", "java.lang.System.exit(int)", "processes and the JVM"),
                hostile("method_reference", "Runnable collect = System::gc; collect.run();", "",
                        "java.lang.System.gc()", "processes and the JVM"),
                hostile("static_initializer", "", "static { System.setProperty(\"ckpt.test.pwned\", \"yes\"); }",
                        "static initializer", "java.lang.System.setProperty(java.lang.String, java.lang.String)"),
                hostile("field_only", "", "private java.io.File target;",
                        "field target references java.io.File", "file and stream I/O"),
                hostile("descriptor_only", "", "private static void unused(java.net.Socket socket) { }",
                        "method unused(java.net.Socket) references java.net.Socket", "network access"),
                hostile("nested_helper", "Helper.run();",
                        "static final class Helper { static void run() throws Exception { new ProcessBuilder(\"true\").start(); } }",
                        "class evil.M1750000000_nested_helper$Helper, method run()", "java.lang.ProcessBuilder"),
                hostile("class_loader", "", "static final class Loader extends ClassLoader { }",
                        "class evil.M1750000000_class_loader$Loader, its declaration", "java.lang.ClassLoader",
                        "class loading"),
                hostile("native_method", "", "private static native void poke();", "method poke()", "native"),
                hostile("archive_behind_the_view", "ckpt.archive().close();", "",
                        "dev.ckpt.api.Checkpoint.archive()", "dev.ckpt.torch.TorchCheckpoint is forbidden"),
                hostile("system_property", "ckpt.root().put(\"leak\", (long) Integer.getInteger(\"user.home\"));", "",
                        "java.lang.Integer.getInteger(java.lang.String)", "JVM-wide settings"),
                hostile("unsafe", "ckpt.root().put(\"leak\", String.valueOf(sun.misc.Unsafe.class));", "",
                        "sun.misc.Unsafe", "JDK internals"),
                hostile("annotation", "", "@java.beans.Transient public int value() { return 1; }",
                        "method value() references java.beans.Transient", "not on the allow-list"),
                hostile("catch_only", "try { ckpt.root(); } catch (SecurityException | java.io.UncheckedIOException e) { }",
                        "", "java.io.UncheckedIOException"),
                hostile("parallel_stream", "java.util.List.of(1, 2).parallelStream().forEach(i -> ckpt.root().put(\"k\" + i, i));",
                        "", "java.util.List.parallelStream()", "threads"),
                hostile("stream_parallel", "ckpt.root().put(\"sum\", (long) java.util.stream.IntStream.range(0, 9).parallel().sum());",
                        "", "parallel()", "threads"),
                hostile("arrays_parallel", "java.util.Arrays.parallelSort(new int[] {3, 1});", "", "parallelSort", "threads"),
                hostile("finalizer", "", "@Override protected void finalize() { }", "a finalizer", "Finalizer thread"),
                hostile("simple_time_zone", "java.util.SimpleTimeZone.setDefault(null);", "",
                        "java.util.SimpleTimeZone.setDefault", "JVM-wide settings"),
                hostile("locale_category", "java.util.Locale.setDefault(java.util.Locale.Category.FORMAT, java.util.Locale.ROOT);", "",
                        "java.util.Locale.setDefault", "JVM-wide settings"));
    }

    private static Arguments hostile(String name, String body, String members, String... fragments) {
        return Arguments.of(name, body, members, List.of(fragments));
    }

    private Class<? extends Migration> compileHostile(String name, String body, String members) {
        String className = "M1750000000_" + name;
        String source = HOSTILE.replace("@CLASS@", className).replace("@BODY@", body).replace("@MEMBERS@", members);
        return SourceCompiler.migration(dir.resolve(name), "evil." + className, source);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileRollbacks")
    void aHostileRollbackIsRefusedNamingWhatItReachesFor(String name, String body, String members, List<String> fragments) {
        Map<Object, Object> record = EmbeddedRollback.capture(compileHostile(name, body, members));

        UntrustedRollbackException e = assertThrows(UntrustedRollbackException.class,
                () -> EmbeddedRollback.load(record, false));

        String message = e.getMessage();
        assertEquals("evil.M1750000000_" + name, e.migrationClass());
        assertTrue(message.contains("evil.M1750000000_" + name), message);
        for (String fragment : fragments) {
            assertTrue(message.contains(fragment), () -> "no '" + fragment + "' in: " + message);
        }
        assertTrue(message.contains("withTrustEmbeddedRollbacks(true)"), message);
        assertFalse(e.refusals().isEmpty());
        assertNull(System.getProperty("ckpt.test.pwned"), "nothing ran");
    }

    @Test
    void theRefusalComesBeforeAnyCodeRunsAndTrustLoadsIt() throws Exception {
        String property = "ckpt.test.trusted-static-init";
        Map<Object, Object> record = EmbeddedRollback.capture(compileHostile("trusted_static_init", "",
                "static { System.setProperty(\"" + property + "\", \"ran\"); }"));
        try {
            assertThrows(UntrustedRollbackException.class, () -> EmbeddedRollback.load(record, false));
            assertNull(System.getProperty(property), "refused before the static initializer could run");

            EmbeddedRollback.load(record, true);
            assertEquals("ran", System.getProperty(property));
        } finally {
            System.clearProperty(property);
        }
    }

    @Test
    void aTrustedFileLoadsAndRunsWhatWouldBeRefused() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "read by a trusted rollback");
        Map<Object, Object> record = EmbeddedRollback.capture(compileHostile("trusted_reader",
                "ckpt.root().put(\"read\", java.nio.file.Files.readString(java.nio.file.Path.of(\""
                        + secret.toString().replace("\\", "\\\\") + "\")));", ""));
        assertThrows(UntrustedRollbackException.class, () -> EmbeddedRollback.load(record, false));

        Reversible trusted = EmbeddedRollback.load(record, true);

        assertEquals("read by a trusted rollback", rollBack(trusted).get("read"));
    }

    @Test
    void evenTrustedCodeSeesOnlyJavaAndCkptClasses() throws Exception {
        Map<Object, Object> record = EmbeddedRollback.capture(compileHostile("class_probe",
                "for (String name : new String[] {\"java.util.List\", \"dev.ckpt.api.Node\","
                        + " \"org.junit.jupiter.api.Test\", \"evil.Elsewhere\"}) {"
                        + "  Object result;"
                        + "  try { result = Class.forName(name, false, getClass().getClassLoader()).getName(); }"
                        + "  catch (ClassNotFoundException e) { result = \"not found\"; }"
                        + "  ckpt.root().put(name, result);"
                        + "}", ""));

        Map<Object, Object> root = rollBack(EmbeddedRollback.load(record, true));

        assertEquals("java.util.List", root.get("java.util.List"));
        assertEquals("dev.ckpt.api.Node", root.get("dev.ckpt.api.Node"));
        assertEquals("not found", root.get("org.junit.jupiter.api.Test"));
        assertEquals("not found", root.get("evil.Elsewhere"));
    }

    // ---- malformed records ----

    static Stream<Arguments> malformedRecords() {
        Map<Object, Object> good = EmbeddedRollback.capture(RenameBackExample.class);
        String main = RenameBackExample.class.getName();
        return Stream.of(
                malformed("a string", "def rollback(ckpt): pass", "not a dict"),
                malformed("no format", edit(good, r -> r.remove("format")), "no \"format\""),
                malformed("another format", edit(good, r -> r.put("format", "pickled-python-function")),
                        "its format is pickled-python-function"),
                malformed("a newer format", edit(good, r -> r.put("format", "ckpt-jvm-class/3")), "newer ckpt"),
                malformed("no class", edit(good, r -> r.remove("class")), "no \"class\""),
                malformed("no classes", edit(good, r -> r.remove("classes")), "no \"classes\""),
                malformed("class not embedded", edit(good, r -> r.put("class", "example.Missing")),
                        "example.Missing is not among its class files"),
                malformed("not base64", edit(good, r -> classes(r).put(main, "not base64!")), "must map class names to class files"),
                malformed("not a str or bytes", edit(good, r -> classes(r).put(main, 42L)), "must map class names to class files"),
                malformed("not a class file", edit(good, r -> classes(r).put(main, new byte[] {1, 2, 3})),
                        "is not a class file"),
                malformed("wrong name", edit(good, r -> classes(r).put("example.Other", classes(r).get(main))),
                        "under example.Other defines " + main),
                malformed("a JDK class", edit(good, r -> classes(r).put("java.lang.Evil", emptyClass("java/lang/Evil"))),
                        "it defines java.lang.Evil, in a package only the JDK may define"),
                malformed("a ckpt API class", edit(good, r -> classes(r).put("dev.ckpt.api.Checkpoint",
                        emptyClass("dev/ckpt/api/Checkpoint"))), "a class of the ckpt API itself"),
                malformed("changed bytes", edit(good, r -> classes(r).put(main, patched(java.util.Base64.getDecoder().decode((String) classes(r).get(main))))),
                        "do not match its signature"));
    }

    private static Arguments malformed(String what, Object record, String fragment) {
        return Arguments.of(what, record, fragment);
    }

    private static Map<Object, Object> edit(Map<Object, Object> record, Consumer<Map<Object, Object>> change) {
        Map<Object, Object> copy = new LinkedHashMap<>(record);
        copy.put("classes", new LinkedHashMap<>(classes(record)));
        change.accept(copy);
        return copy;
    }

    /** A class file of an empty class with that internal name (ASM). */
    private static byte[] emptyClass(String internalName) {
        ClassWriter writer = new ClassWriter(0);
        writer.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, internalName, null, "java/lang/Object", null);
        writer.visitEnd();
        return writer.toByteArray();
    }

    /** The class file with one string constant changed ("model.encoder." to "model.encodex."). */
    private static byte[] patched(byte[] classFile) {
        String text = new String(classFile, StandardCharsets.ISO_8859_1);
        int at = text.indexOf("model.encoder.");
        assertTrue(at > 0);
        byte[] copy = classFile.clone();
        copy[at + "model.encode".length()] = 'x';
        return copy;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedRecords")
    void aMalformedRecordIsRejectedSayingWhy(String what, Object record, String fragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EmbeddedRollback.load(record, true));
        assertTrue(e.getMessage().contains("not an embedded JVM rollback"), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), () -> "no '" + fragment + "' in: " + e.getMessage());
    }

    @Test
    void anEmbeddedClassThatIsNotAReversibleMigrationIsRejected() {
        Map<Object, Object> record = edit(EmbeddedRollback.capture(RenameBackExample.class), r -> {
            r.put("class", RenameBackExample.class.getName() + "$Renamer");
            r.remove("signature");
        });
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> EmbeddedRollback.load(record, false));
        assertTrue(e.getMessage().contains("is not a reversible migration"), e.getMessage());
    }
}
