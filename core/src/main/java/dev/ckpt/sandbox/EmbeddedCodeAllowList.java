package dev.ckpt.sandbox;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.AnnotationVisitor;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.ModuleVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.RecordComponentVisitor;
import org.objectweb.asm.Type;
import org.objectweb.asm.TypePath;
import org.objectweb.asm.signature.SignatureReader;
import org.objectweb.asm.signature.SignatureVisitor;

/**
 * The bytecode check an embedded rollback passes before it is loaded: every class, member,
 * descriptor type, generic signature, annotation, constant and invokedynamic bootstrap any of its
 * classes references must be one of the embedded classes themselves or on this allow-list:
 * <ul>
 *   <li>the migration API ({@code Migration}, {@code Reversible}, {@code Checkpoint}, {@code Node},
 *       {@code StateDict}, ...), the pickle value classes and the torch views (no archive, no file);</li>
 *   <li>{@code java.lang} basics: Object, strings, boxed numbers, Math, Enum, Record, the common
 *       exceptions and annotations;</li>
 *   <li>{@code java.util} (but not ServiceLoader, Timer, ResourceBundle, Formatter, Scanner,
 *       Properties, nor the concurrent, jar, zip, logging, prefs and spi packages),
 *       {@code java.util.function}, {@code java.util.stream}, {@code java.util.regex};</li>
 *   <li>as invokedynamic bootstraps only: LambdaMetafactory, StringConcatFactory and, for
 *       records, ObjectMethods.</li>
 * </ul>
 * Everything else is refused, in particular java.io, java.nio, java.net, reflection,
 * java.lang.invoke, java.util.concurrent, java.security, sun.*, jdk.*, System, Runtime, Thread,
 * processes, class loaders and modules, native methods, finalizers, parallel streams (their
 * ForkJoin threads outlive the rollback) and every {@code setDefault} of java.util (Locale,
 * TimeZone and its subclasses). Because descriptor types are
 * checked too, an allowed method that takes or returns a refused type (say
 * {@code Checkpoint.archive()}, which returns the file-backed archive) is refused as well.
 */
public final class EmbeddedCodeAllowList {

    /** Exact java.lang classes (their nested classes follow them). */
    private static final Set<String> JAVA_LANG = Set.of(
            "Object", "String", "StringBuilder", "StringBuffer", "CharSequence", "Appendable", "Comparable",
            "Iterable", "AutoCloseable", "Cloneable", "Runnable",
            "Number", "Boolean", "Character", "Byte", "Short", "Integer", "Long", "Float", "Double", "Void",
            "Math", "StrictMath", "Enum", "Record",
            "Override", "Deprecated", "FunctionalInterface", "SafeVarargs", "SuppressWarnings",
            "Throwable", "Exception", "RuntimeException", "Error", "AssertionError",
            "IllegalArgumentException", "IllegalStateException", "NullPointerException",
            "UnsupportedOperationException", "IndexOutOfBoundsException", "ArrayIndexOutOfBoundsException",
            "StringIndexOutOfBoundsException", "ArithmeticException", "ClassCastException", "NumberFormatException",
            "ArrayStoreException", "NegativeArraySizeException", "CloneNotSupportedException",
            "IllegalMonitorStateException", "InterruptedException",
            // thrown or caught by code javac generates (enum switches, switch expressions, patterns)
            "IncompatibleClassChangeError", "NoSuchFieldError", "MatchException");

    /** java.util classes that are not plain collections and values. */
    private static final Set<String> JAVA_UTIL_REFUSED = Set.of(
            "ServiceLoader", "Timer", "TimerTask", "ResourceBundle", "ListResourceBundle", "PropertyResourceBundle",
            "Formatter", "Scanner", "Properties");

    /** Whole java.* packages that are allowed. */
    private static final Set<String> JAVA_PACKAGES = Set.of(
            "java/util/function", "java/util/stream", "java/util/regex", "java/lang/annotation");

