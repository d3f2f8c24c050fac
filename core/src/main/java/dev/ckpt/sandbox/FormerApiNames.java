package dev.ckpt.sandbox;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.commons.ClassRemapper;
import org.objectweb.asm.commons.SimpleRemapper;

/**
 * The API classes' names before they moved to {@code dev.ckpt.api} (release 0.1 kept them in
 * {@code dev.ckpt.migration}, and the OmegaConf view in {@code dev.ckpt.torch}). Rollbacks
 * embedded in checkpoints by that release reference the old names; their class files are
 * rewritten to the current ones before they are checked and loaded.
 */
public final class FormerApiNames {
    private static final Map<String, String> CURRENT = former();

    private FormerApiNames() {
    }

    private static Map<String, String> former() {
        Map<String, String> names = new LinkedHashMap<>();
        for (String type : new String[] {"Migration", "Reversible", "FinalMigration", "MigrationInfo", "MigrationContext",
            "Checkpoint", "Node", "StateDict"}) {
            names.put("dev/ckpt/migration/" + type, "dev/ckpt/api/" + type);
        }
        names.put("dev/ckpt/torch/OmegaConfView", "dev/ckpt/api/OmegaConfView");
        return Map.copyOf(names);
    }

    /** Whether the internal name is a former API name (embedded code must not define one). */
    static boolean isFormer(String internalName) {
        return CURRENT.containsKey(internalName);
    }

    /** The class files with every former API name replaced by the current one (untouched when they name none). */
    public static Map<String, byte[]> toCurrent(Map<String, byte[]> classFiles) {
        SimpleRemapper remapper = new SimpleRemapper(CURRENT);
        Map<String, byte[]> current = new LinkedHashMap<>();
        classFiles.forEach((name, bytes) -> {
            if (namesFormer(bytes)) {
                current.put(name, remapped(name, bytes, remapper));
            } else {
                current.put(name, bytes);
            }
        });
        return current;
    }

    private static byte[] remapped(String name, byte[] bytes, SimpleRemapper remapper) {
        try {
            ClassWriter writer = new ClassWriter(0);
            new ClassReader(bytes).accept(new ClassRemapper(writer, remapper), 0);
            return writer.toByteArray();
        } catch (StackOverflowError | RuntimeException e) {
            // ASM reads nested annotations recursively; a trusted file is not checked first
            throw new IllegalArgumentException("the embedded class " + name + " cannot be read (" + (e instanceof StackOverflowError
                    ? "annotations or signatures nested too deeply" : e.toString()) + ")");
        }
    }

    /** Whether a former package name appears anywhere in the class file (its constant pool holds every name it uses). */
    private static boolean namesFormer(byte[] classFile) {
        String text = new String(classFile, StandardCharsets.ISO_8859_1);
        return text.contains("dev/ckpt/migration/") || text.contains("dev/ckpt/torch/OmegaConfView");
    }
}
