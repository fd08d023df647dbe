package nnlab.tensor.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector-vector kernels on float arrays with the JDK Vector API: the inner loops of the batch-1
 * training step, where one example meets one weight row at a time.
 */
public final class Blas1 {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private Blas1() {}

    /** Σ a[aOff + i]·b[bOff + i] for i &lt; n (two accumulators, then the tail). */
    public static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        FloatVector acc0 = FloatVector.zero(S), acc1 = FloatVector.zero(S);
        int step = S.length(), i = 0;
        for (; i <= n - 2 * step; i += 2 * step) {
            acc0 = FloatVector.fromArray(S, a, aOff + i).fma(FloatVector.fromArray(S, b, bOff + i), acc0);
            acc1 = FloatVector.fromArray(S, a, aOff + i + step).fma(FloatVector.fromArray(S, b, bOff + i + step), acc1);
        }
        for (; i <= n - step; i += step) {
            acc0 = FloatVector.fromArray(S, a, aOff + i).fma(FloatVector.fromArray(S, b, bOff + i), acc0);
        }
        float sum = sumLanes(acc0.add(acc1));
        for (; i < n; i++) sum += a[aOff + i] * b[bOff + i];
        return sum;
    }

    /**
     * The sum of v's lanes in one fixed order: halves added pairwise (lane i with lane i + w, for
     * w = length/2, length/4, …, 1). {@code reduceLanes(ADD)} leaves the order of a floating-point
     * sum unspecified, and the JDK's interpreted and compiled versions do differ in the last bit, so
     * the same run gave different results depending on when the JIT compiled a loop. This one
     * gives the same bits whatever runs it.
     */
    public static float sumLanes(FloatVector v) {
        for (int width = v.length() / 2; width >= 1; width /= 2) {
            v = v.add(v.slice(width));
        }
        return v.lane(0);
    }

    /** y[yOff + i] = beta·y[yOff + i] + alpha·x[xOff + i] for i &lt; n (y is modified). */
    public static void scaleAdd(float beta, float[] y, int yOff, float alpha, float[] x, int xOff, int n) {
        int step = S.length(), i = 0;
        if (beta == 1f) {
            FloatVector va = FloatVector.broadcast(S, alpha);
            for (; i <= n - step; i += step) {
                FloatVector.fromArray(S, x, xOff + i).fma(va, FloatVector.fromArray(S, y, yOff + i)).intoArray(y, yOff + i);
            }
            for (; i < n; i++) y[yOff + i] += alpha * x[xOff + i];
            return;
        }
        FloatVector va = FloatVector.broadcast(S, alpha), vb = FloatVector.broadcast(S, beta);
        for (; i <= n - step; i += step) {
            FloatVector.fromArray(S, x, xOff + i).mul(va).add(FloatVector.fromArray(S, y, yOff + i).mul(vb)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) y[yOff + i] = beta * y[yOff + i] + alpha * x[xOff + i];
    }
}
