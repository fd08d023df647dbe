package nnlab.classic;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.stream.IntStream;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The weights of a linear classifier and its scores {@code z = W x}, shared by {@link Perceptron}
 * and {@link LogisticRegression}.
 *
 * <p>W (classes × features) is stored feature-major, in two planes: the <em>main</em> plane holds
 * the first {@code mainLanes} classes as whole SIMD vectors, {@code W[k][j]} at
 * {@code main[j*mainLanes + k]}; when one or two classes are left over (ten classes with 8-lane
 * vectors leave two), a <em>tail</em> plane holds them as one 2-lane vector per feature,
 * {@code W[mainLanes + r][j]} at {@code tail[j*2 + r]}. Otherwise the main plane pads the classes
 * up to whole vectors (padding lanes always zero). One nonzero feature then touches one
 * contiguous run per plane, loaded and updated as vectors (all classes at once), in the score and
 * in the updates alike. Each score is still summed over the nonzero features in increasing order,
 * one product at a time, and each update rounds elementwise as the scalar formula does:
 * vectorising across classes changes no result, only the speed.
 *
 * <p>Why two planes: per-example SGD reads and rewrites the rows of every nonzero feature for each
 * example, so W's footprint decides whether those rows stay in the first-level cache. Padding ten
 * classes to sixteen made W 100 KB (about 50 KB touched per Fashion-MNIST example, more than the
 * 48 KB L1); two planes of 64 + 16 bytes per feature make it 63 KB (about 32 KB touched), with no
 * vector straddling a cache line.
 *
 * <p>Both planes live off the Java heap, aligned to the vector size, so that no vector load or
 * store straddles two cache lines (a Java array's elements start 16 bytes into the object, which
 * made every 64-byte access a split one and cost about a third of the time).
 */
final class LinearScores {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** The tail plane's vectors: two classes per feature. */
    private static final VectorSpecies<Double> T = DoubleVector.SPECIES_128;
    private static final int TL = T.length();
    private static final ValueLayout.OfDouble DOUBLE = ValueLayout.JAVA_DOUBLE;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    /** Rows per task when predicting many examples in parallel. */
    private static final int ROWS_PER_TASK = 2048;

    final int features;
    final int classes;
    /** Classes in the main plane, a multiple of the vector length (padded when there is no tail). */
    private final int mainLanes;
    /** Classes in the tail plane: 0, or {@link #TL} when one or two classes are left over. */
    private final int tailLanes;
    /** Length of a per-class scratch vector (scores, gradient scales): {@code mainLanes + tailLanes ≥ classes}. */
    final int stride;
    private final MemorySegment main;
    private final MemorySegment tail;
    private final long mainBytes;
    private final long tailBytes;
    private final double[] z;
    private final int[] denseIndex;
    private final double[] denseValue;

    LinearScores(int features, int classes) {
        this.features = features;
        this.classes = classes;
        int left = classes % L;
        boolean useTail = L > TL && left > 0 && left <= TL;
        this.mainLanes = useTail ? classes - left : Math.ceilDiv(classes, L) * L;
        this.tailLanes = useTail ? TL : 0;
        this.stride = mainLanes + tailLanes;
        this.mainBytes = (long) mainLanes * Double.BYTES;
        this.tailBytes = (long) tailLanes * Double.BYTES;
        Arena arena = Arena.ofAuto();
        this.main = arena.allocate(Math.max(1, features * mainBytes), S.vectorByteSize());
        this.tail = arena.allocate(Math.max(1, features * tailBytes), T.vectorByteSize());
        this.z = new double[stride];
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
        if (mainLanes == L && tailLanes == TL) {
            vectorAndTailScores(index, value, from, to, z);
            return;
        }
        for (int k = 0; k < mainLanes; k += L) {
            long lane = (long) k * Double.BYTES;
            DoubleVector sum = DoubleVector.zero(S);
            for (int t = from; t < to; t++) {
                sum = sum.add(loadMain(index[t] * mainBytes + lane).mul(value[t]));
            }
            sum.intoArray(z, k);
        }
        if (tailLanes > 0) {
            DoubleVector sum = DoubleVector.zero(T);
            for (int t = from; t < to; t++) {
                sum = sum.add(loadTail(index[t] * tailBytes).mul(value[t]));
            }
            sum.intoArray(z, mainLanes);
        }
    }

    /** {@link #scores} for one main vector and the tail per feature (ten classes with AVX-512), both in one pass. */
    private void vectorAndTailScores(int[] index, double[] value, int from, int to, double[] z) {
        DoubleVector low = DoubleVector.zero(S);
        DoubleVector high = DoubleVector.zero(T);
        for (int t = from; t < to; t++) {
            long j = index[t];
            double v = value[t];
            low = low.add(loadMain(j * mainBytes).mul(v));
            high = high.add(loadTail(j * tailBytes).mul(v));
        }
        low.intoArray(z, 0);
        high.intoArray(z, L);
    }

