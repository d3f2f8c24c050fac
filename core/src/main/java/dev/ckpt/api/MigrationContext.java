package dev.ckpt.api;

import dev.ckpt.pickle.Relocation;
import java.util.Collections;
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

    /** Module moves, start to end. */
    public Map<String, String> modulePaths() {
        return Collections.unmodifiableMap(modulePaths);
    }

    /** Attribute moves, start to end. */
    public Map<String, String> attributePaths() {
        return Collections.unmodifiableMap(attributePaths);
    }

    public Set<String> deletedModules() {
        return Collections.unmodifiableSet(deletedModules);
    }

    public Set<String> deletedAttributes() {
        return Collections.unmodifiableSet(deletedAttributes);
    }
}
