package dev.ckpt.plugin;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.maven.model.FileSet;
import org.codehaus.plexus.util.DirectoryScanner;

/** The checkpoint files a configured file set names, with Maven's include/exclude patterns. */
final class CheckpointFiles {
    /** Includes of a file set that names none: the usual torch.save extensions. */
    static final String[] DEFAULT_INCLUDES = {"**/*.ckpt", "**/*.pt", "**/*.pth"};

    /** A file that looks like a checkpoint but is not in the set, and why. */
    record Skipped(Path file, String why) {
    }

    /** What a scan found: the files of the set, sorted, and the checkpoint-looking files it left out. */
    record Scan(List<Path> files, List<Skipped> skipped) {
    }

    private CheckpointFiles() {
    }

    /** The set's directory, resolved against the project's base directory. */
    static Path directory(FileSet fileSet, Path basedir) {
        Path path = Path.of(fileSet.getDirectory() == null ? "." : fileSet.getDirectory());
        return path.isAbsolute() ? path : basedir.resolve(path);
    }

    /** The files of the set, sorted; none when its directory does not exist. */
    static List<Path> scan(FileSet fileSet, Path basedir) {
        return scanWithSkipped(fileSet, basedir).files();
    }

    /**
     * The files of the set, and the files with a checkpoint's extension (.ckpt, .pt, .pth) that it
     * leaves out: excluded by a pattern, or matched by no include.
     */
    static Scan scanWithSkipped(FileSet fileSet, Path basedir) {
        Path directory = directory(fileSet, basedir);
        if (!directory.toFile().isDirectory()) {
            return new Scan(List.of(), List.of());
        }
        DirectoryScanner scanner = new DirectoryScanner();
        scanner.setBasedir(directory.toFile());
        scanner.setIncludes(fileSet.getIncludes().isEmpty() ? DEFAULT_INCLUDES : fileSet.getIncludes().toArray(new String[0]));
        scanner.setExcludes(fileSet.getExcludes().toArray(new String[0]));
        scanner.addDefaultExcludes();
        scanner.scan();
        List<Path> files = new ArrayList<>();
        for (String relative : scanner.getIncludedFiles()) {
            files.add(directory.resolve(relative));
        }
        files.sort(null);
        List<Skipped> skipped = new ArrayList<>();
        for (String relative : sorted(scanner.getExcludedFiles())) {
            skipped.add(new Skipped(directory.resolve(relative), "excluded by " + fileSet.getExcludes()));
        }
        for (String relative : sorted(scanner.getNotIncludedFiles())) {
            if (looksLikeCheckpoint(relative)) {
                skipped.add(new Skipped(directory.resolve(relative), "matched by no include of "
                        + (fileSet.getIncludes().isEmpty() ? Arrays.asList(DEFAULT_INCLUDES) : fileSet.getIncludes())));
            }
        }
        return new Scan(files, skipped);
    }

    private static boolean looksLikeCheckpoint(String name) {
        return name.endsWith(".ckpt") || name.endsWith(".pt") || name.endsWith(".pth");
    }

    private static List<String> sorted(String[] names) {
        List<String> list = new ArrayList<>(Arrays.asList(names));
        list.sort(null);
        return list;
    }
}
