package dev.ckpt.torch;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A tab-separated table shipped as a resource of this package: {@code #} comments, a header line, then rows. */
final class DataTable {
    private DataTable() {
    }

    /** The rows (fields split on tabs), without comments, the header and blank lines. */
    static List<String[]> rows(String resource) {
        List<String[]> rows = new ArrayList<>();
        try (InputStream in = DataTable.class.getResourceAsStream(resource);
             BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            boolean header = true;
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                if (header) {
                    header = false;
                    continue;
                }
                rows.add(line.split("\t"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(resource, e);
        }
        return rows;
    }
}
