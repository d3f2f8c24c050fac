package dev.ckpt.template;

import dev.ckpt.engine.MigrationName;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The migration source files of a project: {@code <source root>/<package path>/M<name>.java}.
 * Creates new ones from the skeleton and lists the existing ones.
 */
public final class MigrationSources {
    private final Path sourceRoot;
    private final String packageName;

    public MigrationSources(Path sourceRoot, String packageName) {
        this.sourceRoot = sourceRoot;
        this.packageName = packageName;
    }

    public Path packageDirectory() {
        return sourceRoot.resolve(packageName.replace('.', '/'));
    }

    /**
     * Writes a new migration named from what the user typed (normalised as the reference does),
     * stamped with the current time, one second later than the newest existing migration when
     * that time is taken. Returns the file written.
     */
    public Path create(String rawName, MigrationSkeleton.Options options, Clock clock) throws IOException {
        return create(rawName, options, MigrationBody.NONE, clock);
    }

    /** As {@link #create(String, MigrationSkeleton.Options, Clock)}, with generated statements. */
    public Path create(String rawName, MigrationSkeleton.Options options, MigrationBody body, Clock clock) throws IOException {
        String description = MigrationName.normalize(rawName);
        long timestamp = clock.instant().getEpochSecond();
        for (MigrationName existing : existing()) {
            if (existing.timestamp() >= timestamp) {
                timestamp = existing.timestamp() + 1;
            }
        }
        MigrationName name = new MigrationName(timestamp, description);
        Path file = packageDirectory().resolve(name.className() + ".java");
        Files.createDirectories(file.getParent());
        Files.writeString(file, MigrationSkeleton.render(packageName, name, options, body), StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE_NEW);
        return file;
    }

    /** The migrations whose sources are in the package directory, in order. */
    public List<MigrationName> existing() throws IOException {
        List<MigrationName> names = new ArrayList<>();
        Path dir = packageDirectory();
        if (!Files.isDirectory(dir)) {
            return names;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String fileName = file.getFileName().toString();
                if (fileName.matches("M\\d+_[a-z0-9_]+\\.java")) {
                    // Misnamed files are not migrations; discovery and validate report them.
                    tryParse(fileName.substring(0, fileName.length() - 5)).ifPresent(names::add);
                }
            }
        }
        names.sort(null);
        return names;
    }

    private static java.util.Optional<MigrationName> tryParse(String className) {
        try {
            return java.util.Optional.of(MigrationName.ofClassName(className));
        } catch (IllegalArgumentException e) {
            return java.util.Optional.empty();
        }
    }

    /** Renames a migration's file and class (every mention of its class name in the file). */
    public Path rename(MigrationName from, MigrationName to) throws IOException {
        Path source = packageDirectory().resolve(from.className() + ".java");
        Path target = packageDirectory().resolve(to.className() + ".java");
        if (Files.exists(target)) {
            throw new IOException("cannot rename " + from + " to " + to + ": " + target + " exists");
        }
        String text = Files.readString(source, StandardCharsets.UTF_8);
        Files.writeString(target, text.replace(from.className(), to.className()), StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE_NEW);
        Files.delete(source);
        return target;
    }
}
