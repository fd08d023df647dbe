package nnlab.classic;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * The weights of a linear classifier and its scores {@code z = W x}, shared by {@link Perceptron}
 * and {@link LogisticRegression}.
 *
 * <p>W (classes × features) is stored feature-major: {@code W[k][j]} at {@code w[j*classes + k]},
 * so one nonzero feature touches one contiguous run of {@code classes} weights, in the score and
 * in the update alike. Each score is summed over the nonzero features in increasing order.
 * Ten classes (the MNIST family) get a kernel with the class loop unrolled into registers,
 * about 1.5× faster than the general loop, which the JIT cannot unroll for an unknown count.
 */
final class LinearScores {
    /** Rows per task when predicting many examples in parallel. */
    private static final int ROWS_PER_TASK = 2048;

    final int features;
    final int classes;
    final double[] w;
    private final double[] z;
    private final int[] denseIndex;
    private final double[] denseValue;

    LinearScores(int features, int classes) {
        this.features = features;
        this.classes = classes;
        this.w = new double[Math.multiplyExact(features, classes)];
        this.z = new double[classes];
        this.denseIndex = new int[features];
        this.denseValue = new double[features];
    }

    /** z = W x for the nonzeros {@code index[from..to), value[from..to)}; returns the scratch z. */
    double[] sparse(int[] index, double[] value, int from, int to) {
        scores(w, classes, index, value, from, to, z);
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
            double[] scores = new double[classes];
            for (int i = task * ROWS_PER_TASK, end = Math.min(n, i + ROWS_PER_TASK); i < end; i++) {
                scores(w, classes, rows.index, rows.value, rows.start[i], rows.start[i + 1], scores);
                predicted[i] = argmax(scores);
            }
        });
        return predicted;
    }

    /** The index of the largest score, the first one on ties (np.argmax). */
    static int argmax(double[] z) {
        int best = 0;
        for (int k = 1; k < z.length; k++) {
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

    /** z[k] = Σ_t w[index[t]·classes + k] · value[t], t from {@code from} to {@code to} in order. */
    static void scores(double[] w, int classes, int[] index, double[] value, int from, int to, double[] z) {
        if (classes == 10) {
            tenScores(w, index, value, from, to, z);
            return;
        }
        Arrays.fill(z, 0);
        for (int t = from; t < to; t++) {
            double v = value[t];
            int base = index[t] * classes;
            for (int k = 0; k < classes; k++) {
                z[k] += w[base + k] * v;
            }
        }
    }

    private static void tenScores(double[] w, int[] index, double[] value, int from, int to, double[] z) {
        double z0 = 0, z1 = 0, z2 = 0, z3 = 0, z4 = 0, z5 = 0, z6 = 0, z7 = 0, z8 = 0, z9 = 0;
        for (int t = from; t < to; t++) {
            int base = index[t] * 10;
            double v = value[t];
            z9 += w[base + 9] * v;  // first, so one bounds check covers the nine below
            z0 += w[base] * v;
            z1 += w[base + 1] * v;
            z2 += w[base + 2] * v;
            z3 += w[base + 3] * v;
            z4 += w[base + 4] * v;
            z5 += w[base + 5] * v;
            z6 += w[base + 6] * v;
            z7 += w[base + 7] * v;
            z8 += w[base + 8] * v;
        }
        z[0] = z0;
        z[1] = z1;
        z[2] = z2;
        z[3] = z3;
        z[4] = z4;
        z[5] = z5;
        z[6] = z6;
        z[7] = z7;
        z[8] = z8;
        z[9] = z9;
    }

    /** W[k] += x for the nonzeros of x. */
    void addToClass(int k, int[] index, double[] value, int from, int to) {
        for (int t = from; t < to; t++) {
            w[index[t] * classes + k] += value[t];
        }
    }

    /** W[k] −= x for the nonzeros of x. */
    void subtractFromClass(int k, int[] index, double[] value, int from, int to) {
        for (int t = from; t < to; t++) {
            w[index[t] * classes + k] -= value[t];
        }
    }

    /** W as numpy holds it: classes × features, row-major (a copy). */
    double[] weights() {
        double[] out = new double[w.length];
        for (int j = 0; j < features; j++) {
            for (int k = 0; k < classes; k++) {
                out[k * features + j] = w[j * classes + k];
            }
        }
        return out;
    }

    /** ‖W‖_F = sqrt(Σ W[k][j]²), {@code np.linalg.norm(W)}. */
    double frobeniusNorm() {
        double sum = 0;
        for (double v : w) sum += v * v;
        return Math.sqrt(sum);
    }
}
