package dev.ckpt.engine;

import java.nio.file.Path;
import java.util.Map;

/**
 * {@link SourceCompiler} for tests outside this package (the template tests): compiles generated
 * sources against ckpt-core and loads the classes with a loader of their own.
 */
public final class GeneratedSources {
    private GeneratedSources() {
    }

    /**
     * Compiles the sources (fully qualified class name to source text) into {@code dir} and loads
     * the named classes, in the order given.
     */
    public static java.util.List<Class<?>> compileAndLoad(Path dir, Map<String, String> sources, String... options) {
        SourceCompiler.compile(dir, sources, options);
        ClassLoader loader = SourceCompiler.loader(dir);
        return sources.keySet().stream().<Class<?>>map(name -> {
            try {
                return Class.forName(name, false, loader);
            } catch (ClassNotFoundException e) {
                throw new AssertionError(e);
            }
        }).toList();
    }
}
