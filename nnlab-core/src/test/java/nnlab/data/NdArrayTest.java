package nnlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NdArrayTest {

    @Test
    void factoriesSetDtypeAndShapeAndShareTheData() {
        double[] data = {1, 2, 3, 4, 5, 6};
        NdArray a = NdArray.ofDoubles(data, 2, 3);
        assertEquals("f8", a.dtype());
        assertArrayEquals(new int[] {2, 3}, a.shape());
        assertEquals(6, a.size());
        assertEquals(2, a.ndim());
        assertSame(data, a.data());
        assertEquals("f4", NdArray.ofFloats(new float[2], 2).dtype());
        assertEquals("i4", NdArray.ofInts(new int[2], 2).dtype());
        assertEquals("i8", NdArray.ofLongs(new long[2], 2).dtype());
        assertEquals("u1", NdArray.ofBytes(new byte[2], 2).dtype());
        assertArrayEquals(new int[] {4}, NdArray.ofInts(new int[4], -1).shape());
        assertArrayEquals(new int[0], NdArray.ofDoubles(new double[] {7}).shape(), "no shape given means 0-d");
    }

    @Test
    void shapeCannotBeChangedFromOutside() {
        int[] shape = {2, 3};
        NdArray a = new NdArray("f8", shape, new double[6]);
        shape[0] = 6;
        a.shape()[1] = 1;
        assertArrayEquals(new int[] {2, 3}, a.shape());
    }

    @Test
    void reshapeInfersOneDimensionAndChecksTheSize() {
        NdArray a = NdArray.ofInts(new int[] {0, 1, 2, 3, 4, 5}, 6);
        NdArray b = a.reshape(3, -1);
        assertArrayEquals(new int[] {3, 2}, b.shape());
        assertSame(a.data(), b.data());
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5}, b.toInts());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.reshape(4, -1));
        assertTrue(e.getMessage().contains("6 elements"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> a.reshape(7));
        assertThrows(IllegalArgumentException.class, () -> a.reshape(-1, -1));
    }

    @Test
    void convertsUnsignedAndSignedBytes() {
        byte[] bytes = {(byte) 200, -1, 0, 127};
        NdArray unsigned = NdArray.ofBytes(bytes, 4);
        NdArray signed = new NdArray("i1", new int[] {4}, bytes);
        assertArrayEquals(new int[] {200, 255, 0, 127}, unsigned.toInts());
        assertArrayEquals(new int[] {-56, -1, 0, 127}, signed.toInts());
        assertArrayEquals(new double[] {200, 255, 0, 127}, unsigned.toDoubles());
        assertArrayEquals(new float[] {-56, -1, 0, 127}, signed.toFloats());
        assertArrayEquals(new long[] {200, 255, 0, 127}, unsigned.toLongs());
        assertEquals(255.0, unsigned.getDouble(1));
        assertEquals(-1.0, signed.getDouble(1));
    }

    @Test
    void convertsEveryDtype() {
        for (String dtype : Fixtures.DTYPES) {
            NdArray a = Fixtures.pattern(dtype, 2, 5);
            double[] doubles = a.toDoubles();
            for (int i = 0; i < 10; i++) assertEquals(doubles[i], a.getDouble(i), dtype + " element " + i);
            float[] floats = a.toFloats();
            for (int i = 0; i < 10; i++) assertEquals((float) doubles[i], floats[i], dtype + " element " + i);
            if (!dtype.startsWith("f")) {
                long[] longs = a.toLongs();
                for (int i = 0; i < 10; i++) assertEquals(doubles[i], (double) longs[i], dtype + " element " + i);
            }
        }
        assertEquals(-300_000_000_000L, Fixtures.pattern("i8", 1).toLongs()[0]);
    }

    @Test
    void toIntsAcceptsOnlyExactInts() {
        assertArrayEquals(new int[] {3, -2, 0, Integer.MAX_VALUE},
                NdArray.ofDoubles(new double[] {3.0, -2.0, -0.0, Integer.MAX_VALUE}, 4).toInts());
        ArithmeticException e = assertThrows(ArithmeticException.class,
                () -> NdArray.ofDoubles(new double[] {1, 2.5}, 2).toInts());
        assertTrue(e.getMessage().contains("element 1") && e.getMessage().contains("2.5"), e.getMessage());
        assertThrows(ArithmeticException.class, () -> NdArray.ofDoubles(new double[] {Double.NaN}, 1).toInts());
        assertThrows(ArithmeticException.class, () -> NdArray.ofFloats(new float[] {3e9f}, 1).toInts());
        assertThrows(ArithmeticException.class, () -> NdArray.ofLongs(new long[] {3_000_000_000L}, 1).toInts());
        assertThrows(ArithmeticException.class, () -> NdArray.ofDoubles(new double[] {0x1p63}, 1).toLongs());
        assertEquals(Long.MIN_VALUE, NdArray.ofDoubles(new double[] {-0x1p63}, 1).toLongs()[0]);
    }

    @Test
    void constructorRejectsInconsistentArrays() {
        assertThrows(IllegalArgumentException.class, () -> new NdArray("f8", new int[] {2}, new float[2]));
        assertThrows(IllegalArgumentException.class, () -> new NdArray("f8", new int[] {3}, new double[2]));
        assertThrows(IllegalArgumentException.class, () -> new NdArray("c16", new int[] {2}, new double[2]));
        assertThrows(IllegalArgumentException.class, () -> new NdArray("i2", new int[] {1}, new int[] {40_000}));
        assertThrows(IllegalArgumentException.class, () -> new NdArray("f8", new int[] {-1}, new double[0]));
        assertThrows(IllegalArgumentException.class, () -> new NdArray("u1", new int[] {65536, 65536}, new byte[0]));
    }

    @Test
    void equalityIsByContent() {
        NdArray a = NdArray.ofDoubles(new double[] {1, Double.NaN}, 2);
        assertEquals(a, NdArray.ofDoubles(new double[] {1, Double.NaN}, 2));
        assertEquals(a.hashCode(), NdArray.ofDoubles(new double[] {1, Double.NaN}, 2).hashCode());
        assertNotEquals(a, NdArray.ofDoubles(new double[] {1, Double.NaN}, 1, 2));
        assertNotEquals(NdArray.ofBytes(new byte[] {1}, 1), new NdArray("i1", new int[] {1}, new byte[] {1}));
        assertEquals("NdArray[i4, shape=[2], data=[7, -1]]", NdArray.ofInts(new int[] {7, -1}, 2).toString());
    }
}
