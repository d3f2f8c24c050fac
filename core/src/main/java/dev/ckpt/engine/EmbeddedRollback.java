package dev.ckpt.engine;

import dev.ckpt.api.Migration;
import dev.ckpt.api.Reversible;
import dev.ckpt.sandbox.EmbeddedCodeAllowList;
import dev.ckpt.sandbox.FormerApiNames;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Rollback by value (DESIGN 6): the class files of a reversible migration, stored in the
 * checkpoint's migration record, so that an older installation, which does not have the
 * migration, can still undo it. The record is plain builtins:
 *
 * <pre>{@code
 * {"format": "ckpt-jvm-class/1", "class": "<binary name>", "signature": "<hex>",
 *  "classes": {"<binary name>": b"<class file>", ...}}
 * }</pre>
 *
 * Loading checks every embedded class against {@link EmbeddedCodeAllowList} first (unless the
 * file is trusted), then defines the classes in a class loader of their own, which sees only
 * {@code java.*} and {@code dev.ckpt.*} classes besides them.
 */
final class EmbeddedRollback {
    /**
     * Format 2 keeps each class file as a base64 str: bytes pickle at protocol 2 as
     * {@code _codecs.encode}, which torch 1.13's weights-only loader refuses. Format 1 (bytes) is still read.
     */
    static final String FORMAT = "ckpt-jvm-class/2";
    private static final String FORMAT_1 = "ckpt-jvm-class/1";
    private static final String FORMAT_FAMILY = "ckpt-jvm-class/";

    private EmbeddedRollback() {
    }

    /** The record value for a reversible migration: its class file and those of every class it owns. */
    static Map<Object, Object> capture(Class<? extends Migration> migration) {
        if (!Reversible.class.isAssignableFrom(migration)) {
            throw new IllegalArgumentException(migration.getName() + " does not implement Reversible; it has no rollback"
                    + " to embed");
        }
        SortedMap<String, byte[]> classFiles = OwnedClassFiles.of(migration);
        Map<Object, Object> classes = new LinkedHashMap<>();
        classFiles.forEach((name, bytes) -> classes.put(name, java.util.Base64.getEncoder().encodeToString(bytes)));
        Map<Object, Object> record = new LinkedHashMap<>();
        record.put("format", FORMAT);
        record.put("class", migration.getName());
        record.put("signature", MigrationSignature.of(classFiles));
        record.put("classes", classes);
        return record;
    }

    /** A class file as format 2 (base64 str) or format 1 (bytes) holds it; null when it is neither. */
    private static byte[] classFile(Object value) {
        if (value instanceof byte[] bytes) {
            return bytes;
        }
        if (value instanceof String text) {
            try {
                return java.util.Base64.getDecoder().decode(text);
            } catch (IllegalArgumentException notBase64) {
                return null;
            }
        }
        return null;
    }

    /** Whether a record's rollback value is JVM code embedded by ckpt (any version of the format). */
    static boolean isEmbedded(Object recordValue) {
        return recordValue instanceof Map<?, ?> map && map.get("format") instanceof String format
                && format.startsWith(FORMAT_FAMILY);
    }

