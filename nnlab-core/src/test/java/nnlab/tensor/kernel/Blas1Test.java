package nnlab.tensor.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;

class Blas1Test {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    /**
     * sumLanes adds in one specified order (pairwise halves), so its bits do not depend on whether
     * the JIT compiled the caller; reduceLanes(ADD) leaves the order open and does differ.
     */
    @Test
    void sumLanesAddsPairwiseHalvesInAFixedOrder() {
        Random random = new Random(11);
        for (int trial = 0; trial < 1000; trial++) {
            float[] lanes = new float[S.length()];
            for (int i = 0; i < lanes.length; i++) lanes[i] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(8)));
            float[] expected = lanes.clone();
            for (int width = expected.length / 2; width >= 1; width /= 2) {
                for (int i = 0; i < width; i++) expected[i] += expected[i + width];
            }
            float got = Blas1.sumLanes(FloatVector.fromArray(S, lanes, 0));
            assertEquals(Float.floatToIntBits(expected[0]), Float.floatToIntBits(got), "trial " + trial);
        }
    }

    @Test
    void dotMatchesFloat64WithinFloatRounding() {
        Random random = new Random(12);
        for (int n : new int[] {0, 1, 7, 15, 16, 17, 33, 784, 785}) {
            float[] a = new float[n + 3], b = new float[n + 5];
            for (int i = 0; i < a.length; i++) a[i] = (float) random.nextGaussian();
            for (int i = 0; i < b.length; i++) b[i] = (float) random.nextGaussian();
            double exact = 0, magnitude = 0;
            for (int i = 0; i < n; i++) {
                exact += (double) a[3 + i] * b[5 + i];
                magnitude += Math.abs((double) a[3 + i] * b[5 + i]);
            }
            assertEquals(exact, Blas1.dot(a, 3, b, 5, n), 1e-6 * (magnitude + 1), "n = " + n);
        }
    }
}
