package nnlab.classic;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.stream.IntStream;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import nnlab.data.Examples;

/**
 * The weights of a linear classifier and its scores {@code z = W x}, shared by {@link Perceptron}
 * and {@link LogisticRegression}.
 *
 * <p>W (classes × features) is stored class-major as numpy holds it, each class's row padded with
 * zeros to a whole number of SIMD vectors ({@link #width} values), off the Java heap and aligned to
 * the vector size. An example is first copied into a {@link Row}: its features as float64, padded
 * the same way. Every score, update and prediction then works a whole vector of features of one
 * class at a time.
 *
 * <p>The order of each score's sum, which the tests reproduce with scalar code: lane r of the
 * vector keeps a partial sum of the features {@code c + r}, c = 0, L, 2L, … in increasing order,
 * each added by a fused multiply-add ({@link Math#fma}); then {@code z = s₀ + s₁ + … + s_{L−1}} in
 * lane order. That is not numpy's order (nor is numpy's own order fixed: it is its BLAS's), so
 * logistic regression agrees with numpy to rounding. The perceptron agrees exactly: with pixels
 * k/256 every product and partial sum is a small multiple of 2<sup>−16</sup>, held exactly in any
 * order ({@link #isExact}). Updates round elementwise as their scalar formulas read.
 *
 * <p>Why this layout: per-example SGD is bound by moving W between the first- and second-level
 * caches (W is 63 KB for Fashion-MNIST, the first-level cache 48 KB). Earlier versions kept W
 * feature-major and visited only the nonzero features, one vector of all classes per feature; that
 * needed a sparse copy of the data (12 bytes per nonzero, 240 MB for Fashion-MNIST's training set,
 * streamed from memory every epoch) and made each score one long chain of dependent additions.
 * Here an example is read as its 785 bytes, the ten classes' partial sums are ten independent
 * chains, logistic regression's step and the next example's score share one pass over W
 * ({@link #descendAndScore}), and the perceptron scores two examples per pass ({@link #pairScores}).
 * Skipping the vectors of features that are all zero (about 28% of an image's) was tried: finding
 * them cost more than it saved. On the 2-core test machine (thread CPU time per epoch): perceptron
 * 0.14–0.16 s before, 0.06–0.08 s after; logistic regression 0.20–0.25 s before, 0.14–0.19 s after.
 */
final class LinearScores {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final long VECTOR_BYTES = S.vectorByteSize();
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    /**
     * How many examples ahead of the current one the training loops {@link Examples#touch} (ask the
     * memory for), since they visit rows in a random order.
     */
    static final int AHEAD = 2;
    /** Rows per task when predicting many examples in parallel. */
    private static final int ROWS_PER_TASK = 2048;

    final int features;
    final int classes;
    /** Features padded to a whole number of vectors: the length of each class's row of W and of a {@link Row}. */
    final int width;
    private final long rowBytes;
    private final MemorySegment w;

    LinearScores(int features, int classes) {
        this.features = features;
        this.classes = classes;
        this.width = Math.ceilDiv(features, L) * L;
        this.rowBytes = (long) width * Double.BYTES;
        this.w = Arena.ofAuto().allocate(Math.max(1, classes * rowBytes), VECTOR_BYTES);
    }

    /** One example as the kernels read it: its features as float64 in {@code x[0..features)}, zeros up to {@link #width}. */
    final class Row {
        final double[] x = new double[width];
        /** Scratch for summing a vector's lanes in order. */
        private final double[] lanes = new double[L];

        /** Loads example {@code i} of {@code examples}. */
        Row of(Examples examples, int i) {
            examples.row(i, x, 0);
            return this;
        }

        /** Loads the example {@code values[offset .. offset+features)}. */
        Row of(double[] values, int offset) {
            System.arraycopy(values, offset, x, 0, features);
            return this;
        }

