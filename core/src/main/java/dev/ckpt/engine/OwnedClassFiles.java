package dev.ckpt.engine;

import dev.ckpt.api.MigrationInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.objectweb.asm.AnnotationVisitor;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * The class files of a class and of every class it owns (member, local and anonymous classes, at
 * any depth), read as resources from the class's own loader. Lambda bodies are methods of the
 * class itself, so they come with it.
 */
final class OwnedClassFiles {
    private static final int MAX_DEPTH = 64;
    private static final String CAPTURED = "val$";
    private static final String MIGRATION_INFO = "L" + MigrationInfo.class.getName().replace('.', '/') + ";";

    private OwnedClassFiles() {
    }

    /** Binary name to class file bytes, sorted by name. */
    static SortedMap<String, byte[]> of(Class<?> root) {
        if (root.isArray() || root.isPrimitive() || root.isHidden()) {
            throw new IllegalArgumentException(root + " has no class file of its own");
        }
        ClassLoader loader = root.getClassLoader();
        if (loader == null) {
            throw new IllegalArgumentException(root + " is a JDK class; it has no class file to read");
        }
        Reader reader = new Reader(loader);
        String rootName = root.getName();
        SortedMap<String, byte[]> owned = new TreeMap<>();
        Deque<String> pending = new ArrayDeque<>();
        pending.add(rootName);
        while (!pending.isEmpty()) {
            String name = pending.poll();
            if (owned.containsKey(name)) {
                continue;
            }
            byte[] bytes = reader.bytes(name);
            if (bytes == null) {
                if (name.equals(rootName)) {
                    throw new IllegalStateException("cannot read the class file of " + rootName + " from its class loader "
                            + loader + " (resource " + resourceName(rootName) + ")");
                }
                continue;
            }
            if (!name.equals(rootName) && !reader.isOwnedBy(name, rootName)) {
                continue;
            }
            owned.put(name, bytes);
            for (String candidate : reader.shape(name).related) {
                // javac names every class a class owns <owner>$<something>
                if (candidate.startsWith(rootName + "$") && !owned.containsKey(candidate)) {
                    pending.add(candidate);
                }
            }
        }
        return owned;
    }

    /**
     * The class file as the signature sees it: without debug information (line numbers, local
     * variable names, source file, parameter names), and with the fields in which javac keeps the
     * local variables a local or anonymous class captures ({@code val$<local name>}) numbered
     * instead of named, since their names are local variable names too.
     */
    static byte[] canonical(byte[] classFile) {
        ClassReader reader = new ClassReader(classFile);
        String self = reader.getClassName();
        Map<String, String> captured = new HashMap<>();
        reader.accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public FieldVisitor visitField(int access, String name, String descriptor, String signature, Object value) {
                if ((access & Opcodes.ACC_SYNTHETIC) != 0 && name.startsWith(CAPTURED)) {
                    captured.put(name, CAPTURED + captured.size());
                }
                return null;
            }
        }, ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        ClassWriter writer = new ClassWriter(0);
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public AnnotationVisitor visitAnnotation(String descriptor, boolean visible) {
                // The version is recorded beside the signature: stamping %NEXT_VERSION% at release changes no signature.
                return descriptor.equals(MIGRATION_INFO) ? null : super.visitAnnotation(descriptor, visible);
            }

            @Override
            public FieldVisitor visitField(int access, String name, String descriptor, String signature, Object value) {
                return super.visitField(access, captured.getOrDefault(name, name), descriptor, signature, value);
            }

            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                    String[] exceptions) {
                return new MethodVisitor(Opcodes.ASM9, super.visitMethod(access, name, descriptor, signature, exceptions)) {
                    @Override
                    public void visitFieldInsn(int opcode, String owner, String field, String fieldDescriptor) {
                        super.visitFieldInsn(opcode, owner,
                                owner.equals(self) ? captured.getOrDefault(field, field) : field, fieldDescriptor);
                    }
                };
            }
        }, ClassReader.SKIP_DEBUG);
        return writer.toByteArray();
    }

    /** The binary name a class file declares. */
    static String nameOf(byte[] classFile) {
        return new ClassReader(classFile).getClassName().replace('/', '.');
    }

    static String resourceName(String binaryName) {
        return binaryName.replace('.', '/') + ".class";
    }

    /** What a class file says about nesting: its direct encloser and the classes it names as nested. */
    private static final class Shape extends ClassVisitor {
        private final String self;
        private String encloser;
        private final List<String> related = new ArrayList<>();

        Shape(String self) {
            super(Opcodes.ASM9);
            this.self = self.replace('.', '/');
        }

        @Override
        public void visitOuterClass(String owner, String name, String descriptor) {
            // local or anonymous class: the class whose method (or initializer) declares it
            if (encloser == null) {
                encloser = owner;
            }
        }

        @Override
        public void visitInnerClass(String name, String outerName, String innerName, int access) {
            if (name.equals(self)) {
                if (outerName != null) {
                    encloser = outerName;
                }
            } else {
                related.add(name.replace('/', '.'));
            }
        }

        @Override
        public void visitNestMember(String nestMember) {
            related.add(nestMember.replace('/', '.'));
        }

        String encloser() {
            return encloser == null ? null : encloser.replace('/', '.');
        }
    }

    private static final class Reader {
        private final ClassLoader loader;
        private final Map<String, byte[]> bytes = new HashMap<>();
        private final Map<String, Shape> shapes = new HashMap<>();

        Reader(ClassLoader loader) {
            this.loader = loader;
        }

        byte[] bytes(String name) {
            if (!bytes.containsKey(name)) {
                bytes.put(name, read(name));
            }
            return bytes.get(name);
        }

        private byte[] read(String name) {
            try (InputStream in = loader.getResourceAsStream(resourceName(name))) {
                return in == null ? null : in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the class file of " + name, e);
            }
        }

        Shape shape(String name) {
            return shapes.computeIfAbsent(name, n -> {
                Shape shape = new Shape(n);
                new ClassReader(bytes(n)).accept(shape, ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
                return shape;
            });
        }

        /** Whether the chain of enclosing classes of {@code name} reaches {@code root}. */
        boolean isOwnedBy(String name, String root) {
            String current = name;
            for (int depth = 0; depth < MAX_DEPTH && current != null; depth++) {
                if (bytes(current) == null) {
                    return false;
                }
                String encloser = shape(current).encloser();
                if (root.equals(encloser)) {
                    return true;
                }
                current = encloser;
            }
            return false;
        }
    }
}