    /** The ckpt classes a migration may use (their nested classes follow them). */
    private static final Set<String> CKPT = Set.of(
            "dev/ckpt/api/Migration", "dev/ckpt/api/Reversible", "dev/ckpt/api/FinalMigration",
            "dev/ckpt/api/MigrationInfo", "dev/ckpt/api/MigrationContext",
            "dev/ckpt/api/Checkpoint", "dev/ckpt/api/Node", "dev/ckpt/api/StateDict", "dev/ckpt/api/Tensor",
            "dev/ckpt/api/Parameters",
            "dev/ckpt/pickle/PyObject", "dev/ckpt/pickle/PyTuple", "dev/ckpt/pickle/PyGlobal",
            "dev/ckpt/pickle/PyByteArray", "dev/ckpt/pickle/PyFrozenSet", "dev/ckpt/pickle/PyPersistentId",
            "dev/ckpt/pickle/PyExtension", "dev/ckpt/pickle/PythonTypes", "dev/ckpt/pickle/ValuePrinter",
            "dev/ckpt/pickle/PickleException",
            "dev/ckpt/torch/TensorView", "dev/ckpt/torch/DType", "dev/ckpt/torch/NumpyArrayView",
            "dev/ckpt/torch/NumpyDType", "dev/ckpt/api/OmegaConfView", "dev/ckpt/torch/StorageRef");

    /** Members of allowed classes that are refused anyway: owner.name. */
    private static final Set<String> MEMBERS_REFUSED = Set.of(
            "java/lang/Integer.getInteger", "java/lang/Long.getLong", "java/lang/Boolean.getBoolean");

    /** Members allowed although their owner or descriptor is not: owner.name+descriptor. */
    private static final Set<String> MEMBERS_ALLOWED = Set.of(
            // Enum.valueOf(Class, String): what javac's valueOf(String) of every enum calls
            "java/lang/Enum.valueOf(Ljava/lang/Class;Ljava/lang/String;)Ljava/lang/Enum;",
            // the static initializer javac generates for classes with assert statements
            "java/lang/Class.desiredAssertionStatus()Z",
            "dev/ckpt/torch/TorchCheckpoint.asFloats([B)[F",
            "dev/ckpt/torch/TorchCheckpoint.fromFloats([F)[B");

    /** The invokedynamic bootstraps javac uses for lambdas, string concatenation and records. */
    private static final Set<String> BOOTSTRAPS = Set.of(
            "java/lang/invoke/LambdaMetafactory.metafactory", "java/lang/invoke/LambdaMetafactory.altMetafactory",
            "java/lang/invoke/StringConcatFactory.makeConcatWithConstants",
            "java/lang/invoke/StringConcatFactory.makeConcat",
            "java/lang/runtime/ObjectMethods.bootstrap");

    /** The nested class every class with an invokedynamic lists in its InnerClasses attribute. */
    private static final String LOOKUP = "java/lang/invoke/MethodHandles$Lookup";

    private final Set<String> embedded;
    private final Set<String> refusals = new LinkedHashSet<>();

    private EmbeddedCodeAllowList(Set<String> embeddedInternalNames) {
        this.embedded = embeddedInternalNames;
    }

    /** Refuses the classes unless everything they reference is allowed. */
    public static void check(String migrationClass, Map<String, byte[]> classFiles) {
        List<String> refusals = refusals(classFiles);
        if (!refusals.isEmpty()) {
            throw new UntrustedRollbackException(migrationClass, refusals);
        }
    }

    /** One line per forbidden reference, in class order; empty when the classes may be loaded. */
    public static List<String> refusals(Map<String, byte[]> classFiles) {
        Set<String> embedded = new LinkedHashSet<>();
        classFiles.keySet().forEach(name -> embedded.add(name.replace('.', '/')));
        EmbeddedCodeAllowList check = new EmbeddedCodeAllowList(embedded);
        classFiles.forEach((name, bytes) -> {
            try {
                new ClassReader(bytes).accept(check.new ClassScan(), ClassReader.SKIP_DEBUG);
            } catch (StackOverflowError | RuntimeException e) {
                // ASM reads nested annotations recursively: a class nesting them without end is refused, not followed
                check.refusals.add("class " + name + " cannot be checked (" + (e instanceof StackOverflowError
                        ? "annotations or signatures nested too deeply" : "an unreadable class file: " + e) + ")");
            }
        });
        return new ArrayList<>(check.refusals);
    }

