package nnlab.tensor.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Gemm against a naive triple loop in double precision, on every transpose, offset and accumulate mode. */
class GemmTest {

    private static final int[] SMALL = {0, 1, 2, 3, 7, 15, 16, 17, 33};

    /** op(A)·op(B) shapes beyond the small grid: the network's products, block edges, and split calls. */
    private static final int[][] LARGE = {
            {1, 200, 784}, {1, 784, 200}, {784, 1, 200}, {200, 1, 784}, {1, 10, 200}, {1, 200, 10},
            {784, 200, 1}, {200, 10, 1}, {200, 784, 1}, {100, 784, 2},
            {64, 200, 784}, {64, 784, 200}, {784, 200, 64}, {64, 10, 200}, {64, 200, 10}, {200, 10, 64},
            {100, 100, 100}, {100, 17, 33}, {33, 100, 7}, {3, 2100, 5}, {300, 40, 600}, {257, 33, 513},
            {9, 33, 4000}, {20, 33, 2000}, {8, 33, 4000}, {1, 2000, 600}, {600, 1, 2000},
            {512, 200, 784}, {512, 784, 200}, {784, 200, 512},
            // Panel edges: n mod 64 in every width class (1, 2 and 4 vectors), m across the 96-row A
            // block, k across the 512 k block, and n split into blocks (k blocks of 300 leave room for 832 columns).
            {97, 129, 513}, {193, 80, 35}, {6, 49, 300}, {13, 33, 1030}, {96, 100, 17}, {101, 65, 31},
            {20, 900, 600}, {7, 48, 16}, {12, 112, 15},
            {530, 520, 1024}, // split by rows on two threads or more, each part's op(B) in 2 n blocks × 2 k blocks
            // The CNN's products at batch 8 (few rows of A from B in place; A·Bᵀ as dot products, 4×4 blocks and edges).
            {8, 6272, 9}, {8, 9, 6272}, {16, 72, 1152}, {72, 1152, 16}, {8, 320, 576}, {8, 576, 320}, {5, 70, 65},
            {7, 130, 3}, {4, 64, 1}, {11, 5, 200}, {6, 4100, 70}, {5, 7, 1100}, {9, 6, 1030}, {4, 4, 1024},
    };

    /** Shapes for arrays with no room around the matrices: vector loads near an array's end must stay inside. */
    private static final int[][] EXACT = {
            {6, 16, 16}, {12, 64, 32}, {18, 200, 17}, {96, 784, 40}, {102, 33, 64}, {7, 8, 9}, {64, 10, 200},
    };

    @Test
    void sgemmMatchesNaiveOnSmallShapes() {
        Random random = new Random(1);
        for (int m : SMALL) for (int n : SMALL) for (int k : SMALL) checkAllModes(random, m, n, k, false);
    }

    @Test
    void sgemmMatchesNaiveOnLargeShapes() {
        Random random = new Random(2);
        for (int[] s : LARGE) checkTransposes(random, s[0], s[1], s[2], false);
    }

    @Test
    void sgemmMatchesNaiveOnExactlySizedArrays() {
        Random random = new Random(5);
        for (int[] s : EXACT) {
            for (int mode = 0; mode < 8; mode++) {
                check(random, s[0], s[1], s[2], (mode & 1) != 0, (mode & 2) != 0, (mode & 4) != 0, false, 0, 0);
            }
        }
    }

    @Test
    void sgemmMatchesNaiveOnRandomShapes() {
        Random random = new Random(3);
        for (int trial = 0; trial < 300; trial++) {
            checkAllModes(random, 1 + random.nextInt(70), 1 + random.nextInt(70), 1 + random.nextInt(70), false);
        }
    }

    @Test
    void dgemmMatchesNaive() {
        Random random = new Random(4);
        for (int m : SMALL) for (int n : SMALL) for (int k : SMALL) checkAllModes(random, m, n, k, true);
        for (int[] s : LARGE) {
            if ((long) s[0] * s[1] * s[2] < 10_000_000) checkTransposes(random, s[0], s[1], s[2], true);
        }
        checkTransposes(random, 64, 784, 200, true); // large enough to be split across threads
    }

    @Test
    void overwriteIgnoresNaNInC() {
        float[] a = {1, 2, 3, 4}, b = {1, 0, 0, 1}, c = {Float.NaN, Float.NaN, Float.NaN, Float.NaN};
        Gemm.sgemm(false, false, 2, 2, 2, a, 0, b, 0, c, 0, false);
        assertEquals(List.of(1f, 2f, 3f, 4f), List.of(c[0], c[1], c[2], c[3]));
        double[] cd = {Double.NaN, Double.NaN, Double.NaN, Double.NaN};
        Gemm.dgemm(false, false, 2, 2, 2, new double[] {1, 2, 3, 4}, 0, new double[] {1, 0, 0, 1}, 0, cd, 0, false);
        assertEquals(List.of(1.0, 2.0, 3.0, 4.0), List.of(cd[0], cd[1], cd[2], cd[3]));
    }

