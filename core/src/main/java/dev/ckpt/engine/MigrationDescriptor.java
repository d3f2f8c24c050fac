package dev.ckpt.engine;

import dev.ckpt.api.FinalMigration;
import dev.ckpt.api.Migration;
import dev.ckpt.api.MigrationContext;
import dev.ckpt.api.MigrationInfo;
import dev.ckpt.api.Reversible;
import dev.ckpt.pickle.Relocation;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;

/** What the engine knows about one migration class on the class path. */
public final class MigrationDescriptor {
    private final MigrationName name;
    private final Class<? extends Migration> type;
    private final MigrationInfo info;
    private final String signature;

    private MigrationDescriptor(MigrationName name, Class<? extends Migration> type, MigrationInfo info) {
        this.name = name;
        this.type = type;
        this.info = info;
        this.signature = MigrationSignature.of(type);
    }

    /** Describes a class, adding what is wrong with it to {@code problems} (then returning null). */
    static MigrationDescriptor describe(Class<?> candidate, List<String> problems) {
        String where = candidate.getName();
        if (!Migration.class.isAssignableFrom(candidate)) {
            problems.add(where + " is named like a migration but does not extend " + Migration.class.getName());
            return null;
        }
        @SuppressWarnings("unchecked")
        Class<? extends Migration> type = (Class<? extends Migration>) candidate;
        MigrationName name;
        try {
            name = MigrationName.ofClassName(candidate.getSimpleName());
        } catch (IllegalArgumentException e) {
            problems.add(where + ": " + e.getMessage());
            return null;
        }
        int before = problems.size();
        MigrationInfo info = candidate.getAnnotation(MigrationInfo.class);
        if (info == null) {
            problems.add(where + " has no @MigrationInfo(version = ...) metadata");
        } else if (info.version().isBlank()) {
            problems.add(where + ": @MigrationInfo version is empty");
        }
        if (Modifier.isAbstract(candidate.getModifiers()) || !Modifier.isPublic(candidate.getModifiers())) {
            problems.add(where + " must be a public, non-abstract class");
        }
        if (publicNoArgConstructor(candidate) == null) {
            problems.add(where + " needs a public constructor without parameters");
        }
        boolean isFinal = FinalMigration.class.isAssignableFrom(candidate);
        if (isFinal && Reversible.class.isAssignableFrom(candidate)) {
            problems.add(where + " is a final migration and cannot be reversible");
        }
        if (problems.size() > before) {
            return null;
        }
        return new MigrationDescriptor(name, type, info);
    }

    private static Constructor<?> publicNoArgConstructor(Class<?> type) {
        try {
            return type.getConstructor();
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    public MigrationName name() {
        return name;
    }

    public Class<? extends Migration> type() {
        return type;
    }

    /** The application version that introduced it, with {@code %NEXT_VERSION%} replaced by {@code nextVersion}. */
    public String version(String nextVersion) {
        return MigrationInfo.NEXT_VERSION.equals(info.version()) && nextVersion != null ? nextVersion : info.version();
    }

    public String format() {
        return info.format();
    }

    public boolean isFinal() {
        return FinalMigration.class.isAssignableFrom(type);
    }

    public boolean isReversible() {
        return Reversible.class.isAssignableFrom(type);
    }

    public String signature() {
        return signature;
    }

    /** True when the class overrides {@link Migration#migrateSetup}. */
    public boolean hasMigrateSetup() {
        return declares("migrateSetup");
    }

    /** True when the class overrides {@link Reversible#rollbackSetup}. */
    boolean hasOwnRollbackSetup() {
        return declares("rollbackSetup");
    }

    private boolean declares(String method) {
        for (Class<?> c = type; c != null && c != Migration.class && c != FinalMigration.class; c = c.getSuperclass()) {
            for (Method m : c.getDeclaredMethods()) {
                if (m.getName().equals(method) && m.getParameterCount() == 1 && m.getParameterTypes()[0] == MigrationContext.class) {
                    return true;
                }
            }
        }
        return false;
    }

    public Migration newInstance() {
        try {
            return type.getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new MigrationDefinitionException(List.of("cannot create " + type.getName() + ": " + e));
        }
    }

    /** The setup that runs before reading for this migration (its declarations, possibly none). */
    MigrationContext migrateContext() {
        MigrationContext context = new MigrationContext();
        newInstance().migrateSetup(context);
        return context;
    }

    /** The setup for rolling it back: its own rollbackSetup, or the reverse of migrateSetup. */
    MigrationContext rollbackContext() {
        if (hasOwnRollbackSetup()) {
            MigrationContext context = new MigrationContext();
            ((Reversible) newInstance()).rollbackSetup(context);
            return context;
        }
        return SetupContexts.reversed(migrateContext());
    }

    /** The class moves the reader applies before this migration runs: forward for migrate, else for its rollback. */
    public Relocation relocation(boolean forward) {
        return SetupContexts.toRelocation(forward ? migrateContext() : rollbackContext());
    }

    @Override
    public String toString() {
        return name.toString();
    }
}
