package dev.ckpt.template;

import java.util.List;

/**
 * Statements generated into a migration skeleton (by {@code checkpoint:diff -Dcreate}): the
 * {@code migrateSetup}, {@code migrate} and {@code rollback} lines, the notes the generator could
 * not turn into code, the extra imports, and whether the rollback undoes migrate exactly (then
 * the class implements {@code Reversible}).
 */
public record MigrationBody(List<String> setup, List<String> migrate, List<String> rollback, List<String> notes,
        List<String> imports, boolean reversible) {
    /** No generated code: the skeleton as {@code create} writes it. */
    public static final MigrationBody NONE = new MigrationBody(List.of(), List.of(), List.of(), List.of(), List.of(), false);

    public MigrationBody {
        setup = List.copyOf(setup);
        migrate = List.copyOf(migrate);
        rollback = List.copyOf(rollback);
        notes = List.copyOf(notes);
        imports = List.copyOf(imports);
    }

    public boolean generated() {
        return this != NONE;
    }
}
