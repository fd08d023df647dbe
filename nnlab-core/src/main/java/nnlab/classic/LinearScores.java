package nnlab.classic;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.stream.IntStream;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The weights of a linear classifier and its scores {@code z = W x}, shared by {@link Perceptron}
 * and {@link LogisticRegression}.
 *
 * <p>W (classes × features) is stored feature-major with the classes padded to whole SIMD vectors:
 * {@code W[k][j]} at {@code w[j*stride + k]}, {@code stride ≥ classes} a multiple of the vector
 * length, the padding lanes always zero. One nonzero feature then touches one contiguous run of
 * {@code stride} weights, loaded and updated as one or two vectors (all classes at once), in the
 * score and in the updates alike. Each score is still summed over the nonzero features in
 * increasing order, one product at a time, and each update rounds elementwise as the scalar
 * formula does: vectorising across classes changes no result, only the speed.
 *
 * <p>W lives off the Java heap, aligned to the vector size, so that no vector load or store
 * straddles two cache lines (a Java array's elements start 16 bytes into the object, which made
 * every 64-byte access a split one and cost about a third of the time).
 */
final class LinearScores {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final ValueLayout.OfDouble DOUBLE = ValueLayout.JAVA_DOUBLE;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    /** Rows per task when predicting many examples in parallel. */
    private static final int ROWS_PER_TASK = 2048;

    final int features;
    final int classes;
    /** Weights per feature in {@link #w}: classes rounded up to a multiple of the vector length. */
    final int stride;
    /** W, {@code features × stride} doubles, aligned to {@link #S}'s byte size. */
    private final MemorySegment w;
    private final int rowBytes;
    private final double[] z;
    private final double[] delta;
    private final int[] denseIndex;
    private final double[] denseValue;

    LinearScores(int features, int classes) {
        this.features = features;
        this.classes = classes;
        this.stride = Math.ceilDiv(classes, L) * L;
        this.rowBytes = stride * Double.BYTES;
        this.w = Arena.ofAuto().allocate((long) features * rowBytes, S.vectorByteSize());
        this.z = new double[stride];
        this.delta = new double[stride];
        this.denseIndex = new int[features];
        this.denseValue = new double[features];
    }

    /** z = W x for the nonzeros {@code index[from..to), value[from..to)}; returns the scratch z (length ≥ classes). */
    double[] sparse(int[] index, double[] value, int from, int to) {
        scores(index, value, from, to, z);
        return z;
    }

    /** z = W x for the example at {@code x[offset .. offset+features)}; returns the scratch z. */
    double[] dense(double[] x, int offset) {
        int nonzeros = nonzeros(x, offset, features, denseIndex, denseValue);
        return sparse(denseIndex, denseValue, 0, nonzeros);
    }

    /** argmax W x for every row, computed in parallel (predictions do not depend on the split). */
    int[] predict(SparseRows rows, int n) {
        int[] predicted = new int[n];
        int tasks = (n + ROWS_PER_TASK - 1) / ROWS_PER_TASK;
        IntStream.range(0, tasks).parallel().forEach(task -> {
            double[] scores = new double[stride];
            for (int i = task * ROWS_PER_TASK, end = Math.min(n, i + ROWS_PER_TASK); i < end; i++) {
                scores(rows.index, rows.value, rows.start[i], rows.start[i + 1], scores);
                predicted[i] = argmax(scores, classes);
            }
        });
        return predicted;
    }

    /** The index of the largest score, the first one on ties (np.argmax). */
    static int argmax(double[] z) {
        return argmax(z, z.length);
    }

    /** The index of the largest of {@code z[0..count)}, the first one on ties (np.argmax). */
    static int argmax(double[] z, int count) {
        int best = 0;
        for (int k = 1; k < count; k++) {
            if (z[k] > z[best]) best = k;
        }
        return best;
    }

    /** Copies the nonzeros of {@code x[offset .. offset+count)} to index/value; returns how many. */
    static int nonzeros(double[] x, int offset, int count, int[] index, double[] value) {
        int nonzeros = 0;
        for (int j = 0; j < count; j++) {
            double v = x[offset + j];
            // Written unconditionally and kept only when nonzero: no branch to mispredict.
            index[nonzeros] = j;
            value[nonzeros] = v;
            nonzeros += v != 0 ? 1 : 0;
        }
        return nonzeros;
    }

