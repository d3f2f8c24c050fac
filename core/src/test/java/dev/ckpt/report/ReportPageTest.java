package dev.ckpt.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ckpt.engine.MigrationSet;
import dev.ckpt.engine.Migrator;
import dev.ckpt.engine.MigratorOptions;
import dev.ckpt.io.HumanSize;
import dev.ckpt.pickle.DictLike;
import dev.ckpt.report.migrations.M1700000001_rename_head;
import dev.ckpt.report.migrations.M1700000002_mark;
import dev.ckpt.report.migrations.M1700000003_dropped;
import dev.ckpt.testing.LightningSample;
import dev.ckpt.torch.TorchCheckpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report of a directory with a checkpoint in each state, rendered and parsed back with jsoup (as a
 * browser parses it): one row per file with its status and columns, the history, the module chart,
 * and names from the checkpoint shown as text, never as markup.
 */
class ReportPageTest {
    private static final String HOSTILE_KEY = "<script>document.title='pwned'</script>.weight";
    private static final String HOSTILE_FILE = "<img src=x onerror=alert(1)>.ckpt";
    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    private static final List<Class<?>> CODE = List.of(M1700000001_rename_head.class, M1700000002_mark.class);

    @TempDir
    Path dir;


    @BeforeEach
    void checkpoints() throws IOException {
        migrator(CODE, "demo-model").apply(LightningSample.write(dir.resolve("up.ckpt")));
        migrator(List.of(M1700000001_rename_head.class), "demo-model").apply(LightningSample.write(dir.resolve("pending.ckpt")));
        migrator(List.of(M1700000001_rename_head.class, M1700000002_mark.class, M1700000003_dropped.class), "demo-model")
                .apply(LightningSample.write(dir.resolve("extra.ckpt")));
        migrator(CODE, "other-app").apply(LightningSample.write(dir.resolve("other.ckpt")));
        Files.writeString(dir.resolve("corrupt.ckpt"), "not a torch.save checkpoint\n");
        withHostileKey(LightningSample.write(dir.resolve(HOSTILE_FILE)));
        Files.setLastModifiedTime(dir.resolve("up.ckpt"), FileTime.from(NOW.minus(Duration.ofHours(3))));
    }

    @Test
    void oneRowPerCheckpointWithItsStatus() {
        Document page = render();
        Map<String, String> statuses = page.select("#checkpoints tbody tr").stream()
                .collect(Collectors.toMap(row -> row.attr("data-file"), row -> row.attr("data-status"), (a, b) -> a, LinkedHashMap::new));
        assertEquals(Map.of("up.ckpt", "up to date", "pending.ckpt", "pending", "extra.ckpt", "extra",
                "other.ckpt", "incompatible", "corrupt.ckpt", "failed", HOSTILE_FILE, "pending"), statuses);
        assertEquals(List.of("up to date: 1", "pending: 2", "extra: 1", "incompatible: 1", "failed: 1"),
                page.select("#summary li").eachText());
    }

    @Test
    void theColumnsSayWhatEachCheckpointHolds() throws IOException {
        Document page = render();
        assertEquals(List.of("up.ckpt", "up to date", "1.1.0", HumanSize.of(Files.size(dir.resolve("up.ckpt"))),
                "1700000002_mark", "3 h", ""), row(page, "up.ckpt").select("td").stream().map(Element::text).toList());
        assertEquals(List.of("1.0.0", "1700000001_rename_head", "to run: 1700000002_mark"), columns(page, "pending.ckpt", 2, 4, 6));
        assertEquals(List.of("1.2.0", "1700000003_dropped", "to roll back: 1700000003_dropped"), columns(page, "extra.ckpt", 2, 4, 6));
        assertTrue(row(page, "other.ckpt").select("td").get(6).text().contains("other-app"), row(page, "other.ckpt").text());
        assertTrue(row(page, "corrupt.ckpt").select("td").get(6).text().contains("corrupt.ckpt"), row(page, "corrupt.ckpt").text());
        assertEquals(List.of("-", "-"), columns(page, "corrupt.ckpt", 2, 4));
    }

