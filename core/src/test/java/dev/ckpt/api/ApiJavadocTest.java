package dev.ckpt.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.DocumentationTool;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JDK's javadoc run on the user package lists exactly the types a migration author needs,
 * and nothing of the engine: a new public type in dev.ckpt.api must be added here on purpose.
 */
class ApiJavadocTest {
    private static final Set<String> AUTHOR_TYPES = Set.of("Checkpoint", "FinalMigration", "Migration", "MigrationContext",
            "MigrationInfo", "Node", "OmegaConfView", "Parameters", "Reversible", "StateDict", "Tensor");

    @TempDir
    Path out;

    @Test
    void theUserPackageDocumentsOnlyTheAuthorsTypes() throws IOException {
        DocumentationTool javadoc = ToolProvider.getSystemDocumentationTool();
        StringWriter log = new StringWriter();
        List<Path> sources;
        try (Stream<Path> files = Files.list(Path.of("src/main/java/dev/ckpt/api"))) {
            sources = files.filter(f -> f.toString().endsWith(".java")).toList();
        }
        try (StandardJavaFileManager files = javadoc.getStandardFileManager(null, null, null)) {
            Iterable<? extends JavaFileObject> units = files.getJavaFileObjectsFromPaths(sources);
            boolean ok = javadoc.getTask(log, files, null, null, List.of("-d", out.toString(), "-quiet",
                    "-classpath", System.getProperty("java.class.path"), "-Xdoclint:none"), units).call();
            assertEquals(true, ok, log.toString());
        }
        String index = Files.readString(out.resolve("type-search-index.js"));
        Set<String> documented = new TreeSet<>();
        Matcher type = Pattern.compile("\"p\":\"dev\\.ckpt\\.api\",\"l\":\"([A-Za-z.]+)\"").matcher(index);
        while (type.find()) {
            documented.add(type.group(1));
        }
        assertEquals(new TreeSet<>(AUTHOR_TYPES), documented);
    }
}
