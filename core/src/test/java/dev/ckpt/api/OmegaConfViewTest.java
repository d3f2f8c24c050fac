package dev.ckpt.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ckpt.pickle.PickleWriter;
import dev.ckpt.pickle.PyGlobal;
import dev.ckpt.pickle.PyTuple;
import dev.ckpt.torch.TorchCheckpoint;
import dev.ckpt.torch.ViewOracle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OmegaConfView against real omegaconf 2.2 ({@code omegaconf_oracle.py} under /usr/bin/python3):
 * OmegaConf pickles the configs (protocol 2, the C pickler); for an edit, OmegaConf makes the same
 * edit with its own API ({@code OmegaConf.update}, {@code del}, {@code append}) and compares its
 * result with the Java one node by node: classes, metadata, parent links, keys, values and their
 * types, to_yaml and to_container(resolve=True).
 */
@Tag("torch")
class OmegaConfViewTest {
    @TempDir
    static Path dir;
    /** OmegaConf.create of nested dicts and lists, an interpolation, a missing value, None and bytes. */
    static Path plain;
    /** OmegaConf.structured of dataclasses: typed nodes, a typed dict and list, an optional None config. */
    static Path structured;

    @BeforeAll
    static void omegaConfPicklesConfigs() {
        plain = dir.resolve("plain.pkl");
        structured = dir.resolve("structured.pkl");
        ViewOracle.run("omegaconf_oracle.py", "make", "plain", plain.toString());
        ViewOracle.run("omegaconf_oracle.py", "make", "structured", structured.toString());
    }

    // ---------------------------------------------------------------- reading

    @Test
    void getReturnsStoredValuesAsPlainJavaValues() {
        OmegaConfView cfg = read(plain);
        assertEquals("resnet", cfg.get("model.name"));
        assertEquals(4L, cfg.get("model.processor.num_layers"));
        assertEquals(0.1, cfg.get("model.processor.dropout"));
        assertEquals(true, cfg.get("model.processor.use_bias"));
        assertNull(cfg.get("model.processor.activation"));
        assertArrayEquals(new byte[] {0, (byte) 0xff}, (byte[]) cfg.get("model.raw"));
    }

    @Test
    void typedGettersReadOneLine() {
        OmegaConfView cfg = read(plain);
        assertEquals(4L, cfg.getLong("model.processor.num_layers"));
        assertEquals(0.1, cfg.getDouble("model.processor.dropout"));
        assertEquals(4.0, cfg.getDouble("model.processor.num_layers"));
        assertEquals("resnet", cfg.getString("model.name"));
        assertTrue(cfg.getBoolean("model.processor.use_bias"));
    }