    /** z[k] = Σ_t W[k][index[t]] · value[t], t from {@code from} to {@code to} in order, for all k at once. */
    private void scores(int[] index, double[] value, int from, int to, double[] z) {
        if (stride == 2 * L) {
            twoVectorScores(index, value, from, to, z);
            return;
        }
        for (int k = 0; k < stride; k += L) {
            long lane = (long) k * Double.BYTES;
            DoubleVector sum = DoubleVector.zero(S);
            for (int t = from; t < to; t++) {
                sum = sum.add(load((long) index[t] * rowBytes + lane).mul(value[t]));
            }
            sum.intoArray(z, k);
        }
    }

    /** {@link #scores} for two vectors per feature (ten classes with AVX-512), both in one pass. */
    private void twoVectorScores(int[] index, double[] value, int from, int to, double[] z) {
        DoubleVector low = DoubleVector.zero(S);
        DoubleVector high = low;
        long half = (long) L * Double.BYTES;
        for (int t = from; t < to; t++) {
            long at = (long) index[t] * rowBytes;
            double v = value[t];
            low = low.add(load(at).mul(v));
            high = high.add(load(at + half).mul(v));
        }
        low.intoArray(z, 0);
        high.intoArray(z, L);
    }

    private DoubleVector load(long byteOffset) {
        return DoubleVector.fromMemorySegment(S, w, byteOffset, ORDER);
    }

    private void store(DoubleVector v, long byteOffset) {
        v.intoMemorySegment(w, byteOffset, ORDER);
    }

    /** W[up] += x and W[down] −= x for the nonzeros of x: the perceptron's update on a mistake. */
    void move(int up, int down, int[] index, double[] value, int from, int to) {
        // One pass over x with a ±1 mask: w ± v for the two classes, w + 0·v = w elsewhere.
        Arrays.fill(delta, 0);
        delta[up] = 1;
        delta[down] = -1;
        for (int k = 0; k < stride; k += L) {
            long lane = (long) k * Double.BYTES;
            DoubleVector d = DoubleVector.fromArray(S, delta, k);
            for (int t = from; t < to; t++) {
                long at = (long) index[t] * rowBytes + lane;
                store(load(at).add(d.mul(value[t])), at);
            }
        }
    }

    /**
     * W[k] −= η·(g[k]·x) for every class k and the nonzeros of x, rounded as that formula reads
     * (the product g·x first, then η, then the subtraction): logistic regression's step.
     * {@code g} has {@link #stride} entries, zero beyond the classes.
     */
    void descend(double[] g, double eta, int[] index, double[] value, int from, int to) {
        for (int k = 0; k < stride; k += L) {
            long lane = (long) k * Double.BYTES;
            DoubleVector gk = DoubleVector.fromArray(S, g, k);
            for (int t = from; t < to; t++) {
                long at = (long) index[t] * rowBytes + lane;
                store(load(at).sub(gk.mul(value[t]).mul(eta)), at);
            }
        }
    }

    /**
     * W[k] −= η·(g[k]·x + λ·W[k]) for every class k and every feature of the dense example
     * {@code x[offset .. offset+features)}: the step with an L2 penalty, which moves every weight.
     */
    void descend(double[] g, double eta, double lambda, double[] x, int offset) {
        for (int j = 0; j < features; j++) {
            double v = x[offset + j];
            for (int k = 0; k < stride; k += L) {
                long at = (long) j * rowBytes + (long) k * Double.BYTES;
                DoubleVector wk = load(at);
                store(wk.sub(DoubleVector.fromArray(S, g, k).mul(v).add(wk.mul(lambda)).mul(eta)), at);
            }
        }
    }

    private double get(int feature, int k) {
        return w.getAtIndex(DOUBLE, (long) feature * stride + k);
    }

    /** W as numpy holds it: classes × features, row-major (a copy). */
    double[] weights() {
        double[] out = new double[features * classes];
        for (int j = 0; j < features; j++) {
            for (int k = 0; k < classes; k++) {
                out[k * features + j] = get(j, k);
            }
        }
        return out;
    }

    /** ‖W‖_F = sqrt(Σ W[k][j]²), {@code np.linalg.norm(W)} (the padding lanes are zero). */
    double frobeniusNorm() {
        double sum = 0;
        for (int j = 0; j < features; j++) {
            for (int k = 0; k < classes; k++) {
                double v = get(j, k);
                sum += v * v;
            }
        }
        return Math.sqrt(sum);
    }
}