        /** s₀ + s₁ + … in lane order. */
        private double sum(DoubleVector partial) {
            partial.intoArray(lanes, 0);
            double sum = lanes[0];
            for (int r = 1; r < L; r++) sum += lanes[r];
            return sum;
        }
    }

    Row newRow() {
        return new Row();
    }

    /** z = W x for the example in {@code row}, into {@code z[0..classes)}; returns z. */
    double[] scores(Row row, double[] z) {
        if (classes == 10) {
            tenScores(row, z);
            return z;
        }
        double[] x = row.x;
        for (int k = 0; k < classes; k++) {
            long base = k * rowBytes;
            DoubleVector sum = DoubleVector.zero(S);
            for (int c = 0; c < width; c += L) {
                sum = load(base + c * (long) Double.BYTES).fma(DoubleVector.fromArray(S, x, c), sum);
            }
            z[k] = row.sum(sum);
        }
        return z;
    }

    /** {@link #scores} for ten classes (the course's datasets): ten independent sums in one pass. */
    private void tenScores(Row row, double[] z) {
        double[] x = row.x;
        long r = rowBytes;
        DoubleVector s0 = DoubleVector.zero(S), s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0, s6 = s0, s7 = s0, s8 = s0, s9 = s0;
        for (int c = 0; c < width; c += L) {
            DoubleVector v = DoubleVector.fromArray(S, x, c);
            long at = c * (long) Double.BYTES;
            s0 = load(at).fma(v, s0);
            s1 = load(at + r).fma(v, s1);
            s2 = load(at + 2 * r).fma(v, s2);
            s3 = load(at + 3 * r).fma(v, s3);
            s4 = load(at + 4 * r).fma(v, s4);
            s5 = load(at + 5 * r).fma(v, s5);
            s6 = load(at + 6 * r).fma(v, s6);
            s7 = load(at + 7 * r).fma(v, s7);
            s8 = load(at + 8 * r).fma(v, s8);
            s9 = load(at + 9 * r).fma(v, s9);
        }
        z[0] = row.sum(s0);
        z[1] = row.sum(s1);
        z[2] = row.sum(s2);
        z[3] = row.sum(s3);
        z[4] = row.sum(s4);
        z[5] = row.sum(s5);
        z[6] = row.sum(s6);
        z[7] = row.sum(s7);
        z[8] = row.sum(s8);
        z[9] = row.sum(s9);
    }

    private DoubleVector load(long byteOffset) {
        return DoubleVector.fromMemorySegment(S, w, byteOffset, ORDER);
    }

    private void store(DoubleVector v, long byteOffset) {
        v.intoMemorySegment(w, byteOffset, ORDER);
    }

