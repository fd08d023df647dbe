package nnlab.tensor.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
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
        if (v.species() != S || S.length() > 16) {
            for (int width = v.length() / 2; width >= 1; width /= 2) v = v.add(v.slice(width));
            return v.lane(0);
        }
        // The same additions as the loop above, by permutes (lane i ↔ i ^ w), which the JIT turns into one
        // instruction each where slice(w) took several: a fourth of the time, and the same bits.
        if (S.length() >= 16) v = v.add(v.rearrange(SWAP_8));
        if (S.length() >= 8) v = v.add(v.rearrange(SWAP_4));
        if (S.length() >= 4) v = v.add(v.rearrange(SWAP_2));
        if (S.length() >= 2) v = v.add(v.rearrange(SWAP_1));
        return v.lane(0);
    }

    private static final VectorShuffle<Float> SWAP_8 = swap(8), SWAP_4 = swap(4), SWAP_2 = swap(2), SWAP_1 = swap(1);

    /** Lane i ↔ lane i ^ w (the identity where the vector has no lane w). */
    private static VectorShuffle<Float> swap(int w) {
        return VectorShuffle.fromOp(S, i -> S.length() > w ? i ^ w : i);
    }

    private static final float LOG2E = 1.44269504f, LN2_HI = 0.693359375f, LN2_LO = -2.12194440e-4f;
    /** Below this e^x is under float's normal range (it is returned as 0, as flush-to-zero would); above the next, infinite. */
    private static final float EXP_LOW = -87.33654f, EXP_HIGH = 88.72283f;

    /**
     * e^x in each lane, to about 1 ulp, with the same bits whatever runs it. {@code lanewise(EXP)}
     * rounds differently interpreted and compiled, so the same seed gave different training runs
     * depending on when the JIT compiled the softmax. This one uses only operations that IEEE and
     * Java define exactly: x = n·ln 2 + r (Cody and Waite's split of ln 2), Cephes' degree-7
     * polynomial for e^r on |r| ≤ ln 2 / 2, and 2^n built from its exponent bits. Below e^-87.3 it
     * returns 0, above e^88.7 infinity; NaN stays NaN.
     */
    public static FloatVector exp(FloatVector x) {
        VectorSpecies<Float> species = x.species();
        FloatVector clamped = x.max(EXP_LOW).min(EXP_HIGH);
        FloatVector t = clamped.mul(LOG2E);
        FloatVector half = FloatVector.broadcast(species, 0.5f).blend(-0.5f, t.compare(VectorOperators.LT, 0f));
        IntVector n = (IntVector) t.add(half).convert(VectorOperators.F2I, 0);
        FloatVector nf = (FloatVector) n.convert(VectorOperators.I2F, 0);
        FloatVector r = clamped.sub(nf.mul(LN2_HI)).sub(nf.mul(LN2_LO));
        FloatVector p = r.mul(1.9875691500e-4f).add(1.3981999507e-3f).mul(r).add(8.3334519073e-3f).mul(r)
                .add(4.1665795894e-2f).mul(r).add(1.6666665459e-1f).mul(r).add(5.0000001201e-1f)
                .mul(r.mul(r)).add(r).add(1f);
        FloatVector twoToN = n.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return p.mul(twoToN)
                .blend(0f, x.compare(VectorOperators.LT, EXP_LOW))
                .blend(Float.POSITIVE_INFINITY, x.compare(VectorOperators.GT, EXP_HIGH));
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
