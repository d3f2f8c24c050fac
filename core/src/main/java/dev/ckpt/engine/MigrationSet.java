package dev.ckpt.engine;

import dev.ckpt.api.Migration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The migrations of a code base, validated and in order, split into compatibility groups: a
 * final migration starts a new group, and only the last group can be migrated.
 */
public final class MigrationSet {
    private final List<MigrationDescriptor> migrations;
    private final List<List<MigrationDescriptor>> groups;

    private MigrationSet(List<MigrationDescriptor> migrations) {
        this.migrations = List.copyOf(migrations);
        List<List<MigrationDescriptor>> split = new ArrayList<>();
        List<MigrationDescriptor> current = new ArrayList<>();
        for (MigrationDescriptor migration : migrations) {
            if (migration.isFinal()) {
                split.add(List.copyOf(current));
                current = new ArrayList<>();
            }
            current.add(migration);
        }
        split.add(List.copyOf(current));
        this.groups = List.copyOf(split);
    }

    /** The migrations in these classes, validated; every problem is reported at once. */
    public static MigrationSet of(List<Class<?>> classes) {
        List<String> problems = new ArrayList<>();
        List<MigrationDescriptor> found = new ArrayList<>();
        Map<String, Class<?>> byName = new HashMap<>();
        for (Class<?> type : classes) {
            MigrationDescriptor descriptor = MigrationDescriptor.describe(type, problems);
            if (descriptor == null) {
                continue;
            }
            Class<?> twin = byName.putIfAbsent(descriptor.name().toString(), type);
            if (twin != null) {
                problems.add("migration " + descriptor.name() + " is defined twice: " + twin.getName() + " and " + type.getName());
                continue;
            }
            found.add(descriptor);
        }
        if (!problems.isEmpty()) {
            throw new MigrationDefinitionException(problems);
        }
        found.sort(Comparator.comparing(MigrationDescriptor::name));
        return new MigrationSet(found);
    }

    /**
     * Finds the migrations of a package on a class loader's path (class directories and jars):
     * every top-level class of the package whose name starts with {@code M} and a digit, or
     * that extends {@link Migration}.
     */
    public static MigrationSet discover(ClassLoader loader, String packageName) {
        return load(loader, classNamesIn(loader, packageName));
    }

    /**
     * Finds the migrations of a package in the given class path entries (class directories and
     * jars, including jars without directory entries), loading them with {@code loader}.
     */
    public static MigrationSet discover(ClassLoader loader, List<Path> classpath, String packageName) {
        TreeSet<String> names = new TreeSet<>();
        for (Path entry : classpath) {
            names.addAll(classNamesIn(entry, packageName));
        }
        return load(loader, new ArrayList<>(names));
    }

    private static MigrationSet load(ClassLoader loader, List<String> classNames) {
        List<Class<?>> classes = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (String className : classNames) {
            String simple = className.substring(className.lastIndexOf('.') + 1);
            Class<?> type;
            try {
                type = Class.forName(className, false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                problems.add("cannot load " + className + ": " + e);
                continue;
            }
            if (simple.matches("M\\d.*") || Migration.class.isAssignableFrom(type) && !java.lang.reflect.Modifier.isAbstract(type.getModifiers())) {
                classes.add(type);
            }
        }
        if (!problems.isEmpty()) {
            throw new MigrationDefinitionException(problems);
        }
        return of(classes);
    }

    /** Top-level class names of a package in one class directory or jar. */
    private static List<String> classNamesIn(Path classpathEntry, String packageName) {
        String folder = packageName.replace('.', '/');
        List<String> names = new ArrayList<>();
        try {
            if (Files.isDirectory(classpathEntry)) {
                Path dir = classpathEntry.resolve(folder);
                if (Files.isDirectory(dir)) {
                    names.addAll(classNamesInDirectory(dir, packageName));
                }
            } else if (Files.isRegularFile(classpathEntry)) {
                try (JarFile jar = new JarFile(classpathEntry.toFile())) {
                    names.addAll(classNamesInJar(jar, folder, packageName));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + classpathEntry + " for migrations", e);
        }
        return names;
    }

    private static List<String> classNamesInDirectory(Path dir, String packageName) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(MigrationSet::isTopLevelClass)
                    .map(f -> packageName + "." + f.substring(0, f.length() - 6))
                    .toList();
        }
    }

    private static List<String> classNamesInJar(JarFile jar, String folder, String packageName) {
        return Collections.list(jar.entries()).stream().map(e -> e.getName())
                .filter(n -> n.startsWith(folder + "/") && n.indexOf('/', folder.length() + 1) < 0)
                .map(n -> n.substring(folder.length() + 1))
                .filter(MigrationSet::isTopLevelClass)
                .map(f -> packageName + "." + f.substring(0, f.length() - 6))
                .toList();
    }

    private static List<String> classNamesIn(ClassLoader loader, String packageName) {
        String folder = packageName.replace('.', '/');
        TreeSet<String> names = new TreeSet<>();
        try {
            Enumeration<URL> roots = loader.getResources(folder);
            while (roots.hasMoreElements()) {
                URL root = roots.nextElement();
                if (root.getProtocol().equals("file")) {
                    names.addAll(classNamesInDirectory(Path.of(root.toURI()), packageName));
                } else if (root.getProtocol().equals("jar")) {
                    JarURLConnection connection = (JarURLConnection) root.openConnection();
                    connection.setUseCaches(false);
                    try (JarFile jar = connection.getJarFile()) {
                        names.addAll(classNamesInJar(jar, folder, packageName));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the migrations package " + packageName, e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        return new ArrayList<>(names);
    }

    private static boolean isTopLevelClass(String fileName) {
        return fileName.endsWith(".class") && !fileName.contains("$") && !fileName.equals("package-info.class");
    }

    public List<MigrationDescriptor> migrations() {
        return migrations;
    }

    public List<List<MigrationDescriptor>> groups() {
        return groups;
    }

    /** The migrations a checkpoint can be brought to: the last compatibility group. */
    public List<MigrationDescriptor> lastGroup() {
        return groups.get(groups.size() - 1);
    }

    /**
     * What code that had every migration up to and including {@code name} has applied: its group's
     * migrations from the group's start to it (a baseline). Unknown names are refused.
     */
    public List<MigrationDescriptor> upTo(String name) {
        for (List<MigrationDescriptor> group : groups) {
            for (int i = 0; i < group.size(); i++) {
                if (group.get(i).name().toString().equals(name)) {
                    return List.copyOf(group.subList(0, i + 1));
                }
            }
        }
        throw new IllegalArgumentException("no migration named " + name + " in this code base (a baseline names one of "
                + migrations.stream().map(m -> m.name().toString()).toList() + ")");
    }

    public MigrationDescriptor find(String name) {
        return migrations.stream().filter(m -> m.name().toString().equals(name)).findFirst().orElse(null);
    }
}
