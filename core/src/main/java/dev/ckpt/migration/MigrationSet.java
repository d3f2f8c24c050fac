package dev.ckpt.migration;

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
        List<Class<?>> classes = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (String className : classNamesIn(loader, packageName)) {
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

    private static List<String> classNamesIn(ClassLoader loader, String packageName) {
        String folder = packageName.replace('.', '/');
        TreeSet<String> names = new TreeSet<>();
        try {
            Enumeration<URL> roots = loader.getResources(folder);
            while (roots.hasMoreElements()) {
                URL root = roots.nextElement();
                if (root.getProtocol().equals("file")) {
                    try (Stream<Path> files = Files.list(Path.of(root.toURI()))) {
                        files.map(p -> p.getFileName().toString()).filter(MigrationSet::isTopLevelClass)
                                .forEach(f -> names.add(packageName + "." + f.substring(0, f.length() - 6)));
                    }
                } else if (root.getProtocol().equals("jar")) {
                    JarURLConnection connection = (JarURLConnection) root.openConnection();
                    connection.setUseCaches(false);
                    try (JarFile jar = connection.getJarFile()) {
                        Collections.list(jar.entries()).stream().map(e -> e.getName())
                                .filter(n -> n.startsWith(folder + "/") && n.indexOf('/', folder.length() + 1) < 0)
                                .map(n -> n.substring(folder.length() + 1))
                                .filter(MigrationSet::isTopLevelClass)
                                .forEach(f -> names.add(packageName + "." + f.substring(0, f.length() - 6)));
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

    public MigrationDescriptor find(String name) {
        return migrations.stream().filter(m -> m.name().toString().equals(name)).findFirst().orElse(null);
    }
}