    private DoubleVector loadMain(long byteOffset) {
        return DoubleVector.fromMemorySegment(S, main, byteOffset, ORDER);
    }

    private DoubleVector loadTail(long byteOffset) {
        return DoubleVector.fromMemorySegment(T, tail, byteOffset, ORDER);
    }

    private void storeMain(DoubleVector v, long byteOffset) {
        v.intoMemorySegment(main, byteOffset, ORDER);
    }

    private void storeTail(DoubleVector v, long byteOffset) {
        v.intoMemorySegment(tail, byteOffset, ORDER);
    }

    /**
     * W[up] += x and W[down] −= x for the nonzeros of x: the perceptron's update on a mistake. Two
     * scalar updates per nonzero, one weight of each class. A vector update of all classes with a ±1
     * mask gives the same bits, but in a kernel benchmark it ran 18–30 ns per nonzero in about one
     * process in three (3–5 ns in the others), depending on how C2 happened to compile it; the two
     * scalar updates ran 4–6 ns in every one of ten processes.
     */
    void move(int up, int down, int[] index, double[] value, int from, int to) {
        MemorySegment upPlane = up < mainLanes ? main : tail, downPlane = down < mainLanes ? main : tail;
        long upRow = up < mainLanes ? mainBytes : tailBytes, downRow = down < mainLanes ? mainBytes : tailBytes;
        long upLane = (long) (up < mainLanes ? up : up - mainLanes) * Double.BYTES;
        long downLane = (long) (down < mainLanes ? down : down - mainLanes) * Double.BYTES;
        for (int t = from; t < to; t++) {
            long j = index[t];
            double v = value[t];
            long at = j * upRow + upLane;
            upPlane.set(DOUBLE, at, upPlane.get(DOUBLE, at) + v);
            at = j * downRow + downLane;
            downPlane.set(DOUBLE, at, downPlane.get(DOUBLE, at) - v);
        }
    }

    /**
     * W[k] −= η·(g[k]·x) for every class k and the nonzeros of x, rounded as that formula reads
     * (the product g·x first, then η, then the subtraction): logistic regression's step.
     * {@code g} has {@link #stride} entries, zero beyond the classes.
     */
    void descend(double[] g, double eta, int[] index, double[] value, int from, int to) {
        if (mainLanes == L && tailLanes == TL) {
            DoubleVector gLow = DoubleVector.fromArray(S, g, 0);
            DoubleVector gHigh = DoubleVector.fromArray(T, g, L);
            for (int t = from; t < to; t++) {
                long j = index[t];
                double v = value[t];
                long at = j * mainBytes;
                storeMain(loadMain(at).sub(gLow.mul(v).mul(eta)), at);
                at = j * tailBytes;
                storeTail(loadTail(at).sub(gHigh.mul(v).mul(eta)), at);
            }
            return;
        }
        for (int k = 0; k < mainLanes; k += L) {
            long lane = (long) k * Double.BYTES;
            DoubleVector gk = DoubleVector.fromArray(S, g, k);
            for (int t = from; t < to; t++) {
                long at = index[t] * mainBytes + lane;
                storeMain(loadMain(at).sub(gk.mul(value[t]).mul(eta)), at);
            }
        }
        if (tailLanes > 0) {
            DoubleVector gk = DoubleVector.fromArray(T, g, mainLanes);
            for (int t = from; t < to; t++) {
                long at = index[t] * tailBytes;
                storeTail(loadTail(at).sub(gk.mul(value[t]).mul(eta)), at);
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
            for (int k = 0; k < mainLanes; k += L) {
                long at = j * mainBytes + (long) k * Double.BYTES;
                DoubleVector wk = loadMain(at);
                storeMain(wk.sub(DoubleVector.fromArray(S, g, k).mul(v).add(wk.mul(lambda)).mul(eta)), at);
            }
            if (tailLanes > 0) {
                long at = j * tailBytes;
                DoubleVector wk = loadTail(at);
                storeTail(wk.sub(DoubleVector.fromArray(T, g, mainLanes).mul(v).add(wk.mul(lambda)).mul(eta)), at);
            }
        }
    }

    private double get(int feature, int k) {
        return k < mainLanes
                ? main.getAtIndex(DOUBLE, (long) feature * mainLanes + k)
                : tail.getAtIndex(DOUBLE, (long) feature * tailLanes + k - mainLanes);
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
