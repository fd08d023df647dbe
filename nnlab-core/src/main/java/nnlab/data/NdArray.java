package nnlab.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * An n-dimensional array as read from or written to a data file: an element type, a shape and the
 * elements in C order (the last index varies fastest), whatever the order in the file.
 *
 * <p>{@code dtype} is numpy's short name, and the elements live in the most compact primitive array
 * that holds them exactly:
 * <ul>
 *   <li>{@code u1}: {@code byte[]}, read as unsigned (0..255); numpy's {@code bool} is read as {@code u1} (0 or 1)</li>
 *   <li>{@code i1}: {@code byte[]}</li>
 *   <li>{@code i2}, {@code i4}: {@code int[]} ({@code i2} values must lie in -32768..32767)</li>
 *   <li>{@code i8}: {@code long[]}</li>
 *   <li>{@code f4}: {@code float[]}</li>
 *   <li>{@code f8}: {@code double[]}</li>
 * </ul>
 * A shape of length 0 is a scalar (one element); a 0 in the shape makes an empty array.
 *
 * <p>The data array is shared, not copied, by the constructor, the factories, {@link #data()} and
 * {@link #reshape}: datasets are large, and a copy per call would double the memory. The {@code to...}
 * conversions always return a new array. {@link #equals} compares dtype, shape and element values.
 *
 * @param dtype one of {@code u1, i1, i2, i4, i8, f4, f8}
 * @param shape the size of each dimension, outermost first
 * @param data  the elements in C order, in the primitive array listed above for {@code dtype}
 */
public record NdArray(String dtype, int[] shape, Object data) {

    /** Checks that the data array matches the dtype and holds exactly the shape's number of elements. */
    public NdArray {
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(data, "data");
        Dtype type = Dtype.of(dtype);
        if (type == null) {
            throw new IllegalArgumentException("unknown dtype '" + dtype + "': use one of " + Dtype.SUPPORTED);
        }
        shape = shape.clone();
        long size = sizeOf(shape);
        if (!type.storage().isInstance(data)) {
            throw new IllegalArgumentException("dtype " + dtype + " is held in a " + type.storage().getSimpleName()
                    + ", but the data is a " + data.getClass().getSimpleName());
        }
        int length = java.lang.reflect.Array.getLength(data);
        if (length != size) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + size
                    + " elements, but the data array has " + length);
        }
        if (type == Dtype.I2) {
            int[] values = (int[]) data;
            for (int i = 0; i < values.length; i++) {
                if (values[i] != (short) values[i]) {
                    throw new IllegalArgumentException("element " + i + " is " + values[i]
                            + ", outside the i2 range -32768..32767: use dtype i4");
                }
            }
        }
    }

    /** A float64 array; no copy is made. The shape is taken literally: {@code ofDoubles(x)} is 0-d and needs one element, {@code ofDoubles(x, -1)} is 1-d. */
    public static NdArray ofDoubles(double[] data, int... shape) {
        return new NdArray("f8", resolve(shape, data.length), data);
    }

    /** A float32 array; no copy is made. Shape as in {@link #ofDoubles}. */
    public static NdArray ofFloats(float[] data, int... shape) {
        return new NdArray("f4", resolve(shape, data.length), data);
    }

    /** An int32 ({@code i4}) array; no copy is made. Shape as in {@link #ofDoubles}. */
    public static NdArray ofInts(int[] data, int... shape) {
        return new NdArray("i4", resolve(shape, data.length), data);
    }

    /** An int64 ({@code i8}) array; no copy is made. Shape as in {@link #ofDoubles}. */
    public static NdArray ofLongs(long[] data, int... shape) {
        return new NdArray("i8", resolve(shape, data.length), data);
    }

    /** A uint8 ({@code u1}) array, each byte read as 0..255; no copy is made. Shape as in {@link #ofDoubles}. */
    public static NdArray ofBytes(byte[] data, int... shape) {
        return new NdArray("u1", resolve(shape, data.length), data);
    }

    /** The shape (a copy: changing it does not change this array). */
    @Override
    public int[] shape() {
        return shape.clone();
    }

    /** The number of dimensions (0 for a scalar). */
    public int ndim() {
        return shape.length;
    }

    /** The number of elements: the product of the shape. */
    public int size() {
        return java.lang.reflect.Array.getLength(data);
    }

    /**
     * The same elements under another shape with the same number of elements; one entry may be -1 and
     * is then inferred, as in numpy. The data array is shared.
     */
    public NdArray reshape(int... newShape) {
        return new NdArray(dtype, resolve(newShape, size()), data);
    }

    /** Element {@code flatIndex} (C order) as a double; i8 values beyond 2^53 are rounded. */
    public double getDouble(int flatIndex) {
        return switch (data) {
            case byte[] b when dtype.equals("u1") -> b[flatIndex] & 0xFF;
            case byte[] b -> b[flatIndex];
            case int[] v -> v[flatIndex];
            case long[] v -> v[flatIndex];
            case float[] v -> v[flatIndex];
            case double[] v -> v[flatIndex];
            default -> throw new AssertionError(dtype);
        };
    }

    /** All elements as a new double array (C order); i8 values beyond 2^53 are rounded. */
    public double[] toDoubles() {
        int n = size();
        double[] out = new double[n];
        switch (data) {
            case byte[] b when dtype.equals("u1") -> { for (int i = 0; i < n; i++) out[i] = b[i] & 0xFF; }
            case byte[] b -> { for (int i = 0; i < n; i++) out[i] = b[i]; }
            case int[] v -> { for (int i = 0; i < n; i++) out[i] = v[i]; }
            case long[] v -> { for (int i = 0; i < n; i++) out[i] = v[i]; }
            case float[] v -> { for (int i = 0; i < n; i++) out[i] = v[i]; }
            case double[] v -> System.arraycopy(v, 0, out, 0, n);
            default -> throw new AssertionError(dtype);
        }
        return out;
    }

    /** All elements as a new float array (C order), rounded to the nearest float where needed. */
    public float[] toFloats() {
        int n = size();
        float[] out = new float[n];
        switch (data) {
            case byte[] b when dtype.equals("u1") -> { for (int i = 0; i < n; i++) out[i] = b[i] & 0xFF; }
            case byte[] b -> { for (int i = 0; i < n; i++) out[i] = b[i]; }
            case int[] v -> { for (int i = 0; i < n; i++) out[i] = v[i]; }
            case long[] v -> { for (int i = 0; i < n; i++) out[i] = v[i]; }
            case float[] v -> System.arraycopy(v, 0, out, 0, n);
            case double[] v -> { for (int i = 0; i < n; i++) out[i] = (float) v[i]; }
            default -> throw new AssertionError(dtype);
        }
        return out;
    }

    /**
     * All elements as a new int array (C order), for labels and indices.
     *
     * @throws ArithmeticException if an element is not a whole number in the int range (2.5, NaN,
     *                             3e9), naming the element and its value: nothing is rounded silently
     */
    public int[] toInts() {
        int n = size();
        int[] out = new int[n];
        switch (data) {
            case byte[] b when dtype.equals("u1") -> { for (int i = 0; i < n; i++) out[i] = b[i] & 0xFF; }
            case byte[] b -> { for (int i = 0; i < n; i++) out[i] = b[i]; }
            case int[] v -> System.arraycopy(v, 0, out, 0, n);
            case long[] v -> {
                for (int i = 0; i < n; i++) {
                    if (v[i] != (int) v[i]) throw notExact(i, Long.toString(v[i]), "int");
                    out[i] = (int) v[i];
                }
            }
            case float[] v -> { for (int i = 0; i < n; i++) out[i] = exactInt(i, v[i]); }
            case double[] v -> { for (int i = 0; i < n; i++) out[i] = exactInt(i, v[i]); }
            default -> throw new AssertionError(dtype);
        }
        return out;
    }

    /**
     * All elements as a new long array (C order).
     *
     * @throws ArithmeticException if a float element is not a whole number in the long range
     */
    public long[] toLongs() {
        int n = size();
        long[] out = new long[n];
        switch (data) {
            case byte[] b when dtype.equals("u1") -> { for (int i = 0; i < n; i++) out[i] = b[i] & 0xFF; }
            case byte[] b -> { for (int i = 0; i < n; i++) out[i] = b[i]; }
            case int[] v -> { for (int i = 0; i < n; i++) out[i] = v[i]; }
            case long[] v -> System.arraycopy(v, 0, out, 0, n);
            case float[] v -> { for (int i = 0; i < n; i++) out[i] = exactLong(i, v[i]); }
            case double[] v -> { for (int i = 0; i < n; i++) out[i] = exactLong(i, v[i]); }
            default -> throw new AssertionError(dtype);
        }
        return out;
    }

    /** Equal when dtype, shape and every element are equal (floats compared bit for bit, so NaN equals NaN). */
    @Override
    public boolean equals(Object other) {
        if (!(other instanceof NdArray that)) return false;
        if (!dtype.equals(that.dtype) || !Arrays.equals(shape, that.shape)) return false;
        return switch (data) {
            case byte[] v -> Arrays.equals(v, (byte[]) that.data);
            case int[] v -> Arrays.equals(v, (int[]) that.data);
            case long[] v -> Arrays.equals(v, (long[]) that.data);
            case float[] v -> Arrays.equals(v, (float[]) that.data);
            case double[] v -> Arrays.equals(v, (double[]) that.data);
            default -> throw new AssertionError(dtype);
        };
    }

    @Override
    public int hashCode() {
        int dataHash = switch (data) {
            case byte[] v -> Arrays.hashCode(v);
            case int[] v -> Arrays.hashCode(v);
            case long[] v -> Arrays.hashCode(v);
            case float[] v -> Arrays.hashCode(v);
            case double[] v -> Arrays.hashCode(v);
            default -> throw new AssertionError(dtype);
        };
        return 31 * (31 * dtype.hashCode() + Arrays.hashCode(shape)) + dataHash;
    }

    /** {@code NdArray[f8, shape=[2, 3], data=[0.0, 0.5, 1.0, ...]]}, with at most the first 8 elements. */
    @Override
    public String toString() {
        int n = size();
        StringBuilder text = new StringBuilder("NdArray[").append(dtype).append(", shape=")
                .append(Arrays.toString(shape)).append(", data=[");
        for (int i = 0; i < Math.min(n, 8); i++) {
            if (i > 0) text.append(", ");
            text.append(dtype.startsWith("f") ? Double.toString(getDouble(i)) : Long.toString((long) getDouble(i)));
        }
        return text.append(n > 8 ? ", ...]]" : "]]").toString();
    }

    /** The product of the shape, refusing negative sizes and arrays too large for Java. */
    static long sizeOf(int[] shape) {
        long size = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative size " + d + " in shape " + Arrays.toString(shape));
            size *= d;
            if (size > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape)
                        + " has more elements than a Java array can hold (" + Integer.MAX_VALUE + ")");
            }
        }
        return size;
    }

    /** The shape with its single -1 (if any) replaced by what makes the sizes match. */
    private static int[] resolve(int[] shape, int size) {
        int[] resolved = shape.clone();
        int unknown = -1;
        long known = 1;
        for (int i = 0; i < resolved.length; i++) {
            if (resolved[i] == -1 && unknown < 0) {
                unknown = i;
            } else {
                known *= Math.max(resolved[i], 0);
            }
        }
        if (unknown >= 0) {
            if (known == 0 || size % known != 0) {
                throw new IllegalArgumentException("cannot reshape " + size + " elements into " + Arrays.toString(shape));
            }
            resolved[unknown] = (int) (size / known);
        }
        if (sizeOf(resolved) != size) {
            throw new IllegalArgumentException("cannot reshape " + size + " elements into " + Arrays.toString(shape)
                    + " (" + sizeOf(resolved) + " elements)");
        }
        return resolved;
    }

    private int exactInt(int index, double value) {
        // Math.rint(NaN) is NaN, so NaN fails the equality as well as infinities fail the range.
        if (value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE && value == Math.rint(value)) return (int) value;
        throw notExact(index, Double.toString(value), "int");
    }

    private long exactLong(int index, double value) {
        // 0x1p63 itself is out of range, but (long) 0x1p63 would silently clamp to Long.MAX_VALUE.
        if (value >= -0x1p63 && value < 0x1p63 && value == Math.rint(value)) return (long) value;
        throw notExact(index, Double.toString(value), "long");
    }

    private ArithmeticException notExact(int index, String value, String target) {
        return new ArithmeticException("element " + index + " of a " + dtype + " array of shape "
                + Arrays.toString(shape) + " is " + value + ", which is not an exact " + target
                + ": round it explicitly, or use toDoubles()");
    }
}
