package dev.ckpt.pickle;

import java.util.Objects;

/**
 * A reference to a module attribute (a class or function) by name, never resolved. A global whose
 * module or attribute a relocation deleted is a placeholder: it keeps its original path and is
 * {@link #isDeleted() deleted}.
 */
public final class PyGlobal {
    private final String module;
    private final String name;
    private final boolean deleted;
    private final int hash;

    private PyGlobal(String module, String name, boolean deleted) {
        this.module = Objects.requireNonNull(module, "module");
        this.name = Objects.requireNonNull(name, "name");
        this.deleted = deleted;
        this.hash = (module.hashCode() * 31 + name.hashCode()) * 31 + (deleted ? 1 : 0);
    }

    public static PyGlobal of(String module, String name) {
        return new PyGlobal(module, name, false);
    }

    /** {@code "pkg.mod.Name"} split at its last dot. */
    public static PyGlobal parse(String path) {
        int dot = path.lastIndexOf('.');
        if (dot <= 0 || dot == path.length() - 1) {
            throw new IllegalArgumentException("Not a dotted path to a module attribute: '" + path + "'");
        }
        return of(path.substring(0, dot), path.substring(dot + 1));
    }

    /** A placeholder for this reference, whose module or attribute was deleted. */
    public PyGlobal asDeleted() {
        return new PyGlobal(module, name, true);
    }

    public String module() {
        return module;
    }

    /** The qualified name inside the module (may itself hold dots, e.g. {@code Outer.Inner}). */
    public String name() {
        return name;
    }

    public String path() {
        return module + "." + name;
    }

    public boolean isDeleted() {
        return deleted;
    }

    public boolean is(String module, String name) {
        return this.module.equals(module) && this.name.equals(name);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PyGlobal that && that.deleted == deleted && that.module.equals(module) && that.name.equals(name);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return (deleted ? "<deleted " : "<global ") + path() + ">";
    }
}
