package dev.ckpt.engine;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ckpt.engine.scenarios.hostile.M1700000302_noop;
import dev.ckpt.pickle.PickleException;
import dev.ckpt.pickle.PickleReader;
import dev.ckpt.pickle.PickleWriter;
import dev.ckpt.pickle.PyPersistentId;
import dev.ckpt.pickle.PyTuple;
import dev.ckpt.torch.TorchCheckpoint;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shapes a stranger's pickle can take to make ckpt slow or crash, each read, inspected and
 * migrated in under 2 s within the suite's 256 MB heap (core's surefire runs with -Xmx256m):
 * dict keys whose hash codes collide, lists nested hundreds of thousands deep, a long chain of
 * persistent ids in a record, a deep list in the history.
 */
class HostilePickleShapesTest {
    private static final Duration BUDGET = Duration.ofSeconds(2);

    @TempDir
    Path dir;

    @Test
    void fortyThousandTupleKeysThatJavasListHashCollapsesReadInTime() {
        Map<Object, Object> dict = new LinkedHashMap<>();
        for (long i = 0; i < 40_000; i++) {
            // 31 * (31 + hash(i)) + hash(b) with hash(b) = -31 i: every key had one Java list hash
            dict.put(PyTuple.of(i, (-31L * i) & 0xffffffffL), i);
        }
        byte[] pickle = new PickleWriter().write(dict);

        Object read = assertTimeoutPreemptively(BUDGET, () -> new PickleReader().read(pickle));

        assertTrue(((Map<?, ?>) read).size() == 40_000);
    }

    @Test
    void aMemoFilledOutOfOrderIsRefusedBeforeItFillsTheHeap() {
        java.io.ByteArrayOutputStream pickle = new java.io.ByteArrayOutputStream();
        pickle.writeBytes(new byte[] {(byte) 0x80, 2, ']'});
        for (int i = 0; i < 6_000_000; i++) {  // 30 MB of LONG_BINPUT at scattered indexes
            int index = 7 * i + 100;
            pickle.writeBytes(new byte[] {'r', (byte) index, (byte) (index >> 8), (byte) (index >> 16), (byte) (index >>> 24)});
        }
        pickle.write('.');
        byte[] bytes = pickle.toByteArray();

        dev.ckpt.pickle.PickleException e = assertTimeoutPreemptively(BUDGET, () ->
                org.junit.jupiter.api.Assertions.assertThrows(dev.ckpt.pickle.PickleException.class, () -> new PickleReader().read(bytes)));

        assertTrue(e.getMessage().contains("out of order"), e.getMessage());
    }

    @Test
    void aListNestedThreeHundredThousandDeepIsMigratedInTime() throws IOException {
        Object deep = new ArrayList<>();
        for (int i = 0; i < 300_000; i++) {
            List<Object> outer = new ArrayList<>();
            outer.add(deep);
            deep = outer;
        }
        Map<Object, Object> root = new LinkedHashMap<>();
        root.put("deep", deep);
        Path file = create(root);

        assertTimeoutPreemptively(BUDGET.multipliedBy(3), () -> migrator().apply(file));
    }

    @Test
    void aChainOfPersistentIdsInARecordAndADeepHistoryAreInspectedAndMigrated() throws IOException {
        Object chain = "end";
        for (int i = 0; i < 200_000; i++) {
            chain = new PyPersistentId(chain);
        }
        Object deepHistory = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            List<Object> outer = new ArrayList<>();
            outer.add(deepHistory);
            deepHistory = outer;
        }
        Map<Object, Object> record = new LinkedHashMap<>();
        record.put("name", "1700000302_noop");
        record.put("signature", chain);
        Map<Object, Object> root = new LinkedHashMap<>();
        root.put("migrations", new ArrayList<>(List.of(record)));
        root.put("hyper_parameters", new LinkedHashMap<>(Map.of("metadata", new LinkedHashMap<>(Map.of("migrations",
                new LinkedHashMap<>(Map.of("history", new ArrayList<>(List.of(deepHistory)))))))));
        Path file = create(root);

        assertTimeoutPreemptively(BUDGET, () -> CheckpointInspection.of(file).table());
        assertTimeoutPreemptively(BUDGET, () -> migrator().plan(file));
    }

    private static Migrator migrator() {
        return new Migrator(MigrationSet.of(List.of(M1700000302_noop.class)), MigratorOptions.defaults("1.0.0").withBackup(false));
    }

    private Path create(Map<Object, Object> root) throws IOException {
        Path file = dir.resolve("model.ckpt");
        TorchCheckpoint.create(file, root);
        return file;
    }
}
