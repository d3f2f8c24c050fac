package dev.ckpt.engine;

import dev.ckpt.api.Migration;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A digest of a migration's code that ignores formatting, comments and debug information: the
 * SHA-256 of the class file of the migration and of every class it owns (nested, inner, local and
 * anonymous; lambda bodies are methods of the class itself), in the order of their binary names,
 * each without its debug attributes (line numbers, local variable names, source file, parameter
 * names) and with the fields that hold captured local variables numbered rather than named. Two
 * compilations of the same code give the same signature whatever the layout of the source, the
 * names of its local variables or the {@code -g} flags; a changed constant or statement changes
 * it. (A different compiler or target release may change it too: the signature is of the
 * bytecode.)
 */
final class MigrationSignature {
    private MigrationSignature() {
    }

    /** The signature of a migration class, read from its class loader. */
    static String of(Class<? extends Migration> migration) {
        return of(OwnedClassFiles.of(migration));
    }

    /** The signature of a set of class files (in any order), e.g. those of an embedded rollback. */
    static String of(byte[]... classFiles) {
        SortedMap<String, byte[]> byName = new TreeMap<>();
        for (byte[] classFile : classFiles) {
            String name = OwnedClassFiles.nameOf(classFile);
            if (byName.put(name, classFile) != null) {
                throw new IllegalArgumentException("two class files define " + name);
            }
        }
        return of(byName);
    }

    /** The signature of class files keyed by binary name. */
    static String of(Map<String, byte[]> classFiles) {
        MessageDigest sha256 = sha256();
        new TreeMap<>(classFiles).forEach((name, classFile) -> {
            byte[] stripped = OwnedClassFiles.canonical(classFile);
            sha256.update(name.getBytes(StandardCharsets.UTF_8));
            sha256.update((byte) 0);
            sha256.update(new byte[] {(byte) (stripped.length >>> 24), (byte) (stripped.length >>> 16),
                (byte) (stripped.length >>> 8), (byte) stripped.length});
            sha256.update(stripped);
        });
        return HexFormat.of().formatHex(sha256.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }
}
