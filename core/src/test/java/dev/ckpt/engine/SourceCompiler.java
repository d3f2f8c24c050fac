package dev.ckpt.engine;

import dev.ckpt.api.Migration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Compiles Java sources held in strings with the JDK's own compiler ({@code javax.tools}) into a
 * directory, against ckpt-core's classes, and loads them with a class loader of their own: test
 * migrations that exist only while a test runs.
 */
public final class SourceCompiler {
    private SourceCompiler() {
    }

    /** Compiles the sources (fully qualified class name to source text) into {@code dir}. */
    public static Path compile(Path dir, Map<String, String> sources, String... options) {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        if (compiler == null) {
            throw new IllegalStateException("no system Java compiler: the tests need a JDK");
        }
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
            Files.createDirectories(dir);
            List<String> arguments = new ArrayList<>(List.of("-d", dir.toString(), "-classpath", coreClasses(),
                    "-proc:none", "-Xlint:none", "-nowarn"));
            arguments.addAll(List.of(options));
            List<JavaFileObject> units = new ArrayList<>();
            sources.forEach((name, text) -> units.add(new Source(name, text)));
            Boolean ok = compiler.getTask(null, files, diagnostics, arguments, null, units).call();
            if (!ok) {
                throw new AssertionError("test sources do not compile: " + diagnostics.getDiagnostics());
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A loader for the classes in {@code dir}, with the test's loader (ckpt-core, JUnit) as parent. */
    public static URLClassLoader loader(Path dir) {
        try {
            return new URLClassLoader(new URL[] {dir.toUri().toURL()}, SourceCompiler.class.getClassLoader());
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Compiles one migration class and loads it with a loader of its own. */
    public static Class<? extends Migration> migration(Path dir, String className, String source, String... options) {
        compile(dir, Map.of(className, source), options);
        try {
            return Class.forName(className, false, loader(dir)).asSubclass(Migration.class);
        } catch (ClassNotFoundException e) {
            throw new AssertionError(e);
        }
    }

    private static String coreClasses() {
        try {
            return Path.of(Migration.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class Source extends SimpleJavaFileObject {
        private final String text;

        Source(String className, String text) {
            super(URI.create("string:///" + className.replace('.', '/') + Kind.SOURCE.extension), Kind.SOURCE);
            this.text = text;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return text;
        }
    }
}
