package dev.ckpt.template;

import dev.ckpt.engine.MigrationName;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * After a merge, gives the migrations added on this branch timestamps after the newest migration
 * on a base ref (as the reference's fix-order does), so every code base runs them in one order.
 */
public final class FixOrder {
    /** One migration renamed. */
    public record Rename(MigrationName from, MigrationName to, Path file) {
    }

    private FixOrder() {
    }

    /**
     * Renames (file and class) every migration that is here but not on {@code baseRef} and does
     * not already sort after the newest migration there. Returns what was renamed, in order.
     */
    public static List<Rename> run(Path repository, MigrationSources sources, String baseRef) throws IOException {
        List<MigrationName> onBase = onRef(repository, sources, baseRef);
        MigrationName newestOnBase = onBase.isEmpty() ? null : onBase.get(onBase.size() - 1);
        List<Rename> renames = new ArrayList<>();
        if (newestOnBase == null) {
            return renames;
        }
        long next = newestOnBase.timestamp() + 1;
        for (MigrationName local : sources.existing()) {
            if (onBase.contains(local)) {
                continue;
            }
            if (local.timestamp() >= next) {
                next = local.timestamp() + 1;
                continue;
            }
            MigrationName renamed = new MigrationName(next++, local.description());
            renames.add(new Rename(local, renamed, sources.rename(local, renamed)));
        }
        return renames;
    }

    /** The migrations in the package directory at {@code ref}, in order. */
    private static List<MigrationName> onRef(Path repository, MigrationSources sources, String ref) throws IOException {
        git(repository, "rev-parse", "--verify", "--quiet", ref + "^{commit}");
        Path relative = repository.toAbsolutePath().normalize().relativize(sources.packageDirectory().toAbsolutePath().normalize());
        String listing;
        try {
            // "./": relative to the directory git runs in, which need not be the repository's top level (a
            // module); --full-tree, or ls-tree would also filter that tree's entries by this directory.
            listing = git(repository, "ls-tree", "--full-tree", "--name-only", ref + ":./" + relative.toString().replace('\\', '/'));
        } catch (IOException noSuchFolder) {
            return List.of(); // the base has no migrations package yet
        }
        List<MigrationName> names = new ArrayList<>();
        for (String line : listing.split("\n")) {
            if (line.matches("M\\d+_.*\\.java")) {
                names.add(MigrationName.ofClassName(line.substring(0, line.length() - 5)));
            }
        }
        names.sort(null);
        return names;
    }

    private static String git(Path repository, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add("git");
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(repository.toFile()).redirectErrorStream(true).start();
        try {
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException("git " + String.join(" ", args) + " failed in " + repository + ": "
                        + new String(out, StandardCharsets.UTF_8).strip() + " (is the base ref fetched? try git fetch)");
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running git", e);
        }
    }
}
