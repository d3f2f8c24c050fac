package dev.ckpt.plugin;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.model.FileSet;
import org.codehaus.plexus.util.DirectoryScanner;

/** The checkpoint files a configured file set names, with Maven's include/exclude patterns. */
final class CheckpointFiles {
    /** Includes of a file set that names none: the usual torch.save extensions. */
    static final String[] DEFAULT_INCLUDES = {"**/*.ckpt", "**/*.pt", "**/*.pth"};

    private CheckpointFiles() {
    }

    /** The set's directory, resolved against the project's base directory. */
    static Path directory(FileSet fileSet, Path basedir) {
        Path path = Path.of(fileSet.getDirectory() == null ? "." : fileSet.getDirectory());
        return path.isAbsolute() ? path : basedir.resolve(path);
    }

    /** The files of the set, sorted; none when its directory does not exist. */
    static List<Path> scan(FileSet fileSet, Path basedir) {
        Path directory = directory(fileSet, basedir);
        if (!directory.toFile().isDirectory()) {
            return List.of();
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
        return files;
    }
}
