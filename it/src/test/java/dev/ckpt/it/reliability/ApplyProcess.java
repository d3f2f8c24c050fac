package dev.ckpt.it.reliability;

import dev.ckpt.engine.MigrationReport;
import dev.ckpt.engine.MigrationSet;
import dev.ckpt.engine.Migrator;
import dev.ckpt.engine.MigratorOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The apply run the reliability tests start as a separate JVM (to kill it, fill its disk, run two
 * at once, or run it as another user): the same core calls the plugin's apply goal makes
 * ({@link Migrator#applyAll}), with the migrations of {@code dev.ckpt.it.reliability.migrations}
 * or of another package. Usage:
 * {@code [--lock-timeout=SECONDS] [--strict] [--no-backup] [--migrations=PACKAGE] FILE...}. Prints each report
 * line as {@code FILE: line} and each failure as {@code FAILED FILE: message} on stderr; exits 1
 * when any file failed.
 */
public final class ApplyProcess {
    private ApplyProcess() {
    }

    public static void main(String[] args) throws Exception {
        MigratorOptions options = MigratorOptions.defaults("2.0.0");
        String migrationsPackage = "dev.ckpt.it.reliability.migrations";
        List<Path> files = new ArrayList<>();
        for (String arg : args) {
            if (arg.startsWith("--lock-timeout=")) {
                options = options.withLockTimeout(Duration.ofSeconds(Long.parseLong(arg.substring("--lock-timeout=".length()))));
            } else if (arg.equals("--strict")) {
                options = options.withStrictPlaceholders(true);
            } else if (arg.equals("--no-backup")) {
                options = options.withBackup(false);
            } else if (arg.startsWith("--migrations=")) {
                migrationsPackage = arg.substring("--migrations=".length());
            } else {
                files.add(Path.of(arg));
            }
        }
        MigrationSet migrations = MigrationSet.discover(ApplyProcess.class.getClassLoader(), migrationsPackage);
        Migrator.BatchResult result = new Migrator(migrations, options).applyAll(files, 1);
        for (MigrationReport report : result.reports()) {
            report.lines().forEach(line -> System.out.println(report.file() + ": " + line));
            report.warnings().forEach(line -> System.out.println(report.file() + ": WARNING " + line));
        }
        for (Map.Entry<Path, Exception> failure : result.failures().entrySet()) {
            System.err.println("FAILED " + failure.getKey() + ": " + failure.getValue().getMessage());
        }
        System.exit(result.failures().isEmpty() ? 0 : 1);
    }
}