    @Test
    void typedGetterOfAnotherTypeSaysWhatIsThere() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> read(plain).getLong("model.name"));
        assertEquals("'model.name' holds str 'resnet', not an int", error.getMessage());
    }

    @Test
    void nestedConfigIsAViewOverTheSameObject() {
        OmegaConfView cfg = read(plain);
        OmegaConfView processor = assertInstanceOf(OmegaConfView.class, cfg.get("model.processor"));
        assertEquals(List.of("num_layers", "dropout", "use_bias", "activation"), processor.keys());
        assertEquals(4L, processor.get("num_layers"));
        assertSame(processor.value(), cfg.getConfig("model").getConfig("processor").value());
    }

    @Test
    void listElementsAreAddressedByIndexInEitherSpelling() {
        OmegaConfView cfg = read(plain);
        assertEquals(128L, cfg.get("model.layers.1"));
        assertEquals(3L, cfg.get("model.layers[2].kernel"));
        assertEquals(List.of(0L, 1L, 2L), cfg.keys("model.layers"));
    }

    @Test
    void interpolationIsReturnedUnresolved() {
        OmegaConfView cfg = read(plain);
        assertEquals("${model.processor.num_layers}", cfg.get("model.width"));
        assertTrue(cfg.isInterpolation("model.width"));
        assertFalse(cfg.isInterpolation("model.name"));
    }

    @Test
    void missingValueIsReportedAsMissing() {
        OmegaConfView cfg = read(plain);
        assertEquals("???", cfg.get("data.path"));
        assertTrue(cfg.isMissing("data.path"));
        assertFalse(cfg.isMissing("data.batch_size"));
    }

    @Test
    void hasTellsWhetherAPathLeadsToANode() {
        OmegaConfView cfg = read(plain);
        assertTrue(cfg.has("model.processor.activation"));
        assertFalse(cfg.has("model.processor.hidden"));
        assertFalse(cfg.has("seed.value"));
        assertFalse(cfg.has("model.layers.3"));
    }

    @Test
    void toPlainIsWhatOmegaConfToContainerGives() {
        OmegaConfView cfg = read(plain);
        List<Object> both = new ArrayList<>(List.of(cfg.value(), cfg.toPlain()));
        Path file = ViewOracle.writePickle(dir.resolve("to-plain.pkl"), both);
        assertEquals("True", ViewOracle.run("omegaconf_oracle.py", "eval", file.toString(),
                "repr(OmegaConf.to_container(cfg[0])) == repr(cfg[1])"));
    }

    @Test
    void readingThroughTheViewChangesNoByte() throws IOException {
        OmegaConfView cfg = read(plain);
        cfg.toPlain();
        cfg.has("model.layers[2].kernel");
        cfg.keys("model");
        assertArrayEquals(Files.readAllBytes(plain), new PickleWriter().write(cfg.value()));
    }

    @Test
    void pathThatIsNotThereNamesTheMissingKey() {
        NoSuchElementException error = assertThrows(NoSuchElementException.class, () -> read(plain).get("model.procesor.num_layers"));
        assertEquals("no key 'procesor' in 'model' (path 'model.procesor.num_layers'); its keys are [name, processor, layers, width, raw]",
                error.getMessage());
    }

    @Test
    void indexOutOfRangeNamesTheList() {
        NoSuchElementException error = assertThrows(NoSuchElementException.class, () -> read(plain).get("model.layers.3"));
        assertEquals("no element '3' in the list 'model.layers' of 3 elements (path 'model.layers.3')", error.getMessage());
    }

    @Test
    void emptyKeyInAPathIsRefused() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> read(plain).get("model..name"));
        assertEquals("empty key at offset 6 of path 'model..name'", error.getMessage());
    }

    @Test
    void ofRejectsWhatIsNotAConfig() {
        assertFalse(OmegaConfView.isConfig(new LinkedHashMap<>()));
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> OmegaConfView.of(new LinkedHashMap<>()));
        assertEquals("not an OmegaConf DictConfig or ListConfig: dict", error.getMessage());
    }

    @Test
    void createBuildsTheConfigOmegaConfCreateBuilds() {
        Path hparams = dir.resolve("hparams.pkl");
        ViewOracle.run("omegaconf_oracle.py", "make", "hparams", hparams.toString());
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("hidden", 4L);
        model.put("dropout", 0.1);
        model.put("tags", List.of("a", 1L));
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("model", model);
        content.put("lr", 0.001);

        assertEquals("same", editedLikeOmegaConf(hparams, OmegaConfView.create(content)));
    }

    // ---------------------------------------------------------------- editing, checked by OmegaConf

    @Test
    void settingAnExistingValueKeepsItsNodeAsOmegaConfDoes() {
        OmegaConfView cfg = read(plain);
        Object node = ((Map<?, ?>) cfg.getConfig("model.processor").value().attributes().get("_content")).get("num_layers");
        assertEquals("same", editedLikeOmegaConf(plain, cfg, set("model.processor.num_layers", 8)));
        assertSame(node, ((Map<?, ?>) cfg.getConfig("model.processor").value().attributes().get("_content")).get("num_layers"));
    }

    @Test
    void newKeyInANestedConfigIsTheNodeOmegaConfBuilds() {
        assertEquals("same", editedLikeOmegaConf(plain, read(plain), set("model.processor.hidden", 256L)));
    }

    @Test
    void newNestedPathCreatesTheMissingConfigsAsOmegaConfUpdateDoes() {
        assertEquals("same", editedLikeOmegaConf(plain, read(plain), set("model.head.classifier.units", 10L)));
    }

    @Test
    void newConfigsPointAtTheirContainingConfig() {
        OmegaConfView cfg = read(plain);
        cfg.set("model.head", Map.of("units", 10L));
        Path file = ViewOracle.writePickle(dir.resolve("parents.pkl"), cfg.value());
        assertEquals("(True, True, True)", ViewOracle.run("omegaconf_oracle.py", "eval", file.toString(),
                "(cfg.model._get_parent() is cfg, cfg.model.head._get_parent() is cfg.model,"
                        + " cfg.model.head._get_node('units')._get_parent() is cfg.model.head)"));
    }

    @Test
    void mapReplacesAValueWithANestedConfig() {
        Map<String, Object> seed = new LinkedHashMap<>();
        seed.put("value", 7L);
        seed.put("deterministic", true);
        seed.put("workers", List.of(1L, "${seed.value}", new LinkedHashMap<>()));
        assertEquals("same", editedLikeOmegaConf(plain, read(plain), set("seed", seed)));
    }

    @Test
    void newInterpolationResolvesInOmegaConf() {
        OmegaConfView cfg = read(plain);
        cfg.set("model.depth", "${model.processor.num_layers}");
        Path file = ViewOracle.writePickle(dir.resolve("interpolation.pkl"), cfg.value());
        assertEquals("(4, 4)", ViewOracle.run("omegaconf_oracle.py", "eval", file.toString(),
                "(cfg.model.depth, OmegaConf.to_container(cfg, resolve=True)['model']['depth'])"));
    }

    @Test
    void editedConfigPrintsAsYamlWithTheEdit() {
        OmegaConfView cfg = read(plain);
        cfg.set("data.path", "/datasets/imagenet");
        cfg.set("data.shuffle", false);
        Path file = ViewOracle.writePickle(dir.resolve("yaml.pkl"), cfg.value());
        assertEquals("path: /datasets/imagenet\nbatch_size: 32\nshuffle: false\n",
                ViewOracle.run("omegaconf_oracle.py", "eval", file.toString(), "OmegaConf.to_yaml(cfg.data)"));
    }

    @Test
    void settingAListElementKeepsItsNodeAsOmegaConfDoes() {
        assertEquals("same", editedLikeOmegaConf(plain, read(plain), set("model.layers.0", 32L)));
    }

    @Test
    void settingAListElementToAMapReplacesItWithAConfig() {
        assertEquals("same", editedLikeOmegaConf(plain, read(plain), set("model.layers[1]", Map.of("width", 128L))));
    }

    @Test
    void appendAddsAnElementUnderTheNextIndex() {
        assertEquals("same", editedLikeOmegaConf(plain, read(plain), append("model.layers", 256L), append("tags", "baseline")));
    }

    @Test
    void removingADictKeyReturnsItsValue() {
        OmegaConfView cfg = read(plain);
        assertEquals(Map.of("kernel", 3L), cfg.remove("model.layers.2"));
        assertEquals(0.1, cfg.remove("model.processor.dropout"));
        assertEquals(List.of("num_layers", "use_bias", "activation"), cfg.keys("model.processor"));
    }

    @Test
    void removingADictKeyLeavesTheRestAsOmegaConfDoes() {
        assertEquals("same", editedLikeOmegaConf(plain, read(plain), remove("model.processor.dropout")));
    }

    @Test
    void removingAListElementRenumbersTheLaterOnesAsOmegaConfDoes() {
        assertEquals("same", editedLikeOmegaConf(plain, read(plain), remove("model.layers.0")));
    }

    @Test
    void settingAKeyInsideAValueIsRefused() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> read(plain).set("seed.value", 1L));
        assertEquals("'seed' is a value (AnyNode 7), not a config, so it has no key 'value' (path 'seed.value')", error.getMessage());
    }

    @Test
    void settingAListIndexOutOfRangeIsRefused() {
        NoSuchElementException error = assertThrows(NoSuchElementException.class, () -> read(plain).set("model.layers.3", 1L));
        assertEquals("no element '3' in the list 'model.layers' of 3 elements (path 'model.layers.3')", error.getMessage());
    }

    @Test
    void valueThatIsNoConfigValueIsRefused() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> read(plain).set("seed", PyGlobal.of("builtins", "print")));
        assertEquals("'seed' is an AnyNode: it cannot hold global builtins.print"
                + " (config values are None, bool, int, float, str and bytes)", error.getMessage());
    }

    // ---------------------------------------------------------------- structured configs

    @Test
    void typedValueKeepsItsNodeClass() {
        OmegaConfView cfg = read(structured);
        assertEquals("same", editedLikeOmegaConf(structured, cfg, set("optim.steps", 20L)));
        assertEquals(PyGlobal.of("omegaconf.nodes", "IntegerNode"), cfg.nodeClass("optim.steps"));
    }

    @Test
    void intSetOnAFloatNodeBecomesAFloatAsOmegaConfConvertsIt() {
        assertEquals("same", editedLikeOmegaConf(structured, read(structured), set("optim.lr", 1L)));
    }

    @Test
    void typedValueRefusesAnotherType() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> read(structured).set("optim.steps", "many"));
        assertEquals("'optim.steps' is an IntegerNode: it cannot hold str 'many'", error.getMessage());
    }

    @Test
    void nonOptionalValueRefusesNone() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> read(structured).set("optim.steps", null));
        assertEquals("'optim.steps' is a non-optional IntegerNode: it cannot hold None", error.getMessage());
    }

    @Test
    void optionalValueTakesAValueAsOmegaConfDoes() {
        assertEquals("same", editedLikeOmegaConf(structured, read(structured), set("optim.warmup", 100L)));
    }

    @Test
    void structuredConfigRefusesNewKeys() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> read(structured).set("optim.momentum", 0.9));
        assertEquals("cannot add key 'momentum' to 'optim': a structured config of class views_structured.Optim, whose keys are fixed",
                error.getMessage());
    }

    @Test
    void structuredConfigRefusesRemovingAKey() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> read(structured).remove("optim.steps"));
        assertEquals("cannot remove 'steps' from 'optim': a structured config of class views_structured.Optim, whose keys are fixed",
                error.getMessage());
    }

    @Test
    void newKeyOfATypedDictIsATypedNodeAsOmegaConfBuildsIt() {
        assertEquals("same", editedLikeOmegaConf(structured, read(structured), set("counts.val", 20L)));
    }

    @Test
    void appendToATypedListConvertsAsOmegaConfDoes() {
        assertEquals("same", editedLikeOmegaConf(structured, read(structured), append("scales", 2L)));
    }

    @Test
    void noneConfigReadsAsNullAndHasNoKeys() {
        OmegaConfView cfg = read(structured);
        assertNull(cfg.get("backup"));
        NoSuchElementException error = assertThrows(NoSuchElementException.class, () -> cfg.set("backup.lr", 0.1));
        assertEquals("'backup' is None (a DictConfig), so it has no key 'lr' (path 'backup.lr')", error.getMessage());
    }

    // ---------------------------------------------------------------- in a checkpoint

    @Test
    void configInARealTorchCheckpointIsEditedAndLoadsWithTorch() throws IOException {
        Path original = dir.resolve("config.ckpt");
        Path edited = dir.resolve("config-edited.ckpt");
        ViewOracle.run("checkpoint_oracle.py", "make", original.toString());
        try (TorchCheckpoint checkpoint = TorchCheckpoint.open(original)) {
            OmegaConfView config = OmegaConfView.of(((Map<?, ?>) checkpoint.rootDict().get("hyper_parameters")).get("config"));
            assertEquals(4L, config.getLong("model.hidden"));
            config.set("model.hidden", 8L);
            config.set("trainer.precision", 16L);
            checkpoint.write(edited);
        }
        assertEquals("{'model': {'hidden': 8, 'layers': [8, 16], 'width': 8}, 'trainer': {'max_epochs': 10, 'precision': 16}}",
                ViewOracle.run("checkpoint_oracle.py", "eval", edited.toString(),
                        "OmegaConf.to_container(ckpt['hyper_parameters']['config'], resolve=True)"));
    }

    // ---------------------------------------------------------------- helpers

    private static OmegaConfView read(Path file) {
        return OmegaConfView.of(ViewOracle.readPickle(file));
    }

    private static PyTuple set(String path, Object value) {
        return PyTuple.of("set", path, value);
    }

    private static PyTuple append(String path, Object value) {
        return PyTuple.of("append", path, value);
    }

    private static PyTuple remove(String path) {
        return PyTuple.of("remove", path);
    }

    /**
     * Applies the edits to the view, writes the config, and has OmegaConf apply the same edits to
     * the original and compare: "same", or an assertion error saying where they differ.
     */
    private static String editedLikeOmegaConf(Path original, OmegaConfView view, PyTuple... edits) {
        for (PyTuple edit : edits) {
            String path = (String) edit.get(1);
            switch ((String) edit.get(0)) {
                case "set" -> view.set(path, edit.get(2));
                case "append" -> view.append(path, edit.get(2));
                case "remove" -> view.remove(path);
                default -> throw new IllegalArgumentException(edit.toString());
            }
        }
        String name = "edit-" + System.nanoTime();
        Path editedFile = ViewOracle.writePickle(dir.resolve(name + ".pkl"), view.value());
        Path editsFile = ViewOracle.writePickle(dir.resolve(name + "-edits.pkl"), new ArrayList<>(List.of((Object[]) edits)));
        return ViewOracle.run("omegaconf_oracle.py", "compare", original.toString(), editedFile.toString(), editsFile.toString());
    }
}
