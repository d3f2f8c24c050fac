package dev.ckpt.pickle;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The renames CPython applies to class references of protocol 0-2 pickles (its
 * {@code _compat_pickle} tables, kept as data in {@code python2-names.tsv}): Python 2 spellings
 * are read as Python 3 names, and written back in Python 2 spelling below protocol 3.
 */
final class Python2Names {
    private static final Python2Names INSTANCE = load();

    private final Map<String, String> imports = new HashMap<>();
    private final Map<PyGlobal, PyGlobal> names = new HashMap<>();
    private final Map<String, String> reverseImports = new HashMap<>();
    private final Map<PyGlobal, PyGlobal> reverseNames = new HashMap<>();

    static Python2Names instance() {
        return INSTANCE;
    }

    /** The Python 3 name of a reference read from a protocol 0-2 pickle. */
    PyGlobal toPython3(String module, String name) {
        PyGlobal mapped = names.get(PyGlobal.of(module, name));
        if (mapped != null) {
            return mapped;
        }
        return PyGlobal.of(imports.getOrDefault(module, module), name);
    }

    /** The spelling a protocol 0-2 pickle uses for a Python 3 name: {module, name}. */
    String[] toPython2(String module, String name) {
        PyGlobal mapped = reverseNames.get(PyGlobal.of(module, name));
        if (mapped != null) {
            return new String[] {mapped.module(), mapped.name()};
        }
        return new String[] {reverseImports.getOrDefault(module, module), name};
    }

    private static Python2Names load() {
        Python2Names table = new Python2Names();
        try (InputStream in = Python2Names.class.getResourceAsStream("python2-names.tsv")) {
            if (in == null) {
                throw new IllegalStateException("python2-names.tsv is missing from the ckpt-core jar");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = reader.readLine()) != null; ) {
                if (!line.isEmpty() && !line.startsWith("#")) {
                    table.add(line.split("\t"));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return table;
    }

    private void add(String[] f) {
        switch (f[0]) {
            case "import" -> imports.put(f[1], f[2]);
            case "name" -> names.put(PyGlobal.of(f[1], f[2]), PyGlobal.of(f[3], f[4]));
            case "reverse-import" -> reverseImports.put(f[1], f[2]);
            case "reverse-name" -> reverseNames.put(PyGlobal.of(f[1], f[2]), PyGlobal.of(f[3], f[4]));
            default -> throw new IllegalStateException("python2-names.tsv: unknown kind " + f[0]);
        }
    }
}
