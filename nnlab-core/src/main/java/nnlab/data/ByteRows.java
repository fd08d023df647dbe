package nnlab.data;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Unsigned bytes times a scale into float64, with SIMD vectors: {@link Examples#row} for examples
 * held as bytes. Its own class so that {@link Examples} loads without the Vector API module.
 */
final class ByteRows {
    /** Twice as many bytes and ints as doubles (16, 16, 8 with AVX-512); null where no such shape exists. */
    private static final VectorSpecies<Double> DOUBLES = DoubleVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> INTS = species(int.class, 2 * DOUBLES.length() * Integer.SIZE);
    private static final VectorSpecies<Byte> BYTES = species(byte.class, 2 * DOUBLES.length() * Byte.SIZE);

    private ByteRows() {}

    /** {@code out[offset + j] = (bytes[from + j] & 0xFF) * scale} for j in [0, count). */
    static void widen(byte[] bytes, int from, int count, double scale, double[] out, int offset) {
        int j = 0;
        if (BYTES != null && INTS != null) {
            // Two vectors of doubles at a time: the bytes widened to ints, masked to unsigned, converted.
            for (int end = BYTES.loopBound(count); j < end; j += BYTES.length()) {
                IntVector v = ((IntVector) ByteVector.fromArray(BYTES, bytes, from + j)
                        .convertShape(VectorOperators.B2I, INTS, 0)).and(0xFF);
                ((DoubleVector) v.convertShape(VectorOperators.I2D, DOUBLES, 0)).mul(scale).intoArray(out, offset + j);
                ((DoubleVector) v.convertShape(VectorOperators.I2D, DOUBLES, 1)).mul(scale)
                        .intoArray(out, offset + j + DOUBLES.length());
            }
        }
        for (; j < count; j++) out[offset + j] = (bytes[from + j] & 0xFF) * scale;
    }

    private static <E> VectorSpecies<E> species(Class<E> type, int bits) {
        try {
            return VectorSpecies.of(type, VectorShape.forBitSize(bits));
        } catch (IllegalArgumentException noSuchShape) {
            return null;
        }
    }
}