    /** Whether the class is part of the ckpt API that embedded code may use (an embedded class must not take its name). */
    public static boolean isCkptApi(String binaryName) {
        String name = binaryName.replace('.', '/');
        String outer = name.indexOf('$') > 0 ? name.substring(0, name.indexOf('$')) : name;
        return CKPT.contains(outer) || FormerApiNames.isFormer(outer);
    }

    // ---- verdicts ----

    /** Null when the class (internal name, or array descriptor) is allowed, else why not. */
    private String whyRefused(String internalName) {
        String name = internalName;
        if (name.startsWith("[")) {
            Type element = Type.getType(name).getElementType();
            if (element.getSort() != Type.OBJECT) {
                return null;
            }
            name = element.getInternalName();
        }
        if (embedded.contains(name)) {
            return null;
        }
        String outer = name.indexOf('$') > 0 ? name.substring(0, name.indexOf('$')) : name;
        int slash = name.lastIndexOf('/');
        String pkg = slash < 0 ? "" : name.substring(0, slash);
        String simple = outer.substring(outer.lastIndexOf('/') + 1);
        if (CKPT.contains(outer) || FormerApiNames.isFormer(outer)) {
            // a former API name is the same class: FormerApiNames rewrites it before loading
            return null;
        }
        if (pkg.equals("java/lang") && JAVA_LANG.contains(simple)) {
            return null;
        }
        if (pkg.equals("java/util") && !JAVA_UTIL_REFUSED.contains(simple)) {
            return null;
        }
        if (JAVA_PACKAGES.contains(pkg)) {
            return null;
        }
        return category(pkg, simple);
    }

    private static String category(String pkg, String simple) {
        if (pkg.equals("java/io") || pkg.startsWith("java/nio")) {
            return "file and stream I/O";
        }
        if (pkg.startsWith("java/net") || pkg.startsWith("javax/net")) {
            return "network access";
        }
        if (pkg.startsWith("java/lang/reflect") || pkg.startsWith("java/lang/invoke") || simple.equals("Class")
                && pkg.equals("java/lang")) {
            return "reflection";
        }
        if (pkg.startsWith("java/util/concurrent") || pkg.equals("java/lang") && (simple.startsWith("Thread")
                || simple.equals("InheritableThreadLocal")) || simple.startsWith("Timer")) {
            return "threads";
        }
        if (pkg.equals("java/lang") && (simple.equals("System") || simple.equals("Runtime") || simple.startsWith("Process")
                || simple.equals("Shutdown"))) {
            return "processes and the JVM";
        }
        if (pkg.equals("java/lang") && (simple.equals("ClassLoader") || simple.startsWith("Module")
                || simple.equals("StackWalker")) || simple.equals("ServiceLoader") || simple.endsWith("ResourceBundle")) {
            return "class loading";
        }
        if (pkg.startsWith("java/security") || pkg.startsWith("javax/security") || simple.equals("SecurityManager")) {
            return "security";
        }
        if (pkg.startsWith("sun/") || pkg.startsWith("jdk/") || pkg.startsWith("com/sun/")) {
            return "JDK internals";
        }
        if (pkg.startsWith("dev/ckpt")) {
            return "not part of the migration API";
        }
        return "not on the allow-list";
    }

    // ---- recording ----

    private void type(String where, String internalName) {
        type(where, internalName, null);
    }

    /** Checks a class; {@code via} is the member whose descriptor names it, if any. */
    private void type(String where, String internalName, String via) {
        if (internalName == null) {
            return;
        }
        String why = whyRefused(internalName);
        if (why != null) {
            refuseType(where, via, binary(internalName), why);
        }
    }

    private void descriptor(String where, String descriptor) {
        descriptor(where, descriptor, null);
    }

