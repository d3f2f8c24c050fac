package dev.ckpt.inspect;

import dev.ckpt.io.HumanSize;
import dev.ckpt.engine.TextTable;
import dev.ckpt.inspect.CheckpointContents.ArrayEntry;
import dev.ckpt.inspect.CheckpointContents.ConfigEntry;
import dev.ckpt.inspect.CheckpointContents.GlobalUse;
import dev.ckpt.inspect.CheckpointContents.ModuleTotal;
import dev.ckpt.inspect.CheckpointContents.TensorEntry;
import dev.ckpt.inspect.CheckpointContents.ValueEntry;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The text {@code show} prints: one section per kind of content, tables aligned. */
final class ContentsText {
    private ContentsText() {
    }

    static String of(CheckpointContents contents) {
        StringBuilder out = new StringBuilder("Checkpoint: " + contents.file() + " (" + contents.format() + ")\n");
        out.append("Tensors: ").append(contents.tensorCount()).append(", ").append(HumanSize.of(contents.totalBytes())).append('\n');
        if (contents.hasElidedPaths()) {
            out.append("  (paths deeper than ").append(ReadablePath.HEAD_STEPS + ReadablePath.TAIL_STEPS)
                    .append(" steps or with steps longer than ").append(ReadablePath.MAX_STEP_CHARS).append(" characters are shown elided)\n");
        }
        if (!contents.tensors().isEmpty()) {
            TextTable table = new TextTable("NAME", "DTYPE", "SHAPE", "SIZE");
            for (TensorEntry tensor : contents.tensors()) {
                table.row(tensor.path(), tensor.dtype(), shape(tensor.shape()), HumanSize.of(tensor.bytes()));
            }
            indent(out, table.toString());
            if (contents.unlistedTensors() > 0) {
                out.append("  and ").append(contents.unlistedTensors()).append(" more (not listed, counted below)\n");
            }
            out.append("Tensors by module:\n");
            TextTable totals = new TextTable("IN", "MODULE", "TENSORS", "SIZE");
            for (ModuleTotal total : contents.totals()) {
                totals.row(total.in(), total.module().isEmpty() ? "-" : total.module(), total.tensors(), HumanSize.of(total.bytes()));
            }
            indent(out, totals.toString());
        }
        if (!contents.configs().isEmpty()) {
            out.append("Configs (OmegaConf, unresolved):\n");
            for (ConfigEntry config : contents.configs()) {
                out.append("  ").append(config.path()).append(" (").append(config.type()).append("):\n");
                out.append(YamlText.of(config.plain(), 4));
            }
        }
        if (!contents.arrays().isEmpty()) {
            out.append("Numpy arrays:\n");
            TextTable table = new TextTable("NAME", "DTYPE", "SHAPE");
            for (ArrayEntry array : contents.arrays()) {
                table.row(array.path(), array.dtype(), shape(array.shape()));
            }
            indent(out, table.toString());
        }
        if (!contents.values().isEmpty()) {
            out.append("Values:\n");
            for (ValueEntry value : contents.values()) {
                out.append("  ".repeat(value.depth() + 1)).append(value.path()).append(": ").append(value.text()).append('\n');
            }
        }
        out.append("Globals it names:\n");
        TextTable globals = new TextTable("GLOBAL", "SAFETY", "REFERENCES");
        for (GlobalUse global : contents.globals()) {
            globals.row(global.name(), global.safety().name().toLowerCase(Locale.ROOT), global.references());
        }
        indent(out, globals.toString());
        if (contents.migrations() != null) {
            String migrations = contents.migrations().table();
            out.append("Migrations:\n");
            indent(out, migrations.substring(migrations.indexOf('\n') + 1));  // its first line names the file again
        }
        return out.toString();
    }

    static String shape(List<Long> shape) {
        return shape.stream().map(String::valueOf).collect(Collectors.joining(", ", "[", "]"));
    }

    private static void indent(StringBuilder out, String table) {
        table.lines().forEach(line -> out.append("  ").append(line).append('\n'));
    }
}
