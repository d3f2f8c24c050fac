package dev.ckpt.plugin;

import dev.ckpt.engine.MigrationDefinitionException;
import dev.ckpt.engine.MigrationSet;
import java.io.File;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.maven.artifact.DependencyResolutionRequiredException;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.Log;
import org.apache.maven.project.MavenProject;

/**
 * The migrations of a project, loaded from its compiled classes and runtime dependencies by a
 * class loader whose parent is the plugin's, so the {@code dev.ckpt} API classes are the plugin's
 * own ckpt-core. Close it when the goal is done with the migrations.
 */
final class ProjectMigrations implements AutoCloseable {
    private final MavenProject project;
    private final URLClassLoader loader;
    private final List<Path> classpath;
    private final Path outputDirectory;

    private ProjectMigrations(MavenProject project, URLClassLoader loader, List<Path> classpath, Path outputDirectory) {
        this.project = project;
        this.loader = loader;
        this.classpath = classpath;
        this.outputDirectory = outputDirectory;
    }

    static ProjectMigrations of(MavenProject project) throws MojoExecutionException {
        List<String> elements;
        try {
            elements = project.getRuntimeClasspathElements();
        } catch (DependencyResolutionRequiredException e) {
            throw new MojoExecutionException("The project's runtime class path is not resolved", e);
        }
        List<Path> classpath = new ArrayList<>();
        List<URL> urls = new ArrayList<>();
        for (String element : elements) {
            Path path = new File(element).toPath();
            classpath.add(path);
            try {
                urls.add(path.toUri().toURL());
            } catch (MalformedURLException e) {
                throw new MojoExecutionException("Bad class path entry " + element, e);
            }
        }
        URLClassLoader loader = new URLClassLoader(urls.toArray(new URL[0]), ProjectMigrations.class.getClassLoader());
        return new ProjectMigrations(project, loader, classpath, Path.of(project.getBuild().getOutputDirectory()));
    }

    /** True when the project has been compiled (its output directory exists). */
    boolean compiled() {
        return Files.isDirectory(outputDirectory);
    }

    Path outputDirectory() {
        return outputDirectory;
    }

    /**
     * Warns about migration sources newer than their compiled classes, or not compiled at all: the
     * goals run the compiled classes, so a migration written since the last compile would be missed.
     */
    private void warnAboutStaleClasses(String packageName, Log log) {
        String packagePath = packageName.replace('.', File.separatorChar);
        List<String> stale = new ArrayList<>();
        for (String root : project.getCompileSourceRoots()) {
            Path sources = Path.of(root).resolve(packagePath);
            if (!Files.isDirectory(sources)) {
                continue;
            }
            try (Stream<Path> files = Files.list(sources)) {
                files.filter(f -> f.getFileName().toString().matches("M\\d+_.*\\.java")).sorted().forEach(source -> {
                    String name = source.getFileName().toString();
                    Path compiled = outputDirectory.resolve(packagePath).resolve(name.substring(0, name.length() - 5) + ".class");
                    if (newer(source, compiled)) {
                        stale.add(project.getBasedir().toPath().relativize(source.toAbsolutePath()).toString());
                    }
                });
            } catch (IOException e) {
                log.debug("Cannot list " + sources + ": " + e);
            }
        }
        if (!stale.isEmpty()) {
            log.warn("Migration sources are newer than their compiled classes (or not compiled): " + stale
                    + ". The goal uses " + project.getBasedir().toPath().relativize(outputDirectory.toAbsolutePath())
                    + "; run mvn compile first (e.g. mvn compile checkpoint:<goal>)");
        }
    }

    private static boolean newer(Path source, Path compiled) {
        try {
            return !Files.exists(compiled) || Files.getLastModifiedTime(source).compareTo(Files.getLastModifiedTime(compiled)) > 0;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The project's migrations in {@code packageName}; malformed ones fail the build with every problem
     * listed. Migration sources newer than their classes are warned about on {@code log} first.
     */
    MigrationSet discover(String packageName, Log log) throws MojoFailureException {
        warnAboutStaleClasses(packageName, log);
        try {
            return MigrationSet.discover(loader, classpath, packageName);
        } catch (MigrationDefinitionException e) {
            throw new MojoFailureException(e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            loader.close();
        } catch (IOException ignored) {
            // The loader only read class files; nothing to report.
        }
    }
}