    private void descriptor(String where, String descriptor, String via) {
        if (descriptor == null) {
            return;
        }
        Type type;
        try {
            type = Type.getType(descriptor);
        } catch (RuntimeException e) {
            refuse(where, "the descriptor " + descriptor, "unreadable");
            return;
        }
        if (type.getSort() == Type.METHOD) {
            for (Type argument : type.getArgumentTypes()) {
                typeOf(where, argument, via);
            }
            typeOf(where, type.getReturnType(), via);
        } else {
            typeOf(where, type, via);
        }
    }

    private void typeOf(String where, Type type) {
        typeOf(where, type, null);
    }

    private void typeOf(String where, Type type, String via) {
        if (type.getSort() == Type.OBJECT || type.getSort() == Type.ARRAY) {
            type(where, type.getSort() == Type.ARRAY ? type.getDescriptor() : type.getInternalName(), via);
        }
    }

    /** A generic signature: only reflection reads it, but a forbidden type there is still refused. */
    private void signature(String where, String signature) {
        if (signature == null) {
            return;
        }
        try {
            new SignatureReader(signature).accept(new SignatureVisitor(Opcodes.ASM9) {
                private String current;

                @Override
                public void visitClassType(String name) {
                    current = name;
                    type(where, name);
                }

                @Override
                public void visitInnerClassType(String name) {
                    current = current + "$" + name;
                    type(where, current);
                }
            });
        } catch (RuntimeException e) {
            refuse(where, "the generic signature " + signature, "unreadable");
        }
    }

    private void member(String where, String owner, String name, String descriptor) {
        String key = owner + "." + name;
        if (MEMBERS_ALLOWED.contains(key + descriptor)) {
            return;
        }
        String reference = binary(owner) + "." + name + readable(descriptor);
        if (MEMBERS_REFUSED.contains(key) || owner.startsWith("java/util/") && name.equals("setDefault")) {
            // setDefault of Locale, TimeZone and every subclass (SimpleTimeZone inherits the static one)
            refuse(where, reference, "reads or changes JVM-wide settings");
            return;
        }
        if (owner.startsWith("java/util/") && name.startsWith("parallel") || owner.equals("java/util/stream/StreamSupport")) {
            // parallel streams and Arrays.parallel* run the code on ForkJoin threads that outlive the rollback
            refuse(where, reference, "threads");
            return;
        }
        String why = whyRefused(owner);
        if (why != null) {
            refuseType(where, reference, binary(owner), why);
            return;
        }
        descriptor(where, descriptor, reference);
    }

    private void handle(String where, Handle handle) {
        member(where, handle.getOwner(), handle.getName(), handle.getDesc());
    }

    private void constant(String where, Object value) {
        if (value instanceof Type type) {
            if (type.getSort() == Type.METHOD) {
                refuse(where, "a method type constant " + type, "reflection");
            } else {
                typeOf(where, type);
            }
        } else if (value instanceof Handle handle) {
            refuse(where, "a method handle constant to " + binary(handle.getOwner()) + "." + handle.getName(),
                    "reflection");
        } else if (value instanceof ConstantDynamic dynamic) {
            refuse(where, "a dynamic constant bootstrapped by " + binary(dynamic.getBootstrapMethod().getOwner()) + "."
                    + dynamic.getBootstrapMethod().getName(), "reflection");
        }
    }

    private void refuse(String where, String reference, String why) {
        refusals.add(where + " references " + reference + " (forbidden: " + why + ")");
    }

    /** {@code via} (a member, or null) names the forbidden class {@code type}. */
    private void refuseType(String where, String via, String type, String why) {
        refusals.add(where + " references " + (via == null ? type + " (forbidden: " + why + ")"
                : via + ", and " + type + " is forbidden (" + why + ")"));
    }

    private static String binary(String internalName) {
        if (internalName.startsWith("[")) {
            return Type.getType(internalName).getClassName();
        }
        return internalName.replace('/', '.');
    }

