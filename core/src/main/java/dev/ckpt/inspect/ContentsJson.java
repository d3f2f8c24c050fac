package dev.ckpt.inspect;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.ckpt.inspect.CheckpointContents.ArrayEntry;
import dev.ckpt.inspect.CheckpointContents.ConfigEntry;
import dev.ckpt.inspect.CheckpointContents.GlobalUse;
import dev.ckpt.inspect.CheckpointContents.ModuleTotal;
import dev.ckpt.inspect.CheckpointContents.TensorEntry;
import dev.ckpt.inspect.CheckpointContents.ValueEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@link CheckpointContents} as JSON: {@code checkpoint}, {@code format}, {@code tensors} (name,
 * dtype, shape, bytes, parameter; the first 10,000), {@code unlistedTensors}, {@code totalBytes}, {@code modules} (in, module, tensors,
 * bytes), {@code configs} (name, type, value: the plain config), {@code arrays} (name, dtype,
 * shape), {@code values} (name, depth, text), {@code globals} (name, safety, references) and, for
 * torch files, {@code migrations} (records and history, as {@code inspect -Djson} writes them).
 */
final class ContentsJson {
    private ContentsJson() {
    }

    static String of(CheckpointContents contents) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("checkpoint", contents.file().toString());
        doc.put("format", contents.format());
        doc.put("tensors", rows(contents.tensors(), t -> row("name", t.path().text(), "dtype", t.dtype(), "shape", t.shape(),
                "bytes", t.bytes(), "parameter", t.parameter())));
        doc.put("unlistedTensors", contents.unlistedTensors());
        doc.put("totalBytes", contents.totalBytes());
        doc.put("modules", rows(contents.totals(), (ModuleTotal m) -> row("in", m.in(), "module", m.module(), "tensors", m.tensors(),
                "bytes", m.bytes())));
        doc.put("configs", rows(contents.configs(), (ConfigEntry c) -> row("name", c.path().text(), "type", c.type(), "value", c.plain())));
        doc.put("arrays", rows(contents.arrays(), (ArrayEntry a) -> row("name", a.path().text(), "dtype", a.dtype(), "shape", a.shape())));
        doc.put("values", rows(contents.values(), (ValueEntry v) -> row("name", v.path().text(), "depth", v.depth(), "text", v.text())));
        doc.put("globals", rows(contents.globals(), (GlobalUse g) -> row("name", g.name(),
                "safety", g.safety().name().toLowerCase(Locale.ROOT), "references", g.references())));
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        try {
            if (contents.migrations() != null) {
                doc.put("migrations", mapper.readTree(contents.migrations().json()));
            }
            return mapper.writeValueAsString(doc) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> List<Map<String, Object>> rows(List<T> entries, java.util.function.Function<T, Map<String, Object>> row) {
        List<Map<String, Object>> rows = new ArrayList<>();
        entries.forEach(entry -> rows.add(row.apply(entry)));
        return rows;
    }

    private static Map<String, Object> row(Object... namesAndValues) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            row.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return row;
    }
}
