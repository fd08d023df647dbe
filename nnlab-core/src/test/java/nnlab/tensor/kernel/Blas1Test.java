package nnlab.tensor.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    /**
     * The deterministic vector exp against Math.exp: within 2 ulp of the correctly rounded float over
     * the whole range a softmax feeds it, exactly 1 at 0, 0 below float's normal range, infinity
     * above it, NaN for NaN.
     */
    @Test
    void expIsWithinTwoUlpOfMathExpAndHandlesTheEnds() {
        jdk.incubator.vector.VectorSpecies<Float> s = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED;
        java.util.Random random = new java.util.Random(3);
        float[] x = new float[s.length()], y = new float[s.length()];
        double worst = 0;
        for (int round = 0; round < 20_000; round++) {
            for (int i = 0; i < x.length; i++) {
                x[i] = round < 10_000 ? (float) (random.nextDouble() * 175 - 87.3) : (float) (random.nextDouble() * 2 - 1);
            }
            Blas1.exp(jdk.incubator.vector.FloatVector.fromArray(s, x, 0)).intoArray(y, 0);
            for (int i = 0; i < x.length; i++) {
                float exact = (float) Math.exp(x[i]);
                double ulps = Math.abs(y[i] - exact) / Math.ulp(exact);
                worst = Math.max(worst, ulps);
                assertTrue(ulps <= 2, "exp(" + x[i] + ") = " + y[i] + ", Math.exp gives " + exact + " (" + ulps + " ulp)");
            }
        }
        float[] ends = new float[s.length()];
        java.util.Arrays.fill(ends, 0f);
        ends[0] = -1000f;
        ends[1] = 1000f;
        ends[2] = Float.NaN;
        ends[3] = Float.NEGATIVE_INFINITY;
        Blas1.exp(jdk.incubator.vector.FloatVector.fromArray(s, ends, 0)).intoArray(y, 0);
        assertEquals(0f, y[0]);
        assertEquals(Float.POSITIVE_INFINITY, y[1]);
        assertTrue(Float.isNaN(y[2]), "NaN in, " + y[2] + " out");
        assertEquals(0f, y[3]);
        for (int i = 4; i < y.length; i++) assertEquals(1f, y[i], "exp(0)");
        assertTrue(worst > 0, "compared nothing");
    }
}