    /** {@code (Ljava/lang/String;I)V} as {@code (java.lang.String, int)}. */
    private static String readable(String descriptor) {
        if (descriptor == null || !descriptor.startsWith("(")) {
            return "";
        }
        StringBuilder text = new StringBuilder("(");
        Type[] arguments = Type.getArgumentTypes(descriptor);
        for (int i = 0; i < arguments.length; i++) {
            text.append(i == 0 ? "" : ", ").append(arguments[i].getClassName());
        }
        return text.append(")").toString();
    }

    private static String methodName(String className, String name, String descriptor) {
        if (name.equals("<clinit>")) {
            return "class " + className + ", static initializer";
        }
        String shown = name.equals("<init>") ? "constructor " + className.substring(className.lastIndexOf('.') + 1)
                : "method " + name;
        return "class " + className + ", " + shown + readable(descriptor);
    }

    // ---- the scan ----

    private final class ClassScan extends ClassVisitor {
        private String className;
        private String declaration;

        ClassScan() {
            super(Opcodes.ASM9);
        }

        @Override
        public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
            className = binary(name);
            declaration = "class " + className + ", its declaration";
            type(declaration, superName);
            if (interfaces != null) {
                for (String anInterface : interfaces) {
                    type(declaration, anInterface);
                }
            }
            signature(declaration, signature);
        }

        @Override
        public ModuleVisitor visitModule(String name, int access, String version) {
            refuse(declaration, "a module declaration " + name, "class loading");
            return null;
        }

        @Override
        public void visitNestHost(String nestHost) {
            type(declaration, nestHost);
        }

        @Override
        public void visitOuterClass(String owner, String name, String descriptor) {
            type(declaration, owner);
            descriptor(declaration, descriptor);
        }

        @Override
        public AnnotationVisitor visitAnnotation(String descriptor, boolean visible) {
            return annotation(declaration, descriptor);
        }

        @Override
        public AnnotationVisitor visitTypeAnnotation(int typeRef, TypePath typePath, String descriptor, boolean visible) {
            return annotation(declaration, descriptor);
        }

        @Override
        public void visitNestMember(String nestMember) {
            type(declaration, nestMember);
        }

        @Override
        public void visitPermittedSubclass(String permittedSubclass) {
            type(declaration, permittedSubclass);
        }

        @Override
        public void visitInnerClass(String name, String outerName, String innerName, int access) {
            if (!LOOKUP.equals(name)) {
                type(declaration, name);
                type(declaration, outerName);
            }
        }

        @Override
        public RecordComponentVisitor visitRecordComponent(String name, String descriptor, String signature) {
            String where = "class " + className + ", record component " + name;
            descriptor(where, descriptor);
            signature(where, signature);
            return new RecordComponentVisitor(Opcodes.ASM9) {
                @Override
                public AnnotationVisitor visitAnnotation(String annotation, boolean visible) {
                    return EmbeddedCodeAllowList.this.annotation(where, annotation);
                }

                @Override
                public AnnotationVisitor visitTypeAnnotation(int typeRef, TypePath typePath, String annotation,
                        boolean visible) {
                    return EmbeddedCodeAllowList.this.annotation(where, annotation);
                }
            };
        }

