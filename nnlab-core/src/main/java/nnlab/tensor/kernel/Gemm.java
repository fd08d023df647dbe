package nnlab.tensor.kernel;

import java.util.Arrays;
import java.util.function.IntConsumer;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * General matrix multiplication on row-major arrays: {@code C = op(A)·op(B)} or {@code C += op(A)·op(B)}.
 *
 * <p>Shapes: op(A) is m×k, op(B) is k×n, C is m×n; every matrix is dense and row-major, starting at its
 * offset. {@code transA} means A is stored k×m (so op(A) = Aᵀ), {@code transB} means B is stored n×k.
 * Only C is modified, and only its m·n elements from {@code cOffset}; C must not overlap A or B.
 *
 * <p>{@link #sgemm} is the fast path: op(A) and op(B) are copied block by block into packed panels
 * (each transpose combination with its own copy loops), and a register-blocked micro-kernel (6 rows ×
 * 4 SIMD vectors of C with AVX-512, held in registers across the whole k block) runs over them. Products of one row or one column skip packing (matrix-vector
 * kernels). Large products are split by rows or columns of C across the {@link Parallel} helpers (when
 * op(A) is the smaller operand it is packed once and shared, and column chunks are dealt out);
 * the calling thread takes part and never waits for a part nobody has started, so calls from many
 * threads at once, or from inside any pool task, are safe. Each thread reuses its own packing buffers.
 *
 * <p>Until the JIT has compiled the Vector API code (the first second or few of a program, longer on
 * a busy machine) every call is far slower; benchmarks need a warm-up of several seconds.
 */
public final class Gemm {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int FL = F.length();
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final int DL = D.length();
    /** dgemm's k block: 128 rows of a 200-column B are 200 KB, well inside L2. */
    private static final int DKC = 128;

    // Micro-tile and cache blocks.
    /**
     * Rows of the micro-tile: the values of A broadcast per step. 6 rows × NV vectors of accumulators,
     * plus NV vectors of B and a broadcast, fill the vector registers without spilling.
     */
    private static final int MR = 6;
    /**
     * Vectors per micro-tile row: 4 with 32 vector registers (AVX-512, NEON, SVE), where 24 accumulators
     * give 24 FMAs per 10 loads; 2 on x86 below AVX-512, which has 16 (the classic 6×2 tile there).
     */
    private static final int NV = isX86() && F.vectorBitSize() < 512 ? 2 : 4;
    /** Columns of the micro-tile. */
    private static final int NR = NV * FL;
    /**
     * Largest k block. An MR×kc panel of A (12 KB at kc=512) stays in L1 while all of the k block's packed
     * op(B) streams past it from L2; larger k blocks mean fewer passes over C.
     */
    private static final int KC = 512;
    /** Largest packed block of op(B), in floats (1 MB): it stays in the L2 cache (2 MB per core here). */
    private static final int B_BLOCK = 1 << 18;
    /** Rows of op(A) packed at a time (16 panels; 192 KB at kc=512, in L2). */
    private static final int MC = 16 * MR;

    // Packing.
    /** Eight floats, copied for the MR = 6 floats of one step of a transposed A; null below 256-bit vectors. */
    private static final VectorSpecies<Float> P8 = F.vectorBitSize() >= 256 ? FloatVector.SPECIES_256 : null;
    /**
     * Transpose while packing with two-vector permutes of 16 lanes (one vpermi2d each on AVX-512); on
     * other hardware selectFrom(v1, v2) may not compile to one instruction, so scalar loops do it.
     */
    private static final boolean TRANSPOSE = isX86() && F.vectorBitSize() == 512;
    private static final VectorSpecies<Float> F16 = FloatVector.SPECIES_512;
    private static final VectorSpecies<Integer> I16 = IntVector.SPECIES_512;
    private static final int[] A_PERMUTES = aPermutes();
    private static final int[] B_ROUNDS = transposeRounds(0, 1, 2, 3);

    // Threads.
    private static final int PROCESSORS = Runtime.getRuntime().availableProcessors();
    /** Threads a large product is split over: {@link Parallel#THREADS}, all processors by default. */
    private static final int THREADS = Parallel.THREADS;
    /**
     * Products with m·n·k below this run on the calling thread only: 2<sup>20</sup> (a hand-off costs
     * microseconds), but 2<sup>25</sup> on one or two processors unless the threads are given
     * ({@code -Dnnlab.gemm.parallelWork=W} overrides). With two processors the helper competes with the
     * JIT compiler, the garbage collector and the rest of the training step for the only other core:
     * measured on a 2-vCPU virtual machine, mini-batch training at batch 64 ran slower and far less
     * steadily with its products split (steady epochs 0.57–0.93 s against 0.56–0.62, two hidden layers
     * 1.12–1.69 against 0.79–0.83; largest product 10M multiply-adds), while at batch 512 (the first
     * layer's products are 80M) splitting won 5 of 6 alternating runs, median 0.535 s against 0.595.
     */
    private static final long PARALLEL_WORK = Long.getLong("nnlab.gemm.parallelWork",
            System.getProperty("nnlab.gemm.threads") == null && PROCESSORS <= 2 ? 1L << 25 : 1L << 20);
    /** Column chunks per thread in {@link #sharedA}: a late helper then leaves the caller no idle wait. */
    private static final int CHUNKS_PER_THREAD = 2;
    /**
     * Column splits fall on multiples of two vectors, finer than NR: 200 columns in 4 chunks are
     * 32+64+64+40 (panels of 32, 64, 64, 32+16), where whole NR panels would give 64+64+64+8.
     */
    private static final int COLUMNS = 2 * FL;
    /** Largest op(A), in floats, that {@link #sharedA} packs whole (4 MB). */
    private static final long SHARED_A_MAX = 1L << 20;

    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    private Gemm() {}

    /**
     * Single-precision GEMM: {@code C = op(A)·op(B)}, or {@code C += op(A)·op(B)} when {@code accumulate}.
     *
     * @param transA     false: A is stored m×k (row length k); true: A is stored k×m and op(A) = Aᵀ
     * @param transB     false: B is stored k×n (row length n); true: B is stored n×k and op(B) = Bᵀ
     * @param m          rows of op(A) and of C
     * @param n          columns of op(B) and of C
     * @param k          columns of op(A), rows of op(B); k = 0 makes C zero (or leaves it when accumulating)
     * @param a          A, m·k elements from {@code aOffset}, read only
     * @param b          B, k·n elements from {@code bOffset}, read only
     * @param c          C, m×n (row length n) from {@code cOffset}: overwritten, or added to when
     *                   {@code accumulate}; must not overlap A or B
     * @param accumulate false: C's old contents are ignored (even NaN); true: the product is added to them
     * @throws IllegalArgumentException  if m, n or k is negative
     * @throws IndexOutOfBoundsException if an offset is negative or an array is too short for its matrix
     */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k,
                             float[] a, int aOffset, float[] b, int bOffset,
                             float[] c, int cOffset, boolean accumulate) {
        checkShapes("sgemm", transA, transB, m, n, k, a.length, aOffset, b.length, bOffset, c.length, cOffset);
        if (isEmpty(m, n, k, c, cOffset, accumulate)) return;
        int lda = transA ? m : k, ldb = transB ? k : n, ldc = n;
        int mTiles = ceilDiv(m, MR), nTiles = ceilDiv(n, COLUMNS);
        // The small-product strategies run on this thread whatever the size, so that a product's
        // arithmetic (and its bits) does not depend on how many threads could split it.
        boolean parallel = parallel(m, n, k) && !ownStrategy(transA, transB, m, n, k);
        if (parallel && sharesA(m, n, k)) {
            sharedA(transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb, null, c, cOffset, ldc, accumulate);
            return;
        }
        // Otherwise split rows or columns, each part packing its own copy of the other operand.
        boolean byRows = mTiles >= nTiles;
        int tiles = byRows ? mTiles : nTiles;
        int parts = parallel ? Math.min(THREADS, tiles) : 1;
        if (parts == 1) {
            sgemmSerial(transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb, c, cOffset, ldc, accumulate);
            return;
        }
        Parallel.forParts(parts, part -> {
            int from = (int) ((long) tiles * part / parts), to = (int) ((long) tiles * (part + 1) / parts);
            if (byRows) {
                int i0 = from * MR, rows = Math.min(m, to * MR) - i0;
                sgemmSerial(transA, transB, rows, n, k, a, aOffset + (transA ? i0 : i0 * lda), lda,
                        b, bOffset, ldb, c, cOffset + i0 * ldc, ldc, accumulate);
            } else {
                int j0 = from * COLUMNS, cols = Math.min(n, to * COLUMNS) - j0;
                sgemmSerial(transA, transB, m, cols, k, a, aOffset, lda,
                        b, bOffset + (transB ? j0 * ldb : j0), ldb, c, cOffset + j0, ldc, accumulate);
            }
        });
    }

    /**
     * {@link #sgemm} with B's rows where they lie: stored row r of B (row r of op(B), or of op(B)ᵀ when
     * transB) is the {@code transB ? k : n} floats from {@code b[bRows[r]]}. A mini-batch's examples are
     * multiplied straight from the dataset: each part of a split product packs the rows it needs, and no
     * gathered copy of the batch is written and read back.
     *
     * @throws IndexOutOfBoundsException if bRows is too short for B, or a row does not fit in b
     */
    public static void sgemmRows(boolean transA, boolean transB, int m, int n, int k,
                                 float[] a, int aOffset, float[] b, int[] bRows,
                                 float[] c, int cOffset, boolean accumulate) {
        int rows = transB ? n : k, length = transB ? k : n;
        checkShapes("sgemmRows", transA, transB, m, n, k, a.length, aOffset, Integer.MAX_VALUE, 0, c.length, cOffset);
        if (bRows.length < rows) {
            throw new IndexOutOfBoundsException("sgemmRows: B has " + rows + " rows but only " + bRows.length + " row starts were given");
        }
        for (int r = 0; r < rows; r++) {
            if (!fits(length, b.length, bRows[r])) {
                throw new IndexOutOfBoundsException("sgemmRows: row " + r + " of B (" + length + " floats from " + bRows[r]
                        + ") does not fit in an array of length " + b.length);
            }
        }
        if (isEmpty(m, n, k, c, cOffset, accumulate)) return;
        int lda = transA ? m : k;
        boolean parallel = parallel(m, n, k);
        if (parallel && sharesA(m, n, k)) {
            sharedA(transA, transB, m, n, k, a, aOffset, lda, b, 0, length, bRows, c, cOffset, n, accumulate);
        } else if (!parallel && m > 1 && n > 1 && k > 1) {
            packed(transA, transB, m, n, k, a, aOffset, lda, b, 0, length, bRows, 0, c, cOffset, n, accumulate, null);
        } else { // the shapes with kernels of their own: gather the rows
            float[] gathered = WORKSPACE.get().gathered(rows * length);
            for (int r = 0; r < rows; r++) System.arraycopy(b, bRows[r], gathered, r * length, length);
            sgemm(transA, transB, m, n, k, a, aOffset, gathered, 0, c, cOffset, accumulate);
        }
    }

    /**
     * {@link #sgemm} on the calling thread only: for callers that already split their work over the
     * cores (a convolution's batch parts), where a nested split would change the product's arithmetic
     * with the number of threads.
     */
    static void sgemmOnThisThread(boolean transA, boolean transB, int m, int n, int k,
                                  float[] a, int aOffset, float[] b, int bOffset, float[] c, int cOffset, boolean accumulate) {
        checkShapes("sgemm", transA, transB, m, n, k, a.length, aOffset, b.length, bOffset, c.length, cOffset);
        if (isEmpty(m, n, k, c, cOffset, accumulate)) return;
        sgemmSerial(transA, transB, m, n, k, a, aOffset, transA ? m : k, b, bOffset, transB ? k : n, c, cOffset, n, accumulate);
    }

    /** Whether {@link #sgemmSerial} runs a product with a strategy of its own (few rows, dot products). */
    private static boolean ownStrategy(boolean tA, boolean tB, int m, int n, int k) {
        return (!tA && !tB && m <= FEW_ROWS && n >= NR) || (!tA && tB && dotsWin(m, n, k));
    }

    /** Finishes a product with no multiply-adds (m, n or k zero): C is zeroed when k = 0 and not accumulating. */
    private static boolean isEmpty(int m, int n, int k, float[] c, int cOffset, boolean accumulate) {
        if (m == 0 || n == 0) return true;
        if (k != 0) return false;
        if (!accumulate) Arrays.fill(c, cOffset, cOffset + m * n, 0f);
        return true;
    }

    /** Whether a product is split over the threads. */
    private static boolean parallel(int m, int n, int k) {
        return THREADS > 1 && (long) m * n * k >= PARALLEL_WORK;
    }

    /**
     * Whether a split product packs op(A) once, shared ({@link #sharedA}): when op(A) is no larger than
     * op(B), packing A once and splitting the columns duplicates nothing, where a row split would pack
     * all of op(B) in every part.
     */
    private static boolean sharesA(int m, int n, int k) {
        return m > 1 && k > 1 && m <= n && ceilDiv(n, COLUMNS) >= 2 && (long) roundUp(m, MR) * k <= SHARED_A_MAX;
    }

    /**
     * Double-precision GEMM: {@code C = op(A)·op(B)}, or {@code C += op(A)·op(B)} when {@code accumulate}.
     * Same shapes, layout and contract as {@link #sgemm}. Simpler than sgemm (4-row × 2-vector register
     * tiles read straight from the arrays, k in blocks of 128, no packing), meant for gradient checks and
     * closed-form solvers rather than training.
     *
     * @throws IllegalArgumentException  if m, n or k is negative
     * @throws IndexOutOfBoundsException if an offset is negative or an array is too short for its matrix
     */
    public static void dgemm(boolean transA, boolean transB, int m, int n, int k,
                             double[] a, int aOffset, double[] b, int bOffset,
                             double[] c, int cOffset, boolean accumulate) {
        checkShapes("dgemm", transA, transB, m, n, k, a.length, aOffset, b.length, bOffset, c.length, cOffset);
        if (m == 0 || n == 0) return;
        if (k == 0) {
            if (!accumulate) Arrays.fill(c, cOffset, cOffset + m * n, 0.0);
            return;
        }
        double[] bRows = b;
        int b0 = bOffset;
        if (transB) { // a row-major k×n copy, so the loop below reads rows of op(B)
            bRows = new double[k * n];
            b0 = 0;
            for (int j = 0; j < n; j++) {
                for (int p = 0; p < k; p++) bRows[p * n + j] = b[bOffset + j * k + p];
            }
        }
        double[] bk = bRows;
        int bk0 = b0, lda = transA ? m : k, quads = ceilDiv(m, 4);
        int parts = (long) m * n * k < PARALLEL_WORK ? 1 : Math.min(THREADS, quads);
        IntConsumer rows = part -> {
            int from = (int) ((long) quads * part / parts) * 4, to = Math.min(m, (int) ((long) quads * (part + 1) / parts) * 4);
            double[] tile = new double[8 * DL];
            for (int pc = 0; pc < k; pc += DKC) { // a block of B rows, reused by every row of C while in cache
                int kc = Math.min(DKC, k - pc), aBlock = aOffset + (transA ? pc * lda : pc);
                for (int i = from; i < to; i += 4) {
                    for (int j = 0; j < n; j += 2 * DL) {
                        dgemmTile(transA, Math.min(4, to - i), Math.min(2 * DL, n - j), kc, a, aBlock + (transA ? i : i * lda),
                                lda, bk, bk0 + pc * n + j, n, c, cOffset + i * n + j, n, accumulate || pc > 0, tile);
                    }
                }
            }
        };
        if (parts == 1) rows.accept(0);
        else Parallel.forParts(parts, rows);
    }

    /**
     * C[0:mr, 0:nr] (+)= op(A)[0:mr, :]·B[:, 0:nr] for mr ≤ 4, nr ≤ 2 vectors, B row-major (ldb), straight
     * from the caller's arrays: 8 accumulators in registers, no packing. Missing rows repeat the last one.
     */
    private static void dgemmTile(boolean tA, int mr, int nr, int k, double[] a, int ai, int lda,
                                  double[] b, int bi, int ldb, double[] c, int ci, int ldc, boolean acc, double[] t) {
        int rs = tA ? 1 : lda, ps = tA ? lda : 1; // steps between rows and between p in A
        int a0 = ai, a1 = ai + Math.min(1, mr - 1) * rs, a2 = ai + Math.min(2, mr - 1) * rs, a3 = ai + Math.min(3, mr - 1) * rs;
        VectorMask<Double> m0 = D.indexInRange(0, nr), m1 = D.indexInRange(DL, nr);
        DoubleVector c00 = DoubleVector.zero(D), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        for (int p = 0, ap = 0, bp = bi; p < k; p++, ap += ps, bp += ldb) {
            DoubleVector b0 = DoubleVector.fromArray(D, b, bp, m0), b1 = DoubleVector.fromArray(D, b, bp + DL, m1);
            DoubleVector x = DoubleVector.broadcast(D, a[a0 + ap]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = DoubleVector.broadcast(D, a[a1 + ap]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = DoubleVector.broadcast(D, a[a2 + ap]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = DoubleVector.broadcast(D, a[a3 + ap]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
        }
        c00.intoArray(t, 0); // via t: a method this large is not inlined into, and would box vector arguments
        c01.intoArray(t, DL);
        c10.intoArray(t, 2 * DL);
        c11.intoArray(t, 3 * DL);
        c20.intoArray(t, 4 * DL);
        c21.intoArray(t, 5 * DL);
        c30.intoArray(t, 6 * DL);
        c31.intoArray(t, 7 * DL);
        for (int r = 0; r < mr; r++, ci += ldc) {
            for (int j = 0; j < nr; j++) c[ci + j] = acc ? c[ci + j] + t[2 * DL * r + j] : t[2 * DL * r + j];
        }
    }

    // ---------------------------------------------------------------------------------------------
    // sgemm on one thread, with explicit leading dimensions (row lengths) so parts of a split call
    // can address sub-matrices.

    private static void sgemmSerial(boolean tA, boolean tB, int m, int n, int k,
                                    float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                    float[] c, int cOff, int ldc, boolean acc) {
        if (m == 1) { // C row (n) = x (k) · op(B)
            int incx = tA ? lda : 1;
            if (!tB) {
                rowTimesMatrix(k, n, a, aOff, incx, b, bOff, ldb, c, cOff, acc);
            } else {
                Workspace ws = WORKSPACE.get();
                float[] x = incx == 1 ? a : ws.x(a, aOff, incx, k);
                matrixTimesColumn(n, k, b, bOff, ldb, x, incx == 1 ? aOff : 0, c, cOff, acc);
            }
        } else if (n == 1 && ldc == 1) { // C column (m) = op(A) · x (k)
            int incx = tB ? 1 : ldb;
            if (tA) {
                rowTimesMatrix(k, m, b, bOff, incx, a, aOff, lda, c, cOff, acc);
            } else {
                Workspace ws = WORKSPACE.get();
                float[] x = incx == 1 ? b : ws.x(b, bOff, incx, k);
                matrixTimesColumn(m, k, a, aOff, lda, x, incx == 1 ? bOff : 0, c, cOff, acc);
            }
        } else if (ownStrategy(tA, tB, m, n, k)) {
            if (tB) dots(m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, acc);
            else fewRows(m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, acc);
        } else if (k == 1) { // C = x ⊗ y: a batch of one's weight gradient; packing would cost more than it saves
            int incy = tB ? ldb : 1;
            float[] y = incy == 1 ? b : WORKSPACE.get().x(b, bOff, incy, n);
            outer(m, n, a, aOff, tA ? 1 : lda, y, incy == 1 ? bOff : 0, c, cOff, ldc, acc);
        } else {
            packed(tA, tB, m, n, k, a, aOff, lda, b, bOff, ldb, null, 0, c, cOff, ldc, acc, null);
        }
    }

    /**
     * Whether C = A·Bᵀ (both stored with rows of length k) is cheaper as dot products of rows than
     * packed: a small C over a long k (a convolution's weight gradient: filters × patch values,
     * summed over every position of the batch). Packing copies all of B for a product that reads each
     * of its values only m times, and a narrow C wastes most of the packed kernel's 6 × 64 tile; each
     * dot product ends in a sum across lanes, which a long k pays for.
     */
    private static boolean dotsWin(int m, int n, int k) {
        return k >= 64 * FL && (long) m * n <= 4096;
    }

    /**
     * C (+)= A·Bᵀ as dot products: A is m×k (row length lda), B is stored n×k (row length ldb). Blocks
     * of 4 rows of A × 4 rows of B keep 16 accumulators in registers, 8 loads per 16 FMAs; each
     * block's dot products are then summed across lanes.
     */
    private static void dots(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float[] c, int cOff, int ldc, boolean acc) {
        for (int i = 0; i < m; i += 4) {
            for (int j = 0; j < n; j += 4) {
                if (i + 4 <= m && j + 4 <= n) {
                    dots4x4(k, a, aOff + i * lda, lda, b, bOff + j * ldb, ldb, c, cOff + i * ldc + j, ldc, acc);
                } else {
                    for (int ii = i; ii < Math.min(m, i + 4); ii++) {
                        for (int jj = j; jj < Math.min(n, j + 4); jj++) {
                            float d = dot(k, a, aOff + ii * lda, b, bOff + jj * ldb);
                            int ci = cOff + ii * ldc + jj;
                            c[ci] = acc ? c[ci] + d : d;
                        }
                    }
                }
            }
        }
    }

    private static float dot(int k, float[] a, int ai, float[] b, int bi) {
        FloatVector s = FloatVector.zero(F);
        int p = 0;
        for (int bound = F.loopBound(k); p < bound; p += FL) {
            s = FloatVector.fromArray(F, a, ai + p).fma(FloatVector.fromArray(F, b, bi + p), s);
        }
        float sum = Blas1.sumLanes(s);
        for (; p < k; p++) sum += a[ai + p] * b[bi + p];
        return sum;
    }

    private static void dots4x4(int k, float[] a, int ai, int lda, float[] b, int bi, int ldb,
                                float[] c, int ci, int ldc, boolean acc) {
        FloatVector c00 = FloatVector.zero(F), c01 = c00, c02 = c00, c03 = c00, c10 = c00, c11 = c00, c12 = c00, c13 = c00;
        FloatVector c20 = c00, c21 = c00, c22 = c00, c23 = c00, c30 = c00, c31 = c00, c32 = c00, c33 = c00;
        int a1 = ai + lda, a2 = a1 + lda, a3 = a2 + lda, b1 = bi + ldb, b2 = b1 + ldb, b3 = b2 + ldb;
        int p = 0;
        for (int bound = F.loopBound(k); p < bound; p += FL) {
            FloatVector x0 = FloatVector.fromArray(F, a, ai + p), x1 = FloatVector.fromArray(F, a, a1 + p);
            FloatVector x2 = FloatVector.fromArray(F, a, a2 + p), x3 = FloatVector.fromArray(F, a, a3 + p);
            FloatVector y0 = FloatVector.fromArray(F, b, bi + p), y1 = FloatVector.fromArray(F, b, b1 + p);
            FloatVector y2 = FloatVector.fromArray(F, b, b2 + p), y3 = FloatVector.fromArray(F, b, b3 + p);
            c00 = x0.fma(y0, c00); c01 = x0.fma(y1, c01); c02 = x0.fma(y2, c02); c03 = x0.fma(y3, c03);
            c10 = x1.fma(y0, c10); c11 = x1.fma(y1, c11); c12 = x1.fma(y2, c12); c13 = x1.fma(y3, c13);
            c20 = x2.fma(y0, c20); c21 = x2.fma(y1, c21); c22 = x2.fma(y2, c22); c23 = x2.fma(y3, c23);
            c30 = x3.fma(y0, c30); c31 = x3.fma(y1, c31); c32 = x3.fma(y2, c32); c33 = x3.fma(y3, c33);
        }
        // Each sum leaves its register here: the JIT keeps vectors unboxed only when none is kept in an array of vectors.
        put(c, ci, acc, Blas1.sumLanes(c00) + tail(k, p, a, ai, b, bi));
        put(c, ci + 1, acc, Blas1.sumLanes(c01) + tail(k, p, a, ai, b, b1));
        put(c, ci + 2, acc, Blas1.sumLanes(c02) + tail(k, p, a, ai, b, b2));
        put(c, ci + 3, acc, Blas1.sumLanes(c03) + tail(k, p, a, ai, b, b3));
        int r = ci + ldc;
        put(c, r, acc, Blas1.sumLanes(c10) + tail(k, p, a, a1, b, bi));
        put(c, r + 1, acc, Blas1.sumLanes(c11) + tail(k, p, a, a1, b, b1));
        put(c, r + 2, acc, Blas1.sumLanes(c12) + tail(k, p, a, a1, b, b2));
        put(c, r + 3, acc, Blas1.sumLanes(c13) + tail(k, p, a, a1, b, b3));
        r += ldc;
        put(c, r, acc, Blas1.sumLanes(c20) + tail(k, p, a, a2, b, bi));
        put(c, r + 1, acc, Blas1.sumLanes(c21) + tail(k, p, a, a2, b, b1));
        put(c, r + 2, acc, Blas1.sumLanes(c22) + tail(k, p, a, a2, b, b2));
        put(c, r + 3, acc, Blas1.sumLanes(c23) + tail(k, p, a, a2, b, b3));
        r += ldc;
        put(c, r, acc, Blas1.sumLanes(c30) + tail(k, p, a, a3, b, bi));
        put(c, r + 1, acc, Blas1.sumLanes(c31) + tail(k, p, a, a3, b, b1));
        put(c, r + 2, acc, Blas1.sumLanes(c32) + tail(k, p, a, a3, b, b2));
        put(c, r + 3, acc, Blas1.sumLanes(c33) + tail(k, p, a, a3, b, b3));
    }

    /** At most this many rows of C are computed from B as it lies ({@link #fewRows}) rather than packed. */
    private static final int FEW_ROWS = 8;

    /**
     * C (+)= A·B for a few rows of A (a small batch's input gradient, g·W): blocks of 4 rows × 4
     * vectors of C in registers, B's rows read in place. Packing B would copy all of it for a product
     * that reads each value only m times.
     */
    private static void fewRows(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                float[] c, int cOff, int ldc, boolean acc) {
        int i = 0;
        for (; i + 4 <= m; i += 4) {
            int j = 0;
            for (; j + NR <= n; j += NR) fourRows(k, a, aOff + i * lda, lda, b, bOff + j, ldb, c, cOff + i * ldc + j, ldc, acc);
            for (; j < n; j += FL) fourRowsOneVector(k, n - j, a, aOff + i * lda, lda, b, bOff + j, ldb, c, cOff + i * ldc + j, ldc, acc);
        }
        for (; i < m; i++) rowTimesMatrix(k, n, a, aOff + i * lda, 1, b, bOff, ldb, c, cOff + i * ldc, acc);
    }

    private static void fourRows(int k, float[] a, int ai, int lda, float[] b, int bi, int ldb,
                                 float[] c, int ci, int ldc, boolean acc) {
        FloatVector c00 = FloatVector.zero(F), c01 = c00, c02 = c00, c03 = c00, c10 = c00, c11 = c00, c12 = c00, c13 = c00;
        FloatVector c20 = c00, c21 = c00, c22 = c00, c23 = c00, c30 = c00, c31 = c00, c32 = c00, c33 = c00;
        for (int p = 0, row = bi; p < k; p++, row += ldb) {
            FloatVector y0 = FloatVector.fromArray(F, b, row), y1 = FloatVector.fromArray(F, b, row + FL);
            FloatVector y2 = FloatVector.fromArray(F, b, row + 2 * FL), y3 = FloatVector.fromArray(F, b, row + 3 * FL);
            FloatVector x = FloatVector.broadcast(F, a[ai + p]);
            c00 = x.fma(y0, c00); c01 = x.fma(y1, c01); c02 = x.fma(y2, c02); c03 = x.fma(y3, c03);
            x = FloatVector.broadcast(F, a[ai + lda + p]);
            c10 = x.fma(y0, c10); c11 = x.fma(y1, c11); c12 = x.fma(y2, c12); c13 = x.fma(y3, c13);
            x = FloatVector.broadcast(F, a[ai + 2 * lda + p]);
            c20 = x.fma(y0, c20); c21 = x.fma(y1, c21); c22 = x.fma(y2, c22); c23 = x.fma(y3, c23);
            x = FloatVector.broadcast(F, a[ai + 3 * lda + p]);
            c30 = x.fma(y0, c30); c31 = x.fma(y1, c31); c32 = x.fma(y2, c32); c33 = x.fma(y3, c33);
        }
        store(c00, c, ci, acc); store(c01, c, ci + FL, acc); store(c02, c, ci + 2 * FL, acc); store(c03, c, ci + 3 * FL, acc);
        ci += ldc;
        store(c10, c, ci, acc); store(c11, c, ci + FL, acc); store(c12, c, ci + 2 * FL, acc); store(c13, c, ci + 3 * FL, acc);
        ci += ldc;
        store(c20, c, ci, acc); store(c21, c, ci + FL, acc); store(c22, c, ci + 2 * FL, acc); store(c23, c, ci + 3 * FL, acc);
        ci += ldc;
        store(c30, c, ci, acc); store(c31, c, ci + FL, acc); store(c32, c, ci + 2 * FL, acc); store(c33, c, ci + 3 * FL, acc);
    }

    private static void store(FloatVector v, float[] c, int at, boolean acc) {
        (acc ? v.add(FloatVector.fromArray(F, c, at)) : v).intoArray(c, at);
    }

    /** {@link #fourRows} for one vector of columns, of which only the first {@code width} (at most FL) exist. */
    private static void fourRowsOneVector(int k, int width, float[] a, int ai, int lda, float[] b, int bi, int ldb,
                                          float[] c, int ci, int ldc, boolean acc) {
        VectorMask<Float> mask = F.indexInRange(0, width);
        FloatVector c0 = FloatVector.zero(F), c1 = c0, c2 = c0, c3 = c0;
        for (int p = 0, row = bi; p < k; p++, row += ldb) {
            FloatVector y = FloatVector.fromArray(F, b, row, mask);
            c0 = FloatVector.broadcast(F, a[ai + p]).fma(y, c0);
            c1 = FloatVector.broadcast(F, a[ai + lda + p]).fma(y, c1);
            c2 = FloatVector.broadcast(F, a[ai + 2 * lda + p]).fma(y, c2);
            c3 = FloatVector.broadcast(F, a[ai + 3 * lda + p]).fma(y, c3);
        }
        storeMasked(c0, c, ci, acc, mask);
        storeMasked(c1, c, ci + ldc, acc, mask);
        storeMasked(c2, c, ci + 2 * ldc, acc, mask);
        storeMasked(c3, c, ci + 3 * ldc, acc, mask);
    }

    private static void storeMasked(FloatVector v, float[] c, int at, boolean acc, VectorMask<Float> mask) {
        (acc ? v.add(FloatVector.fromArray(F, c, at, mask)) : v).intoArray(c, at, mask);
    }

    /** Σ a[ai + q]·b[bi + q] for q in [from, k): the elements after the last whole vector. */
    private static float tail(int k, int from, float[] a, int ai, float[] b, int bi) {
        float s = 0;
        for (int q = from; q < k; q++) s += a[ai + q] * b[bi + q];
        return s;
    }

    private static void put(float[] c, int at, boolean acc, float value) {
        c[at] = acc ? c[at] + value : value;
    }

    /**
     * A parallel product that packs each operand once: op(A) is packed into one shared buffer (blocks of
     * one k block × MC rows, see {@link #sharedBlock}), then the columns of C are dealt out in chunks
     * (multiples of COLUMNS); each chunk packs only its own columns of op(B). Splitting rows instead
     * would make every part pack all of op(B) — the whole input batch in a training step. Both stages
     * are parts of one job, claimed in order by the caller and the helpers alike: the packing of op(A)
     * (one part per k block and MC rows) first, so a helper that wakes early packs half of it, and a
     * chunk starts once every packing part is done (each is short and already running when waited
     * for). More chunks than threads let the caller carry on alone when a helper is slow to start (a
     * busy machine), instead of waiting. A helper packs or computes its part into a buffer of its own and
     * copies it in place only if the caller has not redone it meanwhile ({@link Parallel#forRedoableParts}): on a
     * shared virtual machine the hypervisor stops a processor for milliseconds at a time, and a caller
     * waiting for a stopped helper's chunk lost more than the whole product takes.
     */
    private static void sharedA(boolean tA, boolean tB, int m, int n, int k,
                                float[] a, int aOff, int lda, float[] b, int bOff, int ldb, int[] bRows,
                                float[] c, int cOff, int ldc, boolean acc) {
        int kcMax = kBlock(k), mBlocks = ceilDiv(m, MC), packs = mBlocks * ceilDiv(k, kcMax);
        Workspace ws = WORKSPACE.get();
        float[] ap = ws.sharedA(packs * sharedBlock(kcMax));
        int nTiles = ceilDiv(n, COLUMNS), chunks = Math.min(nTiles, CHUNKS_PER_THREAD * THREADS);
        Parallel.forRedoableParts(packs + chunks, packs, new Parallel.Redoable() {
            @Override
            public void run(int part) {
                if (part < packs) pack(part, ap, part * sharedBlock(kcMax));
                else chunk(part, c, cOff + j0(part), ldc);
            }

            /**
             * A part packed or computed into the helper's own buffer: packing in place would not do even
             * though a redo writes the same values, as packA's stores of a transposed A write two floats
             * past each step, for the next store to replace, and a late helper stopped between two stores
             * would leave wrong values where the caller's chunks read.
             */
            @Override
            public Runnable detached(int part) {
                if (part < packs) {
                    int at = part * sharedBlock(kcMax), size = packedSize(part);
                    float[] own = WORKSPACE.get().own(sharedBlock(kcMax));
                    pack(part, own, 0);
                    return () -> System.arraycopy(own, 0, ap, at, size);
                }
                int j0 = j0(part), w = width(part);
                float[] own = WORKSPACE.get().own(m * w);
                if (acc) copyColumns(c, cOff + j0, ldc, own, 0, w, m, w);
                chunk(part, own, 0, w);
                return () -> copyColumns(own, 0, w, c, cOff + j0, ldc, m, w);
            }

            /** The chunk's columns of C, written to out (rows ldOut apart) from out's own contents if acc. */
            private void chunk(int part, float[] out, int outOff, int ldOut) {
                int j0 = j0(part);
                // op(B)'s columns j0… are stored rows j0… (transposed B) or start j0 into every row
                int shift = tB ? (bRows == null ? j0 * ldb : 0) : j0, row0 = tB && bRows != null ? j0 : 0;
                packed(tA, tB, m, width(part), k, a, aOff, lda, b, bOff + shift, ldb, bRows, row0, out, outOff, ldOut, acc, ap);
            }

            private void pack(int part, float[] out, int outOff) {
                int pc = part / mBlocks * kcMax, ic = part % mBlocks * MC, kc = Math.min(kcMax, k - pc);
                packA(tA, a, aOff, lda, ic, Math.min(MC, m - ic), pc, kc, out, outOff);
            }

            /** The floats of a packing part's panels (its rows rounded up to MR, times its k block). */
            private int packedSize(int part) {
                int pc = part / mBlocks * kcMax, ic = part % mBlocks * MC;
                return roundUp(Math.min(MC, m - ic), MR) * Math.min(kcMax, k - pc);
            }

            private int j0(int part) {
                return (int) ((long) nTiles * (part - packs) / chunks) * COLUMNS;
            }

            private int width(int part) {
                return Math.min(n, (int) ((long) nTiles * (part - packs + 1) / chunks) * COLUMNS) - j0(part);
            }
        });
    }

    /** Copies rows×cols floats from src (rows srcLd apart) to dst (rows dstLd apart). */
    private static void copyColumns(float[] src, int srcOff, int srcLd, float[] dst, int dstOff, int dstLd, int rows, int cols) {
        for (int r = 0; r < rows; r++) System.arraycopy(src, srcOff + r * srcLd, dst, dstOff + r * dstLd, cols);
    }

    /**
     * Floats per block of MC rows of the shared packed op(A) for k blocks of kcMax: every block gets its
     * own FL floats of slack, as packA may write that far past its panels and the blocks are packed in
     * parallel. Block (pc, ic) is part (pc / kcMax)·⌈m / MC⌉ + ic / MC of {@link #sharedA}.
     */
    private static int sharedBlock(int kcMax) {
        return MC * kcMax + FL;
    }

    /**
     * The blocked product on one thread, a BLIS-style loop nest turned around for a kernel that
     * broadcasts A and loads B: n blocks → k blocks (pack op(B) into panels that stay in the L2 cache) →
     * m blocks of MC rows (pack op(A)) → MR-row panels of op(A), each read into L1 once → NR-column panels
     * of op(B), streamed from L2 past it through the micro-kernel. Every operand is packed once per block;
     * C is written once per k block. With {@code sharedA}, op(A) comes already packed, block by block (see
     * {@link #sharedBlock}).
     */
    private static void packed(boolean tA, boolean tB, int m, int n, int k,
                               float[] a, int aOff, int lda, float[] b, int bOff, int ldb, int[] bRows, int bRow0,
                               float[] c, int cOff, int ldc, boolean acc, float[] sharedA) {
        int kcMax = kBlock(k), ncMax = nBlock(n, kcMax), mBlocks = ceilDiv(m, MC);
        Workspace ws = WORKSPACE.get();
        float[] bp = ws.packedB(ncMax * kcMax), ap = sharedA != null ? sharedA : ws.packedA(MC * kcMax + FL), t = ws.tile;
        for (int jc = 0; jc < n; jc += ncMax) {
            int nc = Math.min(ncMax, n - jc);
            for (int pc = 0; pc < k; pc += kcMax) {
                int kc = Math.min(kcMax, k - pc);
                boolean add = acc || pc > 0;
                packB(tB, b, bOff, ldb, bRows, bRow0, pc, kc, jc, nc, bp);
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    if (sharedA == null) packA(tA, a, aOff, lda, ic, mc, pc, kc, ap, 0);
                    for (int ir = 0; ir < mc; ir += MR) {
                        int mr = Math.min(MR, mc - ir);
                        int ai = (sharedA == null ? 0 : (pc / kcMax * mBlocks + ic / MC) * sharedBlock(kcMax)) + ir * kc;
                        int ci = cOff + (ic + ir) * ldc + jc;
                        for (int jr = 0, w; jr < nc; jr += w) {
                            w = panelWidth(nc - jr);
                            int nr = Math.min(w, nc - jr), bi = jr * kc;
                            if (w == NR && NV == 4) kernel4(kc, ap, ai, bp, bi, c, ci + jr, ldc, mr, nr, add, t);
                            else if (w > FL) kernel2(kc, ap, ai, bp, bi, c, ci + jr, ldc, mr, nr, add, t);
                            else kernel1(kc, ap, ai, bp, bi, c, ci + jr, ldc, mr, nr, add, t);
                        }
                    }
                }
            }
        }
    }

    /** The k block: at most KC, in equal parts, so 784 becomes 2×392 rather than 512 plus 272. */
    private static int kBlock(int k) {
        return ceilDiv(k, ceilDiv(k, KC));
    }

    /** The n block for a k block of kc: packed op(B) within B_BLOCK floats, in equal parts of whole panels. */
    private static int nBlock(int n, int kc) {
        int limit = Math.max(NR, B_BLOCK / kc / NR * NR);
        return roundUp(ceilDiv(n, ceilDiv(n, limit)), NR);
    }

    /**
     * Width of the next packed panel of op(B) when {@code rest} columns remain: NR, or for the last few
     * columns two vectors and then one. n = 200 becomes 64+64+64+16 (not 4×64), and 40 becomes 32+16.
     */
    private static int panelWidth(int rest) {
        return rest > NR - FL ? NR : rest > FL ? 2 * FL : FL;
    }

    /**
     * Packs op(A)[i0:i0+mc, p0:p0+kc] as panels of MR rows from ap[dst], panel q at dst + q·MR·kc, each
     * stored k-major (ap[… + p·MR + r]): the micro-kernel then reads one short contiguous run per step.
     * Rows past mc in the last panel are computed by the kernels and never stored, so they hold whatever
     * is cheapest: zeros, copies of the last row, or the next elements of A. Panels are written in order,
     * each step of a panel in order; a step may write 2 floats past its end, which the next one written
     * overwrites, and up to FL floats past the last panel.
     */
    private static void packA(boolean tA, float[] a, int aOff, int lda, int i0, int mc, int p0, int kc, float[] ap, int dst) {
        int done = 0, panels = ceilDiv(mc, MR); // leading panels packed with vectors
        if (tA && P8 != null) {
            // op(A)[i][p] = a[p·lda + i]: each step of a panel is 6 contiguous floats, copied as 8 (masked
            // stores cost a third more). Step by step across all panels at once would be reading A row by
            // row, but their stores, 6·kc floats apart, would all fall in the same few L1 sets: 3× slower.
            long room = a.length - (aOff + (long) (p0 + kc - 1) * lda + i0) - P8.length(); // the last row's loads stay in A
            done = room < 0 ? 0 : (int) Math.min(panels, room / MR + 1);
            for (int q = 0; q < done; q++) {
                for (int p = 0, src = aOff + p0 * lda + i0 + q * MR, to = dst + q * MR * kc; p < kc; p++, src += lda, to += MR) {
                    FloatVector.fromArray(P8, a, src).intoArray(ap, to);
                }
            }
        } else if (!tA && TRANSPOSE && kc >= 16) {
            // op(A)[i][p] = a[i·lda + p]: a transpose, 16 steps at a time
            done = panels;
            for (int q = 0; q < panels; q++) {
                int src = aOff + (i0 + q * MR) * lda + p0, to = dst + q * MR * kc, rows = Math.min(MR, mc - q * MR);
                for (int p = 0; p < kc; p += 16) {
                    int s = Math.min(p, kc - 16); // a short last block overlaps the one before instead
                    transposeA(a, src + s, lda, rows, ap, to + s * MR);
                }
            }
        }
        for (int ir = done * MR; ir < mc; ir += MR) { // the rest, one element at a time
            int mr = Math.min(MR, mc - ir), to = dst + ir * kc;
            for (int p = 0; p < kc; p++) {
                for (int r = 0; r < MR; r++) {
                    int i = i0 + ir + r, kk = p0 + p;
                    ap[to + p * MR + r] = r >= mr ? 0f : tA ? a[aOff + kk * lda + i] : a[aOff + i * lda + kk];
                }
            }
        }
    }

    /**
     * Packs op(B)[p0:p0+kc, j0:j0+nc] as panels {@link #panelWidth} wide, each stored k-major from
     * bp[jr·kc] (jr its first column), zero-padded.
     */
    private static void packB(boolean tB, float[] b, int bOff, int ldb, int[] bRows, int bRow0,
                              int p0, int kc, int j0, int nc, float[] bp) {
        int[] starts = WORKSPACE.get().starts;
        for (int jr = 0, w; jr < nc; jr += w) {
            w = panelWidth(nc - jr);
            int nr = Math.min(w, nc - jr), dst = jr * kc, whole = nr - nr % FL;
            if (!tB) { // op(B)[p][j] = B[p][j]: vector copies per p
                int col = j0 + jr, rest = nr - whole;
                VectorMask<Float> part = F.indexInRange(0, rest);
                for (int p = 0; p < kc; p++, dst += w) {
                    int src = rowStart(bOff, ldb, bRows, bRow0, p0 + p) + col;
                    for (int j = 0; j < whole; j += FL) FloatVector.fromArray(F, b, src + j).intoArray(bp, dst + j);
                    // A masked load reaching past the end of B takes the JDK's slow path: those stay scalar.
                    if (rest > 0 && src + whole + FL <= b.length) { // w is nr rounded up to a vector
                        FloatVector.fromArray(F, b, src + whole, part).intoArray(bp, dst + whole);
                    } else if (rest > 0) {
                        for (int j = whole; j < w; j++) bp[dst + j] = j < nr ? b[src + j] : 0f;
                    }
                }
                continue;
            }
            // op(B)[p][j] = B[j][p]: a transpose, by 16×16 blocks where the hardware allows
            int row = j0 + jr, fast = TRANSPOSE && kc >= 16 ? nr - nr % 16 : 0;
            for (int j = 0; j < fast; j += 16) {
                for (int i = 0; i < 16; i++) starts[i] = rowStart(bOff, ldb, bRows, bRow0, row + j + i) + p0;
                for (int p = 0; p < kc; p += 16) {
                    int q = Math.min(p, kc - 16); // a short last block overlaps the one before instead
                    transposeB(b, starts, q, bp, dst + q * w + j, w);
                }
            }
            for (int j = fast; j < w; j++) {
                int src = j < nr ? rowStart(bOff, ldb, bRows, bRow0, row + j) + p0 : 0;
                for (int p = 0; p < kc; p++) bp[dst + p * w + j] = j < nr ? b[src + p] : 0f;
            }
        }
    }

    /** Where stored row r of B starts: bOff + r·ldb, or with rows given, bRows[bRow0 + r] + bOff. */
    private static int rowStart(int bOff, int ldb, int[] bRows, int bRow0, int r) {
        return bRows == null ? bOff + r * ldb : bRows[bRow0 + r] + bOff;
    }

    /**
     * ap[dst + p·6 + r] = a[src + r·lda + p] for r < 6, p < 16: sixteen steps of a 6-row A panel, in 18
     * two-vector permutes; rows from {@code rows} on repeat the last one. First rows 2g and 2g+1 are
     * interleaved (lo: steps 0–7, hi: steps 8–15), so each step's pair sits at lanes 2p, 2p+1 of pair
     * vector g; then each of the 6 output vectors gathers its lanes from the three pair vectors in two
     * permutes.
     */
    private static void transposeA(float[] a, int src, int lda, int rows, float[] ap, int dst) {
        int s1 = src + (rows > 1 ? lda : 0), s2 = s1 + (rows > 2 ? lda : 0), s3 = s2 + (rows > 3 ? lda : 0);
        int s4 = s3 + (rows > 4 ? lda : 0), s5 = s4 + (rows > 5 ? lda : 0);
        IntVector r0 = FloatVector.fromArray(F16, a, src).reinterpretAsInts();
        IntVector r1 = FloatVector.fromArray(F16, a, s1).reinterpretAsInts();
        IntVector r2 = FloatVector.fromArray(F16, a, s2).reinterpretAsInts();
        IntVector r3 = FloatVector.fromArray(F16, a, s3).reinterpretAsInts();
        IntVector r4 = FloatVector.fromArray(F16, a, s4).reinterpretAsInts();
        IntVector r5 = FloatVector.fromArray(F16, a, s5).reinterpretAsInts();
        IntVector lo = IntVector.fromArray(I16, A_PERMUTES, 0), hi = IntVector.fromArray(I16, A_PERMUTES, 16);
        IntVector l0 = lo.selectFrom(r0, r1), l1 = lo.selectFrom(r2, r3), l2 = lo.selectFrom(r4, r5);
        IntVector h0 = hi.selectFrom(r0, r1), h1 = hi.selectFrom(r2, r3), h2 = hi.selectFrom(r4, r5);
        for (int o = 0; o < 3; o++) { // output vector o holds floats 16·o … 16·o+15 of steps 0–7; o+3 of steps 8–15
            IntVector first = IntVector.fromArray(I16, A_PERMUTES, 32 + 32 * o);
            IntVector second = IntVector.fromArray(I16, A_PERMUTES, 48 + 32 * o);
            second.selectFrom(first.selectFrom(l0, l1), l2).reinterpretAsFloats().intoArray(ap, dst + 16 * o);
            second.selectFrom(first.selectFrom(h0, h1), h2).reinterpretAsFloats().intoArray(ap, dst + 48 + 16 * o);
        }
    }

    /**
     * The permutes of {@link #transposeA}: interleave low and high halves of two rows; then per output
     * vector o, lane d (float q = 16o+d: step q/6, row q%6 in pair g = row/2 at pair lane 2·step + row%2)
     * first takes pairs 0 and 1, then keeps those lanes and takes pair 2.
     */
    private static int[] aPermutes() {
        int[] index = new int[32 + 3 * 32];
        for (int d = 0; d < 16; d++) {
            index[d] = (d & 1) * 16 + (d >> 1);
            index[16 + d] = (d & 1) * 16 + 8 + (d >> 1);
        }
        for (int o = 0; o < 3; o++) {
            for (int d = 0; d < 16; d++) {
                int q = 16 * o + d, step = q / 6, row = q % 6, pair = row / 2, lane = 2 * step + row % 2;
                index[32 + 32 * o + d] = pair == 0 ? lane : pair == 1 ? 16 + lane : 0;
                index[48 + 32 * o + d] = pair == 2 ? 16 + lane : d;
            }
        }
        return index;
    }

    /**
     * bp[dst + p·ldp + j] = b[starts[j] + q + p] for j, p < 16: a 16×16 transpose in four rounds of
     * two-vector permutes, round s exchanging bit s of the row and lane numbers.
     */
    private static void transposeB(float[] b, int[] starts, int q, float[] bp, int dst, int ldp) {
        IntVector v0 = FloatVector.fromArray(F16, b, starts[0] + q).reinterpretAsInts();
        IntVector v1 = FloatVector.fromArray(F16, b, starts[1] + q).reinterpretAsInts();
        IntVector v2 = FloatVector.fromArray(F16, b, starts[2] + q).reinterpretAsInts();
        IntVector v3 = FloatVector.fromArray(F16, b, starts[3] + q).reinterpretAsInts();
        IntVector v4 = FloatVector.fromArray(F16, b, starts[4] + q).reinterpretAsInts();
        IntVector v5 = FloatVector.fromArray(F16, b, starts[5] + q).reinterpretAsInts();
        IntVector v6 = FloatVector.fromArray(F16, b, starts[6] + q).reinterpretAsInts();
        IntVector v7 = FloatVector.fromArray(F16, b, starts[7] + q).reinterpretAsInts();
        IntVector v8 = FloatVector.fromArray(F16, b, starts[8] + q).reinterpretAsInts();
        IntVector v9 = FloatVector.fromArray(F16, b, starts[9] + q).reinterpretAsInts();
        IntVector v10 = FloatVector.fromArray(F16, b, starts[10] + q).reinterpretAsInts();
        IntVector v11 = FloatVector.fromArray(F16, b, starts[11] + q).reinterpretAsInts();
        IntVector v12 = FloatVector.fromArray(F16, b, starts[12] + q).reinterpretAsInts();
        IntVector v13 = FloatVector.fromArray(F16, b, starts[13] + q).reinterpretAsInts();
        IntVector v14 = FloatVector.fromArray(F16, b, starts[14] + q).reinterpretAsInts();
        IntVector v15 = FloatVector.fromArray(F16, b, starts[15] + q).reinterpretAsInts();
        IntVector t;
        IntVector lo = IntVector.fromArray(I16, B_ROUNDS, 0), hi = IntVector.fromArray(I16, B_ROUNDS, 16);
        t = lo.selectFrom(v0, v1); v1 = hi.selectFrom(v0, v1); v0 = t;
        t = lo.selectFrom(v2, v3); v3 = hi.selectFrom(v2, v3); v2 = t;
        t = lo.selectFrom(v4, v5); v5 = hi.selectFrom(v4, v5); v4 = t;
        t = lo.selectFrom(v6, v7); v7 = hi.selectFrom(v6, v7); v6 = t;
        t = lo.selectFrom(v8, v9); v9 = hi.selectFrom(v8, v9); v8 = t;
        t = lo.selectFrom(v10, v11); v11 = hi.selectFrom(v10, v11); v10 = t;
        t = lo.selectFrom(v12, v13); v13 = hi.selectFrom(v12, v13); v12 = t;
        t = lo.selectFrom(v14, v15); v15 = hi.selectFrom(v14, v15); v14 = t;
        lo = IntVector.fromArray(I16, B_ROUNDS, 32);
        hi = IntVector.fromArray(I16, B_ROUNDS, 48);
        t = lo.selectFrom(v0, v2); v2 = hi.selectFrom(v0, v2); v0 = t;
        t = lo.selectFrom(v1, v3); v3 = hi.selectFrom(v1, v3); v1 = t;
        t = lo.selectFrom(v4, v6); v6 = hi.selectFrom(v4, v6); v4 = t;
        t = lo.selectFrom(v5, v7); v7 = hi.selectFrom(v5, v7); v5 = t;
        t = lo.selectFrom(v8, v10); v10 = hi.selectFrom(v8, v10); v8 = t;
        t = lo.selectFrom(v9, v11); v11 = hi.selectFrom(v9, v11); v9 = t;
        t = lo.selectFrom(v12, v14); v14 = hi.selectFrom(v12, v14); v12 = t;
        t = lo.selectFrom(v13, v15); v15 = hi.selectFrom(v13, v15); v13 = t;
        lo = IntVector.fromArray(I16, B_ROUNDS, 64);
        hi = IntVector.fromArray(I16, B_ROUNDS, 80);
        t = lo.selectFrom(v0, v4); v4 = hi.selectFrom(v0, v4); v0 = t;
        t = lo.selectFrom(v1, v5); v5 = hi.selectFrom(v1, v5); v1 = t;
        t = lo.selectFrom(v2, v6); v6 = hi.selectFrom(v2, v6); v2 = t;
        t = lo.selectFrom(v3, v7); v7 = hi.selectFrom(v3, v7); v3 = t;
        t = lo.selectFrom(v8, v12); v12 = hi.selectFrom(v8, v12); v8 = t;
        t = lo.selectFrom(v9, v13); v13 = hi.selectFrom(v9, v13); v9 = t;
        t = lo.selectFrom(v10, v14); v14 = hi.selectFrom(v10, v14); v10 = t;
        t = lo.selectFrom(v11, v15); v15 = hi.selectFrom(v11, v15); v11 = t;
        lo = IntVector.fromArray(I16, B_ROUNDS, 96);
        hi = IntVector.fromArray(I16, B_ROUNDS, 112);
        t = lo.selectFrom(v0, v8); v8 = hi.selectFrom(v0, v8); v0 = t;
        t = lo.selectFrom(v1, v9); v9 = hi.selectFrom(v1, v9); v1 = t;
        t = lo.selectFrom(v2, v10); v10 = hi.selectFrom(v2, v10); v2 = t;
        t = lo.selectFrom(v3, v11); v11 = hi.selectFrom(v3, v11); v3 = t;
        t = lo.selectFrom(v4, v12); v12 = hi.selectFrom(v4, v12); v4 = t;
        t = lo.selectFrom(v5, v13); v13 = hi.selectFrom(v5, v13); v5 = t;
        t = lo.selectFrom(v6, v14); v14 = hi.selectFrom(v6, v14); v6 = t;
        t = lo.selectFrom(v7, v15); v15 = hi.selectFrom(v7, v15); v7 = t;
        v0.reinterpretAsFloats().intoArray(bp, dst);
        v1.reinterpretAsFloats().intoArray(bp, dst + ldp);
        v2.reinterpretAsFloats().intoArray(bp, dst + 2 * ldp);
        v3.reinterpretAsFloats().intoArray(bp, dst + 3 * ldp);
        v4.reinterpretAsFloats().intoArray(bp, dst + 4 * ldp);
        v5.reinterpretAsFloats().intoArray(bp, dst + 5 * ldp);
        v6.reinterpretAsFloats().intoArray(bp, dst + 6 * ldp);
        v7.reinterpretAsFloats().intoArray(bp, dst + 7 * ldp);
        v8.reinterpretAsFloats().intoArray(bp, dst + 8 * ldp);
        v9.reinterpretAsFloats().intoArray(bp, dst + 9 * ldp);
        v10.reinterpretAsFloats().intoArray(bp, dst + 10 * ldp);
        v11.reinterpretAsFloats().intoArray(bp, dst + 11 * ldp);
        v12.reinterpretAsFloats().intoArray(bp, dst + 12 * ldp);
        v13.reinterpretAsFloats().intoArray(bp, dst + 13 * ldp);
        v14.reinterpretAsFloats().intoArray(bp, dst + 14 * ldp);
        v15.reinterpretAsFloats().intoArray(bp, dst + 15 * ldp);
    }

    /**
     * Index pairs for transposes of 16-lane vectors: round s pairs rows x, y that differ in row bit s and
     * swaps that bit with lane bit laneBits[s]; (low, high) select x's and y's new lanes from (x, y).
     */
    private static int[] transposeRounds(int... laneBits) {
        int[] index = new int[laneBits.length * 32];
        for (int s = 0; s < laneBits.length; s++) {
            int bit = 1 << laneBits[s];
            for (int out = 0; out < 16; out++) {
                int from = (out & bit) != 0 ? 16 : 0;
                index[32 * s + out] = from + (out & ~bit);
                index[32 * s + 16 + out] = from + (out | bit);
            }
        }
        return index;
    }

    /**
     * C[0:mr, 0:nr] (+)= Σ_p A-panel[p][0:MR] ⊗ B-panel[p][0:4·FL]: the main micro-kernel. The 24 partial
     * sums stay in registers for the whole k block (with the 4 B vectors and one broadcast, 29 of the 32
     * vector registers); per step 4 vector loads and 6 broadcast loads feed 24 FMAs, so the FMA units, not
     * the loads, set the pace. Padded rows and columns are computed and dropped. {@code t} carries a
     * partial tile to C: C2 stops inlining once a method grows this large, and a vector passed to a
     * method that was not inlined is boxed.
     */
    private static void kernel4(int kc, float[] ap, int ai, float[] bp, int bi,
                                float[] c, int ci, int ldc, int mr, int nr, boolean add, float[] t) {
        FloatVector c00 = FloatVector.zero(F), c01 = c00, c02 = c00, c03 = c00, c10 = c00, c11 = c00,
                c12 = c00, c13 = c00, c20 = c00, c21 = c00, c22 = c00, c23 = c00, c30 = c00, c31 = c00,
                c32 = c00, c33 = c00, c40 = c00, c41 = c00, c42 = c00, c43 = c00, c50 = c00, c51 = c00,
                c52 = c00, c53 = c00;
        for (int p = 0; p < kc; p++) {
            int pa = ai + p * MR, pb = bi + p * 4 * FL;
            FloatVector b0 = FloatVector.fromArray(F, bp, pb), b1 = FloatVector.fromArray(F, bp, pb + FL),
                    b2 = FloatVector.fromArray(F, bp, pb + 2 * FL), b3 = FloatVector.fromArray(F, bp, pb + 3 * FL);
            FloatVector x = FloatVector.broadcast(F, ap[pa]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            c02 = x.fma(b2, c02);
            c03 = x.fma(b3, c03);
            x = FloatVector.broadcast(F, ap[pa + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            c12 = x.fma(b2, c12);
            c13 = x.fma(b3, c13);
            x = FloatVector.broadcast(F, ap[pa + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            c22 = x.fma(b2, c22);
            c23 = x.fma(b3, c23);
            x = FloatVector.broadcast(F, ap[pa + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            c32 = x.fma(b2, c32);
            c33 = x.fma(b3, c33);
            x = FloatVector.broadcast(F, ap[pa + 4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            c42 = x.fma(b2, c42);
            c43 = x.fma(b3, c43);
            x = FloatVector.broadcast(F, ap[pa + 5]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
            c52 = x.fma(b2, c52);
            c53 = x.fma(b3, c53);
        }
        if (mr == MR && nr == 4 * FL) { // a whole tile: straight to C (short k blocks pay for every store)
            int c1 = ci + ldc, c2 = c1 + ldc, c3 = c2 + ldc, c4 = c3 + ldc, c5 = c4 + ldc;
            if (add) {
                c00 = c00.add(FloatVector.fromArray(F, c, ci));
                c01 = c01.add(FloatVector.fromArray(F, c, ci + FL));
                c02 = c02.add(FloatVector.fromArray(F, c, ci + 2 * FL));
                c03 = c03.add(FloatVector.fromArray(F, c, ci + 3 * FL));
                c10 = c10.add(FloatVector.fromArray(F, c, c1));
                c11 = c11.add(FloatVector.fromArray(F, c, c1 + FL));
                c12 = c12.add(FloatVector.fromArray(F, c, c1 + 2 * FL));
                c13 = c13.add(FloatVector.fromArray(F, c, c1 + 3 * FL));
                c20 = c20.add(FloatVector.fromArray(F, c, c2));
                c21 = c21.add(FloatVector.fromArray(F, c, c2 + FL));
                c22 = c22.add(FloatVector.fromArray(F, c, c2 + 2 * FL));
                c23 = c23.add(FloatVector.fromArray(F, c, c2 + 3 * FL));
                c30 = c30.add(FloatVector.fromArray(F, c, c3));
                c31 = c31.add(FloatVector.fromArray(F, c, c3 + FL));
                c32 = c32.add(FloatVector.fromArray(F, c, c3 + 2 * FL));
                c33 = c33.add(FloatVector.fromArray(F, c, c3 + 3 * FL));
                c40 = c40.add(FloatVector.fromArray(F, c, c4));
                c41 = c41.add(FloatVector.fromArray(F, c, c4 + FL));
                c42 = c42.add(FloatVector.fromArray(F, c, c4 + 2 * FL));
                c43 = c43.add(FloatVector.fromArray(F, c, c4 + 3 * FL));
                c50 = c50.add(FloatVector.fromArray(F, c, c5));
                c51 = c51.add(FloatVector.fromArray(F, c, c5 + FL));
                c52 = c52.add(FloatVector.fromArray(F, c, c5 + 2 * FL));
                c53 = c53.add(FloatVector.fromArray(F, c, c5 + 3 * FL));
            }
            c00.intoArray(c, ci);
            c01.intoArray(c, ci + FL);
            c02.intoArray(c, ci + 2 * FL);
            c03.intoArray(c, ci + 3 * FL);
            c10.intoArray(c, c1);
            c11.intoArray(c, c1 + FL);
            c12.intoArray(c, c1 + 2 * FL);
            c13.intoArray(c, c1 + 3 * FL);
            c20.intoArray(c, c2);
            c21.intoArray(c, c2 + FL);
            c22.intoArray(c, c2 + 2 * FL);
            c23.intoArray(c, c2 + 3 * FL);
            c30.intoArray(c, c3);
            c31.intoArray(c, c3 + FL);
            c32.intoArray(c, c3 + 2 * FL);
            c33.intoArray(c, c3 + 3 * FL);
            c40.intoArray(c, c4);
            c41.intoArray(c, c4 + FL);
            c42.intoArray(c, c4 + 2 * FL);
            c43.intoArray(c, c4 + 3 * FL);
            c50.intoArray(c, c5);
            c51.intoArray(c, c5 + FL);
            c52.intoArray(c, c5 + 2 * FL);
            c53.intoArray(c, c5 + 3 * FL);
            return;
        }
        c00.intoArray(t, 0);
        c01.intoArray(t, FL);
        c02.intoArray(t, 2 * FL);
        c03.intoArray(t, 3 * FL);
        c10.intoArray(t, 4 * FL);
        c11.intoArray(t, 5 * FL);
        c12.intoArray(t, 6 * FL);
        c13.intoArray(t, 7 * FL);
        c20.intoArray(t, 8 * FL);
        c21.intoArray(t, 9 * FL);
        c22.intoArray(t, 10 * FL);
        c23.intoArray(t, 11 * FL);
        c30.intoArray(t, 12 * FL);
        c31.intoArray(t, 13 * FL);
        c32.intoArray(t, 14 * FL);
        c33.intoArray(t, 15 * FL);
        c40.intoArray(t, 16 * FL);
        c41.intoArray(t, 17 * FL);
        c42.intoArray(t, 18 * FL);
        c43.intoArray(t, 19 * FL);
        c50.intoArray(t, 20 * FL);
        c51.intoArray(t, 21 * FL);
        c52.intoArray(t, 22 * FL);
        c53.intoArray(t, 23 * FL);
        storeTile(t, 4 * FL, mr, nr, c, ci, ldc, add);
    }

    /** As {@link #kernel4} for a panel two vectors wide: a narrow last panel, or the main kernel with 16 registers. */
    private static void kernel2(int kc, float[] ap, int ai, float[] bp, int bi,
                                float[] c, int ci, int ldc, int mr, int nr, boolean add, float[] t) {
        FloatVector c00 = FloatVector.zero(F), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00,
                c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
        for (int p = 0; p < kc; p++) {
            int pa = ai + p * MR, pb = bi + p * 2 * FL;
            FloatVector b0 = FloatVector.fromArray(F, bp, pb), b1 = FloatVector.fromArray(F, bp, pb + FL);
            FloatVector x = FloatVector.broadcast(F, ap[pa]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(F, ap[pa + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(F, ap[pa + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(F, ap[pa + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(F, ap[pa + 4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(F, ap[pa + 5]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
        }
        c00.intoArray(t, 0);
        c01.intoArray(t, FL);
        c10.intoArray(t, 2 * FL);
        c11.intoArray(t, 3 * FL);
        c20.intoArray(t, 4 * FL);
        c21.intoArray(t, 5 * FL);
        c30.intoArray(t, 6 * FL);
        c31.intoArray(t, 7 * FL);
        c40.intoArray(t, 8 * FL);
        c41.intoArray(t, 9 * FL);
        c50.intoArray(t, 10 * FL);
        c51.intoArray(t, 11 * FL);
        storeTile(t, 2 * FL, mr, nr, c, ci, ldc, add);
    }

    /**
     * As {@link #kernel4} for a panel one vector wide (the last columns of C). Six sums alone would wait on
     * the FMA latency (4 cycles, 2 FMAs per cycle: 8 in flight), so even and odd steps keep separate sums.
     */
    private static void kernel1(int kc, float[] ap, int ai, float[] bp, int bi,
                                float[] c, int ci, int ldc, int mr, int nr, boolean add, float[] t) {
        FloatVector c00 = FloatVector.zero(F), c10 = c00, c20 = c00, c30 = c00, c40 = c00, c50 = c00,
                d00 = c00, d10 = c00, d20 = c00, d30 = c00, d40 = c00, d50 = c00;
        int p = 0;
        for (; p + 1 < kc; p += 2) {
            int pa = ai + p * MR, pb = bi + p * FL;
            FloatVector b0 = FloatVector.fromArray(F, bp, pb), b1 = FloatVector.fromArray(F, bp, pb + FL);
            c00 = FloatVector.broadcast(F, ap[pa]).fma(b0, c00);
            c10 = FloatVector.broadcast(F, ap[pa + 1]).fma(b0, c10);
            c20 = FloatVector.broadcast(F, ap[pa + 2]).fma(b0, c20);
            c30 = FloatVector.broadcast(F, ap[pa + 3]).fma(b0, c30);
            c40 = FloatVector.broadcast(F, ap[pa + 4]).fma(b0, c40);
            c50 = FloatVector.broadcast(F, ap[pa + 5]).fma(b0, c50);
            d00 = FloatVector.broadcast(F, ap[pa + 6]).fma(b1, d00);
            d10 = FloatVector.broadcast(F, ap[pa + 7]).fma(b1, d10);
            d20 = FloatVector.broadcast(F, ap[pa + 8]).fma(b1, d20);
            d30 = FloatVector.broadcast(F, ap[pa + 9]).fma(b1, d30);
            d40 = FloatVector.broadcast(F, ap[pa + 10]).fma(b1, d40);
            d50 = FloatVector.broadcast(F, ap[pa + 11]).fma(b1, d50);
        }
        if (p < kc) {
            int pa = ai + p * MR;
            FloatVector b0 = FloatVector.fromArray(F, bp, bi + p * FL);
            c00 = FloatVector.broadcast(F, ap[pa]).fma(b0, c00);
            c10 = FloatVector.broadcast(F, ap[pa + 1]).fma(b0, c10);
            c20 = FloatVector.broadcast(F, ap[pa + 2]).fma(b0, c20);
            c30 = FloatVector.broadcast(F, ap[pa + 3]).fma(b0, c30);
            c40 = FloatVector.broadcast(F, ap[pa + 4]).fma(b0, c40);
            c50 = FloatVector.broadcast(F, ap[pa + 5]).fma(b0, c50);
        }
        c00.add(d00).intoArray(t, 0);
        c10.add(d10).intoArray(t, FL);
        c20.add(d20).intoArray(t, 2 * FL);
        c30.add(d30).intoArray(t, 3 * FL);
        c40.add(d40).intoArray(t, 4 * FL);
        c50.add(d50).intoArray(t, 5 * FL);
        storeTile(t, FL, mr, nr, c, ci, ldc, add);
    }

    /** Writes (or adds) the first mr rows and nr columns of a micro-tile (rows w apart in t) to C at c[ci]. */
    private static void storeTile(float[] t, int w, int mr, int nr, float[] c, int ci, int ldc, boolean add) {
        if (nr != w) {
            // Edge tiles stay scalar: masked vector loads and stores near the end of C leave the
            // intrinsic path for a slow lane-by-lane one, which profiling showed dominating batch-64 steps.
            for (int r = 0; r < mr; r++, ci += ldc) {
                for (int j = 0; j < nr; j++) c[ci + j] = add ? c[ci + j] + t[r * w + j] : t[r * w + j];
            }
            return;
        }
        for (int r = 0; r < mr; r++, ci += ldc) {
            for (int j = 0; j < w; j += FL) {
                FloatVector v = FloatVector.fromArray(F, t, r * w + j);
                if (add) v = v.add(FloatVector.fromArray(F, c, ci + j));
                v.intoArray(c, ci + j);
            }
        }
    }

    /**
     * y[0:n] (+)= Σ_p x[p·incx] · mat[p·ldm + 0:n] (a row vector times a k×n matrix). Strips of four
     * vectors of y stay in registers while the matrix streams through once.
     */
    private static void rowTimesMatrix(int k, int n, float[] x, int xOff, int incx,
                                       float[] mat, int mOff, int ldm, float[] y, int yOff, boolean acc) {
        int strips = n - n % (4 * FL);
        for (int j = 0; j < strips; j += 4 * FL) {
            FloatVector s0 = FloatVector.zero(F), s1 = s0, s2 = s0, s3 = s0;
            for (int p = 0, row = mOff + j; p < k; p++, row += ldm) {
                FloatVector xp = FloatVector.broadcast(F, x[xOff + p * incx]);
                s0 = FloatVector.fromArray(F, mat, row).fma(xp, s0);
                s1 = FloatVector.fromArray(F, mat, row + FL).fma(xp, s1);
                s2 = FloatVector.fromArray(F, mat, row + 2 * FL).fma(xp, s2);
                s3 = FloatVector.fromArray(F, mat, row + 3 * FL).fma(xp, s3);
            }
            int yj = yOff + j;
            if (acc) {
                s0 = s0.add(FloatVector.fromArray(F, y, yj));
                s1 = s1.add(FloatVector.fromArray(F, y, yj + FL));
                s2 = s2.add(FloatVector.fromArray(F, y, yj + 2 * FL));
                s3 = s3.add(FloatVector.fromArray(F, y, yj + 3 * FL));
            }
            s0.intoArray(y, yj);
            s1.intoArray(y, yj + FL);
            s2.intoArray(y, yj + 2 * FL);
            s3.intoArray(y, yj + 3 * FL);
        }
        // The rest in its own method: one method holding both loops is too large for C1, which can
        // leave it stuck in slow code.
        for (int j = strips; j < n; j += FL) rowTimesMatrixTail(k, n, j, x, xOff, incx, mat, mOff, ldm, y, yOff, acc);
    }

    /** rowTimesMatrix for the single, possibly partial vector of columns j:min(j+FL, n). */
    private static void rowTimesMatrixTail(int k, int n, int j, float[] x, int xOff, int incx,
                                           float[] mat, int mOff, int ldm, float[] y, int yOff, boolean acc) {
        VectorMask<Float> mask = F.indexInRange(j, n);
        FloatVector s0 = FloatVector.zero(F), s1 = s0;
        int p = 0, row = mOff + j;
        for (; p + 1 < k; p += 2, row += 2 * ldm) { // two chains: the FMA latency, not the loads, would bound one
            s0 = FloatVector.fromArray(F, mat, row, mask).fma(FloatVector.broadcast(F, x[xOff + p * incx]), s0);
            s1 = FloatVector.fromArray(F, mat, row + ldm, mask).fma(FloatVector.broadcast(F, x[xOff + (p + 1) * incx]), s1);
        }
        if (p < k) s0 = FloatVector.fromArray(F, mat, row, mask).fma(FloatVector.broadcast(F, x[xOff + p * incx]), s0);
        s0 = s0.add(s1);
        if (acc) s0 = s0.add(FloatVector.fromArray(F, y, yOff + j, mask));
        s0.intoArray(y, yOff + j, mask);
    }

    /** y[i] (+)= Σ_p mat[i·ldm + p] · x[p] for i < rows (a matrix times a column; x contiguous). */
    private static void matrixTimesColumn(int rows, int k, float[] mat, int mOff, int ldm,
                                          float[] x, int xOff, float[] y, int yOff, boolean acc) {
        int kv = k - k % FL;
        VectorMask<Float> tail = F.indexInRange(kv, k);
        int i = 0;
        for (; i + 4 <= rows; i += 4) {
            int r0 = mOff + i * ldm, r1 = r0 + ldm, r2 = r1 + ldm, r3 = r2 + ldm;
            FloatVector s0 = FloatVector.zero(F), s1 = s0, s2 = s0, s3 = s0;
            for (int p = 0; p < kv; p += FL) {
                FloatVector xv = FloatVector.fromArray(F, x, xOff + p);
                s0 = FloatVector.fromArray(F, mat, r0 + p).fma(xv, s0);
                s1 = FloatVector.fromArray(F, mat, r1 + p).fma(xv, s1);
                s2 = FloatVector.fromArray(F, mat, r2 + p).fma(xv, s2);
                s3 = FloatVector.fromArray(F, mat, r3 + p).fma(xv, s3);
            }
            if (kv < k) {
                FloatVector xv = FloatVector.fromArray(F, x, xOff + kv, tail);
                s0 = FloatVector.fromArray(F, mat, r0 + kv, tail).fma(xv, s0);
                s1 = FloatVector.fromArray(F, mat, r1 + kv, tail).fma(xv, s1);
                s2 = FloatVector.fromArray(F, mat, r2 + kv, tail).fma(xv, s2);
                s3 = FloatVector.fromArray(F, mat, r3 + kv, tail).fma(xv, s3);
            }
            int yi = yOff + i;
            y[yi] = (acc ? y[yi] : 0f) + Blas1.sumLanes(s0);
            y[yi + 1] = (acc ? y[yi + 1] : 0f) + Blas1.sumLanes(s1);
            y[yi + 2] = (acc ? y[yi + 2] : 0f) + Blas1.sumLanes(s2);
            y[yi + 3] = (acc ? y[yi + 3] : 0f) + Blas1.sumLanes(s3);
        }
        for (; i < rows; i++) {
            int r0 = mOff + i * ldm;
            FloatVector s0 = FloatVector.zero(F);
            for (int p = 0; p < kv; p += FL) {
                s0 = FloatVector.fromArray(F, mat, r0 + p).fma(FloatVector.fromArray(F, x, xOff + p), s0);
            }
            if (kv < k) {
                s0 = FloatVector.fromArray(F, mat, r0 + kv, tail).fma(FloatVector.fromArray(F, x, xOff + kv, tail), s0);
            }
            y[yOff + i] = (acc ? y[yOff + i] : 0f) + Blas1.sumLanes(s0);
        }
    }

    /** C[i][0:n] (+)= x[i·incx] · y[0:n] for i < m (y contiguous). */
    private static void outer(int m, int n, float[] x, int xOff, int incx, float[] y, int yOff,
                              float[] c, int cOff, int ldc, boolean acc) {
        int nv = n - n % FL;
        VectorMask<Float> tail = F.indexInRange(nv, n);
        for (int i = 0; i < m; i++) {
            FloatVector xi = FloatVector.broadcast(F, x[xOff + i * incx]);
            int ci = cOff + i * ldc;
            for (int j = 0; j < nv; j += FL) {
                FloatVector v = FloatVector.fromArray(F, y, yOff + j);
                (acc ? xi.fma(v, FloatVector.fromArray(F, c, ci + j)) : xi.mul(v)).intoArray(c, ci + j);
            }
            if (nv < n) {
                FloatVector v = FloatVector.fromArray(F, y, yOff + nv, tail);
                (acc ? xi.fma(v, FloatVector.fromArray(F, c, ci + nv, tail)) : xi.mul(v)).intoArray(c, ci + nv, tail);
            }
        }
    }

    /** Per-thread packing buffers, grown on demand and reused by every later call on that thread. */
    private static final class Workspace {
        private float[] a = new float[0], b = new float[0], x = new float[0], shared = new float[0], own = new float[0];
        /** One micro-tile of C on its way out of the registers. */
        final float[] tile = new float[MR * NR];
        /** Where the 16 rows of B of one transposed block start. */
        final int[] starts = new int[16];
        private float[] gathered = new float[0];

        /** A copy of B's rows for {@link #sgemmRows}' shapes that are not packed. */
        float[] gathered(int size) {
            if (gathered.length < size) gathered = new float[size];
            return gathered;
        }

        float[] packedA(int size) {
            if (a.length < size) a = new float[size];
            return a;
        }

        /** All of op(A), packed for {@link #sharedA}; read by other threads while their parts run. */
        float[] sharedA(int size) {
            if (shared.length < size) shared = new float[size];
            return shared;
        }

        /** A helper's own copy of its part's output in {@link #sharedA}, published only if the caller did not redo it. */
        float[] own(int size) {
            if (own.length < size) own = new float[size];
            return own;
        }

        float[] packedB(int size) {
            if (b.length < size) b = new float[size];
            return b;
        }

        /** A contiguous copy of the strided vector src[off + p·inc], p < len. */
        float[] x(float[] src, int off, int inc, int len) {
            if (x.length < len) x = new float[len];
            for (int p = 0; p < len; p++) x[p] = src[off + p * inc];
            return x;
        }
    }

    // ---------------------------------------------------------------------------------------------

    private static void checkShapes(String op, boolean transA, boolean transB, int m, int n, int k,
                                    int aLength, int aOffset, int bLength, int bOffset, int cLength, int cOffset) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException(op + ": dimensions must be >= 0, got m=" + m + ", n=" + n + ", k=" + k);
        }
        // The shape strings are built only on failure: this runs on every call of the hot path.
        if (!fits((long) m * k, aLength, aOffset)) fail(op, "A", transA ? k + "x" + m : m + "x" + k, (long) m * k, aLength, aOffset);
        if (!fits((long) k * n, bLength, bOffset)) fail(op, "B", transB ? n + "x" + k : k + "x" + n, (long) k * n, bLength, bOffset);
        if (!fits((long) m * n, cLength, cOffset)) fail(op, "C", m + "x" + n, (long) m * n, cLength, cOffset);
    }

    private static boolean fits(long size, int length, int offset) {
        return offset >= 0 && offset + size <= length;
    }

    private static void fail(String op, String name, String shape, long size, int length, int offset) {
        throw new IndexOutOfBoundsException(op + ": " + name + " is " + shape + " (" + size + " elements) from offset "
                + offset + ", but its array has length " + length + "; pass a larger array or a smaller offset");
    }

    private static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
    }

    private static int roundUp(int x, int multiple) {
        return ceilDiv(x, multiple) * multiple;
    }

    private static boolean isX86() {
        String arch = System.getProperty("os.arch", "");
        return arch.equals("amd64") || arch.equals("x86_64") || arch.equals("x86") || arch.equals("i386");
    }
}