    /**
     * The migration whose class files the record holds, defined in a new isolated class loader.
     *
     * @param trusted load without the bytecode allow-list check (the user trusts the file)
     * @throws UntrustedRollbackException if not trusted and the code references anything forbidden
     * @throws IllegalArgumentException if the record is not a well-formed embedded rollback
     * @throws IllegalStateException if the classes cannot be defined or the migration cannot be created
     */
    static Reversible load(Object recordValue, boolean trusted) {
        Embedded embedded = parse(recordValue);
        if (!trusted) {
            EmbeddedCodeAllowList.check(embedded.mainClass, embedded.classFiles);
        }
        Map<String, byte[]> classFiles = FormerApiNames.toCurrent(embedded.classFiles);
        IsolatedClassLoader loader = new IsolatedClassLoader(embedded.mainClass, classFiles,
                EmbeddedRollback.class.getClassLoader());
        Class<?> type;
        try {
            type = Class.forName(embedded.mainClass, true, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalStateException("cannot load the embedded rollback " + embedded.mainClass + ": " + e, e);
        }
        if (!Migration.class.isAssignableFrom(type) || !Reversible.class.isAssignableFrom(type)) {
            throw new IllegalStateException("the embedded class " + embedded.mainClass
                    + " is not a reversible migration (it must extend dev.ckpt.api.Migration and implement"
                    + " dev.ckpt.api.Reversible)");
        }
        if (Modifier.isAbstract(type.getModifiers())) {
            throw new IllegalStateException("the embedded migration " + embedded.mainClass + " is abstract");
        }
        try {
            Constructor<?> constructor = type.getConstructor();
            return (Reversible) constructor.newInstance();
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("the embedded migration " + embedded.mainClass
                    + " has no public no-argument constructor", e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("the constructor of the embedded migration " + embedded.mainClass
                    + " failed: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalStateException("cannot create the embedded migration " + embedded.mainClass + ": " + e, e);
        }
    }

    private record Embedded(String mainClass, SortedMap<String, byte[]> classFiles) {
    }

    private static Embedded parse(Object recordValue) {
        if (!(recordValue instanceof Map<?, ?> record)) {
            throw malformed("it is " + describe(recordValue) + ", not a dict");
        }
        Object format = record.get("format");
        if (!(format instanceof String formatName)) {
            throw malformed("it has no \"format\" string");
        }
        if (!formatName.equals(FORMAT) && !formatName.equals(FORMAT_1)) {
            throw malformed(formatName.startsWith(FORMAT_FAMILY)
                    ? "its format " + formatName + " was written by a newer ckpt (this one reads " + FORMAT + ")"
                    : "its format is " + formatName + ", not " + FORMAT);
        }
        if (!(record.get("class") instanceof String mainClass) || mainClass.isEmpty()) {
            throw malformed("it has no \"class\" name");
        }
        if (!(record.get("classes") instanceof Map<?, ?> classes) || classes.isEmpty()) {
            throw malformed("it has no \"classes\" dict of class files");
        }
        SortedMap<String, byte[]> classFiles = new TreeMap<>();
        for (Map.Entry<?, ?> entry : classes.entrySet()) {
            byte[] bytes = classFile(entry.getValue());
            if (!(entry.getKey() instanceof String name) || bytes == null) {
                throw malformed("its \"classes\" must map class names to class files (base64 str, or bytes in format 1), found "
                        + describe(entry.getKey()) + ": " + describe(entry.getValue()));
            }
            String declared;
            try {
                declared = OwnedClassFiles.nameOf(bytes);
            } catch (RuntimeException e) {
                throw malformed("the class file of " + name + " is not a class file (" + e + ")");
            }
            if (!declared.equals(name)) {
                throw malformed("the class file under " + name + " defines " + declared);
            }
            if (name.startsWith("java.")) {
                throw malformed("it defines " + name + ", in a package only the JDK may define");
            }
            if (EmbeddedCodeAllowList.isCkptApi(name)) {
                throw malformed("it defines " + name + ", a class of the ckpt API itself");
            }
            classFiles.put(name, bytes.clone());
        }
        if (!classFiles.containsKey(mainClass)) {
            throw malformed("the class " + mainClass + " is not among its class files " + classFiles.keySet());
        }
        if (record.get("signature") instanceof String signature) {
            String actual;
            try {
                actual = MigrationSignature.of(classFiles);
            } catch (RuntimeException e) {
                throw malformed("its class files cannot be read (" + e + ")");
            }
            if (!signature.equals(actual)) {
                throw malformed("its class files do not match its signature (recorded " + signature + ", computed " + actual
                        + "): the record was changed or damaged");
            }
        }
        return new Embedded(mainClass, classFiles);
    }

    private static IllegalArgumentException malformed(String why) {
        return new IllegalArgumentException("not an embedded JVM rollback (" + FORMAT + "): " + why);
    }

    private static String describe(Object value) {
        return value == null ? "None" : value.getClass().getSimpleName();
    }

    /**
     * Defines the embedded classes itself (they win over any class of the same name elsewhere) and
     * asks {@link CoreOnlyLoader} for everything else. It serves the embedded class files as
     * resources, so {@link MigrationSignature#of(Class)} works on the loaded migration; no other
     * resource is visible.
     */
    private static final class IsolatedClassLoader extends ClassLoader {
        static {
            ClassLoader.registerAsParallelCapable();
        }

        private final Map<String, byte[]> classFiles;

        IsolatedClassLoader(String mainClass, Map<String, byte[]> classFiles, ClassLoader core) {
            super("ckpt-embedded-rollback[" + mainClass + "]", new CoreOnlyLoader(core));
            this.classFiles = classFiles;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(name)) {
                Class<?> loaded = findLoadedClass(name);
                if (loaded == null) {
                    byte[] bytes = classFiles.get(name);
                    loaded = bytes != null ? defineClass(name, bytes, 0, bytes.length) : getParent().loadClass(name);
                }
                if (resolve) {
                    resolveClass(loaded);
                }
                return loaded;
            }
        }

        @Override
        public URL getResource(String name) {
            return null;
        }

        @Override
        public Enumeration<URL> getResources(String name) {
            return Collections.emptyEnumeration();
        }

        @Override
        public InputStream getResourceAsStream(String name) {
            if (name.endsWith(".class")) {
                byte[] bytes = classFiles.get(name.substring(0, name.length() - ".class".length()).replace('/', '.'));
                if (bytes != null) {
                    return new ByteArrayInputStream(bytes);
                }
            }
            return null;
        }
    }

    /** Delegates {@code java.*} and {@code dev.ckpt.*} names to ckpt-core's loader and refuses all others. */
    private static final class CoreOnlyLoader extends ClassLoader {
        static {
            ClassLoader.registerAsParallelCapable();
        }

        private final ClassLoader core;

        CoreOnlyLoader(ClassLoader core) {
            super("ckpt-core-only", null);
            this.core = core;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith("java.") || name.startsWith("dev.ckpt.")) {
                return Class.forName(name, false, core);
            }
            throw new ClassNotFoundException(name + " (an embedded rollback sees only java.* and dev.ckpt.* classes)");
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            throw new ClassNotFoundException(name);
        }

        @Override
        public URL getResource(String name) {
            return null;
        }

        @Override
        public Enumeration<URL> getResources(String name) {
            return Collections.emptyEnumeration();
        }

        @Override
        public InputStream getResourceAsStream(String name) {
            return null;
        }
    }
}
