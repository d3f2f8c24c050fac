package dev.ckpt.migration;

import dev.ckpt.pickle.Relocation;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * What a setup callback declares about Python code that moved: modules and classes renamed or
 * removed. The engine applies the declarations of every migration it will run while it reads the
 * checkpoint, so class references in the pickle point where the code lives now.
 */
public final class MigrationContext {
    private final Map<String, String> modulePaths = new LinkedHashMap<>();
    private final Map<String, String> attributePaths = new LinkedHashMap<>();
    private final Set<String> deletedModules = new LinkedHashSet<>();
    private final Set<String> deletedAttributes = new LinkedHashSet<>();

    /** Every reference into module {@code start} (and its submodules) now points into {@code end}. */
    public void moveModule(String start, String end) {
        // A throwaway builder checks the paths now, so a malformed one fails at the setup call that made it.
        Relocation.builder().moveModule(start, end);
        modulePaths.put(start, end);
    }

    /** A reference to {@code start} ({@code pkg.mod.Name}) now points to {@code end}; the name may change. */
    public void moveAttribute(String start, String end) {
        Relocation.builder().moveAttribute(start, end);
        attributePaths.put(start, end);
    }

    /** References into the module (and its submodules) load as placeholders a migration can remove. */
    public void deleteModule(String path) {
        Relocation.builder().deleteModule(path);
        deletedModules.add(path);
    }

    /** A reference to the attribute loads as a placeholder; {@code pkg.mod.*} covers every attribute of the module. */
    public void deleteAttribute(String path) {
        Relocation.builder().deleteAttribute(path);
        deletedAttributes.add(path);
    }

    boolean isEmpty() {
        return modulePaths.isEmpty() && attributePaths.isEmpty() && deletedModules.isEmpty() && deletedAttributes.isEmpty();
    }

    /** Module moves, start to end. */
    public Map<String, String> modulePaths() {
        return java.util.Collections.unmodifiableMap(modulePaths);
    }

    /** Attribute moves, start to end. */
    public Map<String, String> attributePaths() {
        return java.util.Collections.unmodifiableMap(attributePaths);
    }

    public Set<String> deletedModules() {
        return java.util.Collections.unmodifiableSet(deletedModules);
    }

    public Set<String> deletedAttributes() {
        return java.util.Collections.unmodifiableSet(deletedAttributes);
    }

    /** These declarations as one relocation step. */
    Relocation toRelocation() {
        Relocation.Builder builder = Relocation.builder();
        modulePaths.forEach(builder::moveModule);
        attributePaths.forEach(builder::moveAttribute);
        deletedModules.forEach(builder::deleteModule);
        deletedAttributes.forEach(builder::deleteAttribute);
        return builder.build();
    }

    /** The undoing context: moves reversed, deletions dropped (they cannot be undone). */
    MigrationContext reversed() {
        MigrationContext undo = new MigrationContext();
        modulePaths.forEach((start, end) -> undo.modulePaths.put(end, start));
        attributePaths.forEach((start, end) -> undo.attributePaths.put(end, start));
        return undo;
    }
}
