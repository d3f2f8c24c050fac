package dev.ckpt.engine;

import java.util.ArrayList;
import java.util.List;

/** A plain-text table whose columns are as wide as their widest cell (versions like 1.4.0-SNAPSHOT included). */
public final class TextTable {
    private final List<String[]> rows = new ArrayList<>();

    public TextTable(String... headers) {
        rows.add(headers);
    }

    public TextTable row(Object... cells) {
        String[] texts = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            texts[i] = String.valueOf(cells[i]);
        }
        rows.add(texts);
        return this;
    }

    /** Every row on a line, columns two spaces apart, no trailing blanks. */
    @Override
    public String toString() {
        int columns = rows.get(0).length;
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int i = 0; i < columns; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                line.append(i == columns - 1 ? row[i] : String.format("%-" + widths[i] + "s  ", row[i]));
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }
}