    @Test
    void rejectsBadArguments() {
        float[] x = new float[6];
        assertThrows(IllegalArgumentException.class, () -> Gemm.sgemm(false, false, -1, 2, 3, x, 0, x, 0, x, 0, false));
        assertThrows(IndexOutOfBoundsException.class, () -> Gemm.sgemm(false, false, 2, 3, 3, x, 0, x, 0, x, 0, false));
        assertThrows(IndexOutOfBoundsException.class, () -> Gemm.sgemm(false, false, 2, 3, 1, x, 5, x, 0, x, 0, false));
        assertThrows(IndexOutOfBoundsException.class, () -> Gemm.sgemm(false, false, 1, 1, 1, x, -1, x, 0, x, 0, false));
        double[] d = new double[6];
        assertThrows(IndexOutOfBoundsException.class, () -> Gemm.dgemm(true, true, 3, 3, 1, d, 0, d, 0, d, 0, true));
    }

    @Test
    void concurrentCallsGiveCorrectResults() throws Exception {
        int threads = 6;
        ExecutorService callers = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int seed = 100 + t;
                results.add(callers.submit(() -> {
                    Random random = new Random(seed);
                    for (int rep = 0; rep < 4; rep++) {
                        boolean big = random.nextBoolean();
                        int m = big ? 128 + random.nextInt(200) : 1 + random.nextInt(40);
                        int n = big ? 100 + random.nextInt(200) : 1 + random.nextInt(40);
                        int k = big ? 100 + random.nextInt(300) : 1 + random.nextInt(40);
                        check(random, m, n, k, random.nextBoolean(), random.nextBoolean(), random.nextBoolean(), false);
                    }
                }));
            }
            for (Future<?> result : results) result.get();
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void largeProductsInsideParallelStreamsFinish() {
        // Every common-pool worker calls a product big enough to be split: no deadlock, right answers.
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> IntStream.range(0, 8).parallel().forEach(t -> {
            Random random = new Random(200 + t);
            check(random, 256, 300, 200, t % 2 == 0, t % 4 < 2, false, false);
        }));
    }

    @Test
    void sgemmRowsGivesSgemmsBitsOnTheGatheredRows() {
        Random random = new Random(12);
        // the fused step's first-layer shapes at batch 512 (split), 64 and 7 (one thread), and small ones
        int[][] shapes = {{200, 512, 784}, {200, 784, 512}, {200, 64, 784}, {200, 784, 64}, {200, 7, 784},
                {200, 784, 7}, {1, 30, 20}, {30, 1, 20}, {30, 20, 1}, {5, 3, 17}, {13, 40, 33}};
        int pool = 900;
        for (int[] s : shapes) {
            for (boolean transB : new boolean[] {false, true}) {
                for (boolean accumulate : new boolean[] {false, true}) {
                    int m = s[0], n = s[1], k = s[2], rows = transB ? n : k, length = transB ? k : n;
                    float[] a = toFloat(randoms(random, m * k)), data = toFloat(randoms(random, pool * length + 3));
                    int[] starts = new int[rows];
                    float[] gathered = new float[rows * length];
                    for (int r = 0; r < rows; r++) {
                        starts[r] = random.nextInt(pool) * length + (r % 4 == 0 ? 3 : 0); // some rows off the grid
                        System.arraycopy(data, starts[r], gathered, r * length, length);
                    }
                    float[] c0 = toFloat(randoms(random, m * n)), want = c0.clone(), got = c0.clone();
                    Gemm.sgemm(false, transB, m, n, k, a, 0, gathered, 0, want, 0, accumulate);
                    Gemm.sgemmRows(false, transB, m, n, k, a, 0, data, starts, got, 0, accumulate);
                    assertArrayEquals(want, got, m + "x" + n + "x" + k + " transB=" + transB + " accumulate=" + accumulate);
                }
            }
        }
    }

    @Test
    void sgemmRowsRefusesRowsOutsideTheArray() {
        float[] a = new float[6], b = new float[10], c = new float[4];
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                () -> Gemm.sgemmRows(false, true, 2, 2, 3, a, 0, b, new int[] {0, 8}, c, 0, false));
        assertTrue(e.getMessage().contains("row 1 of B (3 floats from 8)"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> Gemm.sgemmRows(false, true, 2, 2, 3, a, 0, b, new int[] {0}, c, 0, false));
        assertThrows(IndexOutOfBoundsException.class, () -> Gemm.sgemmRows(false, false, 2, 2, 3, a, 0, b, new int[] {0, 2, -1}, c, 0, false));
    }

    @Test
    void aLateHelperNeitherStallsNorCorruptsSplitProductsAndChangesNoBits() {
        assumeTrue(Parallel.THREADS > 1, "one processor: no helper can be late");
        // The layer products of a batch-512 step, forward (W·Xᵀ) and weight gradient (g·X), both accumulating.
        int[][] shapes = {{200, 512, 784, 1}, {200, 784, 512, 0}};
        int products = 24;
        Random random = new Random(11);
        for (int[] s : shapes) {
            int m = s[0], n = s[1], k = s[2];
            boolean transB = s[3] == 1;
            float[][] a = new float[products][], c0 = new float[products][], helped = new float[products][];
            float[] b = toFloat(randoms(random, k * n));
            for (int p = 0; p < products; p++) {
                a[p] = toFloat(randoms(random, m * k));
                c0[p] = toFloat(randoms(random, m * n));
                helped[p] = c0[p].clone();
                Gemm.sgemm(false, transB, m, n, k, a[p], 0, b, 0, helped[p], 0, true);
            }
            // Now every part a helper takes stalls 20 ms first, as if the hypervisor had stopped its
            // processor: the caller redoes it, and the helper's late writes — its packing of op(A) for a
            // product long finished included — must land where no later product reads.
            float[][] redone = new float[products][];
            Parallel.helperDelay = () -> {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            };
            try {
                assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                    for (int p = 0; p < products; p++) {
                        redone[p] = c0[p].clone();
                        Gemm.sgemm(false, transB, m, n, k, a[p], 0, b, 0, redone[p], 0, true);
                    }
                    check(random, m, n, k, false, transB, true, false, 0, 0);
                });
            } finally {
                Parallel.helperDelay = null;
            }
            for (int p = 0; p < products; p++) {
                assertArrayEquals(helped[p], redone[p], m + "x" + n + "x" + k + " product " + p
                        + ": with the helper late the bits differ from those computed with its help");
            }
        }
    }

    /** A product in progress, as the late helper of {@link #aLateHelpersDroppedPackingNeverReachesTheCallersProduct} sees it. */
    private static final class LateHelper {
        final float[] a, c, cBefore;
        final AtomicInteger parts = new AtomicInteger();
        volatile boolean productDone;

        LateHelper(float[] a, float[] c) {
            this.a = a;
            this.c = c;
            this.cBefore = c.clone();
        }
    }

    /**
     * A helper late with a part of op(A)'s packing, which the caller redoes, must not write that packing
     * where the caller reads it: its stores of a transposed A write two floats past each step, values
     * the next step's store replaces, so even with A unchanged a helper stopped between two stores
     * leaves wrong values in the caller's packed A for as long as it is stopped. Here the late helper
     * packs an A changed after the caller packed it (so that any of its writes the caller reads shows),
     * and holds its next part until the product is done, so the caller reads the packing after the
     * helper's writes. The weight gradient of the CNN's first dense layer at batch 64, accumulating.
     */
    @Test
    void aLateHelpersDroppedPackingNeverReachesTheCallersProduct() {
        assumeTrue(Parallel.THREADS > 1, "one processor: no helper can be late");
        int m = 320, n = 576, k = 64, products = 8;
        Random random = new Random(12);
        float[] b = toFloat(randoms(random, k * n));
        AtomicReference<LateHelper> current = new AtomicReference<>();
        Parallel.helperDelay = () -> {
            LateHelper late = current.get();
            if (late.parts.getAndIncrement() == 0) {
                // Once the caller writes C, all of op(A) is packed (this part redone): change A under the helper.
                while (!late.productDone && Arrays.equals(late.c, late.cBefore)) Thread.onSpinWait();
                for (int i = 0; i < late.a.length; i++) late.a[i] = -late.a[i];
            } else {
                while (!late.productDone) Thread.onSpinWait();
            }
        };
        try {
            assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                for (int p = 0; p < products; p++) {
                    float[] a = toFloat(randoms(random, k * m)), c0 = toFloat(randoms(random, m * n));
                    float[] expected = c0.clone();
                    Gemm.sgemmOnThisThread(true, false, m, n, k, a.clone(), 0, b, 0, expected, 0, true);
                    float[] c = c0.clone();
                    LateHelper late = new LateHelper(a, c);
                    current.set(late);
                    Gemm.sgemm(true, false, m, n, k, a, 0, b, 0, c, 0, true);
                    late.productDone = true;
                    assertArrayEquals(expected, c, "product " + p + ": the late helper's packing reached the result");
                }
            });
        } finally {
            Parallel.helperDelay = null;
            LateHelper last = current.get();
            if (last != null) last.productDone = true; // a failed product must not leave the helper waiting
        }
    }

    // ---------------------------------------------------------------------------------------------

    /** All four transpose combinations, accumulating or not at random: for shapes where the reference is slow. */
    private static void checkTransposes(Random random, int m, int n, int k, boolean dp) {
        for (int mode = 0; mode < 4; mode++) {
            check(random, m, n, k, (mode & 1) != 0, (mode & 2) != 0, random.nextBoolean(), dp);
        }
    }

    private static void checkAllModes(Random random, int m, int n, int k, boolean dp) {
        for (int mode = 0; mode < 8; mode++) {
            check(random, m, n, k, (mode & 1) != 0, (mode & 2) != 0, (mode & 4) != 0, dp);
        }
    }

    /**
     * One call on random data at random offsets, with guard values around C: compares every element of
     * C against the float64 triple loop, within a rounding bound that grows with k, and checks that no
     * element outside C changed.
     */
    private static void check(Random random, int m, int n, int k, boolean transA, boolean transB,
                              boolean accumulate, boolean dp) {
        check(random, m, n, k, transA, transB, accumulate, dp, 5, 3);
    }

    /** As above, with offsets below maxOffset and guard elements after each matrix. */
    private static void check(Random random, int m, int n, int k, boolean transA, boolean transB,
                              boolean accumulate, boolean dp, int maxOffset, int guard) {
        int aOff = maxOffset == 0 ? 0 : random.nextInt(maxOffset), bOff = maxOffset == 0 ? 0 : random.nextInt(maxOffset);
        int cOff = maxOffset == 0 ? 0 : random.nextInt(maxOffset);
        double[] a = randoms(random, aOff + m * k + guard), b = randoms(random, bOff + k * n + guard);
        double[] c = randoms(random, cOff + m * n + guard);
        double[] got;
        if (dp) {
            got = c.clone();
            Gemm.dgemm(transA, transB, m, n, k, a, aOff, b, bOff, got, cOff, accumulate);
        } else {
            float[] af = toFloat(a), bf = toFloat(b), cf = toFloat(c);
            a = toDouble(af);
            b = toDouble(bf);
            c = toDouble(cf);
            Gemm.sgemm(transA, transB, m, n, k, af, aOff, bf, bOff, cf, cOff, accumulate);
            got = toDouble(cf);
        }
        double unit = dp ? 0x1p-53 : 0x1p-24;
        String call = (dp ? "dgemm" : "sgemm") + "(transA=" + transA + ", transB=" + transB + ", m=" + m + ", n=" + n
                + ", k=" + k + ", offsets " + aOff + "/" + bOff + "/" + cOff + ", accumulate=" + accumulate + ")";
        for (int idx = 0; idx < c.length; idx++) {
            if (idx < cOff || idx >= cOff + m * n) {
                if (Double.compare(got[idx], c[idx]) != 0) {
                    fail(call + " wrote outside C at array index " + idx + ": " + c[idx] + " -> " + got[idx]);
                }
                continue;
            }
            int i = (idx - cOff) / n, j = (idx - cOff) % n;
            double sum = accumulate ? c[idx] : 0, magnitude = Math.abs(sum);
            for (int p = 0; p < k; p++) {
                double x = transA ? a[aOff + p * m + i] : a[aOff + i * k + p];
                double y = transB ? b[bOff + j * k + p] : b[bOff + p * n + j];
                sum += x * y;
                magnitude += Math.abs(x * y);
            }
            double tolerance = 2 * (k + 2) * unit * magnitude + 1e-30;
            if (!(Math.abs(got[idx] - sum) <= tolerance)) {
                fail(call + ": C[" + i + "][" + j + "] = " + got[idx] + ", expected " + sum + " (tolerance " + tolerance + ")");
            }
        }
    }

    private static double[] randoms(Random random, int length) {
        double[] x = new double[length];
        for (int i = 0; i < length; i++) x[i] = random.nextDouble() * 2 - 1;
        return x;
    }

    private static float[] toFloat(double[] x) {
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) y[i] = (float) x[i];
        return y;
    }

    private static double[] toDouble(float[] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) y[i] = x[i];
        return y;
    }
}