    @Test
    void theHistoryIsATimelineAndTheTensorsAChart() {
        Document page = render();
        Element extra = page.selectFirst("section[data-file=extra.ckpt]");
        assertEquals(List.of("migrate 1700000001_rename_head", "migrate 1700000002_mark", "migrate 1700000003_dropped"),
                extra.select("ol.timeline li").eachText());
        // LightningSample's float32 tensors: encoder 4x3 + 4, head 2x4 + 2 (renamed to classifier by the first migration)
        assertEquals(List.of("model.encoder", "model.classifier"), extra.select("svg g.module").eachAttr("data-module"));
        assertEquals(List.of("64 B", "40 B"), extra.select("svg g.module").eachAttr("data-size"));
        assertEquals(2, extra.select("svg rect.bar").size());
        assertEquals(List.of("380", "238"), extra.select("svg rect.bar").eachAttr("width"));
        assertTrue(page.selectFirst("section[data-file=corrupt.ckpt]").select("svg").isEmpty());
    }

    @Test
    void namesFromTheCheckpointAreTextNotMarkup() {
        String html = ReportPage.render(report());
        Document page = Jsoup.parse(html);
        assertTrue(page.select("script").isEmpty(), "a key became a script element");
        assertTrue(page.select("img").isEmpty(), "a file name became an img element");
        assertEquals("Checkpoints: demo <b>model</b>", page.title());
        assertTrue(page.select("svg g.module").eachAttr("data-module").contains(HOSTILE_KEY.substring(0, HOSTILE_KEY.lastIndexOf('.'))));
        assertTrue(row(page, HOSTILE_FILE).text().startsWith(HOSTILE_FILE), row(page, HOSTILE_FILE).text());
        assertTrue(html.contains("&lt;script&gt;"), "the key is escaped in the source");
    }

    @Test
    void modulesAreKeysWithoutTheirLastSegmentToTheDepth() {
        assertEquals("model.encoder", TensorSizes.moduleOf("model.encoder.layers.3.weight", 2));
        assertEquals("model", TensorSizes.moduleOf("model.weight", 2));
        assertEquals(TensorSizes.TOP_LEVEL, TensorSizes.moduleOf("weight", 2));
        assertEquals(TensorSizes.TOP_LEVEL, TensorSizes.moduleOf(".weight", 2), "as show's totals: no module before the first dot");
        assertEquals(dev.ckpt.inspect.StateDictModule.SEGMENTS, DirectoryReport.MODULE_DEPTH, "the report groups as show does");
    }

    private Document render() {
        return Jsoup.parse(ReportPage.render(report()));
    }

    private DirectoryReport report() {
        List<Path> files = List.of("up.ckpt", "pending.ckpt", "extra.ckpt", "other.ckpt", "corrupt.ckpt", HOSTILE_FILE).stream()
                .map(dir::resolve).toList();
        return DirectoryReport.of(dir, files, MigrationSet.of(CODE), options("demo-model"), "demo <b>model</b>", Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static Element row(Document page, String file) {
        return page.select("#checkpoints tbody tr").stream().filter(r -> r.attr("data-file").equals(file)).findFirst()
                .orElseThrow(() -> new AssertionError("no row for " + file));
    }

    private static List<String> columns(Document page, String file, int... indexes) {
        List<Element> cells = row(page, file).select("td");
        return java.util.Arrays.stream(indexes).mapToObj(i -> cells.get(i).text()).toList();
    }

    private static Migrator migrator(List<Class<?>> classes, String appKey) {
        return new Migrator(MigrationSet.of(classes), options(appKey));
    }

    private static MigratorOptions options(String appKey) {
        return MigratorOptions.defaults("1.1.0").withAppKey(appKey);
    }

    /** Adds a tensor under a key that is markup, as a stranger's checkpoint may hold. */
    private static void withHostileKey(Path file) throws IOException {
        try (TorchCheckpoint checkpoint = TorchCheckpoint.open(file)) {
            Map<Object, Object> stateDict = DictLike.entriesOrNull(checkpoint.rootDict().get("state_dict"));
            stateDict.put(HOSTILE_KEY, stateDict.get("model.encoder.bias"));
            checkpoint.write(file);
        }
    }
}