    /** argmax W x for every example, computed in parallel (predictions do not depend on the split). */
    int[] predict(Examples examples) {
        int n = examples.n();
        int[] predicted = new int[n];
        int tasks = (n + ROWS_PER_TASK - 1) / ROWS_PER_TASK;
        IntStream.range(0, tasks).parallel().forEach(task -> {
            Row row = new Row();
            double[] z = new double[classes];
            for (int i = task * ROWS_PER_TASK, end = Math.min(n, i + ROWS_PER_TASK); i < end; i++) {
                predicted[i] = argmax(scores(row.of(examples, i), z), classes);
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

    /** W[up] += x and W[down] −= x: the perceptron's update on a mistake. */
    void move(int up, int down, Row row) {
        double[] x = row.x;
        long upBase = up * rowBytes, downBase = down * rowBytes;
        for (int c = 0; c < width; c += L) {
            DoubleVector v = DoubleVector.fromArray(S, x, c);
            long at = upBase + c * (long) Double.BYTES;
            store(load(at).add(v), at);
            at = downBase + c * (long) Double.BYTES;
            store(load(at).sub(v), at);
        }
    }

    /**
     * W[k] −= (η·g[k])·x for every class k, rounded as that formula reads (η·g[k] first, then
     * the product with each x, then the subtraction): logistic regression's step, as the NumPy
     * reference script writes it ({@code W -= np.outer(lr * grad_z, x)}); one multiplication per
     * weight, where η·(g[k]·x) needs two. {@code g} has {@link #classes} entries.
     */
    void descend(double[] g, double eta, Row row) {
        double[] x = row.x;
        for (int k = 0; k < classes; k++) {
            double step = eta * g[k];
            long base = k * rowBytes;
            for (int c = 0; c < width; c += L) {
                long at = base + c * (long) Double.BYTES;
                store(load(at).sub(DoubleVector.fromArray(S, x, c).mul(step)), at);
            }
        }
    }

    /**
     * {@link #descend(double[], double, Row) descend(g, η, done)} and then {@link #scores
     * scores(next, z)}, in one pass over W, with the same results bit for bit: per-example SGD reads
     * each weight for the next example's score right after updating it, so W crosses the caches
     * once per example instead of twice. Returns z.
     */
    double[] descendAndScore(double[] g, double eta, Row done, Row next, double[] z) {
        if (classes != 10) {
            descend(g, eta, done);
            return scores(next, z);
        }
        descendAndScoreFive(0, g, eta, done.x, next, z);
        descendAndScoreFive(5, g, eta, done.x, next, z);
        return z;
    }

    /**
     * {@link #descendAndScore} for the classes {@code k0 .. k0+4}. Five classes at a time, written
     * out class by class: with all ten in one loop C2 ran out of inlining budget in the Vector API's
     * calls, boxed the vectors, and the step ran about four times slower.
     */
    private void descendAndScoreFive(int k0, double[] g, double eta, double[] x, Row next, double[] z) {
        double[] y = next.x;
        long r = rowBytes;
        long base = k0 * r;
        double g0 = eta * g[k0], g1 = eta * g[k0 + 1], g2 = eta * g[k0 + 2], g3 = eta * g[k0 + 3], g4 = eta * g[k0 + 4];
        DoubleVector s0 = DoubleVector.zero(S), s1 = s0, s2 = s0, s3 = s0, s4 = s0;
        for (int c = 0; c < width; c += L) {
            DoubleVector u = DoubleVector.fromArray(S, x, c);
            DoubleVector v = DoubleVector.fromArray(S, y, c);
            long at = base + c * (long) Double.BYTES;
            DoubleVector wk;
            wk = load(at).sub(u.mul(g0));
            store(wk, at);
            s0 = wk.fma(v, s0);
            wk = load(at += r).sub(u.mul(g1));
            store(wk, at);
            s1 = wk.fma(v, s1);
            wk = load(at += r).sub(u.mul(g2));
            store(wk, at);
            s2 = wk.fma(v, s2);
            wk = load(at += r).sub(u.mul(g3));
            store(wk, at);
            s3 = wk.fma(v, s3);
            wk = load(at += r).sub(u.mul(g4));
            store(wk, at);
            s4 = wk.fma(v, s4);
        }
        z[k0] = next.sum(s0);
        z[k0 + 1] = next.sum(s1);
        z[k0 + 2] = next.sum(s2);
        z[k0 + 3] = next.sum(s3);
        z[k0 + 4] = next.sum(s4);
    }

    /**
     * The scores of two examples under the same W, {@code za = W a} and {@code zb = W b}: for ten
     * classes in one pass over W. Each score is summed in {@link #scores}' order, so the bits are
     * the same as two calls of it.
     */
    void pairScores(Row a, Row b, double[] za, double[] zb) {
        if (classes != 10) {
            scores(a, za);
            scores(b, zb);
            return;
        }
        pairScoresFive(0, a, b, za, zb);
        pairScoresFive(5, a, b, za, zb);
    }

    /** {@link #pairScores} for the classes {@code k0 .. k0+4} (five at a time, as {@link #descendAndScoreFive}). */
    private void pairScoresFive(int k0, Row a, Row b, double[] za, double[] zb) {
        double[] x = a.x, y = b.x;
        long r = rowBytes;
        long base = k0 * r;
        DoubleVector a0 = DoubleVector.zero(S), a1 = a0, a2 = a0, a3 = a0, a4 = a0;
        DoubleVector b0 = a0, b1 = a0, b2 = a0, b3 = a0, b4 = a0;
        for (int c = 0; c < width; c += L) {
            DoubleVector u = DoubleVector.fromArray(S, x, c);
            DoubleVector v = DoubleVector.fromArray(S, y, c);
            long at = base + c * (long) Double.BYTES;
            DoubleVector wk;
            wk = load(at);
            a0 = wk.fma(u, a0);
            b0 = wk.fma(v, b0);
            wk = load(at += r);
            a1 = wk.fma(u, a1);
            b1 = wk.fma(v, b1);
            wk = load(at += r);
            a2 = wk.fma(u, a2);
            b2 = wk.fma(v, b2);
            wk = load(at += r);
            a3 = wk.fma(u, a3);
            b3 = wk.fma(v, b3);
            wk = load(at += r);
            a4 = wk.fma(u, a4);
            b4 = wk.fma(v, b4);
        }
        za[k0] = a.sum(a0);
        za[k0 + 1] = a.sum(a1);
        za[k0 + 2] = a.sum(a2);
        za[k0 + 3] = a.sum(a3);
        za[k0 + 4] = a.sum(a4);
        zb[k0] = b.sum(b0);
        zb[k0 + 1] = b.sum(b1);
        zb[k0 + 2] = b.sum(b2);
        zb[k0 + 3] = b.sum(b3);
        zb[k0 + 4] = b.sum(b4);
    }

    /** a·b, summed in {@link #scores}' order. */
    double dot(Row a, Row b) {
        double[] x = a.x, y = b.x;
        DoubleVector sum = DoubleVector.zero(S);
        for (int c = 0; c < width; c += L) {
            sum = DoubleVector.fromArray(S, x, c).fma(DoubleVector.fromArray(S, y, c), sum);
        }
        return a.sum(sum);
    }

    /**
     * Whether every feature of every example is a multiple of 1/256 in [−1, 1] (pixels k/256, a
     * bias of 1): then a perceptron's weights are multiples of 1/256 no larger than the number of
     * updates, its scores multiples of 2<sup>−16</sup> far below 2<sup>37</sup>, and float64 holds
     * every sum exactly whatever the order of its terms.
     */
    static boolean isExact(Examples examples) {
        double[] x = new double[examples.features()];
        for (int i = 0, n = examples.n(); i < n; i++) {
            examples.row(i, x, 0);
            for (double v : x) {
                double scaled = v * 256;
                if (!(Math.abs(v) <= 1) || scaled != Math.rint(scaled)) return false;
            }
        }
        return true;
    }

    /**
     * W[k] −= η·(g[k]·x + λ·W[k]) for every class k and every feature: the step with an L2 penalty,
     * which moves every weight.
     */
    void descend(double[] g, double eta, double lambda, Row row) {
        double[] x = row.x;
        for (int k = 0; k < classes; k++) {
            double gk = g[k];
            long base = k * rowBytes;
            for (int c = 0; c < width; c += L) {
                long at = base + c * (long) Double.BYTES;
                DoubleVector wk = load(at);
                store(wk.sub(DoubleVector.fromArray(S, x, c).mul(gk).add(wk.mul(lambda)).mul(eta)), at);
            }
        }
    }

    private double get(int feature, int k) {
        return w.getAtIndex(ValueLayout.JAVA_DOUBLE, (long) k * width + feature);
    }

    /** W as numpy holds it: classes × features, row-major (a copy). */
    double[] weights() {
        double[] out = new double[features * classes];
        for (int k = 0; k < classes; k++) {
            for (int j = 0; j < features; j++) out[k * features + j] = get(j, k);
        }
        return out;
    }

    /** ‖W‖_F = sqrt(Σ W[k][j]²), summed feature by feature, class by class (np.linalg.norm(W) to rounding). */
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
