package dev.ckpt.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ckpt.pickle.PyTuple;
import dev.ckpt.torch.ViewOracle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OmegaConfView's rename, move, copy and insert against real OmegaConf
 * ({@code omegaconf_move_oracle.py}, under the interpreter of {@code ckpt.python}): OmegaConf makes
 * each edit with its own API on the original and sets the interpolation texts we expect; the Java
 * result must be that config node for node, and for rename and move also what
 * {@code OmegaConf.create} of the plain container with the key moved gives, with every
 * interpolation resolving to the value it had. Random configs with a random rename or move are
 * checked with OmegaConf's own resolution of each interpolation's target node.
 */
@Tag("torch")
class OmegaConfMoveTest {
    private static final int RANDOM_CASES = 300;

    @TempDir
    static Path dir;
    /** Interpolations of every form pointing into {@code training}. */
    static Path train;
    /** A plain dict and a structured config (views_structured.Train) under one root. */
    static Path structured;

    @BeforeAll
    static void omegaConfPicklesConfigs() {
        train = dir.resolve("train.pkl");
        structured = dir.resolve("mixed.pkl");
        ViewOracle.run("omegaconf_move_oracle.py", "make", "train", train.toString());
        ViewOracle.run("omegaconf_move_oracle.py", "make", "mixed", structured.toString());
    }

    // ---------------------------------------------------------------- rename

    @Test
    void renameKeepsThePositionAndRewritesEveryInterpolation() {
        OmegaConfView cfg = read(train);
        Object node = content(cfg.getConfig("training")).get("lr");
        Map<String, String> rewrites = new LinkedHashMap<>();
        rewrites.put("training.lr_warmup", "${.rate}");
        rewrites.put("optim.rate", "${training.rate}");
        rewrites.put("log", "lr=${training.rate} epochs=${training.max_epochs}");
        rewrites.put("env", "${cat:${training.rate},'${training.layers[2].width}'}");
        assertEquals(4, cfg.rename("training.lr", "rate"));
        assertEquals(List.of("rate", "max_epochs", "lr_warmup", "layers"), cfg.keys("training"));
        assertSame(node, content(cfg.getConfig("training")).get("rate"));
        assertEquals("same 1", check(train, List.of(cfg), edit(rewrites, "rename", "training.lr", "rate")));
    }

    @Test
    void renameOfAConfigRewritesPathsUnderIt() {
        OmegaConfView cfg = read(train);
        Map<String, String> rewrites = new LinkedHashMap<>();
        rewrites.put("optim.rate", "${train.lr}");
        rewrites.put("optim.eps", "${..train.max_epochs}");
        rewrites.put("log", "lr=${train.lr} epochs=${train.max_epochs}");
        rewrites.put("env", "${cat:${train.lr},'${train.layers[2].width}'}");
        rewrites.put("width", "${train.layers.2.width}");
        rewrites.put("first", "${train.layers[0]}");
        rewrites.put("whole", "${train}");
        assertEquals(9, cfg.rename("training", "train"));
        assertEquals("\\${training.lr}", cfg.get("esc"));
        assertEquals("${.lr}", cfg.get("train.lr_warmup"));
        assertEquals("same 1", check(train, List.of(cfg), edit(rewrites, "rename", "training", "train")));
    }

    @Test
    void renameOfAListRewritesBothIndexSpellings() {
        OmegaConfView cfg = read(train);
        Map<String, String> rewrites = new LinkedHashMap<>();
        rewrites.put("env", "${cat:${training.lr},'${training.blocks[2].width}'}");
        rewrites.put("width", "${training.blocks.2.width}");
        rewrites.put("first", "${training.blocks[0]}");
        assertEquals(3, cfg.rename("training.layers", "blocks"));
        assertEquals("same 1", check(train, List.of(cfg), edit(rewrites, "rename", "training.layers", "blocks")));
    }

