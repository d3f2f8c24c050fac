package dev.ckpt.engine;

import java.util.List;

/** Migrations that are not well formed (names, metadata, duplicates); found before anything runs. */
public class MigrationDefinitionException extends RuntimeException {
    private final List<String> problems;

    public MigrationDefinitionException(List<String> problems) {
        super("invalid migrations:\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
