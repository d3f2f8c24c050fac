package dev.ckpt.engine;

import dev.ckpt.api.MigrationContext;
import dev.ckpt.pickle.Relocation;

/** What the engine makes of a setup callback's declarations. */
final class SetupContexts {
    private SetupContexts() {
    }

    /** The declarations as one relocation step. */
    static Relocation toRelocation(MigrationContext context) {
        Relocation.Builder builder = Relocation.builder();
        context.modulePaths().forEach(builder::moveModule);
        context.attributePaths().forEach(builder::moveAttribute);
        context.deletedModules().forEach(builder::deleteModule);
        context.deletedAttributes().forEach(builder::deleteAttribute);
        return builder.build();
    }

    /** The undoing context: moves reversed, deletions dropped (they cannot be undone). */
    static MigrationContext reversed(MigrationContext context) {
        MigrationContext undo = new MigrationContext();
        context.modulePaths().forEach((start, end) -> undo.moveModule(end, start));
        context.attributePaths().forEach((start, end) -> undo.moveAttribute(end, start));
        return undo;
    }
}