        @Override
        public FieldVisitor visitField(int access, String name, String descriptor, String signature, Object value) {
            String where = "class " + className + ", field " + name;
            descriptor(where, descriptor);
            signature(where, signature);
            return new FieldVisitor(Opcodes.ASM9) {
                @Override
                public AnnotationVisitor visitAnnotation(String annotation, boolean visible) {
                    return EmbeddedCodeAllowList.this.annotation(where, annotation);
                }

                @Override
                public AnnotationVisitor visitTypeAnnotation(int typeRef, TypePath typePath, String annotation,
                        boolean visible) {
                    return EmbeddedCodeAllowList.this.annotation(where, annotation);
                }
            };
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
            String where = methodName(className, name, descriptor);
            if ((access & Opcodes.ACC_NATIVE) != 0) {
                refuse(where, "native code", "a native method");
            }
            if (name.equals("finalize") && descriptor.equals("()V")) {
                refuse(where, "a finalizer", "threads: it runs on the JVM's Finalizer thread, outside any budget");
            }
            descriptor(where, descriptor);
            signature(where, signature);
            if (exceptions != null) {
                for (String exception : exceptions) {
                    type(where, exception);
                }
            }
            return new CodeScan(where);
        }
    }

    private AnnotationVisitor annotation(String where, String descriptor) {
        descriptor(where, descriptor);
        return new AnnotationVisitor(Opcodes.ASM9) {
            @Override
            public void visit(String name, Object value) {
                if (value instanceof Type type) {
                    typeOf(where, type);
                }
            }

            @Override
            public void visitEnum(String name, String enumDescriptor, String value) {
                descriptor(where, enumDescriptor);
            }

            @Override
            public AnnotationVisitor visitAnnotation(String name, String nested) {
                return annotation(where, nested);
            }

            @Override
            public AnnotationVisitor visitArray(String name) {
                return this;
            }
        };
    }

    private final class CodeScan extends MethodVisitor {
        private final String where;

        CodeScan(String where) {
            super(Opcodes.ASM9);
            this.where = where;
        }

        @Override
        public AnnotationVisitor visitAnnotationDefault() {
            return annotation(where, null);
        }

        @Override
        public AnnotationVisitor visitAnnotation(String descriptor, boolean visible) {
            return annotation(where, descriptor);
        }

        @Override
        public AnnotationVisitor visitTypeAnnotation(int typeRef, TypePath typePath, String descriptor, boolean visible) {
            return annotation(where, descriptor);
        }

        @Override
        public AnnotationVisitor visitParameterAnnotation(int parameter, String descriptor, boolean visible) {
            return annotation(where, descriptor);
        }

        @Override
        public AnnotationVisitor visitInsnAnnotation(int typeRef, TypePath typePath, String descriptor, boolean visible) {
            return annotation(where, descriptor);
        }

        @Override
        public AnnotationVisitor visitTryCatchAnnotation(int typeRef, TypePath typePath, String descriptor,
                boolean visible) {
            return annotation(where, descriptor);
        }

        @Override
        public AnnotationVisitor visitLocalVariableAnnotation(int typeRef, TypePath typePath, Label[] start, Label[] end,
                int[] index, String descriptor, boolean visible) {
            return annotation(where, descriptor);
        }

        @Override
        public void visitFrame(int type, int numLocal, Object[] local, int numStack, Object[] stack) {
            frameTypes(local, numLocal);
            frameTypes(stack, numStack);
        }

        private void frameTypes(Object[] types, int count) {
            for (int i = 0; types != null && i < count; i++) {
                if (types[i] instanceof String internalName) {
                    type(where, internalName);
                }
            }
        }

        @Override
        public void visitTypeInsn(int opcode, String type) {
            type(where, type);
        }

        @Override
        public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
            member(where, owner, name, descriptor);
        }

        @Override
        public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
            member(where, owner, name, descriptor);
        }

        @Override
        public void visitInvokeDynamicInsn(String name, String descriptor, Handle bootstrap, Object... arguments) {
            String key = bootstrap.getOwner() + "." + bootstrap.getName();
            if (!BOOTSTRAPS.contains(key)) {
                refuse(where, "the invokedynamic bootstrap " + binary(bootstrap.getOwner()) + "." + bootstrap.getName(),
                        "only lambdas, string concatenation and records may use invokedynamic");
            }
            descriptor(where, descriptor);
            for (Object argument : arguments) {
                if (argument instanceof Handle handle) {
                    handle(where, handle);
                } else if (argument instanceof Type type && type.getSort() == Type.METHOD) {
                    descriptor(where, type.getDescriptor());
                } else {
                    constant(where, argument);
                }
            }
        }

        @Override
        public void visitLdcInsn(Object value) {
            constant(where, value);
        }

        @Override
        public void visitMultiANewArrayInsn(String descriptor, int numDimensions) {
            descriptor(where, descriptor);
        }

        @Override
        public void visitTryCatchBlock(Label start, Label end, Label handler, String type) {
            type(where, type);
        }
    }
}