    @Test
    void renameOfAKeyInAListElement() {
        OmegaConfView cfg = read(train);
        Map<String, String> rewrites = new LinkedHashMap<>();
        rewrites.put("env", "${cat:${training.lr},'${training.layers[2].w}'}");
        rewrites.put("width", "${training.layers.2.w}");
        assertEquals(2, cfg.rename("training.layers[2].width", "w"));
        assertEquals("same 1", check(train, List.of(cfg), edit(rewrites, "rename", "training.layers.2.width", "w")));
    }

    @Test
    void renameRefusesAKeyTheDictHas() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> read(train).rename("training.lr", "max_epochs"));
        assertEquals("cannot rename 'training.lr' to 'max_epochs': 'training' already has that key (remove it first)", error.getMessage());
    }

    @Test
    void renameRefusesAListElement() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> read(train).rename("training.layers.0", "x"));
        assertEquals("cannot rename 'training.layers.0': it is a list element, not a dict key (remove it and insert or set it elsewhere)",
                error.getMessage());
    }

    @Test
    void renameOfAMissingKeyNamesIt() {
        NoSuchElementException error = assertThrows(NoSuchElementException.class, () -> read(train).rename("training.rate", "lr2"));
        assertEquals("no key 'rate' in 'training' (path 'training.rate'); its keys are [lr, max_epochs, lr_warmup, layers]",
                error.getMessage());
    }

    @Test
    void renameRefusesAStructuredConfigsKey() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> read(structured).rename("train.optim.lr", "rate"));
        assertEquals("cannot rename 'lr' of 'train.optim': a structured config of class views_structured.Optim, whose keys are fixed",
                error.getMessage());
    }

    @Test
    void renameRefusesAKeyNoInterpolationCanSpell() {
        OmegaConfView cfg = read(train);
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> cfg.rename("training.lr", "l r"));
        assertEquals("cannot write key 'l r' in an interpolation (a key there holds none of \\{}()[]:. tab, space or quotes),"
                + " needed to rewrite '${.lr}' at 'training.lr_warmup'", error.getMessage());
        assertEquals(List.of("lr", "max_epochs", "lr_warmup", "layers"), cfg.keys("training"));
    }

    @Test
    void renameThroughANestedViewRewritesTheWholeConfig() {
        OmegaConfView cfg = read(train);
        Map<String, String> rewrites = new LinkedHashMap<>();
        rewrites.put("training.lr_warmup", "${.rate}");
        rewrites.put("optim.rate", "${training.rate}");
        rewrites.put("log", "lr=${training.rate} epochs=${training.max_epochs}");
        rewrites.put("env", "${cat:${training.rate},'${training.layers[2].width}'}");
        assertEquals(4, cfg.getConfig("training").rename("lr", "rate"));
        assertEquals("same 1", check(train, List.of(cfg), edit(rewrites, "rename", "training.lr", "rate")));
    }

    // ---------------------------------------------------------------- move

    @Test
    void moveToAnotherDictAppendsAndRewritesRelativeOnes() {
        OmegaConfView cfg = read(train);
        Map<String, String> rewrites = new LinkedHashMap<>();
        rewrites.put("training.lr_warmup", "${..optim.lr}");
        rewrites.put("optim.rate", "${optim.lr}");
        rewrites.put("log", "lr=${optim.lr} epochs=${training.max_epochs}");
        rewrites.put("env", "${cat:${optim.lr},'${training.layers[2].width}'}");
        assertEquals(4, cfg.move("training.lr", "optim.lr"));
        assertEquals(List.of("name", "rate", "eps", "lr"), cfg.keys("optim"));
        assertEquals("same 1", check(train, List.of(cfg), edit(rewrites, "move", "training.lr", "optim.lr")));
    }

    @Test
    void moveIntoNewNestedDictsCreatesThemAsUpdateDoes() {
        OmegaConfView cfg = read(train);
        Map<String, String> rewrites = new LinkedHashMap<>();
        rewrites.put("optim.rate", "${run.opt.training.lr}");
        rewrites.put("optim.eps", "${..run.opt.training.max_epochs}");
        rewrites.put("log", "lr=${run.opt.training.lr} epochs=${run.opt.training.max_epochs}");
        rewrites.put("env", "${cat:${run.opt.training.lr},'${run.opt.training.layers[2].width}'}");
        rewrites.put("width", "${run.opt.training.layers.2.width}");
        rewrites.put("first", "${run.opt.training.layers[0]}");
        rewrites.put("whole", "${run.opt.training}");
        assertEquals(9, cfg.move("training", "run.opt.training"));
        assertEquals("same 1", check(train, List.of(cfg), edit(rewrites, "move", "training", "run.opt.training")));
    }

    @Test
    void moveWithinTheSameDictIsARename() {
        OmegaConfView cfg = read(train);
        cfg.move("training.lr", "training.rate");
        assertEquals(List.of("rate", "max_epochs", "lr_warmup", "layers"), cfg.keys("training"));
    }

    @Test
    void moveRefusesAnExistingTarget() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> read(train).move("training.lr", "optim.name"));
        assertEquals("cannot move to 'optim.name': it exists (remove it first)", error.getMessage());
    }

    @Test
    void moveRefusesMovingANodeIntoItself() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> read(train).move("training", "training.sub.x"));
        assertEquals("cannot move a node into itself: 'training.sub.x' is inside 'training'", error.getMessage());
    }

    @Test
    void moveRefusesAListAsTarget() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> read(train).move("training.lr", "training.layers.5"));
        assertEquals("cannot move to 'training.layers.5': 'training.layers' is a list; a node goes under a dict key"
                + " (insert or set a list element instead)", error.getMessage());
    }

    // ---------------------------------------------------------------- copy, insert, lists

    @Test
    void copyIsADeepCopyAsOmegaConfAssignsANode() {
        OmegaConfView cfg = read(train);
        cfg.copy("training", "backup.training");
        cfg.copy("training.lr", "optim.lr");
        assertEquals("same 1", check(train, List.of(cfg), new PyTuple[] {
                PyTuple.of(PyTuple.of("copy", "training", "backup.training"), new LinkedHashMap<>()),
                PyTuple.of(PyTuple.of("copy", "training.lr", "optim.lr"), new LinkedHashMap<>())}));
    }

    @Test
    void copyOfTypedNodesKeepsTheirClassesAndMetadata() {
        OmegaConfView cfg = read(structured);
        cfg.copy("train.optim", "plain.optim");
        cfg.copy("train.counts", "plain.counts");
        assertEquals("same 1", check(structured, List.of(cfg), new PyTuple[] {
                PyTuple.of(PyTuple.of("copy", "train.optim", "plain.optim"), new LinkedHashMap<>()),
                PyTuple.of(PyTuple.of("copy", "train.counts", "plain.counts"), new LinkedHashMap<>())}));
    }

    @Test
    void insertRenumbersLaterElementsAsOmegaConfDoes() {
        OmegaConfView cfg = read(train);
        Object list = cfg.getConfig("training.layers").value();
        cfg.insert("training.layers", 1, Map.of("kernel", 3L));
        assertSame(list, cfg.getConfig("training.layers").value());
        assertEquals("same 1", check(train, List.of(cfg), edit(Map.of(), "insert", "training.layers", 1L, Map.of("kernel", 3L))));
    }

    @Test
    void insertAtTheEndAndIntoATypedList() {
        OmegaConfView plain = read(train);
        plain.insert("training.layers", 3, 16L);
        OmegaConfView typed = read(structured);
        typed.insert("train.scales", 0, 2L);
        assertEquals("same 1", check(train, List.of(plain), edit(Map.of(), "insert", "training.layers", 3L, 16L)));
        assertEquals("same 1", check(structured, List.of(typed), edit(Map.of(), "insert", "train.scales", 0L, 2L)));
    }

    @Test
    void insertRefusesAnIndexOutOfRange() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> read(train).insert("training.layers", 4, 1L));
        assertEquals("cannot insert at index 4 of the list 'training.layers' of 3 elements: an index is 0 to 3", error.getMessage());
    }

    @Test
    void getListGivesPlainValues() {
        OmegaConfView cfg = read(train);
        assertEquals(List.of(4L, 8L, Map.of("width", 2L)), cfg.getList("training.layers"));
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> cfg.getList("training"));
        assertEquals("'training' is a DictConfig, not a list", error.getMessage());
    }

    // ---------------------------------------------------------------- random configs

    @Test
    void randomRenamesAndMovesAgreeWithOmegaConf() {
        long seed = Long.getLong("ckpt.seed", System.nanoTime() % 100_000);
        Path made = dir.resolve("random-" + seed + ".pkl");
        ViewOracle.run("omegaconf_move_oracle.py", "random", Long.toString(seed), Integer.toString(RANDOM_CASES), made.toString());
        List<Object> ours = new ArrayList<>();
        int rewriting = 0;
        for (Object item : (List<?>) ViewOracle.readPickle(made)) {
            PyTuple made1 = (PyTuple) item;
            OmegaConfView cfg = OmegaConfView.of(made1.get(1));
            PyTuple edit = (PyTuple) made1.get(2);
            ToIntFunction<OmegaConfView> apply = view -> edit.get(0).equals("rename")
                    ? view.rename((String) edit.get(1), (String) edit.get(2)) : view.move((String) edit.get(1), (String) edit.get(2));
            int count;
            try {
                count = apply.applyAsInt(cfg);
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + made1.get(0) + " (run seed " + seed + ", -Dckpt.seed=" + seed + ") " + edit + ": " + e, e);
            }
            ours.add(PyTuple.of(cfg.value(), (long) count));
            rewriting += count > 0 ? 1 : 0;
        }
        assertTrue(rewriting > RANDOM_CASES / 3, "only " + rewriting + " of " + RANDOM_CASES + " cases rewrote an interpolation (seed " + seed + ")");
        System.out.println("random renames and moves, seed " + seed + ": " + rewriting + " of " + RANDOM_CASES + " rewrote interpolations");
        Path file = ViewOracle.writePickle(dir.resolve("random-ours-" + seed + ".pkl"), ours);
        assertEquals("same " + RANDOM_CASES, ViewOracle.run("omegaconf_move_oracle.py", "random-check", made.toString(), file.toString()),
                "run seed " + seed + " (rerun with -Dckpt.seed=" + seed + ")");
    }

    // ---------------------------------------------------------------- helpers

    private static OmegaConfView read(Path file) {
        return OmegaConfView.of(ViewOracle.readPickle(file));
    }

    private static Map<?, ?> content(OmegaConfView view) {
        return (Map<?, ?>) view.value().attributes().get("_content");
    }

    private static PyTuple[] edit(Map<String, String> rewrites, Object... edit) {
        return new PyTuple[] {PyTuple.of(PyTuple.of(edit), new LinkedHashMap<>(rewrites))};
    }

    /** Has OmegaConf make each case's edits (in order) on the original and compare with our results, one per list of cases. */
    private static String check(Path original, List<OmegaConfView> ours, PyTuple[] cases) {
        String name = "check-" + System.nanoTime();
        List<Object> results = new ArrayList<>();
        ours.forEach(view -> results.add(view.value()));
        Path oursFile = ViewOracle.writePickle(dir.resolve(name + ".pkl"), results);
        Path casesFile = ViewOracle.writePickle(dir.resolve(name + "-cases.pkl"), new ArrayList<>(List.of(PyTuple.of((Object[]) cases))));
        return ViewOracle.run("omegaconf_move_oracle.py", "check", original.toString(), oursFile.toString(), casesFile.toString());
    }
}
