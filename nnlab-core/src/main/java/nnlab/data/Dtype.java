package nnlab.data;

/**
 * The element types of an {@link NdArray}: numpy's short names, bytes per element in a file, and the
 * primitive array that holds them in memory (the smallest Java type that holds every value exactly).
 */
enum Dtype {
    U1("u1", 1), I1("i1", 1), I2("i2", 2), I4("i4", 4), I8("i8", 8), F4("f4", 4), F8("f8", 8);

    static final String SUPPORTED = "u1, i1, i2, i4, i8, f4, f8";

    final String code;
    final int itemSize;

    Dtype(String code, int itemSize) {
        this.code = code;
        this.itemSize = itemSize;
    }

    /** The dtype with this short name, or {@code null} if nnlab has none. */
    static Dtype of(String code) {
        for (Dtype type : values()) {
            if (type.code.equals(code)) return type;
        }
        return null;
    }

    Class<?> storage() {
        return switch (this) {
            case U1, I1 -> byte[].class;
            case I2, I4 -> int[].class;
            case I8 -> long[].class;
            case F4 -> float[].class;
            case F8 -> double[].class;
        };
    }

    Object newArray(int length) {
        return switch (this) {
            case U1, I1 -> new byte[length];
            case I2, I4 -> new int[length];
            case I8 -> new long[length];
            case F4 -> new float[length];
            case F8 -> new double[length];
        };
    }
}
