package dev.ckpt.pickle;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Java type that stands for each Python type in a value tree. This is the whole mapping:
 *
 * <table>
 * <caption>Python to Java</caption>
 * <tr><th>Python</th><th>Java</th></tr>
 * <tr><td>None</td><td>{@code null}</td></tr>
 * <tr><td>bool</td><td>{@link Boolean}</td></tr>
 * <tr><td>int</td><td>{@link Long}, or {@link BigInteger} outside the long range</td></tr>
 * <tr><td>float</td><td>{@link Double}</td></tr>
 * <tr><td>str</td><td>{@link String} (lone surrogates kept)</td></tr>
 * <tr><td>bytes</td><td>{@code byte[]}</td></tr>
 * <tr><td>bytearray</td><td>{@link PyByteArray}</td></tr>
 * <tr><td>tuple</td><td>{@link PyTuple}</td></tr>
 * <tr><td>list</td><td>{@link java.util.ArrayList}</td></tr>
 * <tr><td>dict</td><td>{@link java.util.LinkedHashMap} (insertion order kept)</td></tr>
 * <tr><td>set</td><td>{@link java.util.LinkedHashSet}</td></tr>
 * <tr><td>frozenset</td><td>{@link PyFrozenSet}</td></tr>
 * <tr><td>a class or function</td><td>{@link PyGlobal}</td></tr>
 * <tr><td>any other object</td><td>{@link PyObject}</td></tr>
 * <tr><td>a persistent reference</td><td>{@link PyPersistentId}</td></tr>
 * <tr><td>an extension-registry reference</td><td>{@link PyExtension}</td></tr>
 * </table>
 *
 * The writer also takes {@link Integer}, {@link Short}, {@link Byte} (as int) and {@link Float}
 * (as float), so Java code can build values naturally.
 */
public final class PythonTypes {
    private PythonTypes() {
    }

    /** The Python type name of a value, for messages. */
    public static String name(Object value) {
        if (value == null) {
            return "NoneType";
        }
        if (value instanceof Boolean) {
            return "bool";
        }
        if (value instanceof Long || value instanceof BigInteger || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return "int";
        }
        if (value instanceof Double || value instanceof Float) {
            return "float";
        }
        if (value instanceof String) {
            return "str";
        }
        if (value instanceof byte[]) {
            return "bytes";
        }
        if (value instanceof PyByteArray) {
            return "bytearray";
        }
        if (value instanceof PyTuple) {
            return "tuple";
        }
        if (value instanceof PyFrozenSet) {
            return "frozenset";
        }
        if (value instanceof List) {
            return "list";
        }
        if (value instanceof Map) {
            return "dict";
        }
        if (value instanceof Set) {
            return "set";
        }
        if (value instanceof PyObject object) {
            return object.pythonClass() == null ? "object" : object.pythonClass().path();
        }
        if (value instanceof PyGlobal) {
            return "global";
        }
        if (value instanceof PyPersistentId) {
            return "persistent id";
        }
        if (value instanceof PyExtension) {
            return "extension";
        }
        return "Java " + value.getClass().getName();
    }
}
