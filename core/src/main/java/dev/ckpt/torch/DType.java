package dev.ckpt.torch;

import java.util.Locale;

/**
 * Torch element types (every dtype of torch 2.13), with the legacy storage class torch.save
 * names for each (the {@code torch.FloatStorage} in a storage's persistent id; torch's
 * {@code _dtype_to_storage_type_map}) and the size of one element. Dtypes without a storage
 * class are saved by torch 2.x over an untyped storage, naming the dtype in
 * {@code _rebuild_tensor_v3}.
 */
public enum DType {
    FLOAT32("float32", "FloatStorage", 4),
    FLOAT64("float64", "DoubleStorage", 8),
    FLOAT16("float16", "HalfStorage", 2),
    BFLOAT16("bfloat16", "BFloat16Storage", 2),
    COMPLEX32("complex32", null, 4),
    COMPLEX64("complex64", "ComplexFloatStorage", 8),
    COMPLEX128("complex128", "ComplexDoubleStorage", 16),
    UINT8("uint8", "ByteStorage", 1),
    INT8("int8", "CharStorage", 1),
    INT16("int16", "ShortStorage", 2),
    INT32("int32", "IntStorage", 4),
    INT64("int64", "LongStorage", 8),
    BOOL("bool", "BoolStorage", 1),
    QINT8("qint8", "QInt8Storage", 1),
    QUINT8("quint8", "QUInt8Storage", 1),
    QINT32("qint32", "QInt32Storage", 4),
    QUINT4X2("quint4x2", "QUInt4x2Storage", 1),
    QUINT2X4("quint2x4", "QUInt2x4Storage", 1),
    FLOAT8_E5M2("float8_e5m2", null, 1),
    FLOAT8_E4M3FN("float8_e4m3fn", null, 1),
    FLOAT8_E5M2FNUZ("float8_e5m2fnuz", null, 1),
    FLOAT8_E4M3FNUZ("float8_e4m3fnuz", null, 1),
    FLOAT8_E8M0FNU("float8_e8m0fnu", null, 1),
    FLOAT4_E2M1FN_X2("float4_e2m1fn_x2", null, 1),
    UINT16("uint16", null, 2),
    UINT32("uint32", null, 4),
    UINT64("uint64", null, 8),
    BITS1X8("bits1x8", null, 1),
    BITS2X4("bits2x4", null, 1),
    BITS4X2("bits4x2", null, 1),
    BITS8("bits8", null, 1),
    BITS16("bits16", null, 2),
    UINT1("uint1", null, 1),
    UINT2("uint2", null, 1),
    UINT3("uint3", null, 1),
    UINT4("uint4", null, 1),
    UINT5("uint5", null, 1),
    UINT6("uint6", null, 1),
    UINT7("uint7", null, 1),
    INT1("int1", null, 1),
    INT2("int2", null, 1),
    INT3("int3", null, 1),
    INT4("int4", null, 1),
    INT5("int5", null, 1),
    INT6("int6", null, 1),
    INT7("int7", null, 1);

    private final String pythonName;
    private final String storageClass;
    private final int elementSize;

    DType(String pythonName, String storageClass, int elementSize) {
        this.pythonName = pythonName;
        this.storageClass = storageClass;
        this.elementSize = elementSize;
    }

    /** The name after {@code torch.}, e.g. {@code float32}. */
    public String pythonName() {
        return pythonName;
    }

    /** The legacy storage class name, or null for types torch stores in an untyped storage. */
    public String storageClass() {
        return storageClass;
    }

    public int elementSize() {
        return elementSize;
    }

    /**
     * The bytes with every element's byte order reversed (a complex number's two parts each on
     * their own), as torch's {@code UntypedStorage.byteswap(dtype)} does.
     */
    byte[] swapBytes(byte[] data) {
        int unit = name().startsWith("COMPLEX") ? elementSize / 2 : elementSize;
        byte[] out = data.clone();
        if (unit > 1) {
            for (int start = 0; start + unit <= out.length; start += unit) {
                for (int i = 0; i < unit / 2; i++) {
                    byte b = out[start + i];
                    out[start + i] = out[start + unit - 1 - i];
                    out[start + unit - 1 - i] = b;
                }
            }
        }
        return out;
    }

    /** The type a legacy storage class stands for, or null. */
    public static DType ofStorageClass(String name) {
        for (DType type : values()) {
            if (name.equals(type.storageClass)) {
                return type;
            }
        }
        return null;
    }

    /** The type named {@code torch.<name>}, or null. */
    public static DType ofPythonName(String name) {
        for (DType type : values()) {
            if (type.pythonName.equals(name)) {
                return type;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "torch." + pythonName.toLowerCase(Locale.ROOT);
    }
}
