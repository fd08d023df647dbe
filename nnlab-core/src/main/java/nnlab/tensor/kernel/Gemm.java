package nnlab.tensor.kernel;

import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * General matrix multiplication on row-major arrays: {@code C = op(A)·op(B)} or {@code C += op(A)·op(B)}.
 *
 * <p>Shapes: op(A) is m×k, op(B) is k×n, C is m×n; every matrix is dense and row-major, starting at its
 * offset. {@code transA} means A is stored k×m (so op(A) = Aᵀ), {@code transB} means B is stored n×k.
 * Only C is modified, and only its m·n elements from {@code cOffset}; C must not overlap A or B.
 *
 * <p>{@link #sgemm} is the fast path: op(A) and op(B) are copied block by block into packed panels,
 * and a register-blocked micro-kernel (MR rows × 2 SIMD vectors of C, held in registers across the
 * whole k block) runs over them. Products of one row or one column skip packing (matrix-vector
 * kernels). Large products are split by rows or columns of C across a small shared daemon pool (when
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
     * Rows of the micro-tile. 8 rows × 2 vectors = 16 accumulators, plus 2 B vectors and a broadcast,
     * fit in 32 vector registers (AVX-512, NEON, SVE); x86 below AVX-512 has only 16, so 4 rows there.
     */
    private static final int MR = isX86() && F.vectorBitSize() < 512 ? 4 : 8;
    /** Columns of the micro-tile: two vectors. */
    private static final int NR = 2 * FL;
    /** Largest k block: a kc×NR panel of B (32 KB for kc=256 on AVX-512) stays in the L1 cache. */
    private static final int KC = 256;
    /** Largest m block: an mc×kc block of packed A (256 KB) stays in the L2 cache. */
    private static final int MC = 256;
    /** Largest n block of packed B. */
    private static final int NC = 2048;

    // Packing.
    /** MR floats: one step of a packed A panel; null where that is wider than the hardware's vectors. */
    private static final VectorSpecies<Float> P = MR * 32 <= F.vectorBitSize()
            ? VectorSpecies.of(float.class, VectorShape.forBitSize(MR * 32)) : null;
    /**
     * Transpose while packing with two-vector permutes of 16 lanes (one vpermi2d each on AVX-512); on
     * other hardware selectFrom(v1, v2) may not compile to one instruction, so scalar loops do it.
     */
    private static final boolean TRANSPOSE = isX86() && F.vectorBitSize() == 512 && MR == 8;
    private static final VectorSpecies<Float> F16 = FloatVector.SPECIES_512;
    private static final VectorSpecies<Integer> I16 = IntVector.SPECIES_512;
    private static final int[] A_ROUNDS = transposeRounds(true, 1, 2, 3);
    private static final int[] B_ROUNDS = transposeRounds(false, 0, 1, 2, 3);

    // Threads.
    /** Products with m·n·k below this run on the calling thread only: a hand-off costs microseconds. */
    private static final long PARALLEL_WORK = 1L << 20;
    private static final int THREADS = Runtime.getRuntime().availableProcessors();
    /** Column chunks per thread in {@link #sharedA}: a late helper then leaves the caller no idle wait. */
    private static final int CHUNKS_PER_THREAD = 2;
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
        if (m == 0 || n == 0) return;
        if (k == 0) {
            if (!accumulate) Arrays.fill(c, cOffset, cOffset + m * n, 0f);
            return;
        }
        int lda = transA ? m : k, ldb = transB ? k : n, ldc = n;
        int mTiles = ceilDiv(m, MR), nTiles = ceilDiv(n, NR);
        boolean parallel = THREADS > 1 && (long) m * n * k >= PARALLEL_WORK;
        // op(A) no larger than op(B): packing A once and splitting the columns duplicates nothing, where
        // a row split would pack all of op(B) in every part.
        if (parallel && m > 1 && k > 1 && m <= n && nTiles >= 2 && (long) roundUp(m, MR) * k <= SHARED_A_MAX) {
            sharedA(transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb, c, cOffset, ldc, accumulate);
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
        parallelFor(parts, part -> {
            int from = (int) ((long) tiles * part / parts), to = (int) ((long) tiles * (part + 1) / parts);
            if (byRows) {
                int i0 = from * MR, rows = Math.min(m, to * MR) - i0;
                sgemmSerial(transA, transB, rows, n, k, a, aOffset + (transA ? i0 : i0 * lda), lda,
                        b, bOffset, ldb, c, cOffset + i0 * ldc, ldc, accumulate);
            } else {
                int j0 = from * NR, cols = Math.min(n, to * NR) - j0;
                sgemmSerial(transA, transB, m, cols, k, a, aOffset, lda,
                        b, bOffset + (transB ? j0 * ldb : j0), ldb, c, cOffset + j0, ldc, accumulate);
            }
        });
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
        else parallelFor(parts, rows);
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
        } else if (k == 1) { // C = x ⊗ y: a batch of one's weight gradient; packing would cost more than it saves
            int incy = tB ? ldb : 1;
            float[] y = incy == 1 ? b : WORKSPACE.get().x(b, bOff, incy, n);
            outer(m, n, a, aOff, tA ? 1 : lda, y, incy == 1 ? bOff : 0, c, cOff, ldc, acc);
        } else {
            packed(tA, tB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, acc);
        }
    }

    /**
     * A parallel product that packs each operand once: the calling thread packs all of op(A) into one
     * shared buffer (k blocks one after another, each holding every row panel), then the columns of C
     * are dealt out in chunks of whole NR panels, claimed by the caller and the pool threads alike;
     * each chunk packs only its own columns of op(B). Splitting rows instead would make every part
     * pack all of op(B) — the whole input batch in a training step — and more chunks than threads let
     * the caller carry on alone when a helper is slow to start (a busy machine), instead of waiting.
     */
    private static void sharedA(boolean tA, boolean tB, int m, int n, int k,
                                float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                float[] c, int cOff, int ldc, boolean acc) {
        int kcMax = ceilDiv(k, ceilDiv(k, KC)), mPad = roundUp(m, MR);
        float[] ap = WORKSPACE.get().sharedA(mPad * k);
        for (int pc = 0; pc < k; pc += kcMax) {
            int kc = Math.min(kcMax, k - pc);
            packA(tA, a, aOff, lda, 0, m, pc, kc, ap, pc * mPad); // block pc starts at pc·mPad
        }
        int nTiles = ceilDiv(n, NR), chunks = Math.min(nTiles, CHUNKS_PER_THREAD * THREADS);
        parallelFor(chunks, chunk -> {
            int j0 = (int) ((long) nTiles * chunk / chunks) * NR, j1 = Math.min(n, (int) ((long) nTiles * (chunk + 1) / chunks) * NR);
            Workspace ws = WORKSPACE.get();
            float[] bp = ws.packedB(roundUp(j1 - j0, NR) * kcMax);
            for (int pc = 0; pc < k; pc += kcMax) {
                int kc = Math.min(kcMax, k - pc), nc = j1 - j0;
                boolean add = acc || pc > 0;
                packB(tB, b, bOff, ldb, pc, kc, j0, nc, bp);
                for (int jr = 0; jr < nc; jr += NR) {
                    int nr = Math.min(NR, nc - jr);
                    for (int ir = 0; ir < m; ir += MR) {
                        int mr = Math.min(MR, m - ir);
                        int ci = cOff + ir * ldc + j0 + jr, ai = pc * mPad + ir * kc;
                        if (mr > 4) kernel8(kc, ap, ai, bp, jr * kc, c, ci, ldc, mr, nr, add, ws.tile);
                        else kernel4(kc, ap, ai, bp, jr * kc, c, ci, ldc, mr, nr, add, ws.tile);
                    }
                }
            }
        });
    }

    /** BLIS-style loop nest: n blocks → k blocks (pack B) → m blocks (pack A) → NR panels → MR panels. */
    private static void packed(boolean tA, boolean tB, int m, int n, int k,
                               float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                               float[] c, int cOff, int ldc, boolean acc) {
        // Equal blocks, so 784 becomes 4×196 rather than 3×256 plus a thin 16.
        int kcMax = ceilDiv(k, ceilDiv(k, KC));
        int mcMax = roundUp(ceilDiv(m, ceilDiv(m, MC)), MR);
        int ncMax = roundUp(ceilDiv(n, ceilDiv(n, NC)), NR);
        Workspace ws = WORKSPACE.get();
        float[] ap = ws.packedA(mcMax * kcMax), bp = ws.packedB(ncMax * kcMax);
        for (int jc = 0; jc < n; jc += ncMax) {
            int nc = Math.min(ncMax, n - jc);
            for (int pc = 0; pc < k; pc += kcMax) {
                int kc = Math.min(kcMax, k - pc);
                boolean add = acc || pc > 0;
                packB(tB, b, bOff, ldb, pc, kc, jc, nc, bp);
                for (int ic = 0; ic < m; ic += mcMax) {
                    int mc = Math.min(mcMax, m - ic);
                    packA(tA, a, aOff, lda, ic, mc, pc, kc, ap, 0);
                    for (int jr = 0; jr < nc; jr += NR) {
                        int nr = Math.min(NR, nc - jr);
                        for (int ir = 0; ir < mc; ir += MR) {
                            int mr = Math.min(MR, mc - ir);
                            int ci = cOff + (ic + ir) * ldc + jc + jr;
                            if (mr > 4) kernel8(kc, ap, ir * kc, bp, jr * kc, c, ci, ldc, mr, nr, add, ws.tile);
                            else kernel4(kc, ap, ir * kc, bp, jr * kc, c, ci, ldc, mr, nr, add, ws.tile);
                        }
                    }
                }
            }
        }
    }

    /** Rows in the packed panel holding {@code mr} rows: 4 or MR, zero-padded. */
    private static int panelRows(int mr) {
        return mr <= 4 ? 4 : MR;
    }

    /**
     * Packs op(A)[i0:i0+mc, p0:p0+kc] as panels of panelRows rows, each stored k-major (p, then row):
     * the micro-kernel then reads one short contiguous run per p.
     */
    private static void packA(boolean tA, float[] a, int aOff, int lda, int i0, int mc, int p0, int kc, float[] ap, int apOff) {
        int full = P == null ? 0 : mc - mc % MR; // rows in whole panels, packed with vectors
        if (tA) { // op(A)[i][p] = a[p·lda + i]: each step of a panel is contiguous in A
            for (int i = 0; i < full; i += MR) {
                int src = aOff + p0 * lda + i0 + i, dst = apOff + i * kc;
                for (int p = 0; p < kc; p++) FloatVector.fromArray(P, a, src + p * lda).intoArray(ap, dst + p * MR);
            }
        } else if (TRANSPOSE && kc >= 16) { // op(A)[i][p] = a[i·lda + p]: transposed 16 steps at a time
            for (int i = 0; i < full; i += MR) {
                int src = aOff + (i0 + i) * lda + p0, dst = apOff + i * kc;
                for (int p = 0; p < kc; p += 16) {
                    int q = Math.min(p, kc - 16); // a short last block overlaps the one before instead
                    transposeA(a, src + q, lda, ap, dst + q * MR);
                }
            }
        } else {
            full = 0;
        }
        for (int ir = full; ir < mc; ir += MR) { // the last, partial panel, zero-padded; or everything
            int mr = Math.min(MR, mc - ir), h = panelRows(mr), dst = apOff + ir * kc;
            for (int p = 0; p < kc; p++) {
                for (int r = 0; r < h; r++) {
                    int i = i0 + ir + r, k = p0 + p;
                    ap[dst + p * h + r] = r >= mr ? 0f : tA ? a[aOff + k * lda + i] : a[aOff + i * lda + k];
                }
            }
        }
    }

    /** Packs op(B)[p0:p0+kc, j0:j0+nc] as panels of NR columns, each stored k-major, zero-padded. */
    private static void packB(boolean tB, float[] b, int bOff, int ldb, int p0, int kc, int j0, int nc, float[] bp) {
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr), dst = jr * kc;
            if (!tB) { // op(B)[p][j] = b[p·ldb + j]: two vector copies per p
                int src = bOff + p0 * ldb + j0 + jr;
                for (int p = 0; p < kc; p++, src += ldb, dst += NR) {
                    if (nr == NR) {
                        FloatVector.fromArray(F, b, src).intoArray(bp, dst);
                        FloatVector.fromArray(F, b, src + FL).intoArray(bp, dst + FL);
                    } else {
                        // Scalar edge panel: masked loads near the end of B take the JDK's slow path.
                        System.arraycopy(b, src, bp, dst, nr);
                        java.util.Arrays.fill(bp, dst + nr, dst + NR, 0f);
                    }
                }
                continue;
            }
            // op(B)[p][j] = b[j·ldb + p]: a transpose, by 16×16 blocks where the hardware allows
            int src = bOff + (j0 + jr) * ldb + p0, fast = TRANSPOSE && kc >= 16 ? nr - nr % 16 : 0;
            for (int j = 0; j < fast; j += 16) {
                for (int p = 0; p < kc; p += 16) {
                    int q = Math.min(p, kc - 16); // a short last block overlaps the one before instead
                    transposeB(b, src + j * ldb + q, ldb, bp, dst + q * NR + j, NR);
                }
            }
            for (int j = fast; j < NR; j++) {
                for (int p = 0; p < kc; p++) bp[dst + p * NR + j] = j < nr ? b[src + j * ldb + p] : 0f;
            }
        }
    }

    /**
     * ap[dst + p·8 + r] = a[src + r·lda + p] for r < 8, p < 16: sixteen steps of an 8-row A panel. Three
     * rounds of two-vector permutes; round s pairs rows differing in bit s and exchanges that bit with
     * lane bit s+1, and the last round also rotates the lanes so each vector holds two whole steps.
     */
    private static void transposeA(float[] a, int src, int lda, float[] ap, int dst) {
        IntVector v0 = FloatVector.fromArray(F16, a, src).reinterpretAsInts();
        IntVector v1 = FloatVector.fromArray(F16, a, src + lda).reinterpretAsInts();
        IntVector v2 = FloatVector.fromArray(F16, a, src + 2 * lda).reinterpretAsInts();
        IntVector v3 = FloatVector.fromArray(F16, a, src + 3 * lda).reinterpretAsInts();
        IntVector v4 = FloatVector.fromArray(F16, a, src + 4 * lda).reinterpretAsInts();
        IntVector v5 = FloatVector.fromArray(F16, a, src + 5 * lda).reinterpretAsInts();
        IntVector v6 = FloatVector.fromArray(F16, a, src + 6 * lda).reinterpretAsInts();
        IntVector v7 = FloatVector.fromArray(F16, a, src + 7 * lda).reinterpretAsInts();
        IntVector t;
        IntVector lo = IntVector.fromArray(I16, A_ROUNDS, 0), hi = IntVector.fromArray(I16, A_ROUNDS, 16);
        t = lo.selectFrom(v0, v1); v1 = hi.selectFrom(v0, v1); v0 = t;
        t = lo.selectFrom(v2, v3); v3 = hi.selectFrom(v2, v3); v2 = t;
        t = lo.selectFrom(v4, v5); v5 = hi.selectFrom(v4, v5); v4 = t;
        t = lo.selectFrom(v6, v7); v7 = hi.selectFrom(v6, v7); v6 = t;
        lo = IntVector.fromArray(I16, A_ROUNDS, 32);
        hi = IntVector.fromArray(I16, A_ROUNDS, 48);
        t = lo.selectFrom(v0, v2); v2 = hi.selectFrom(v0, v2); v0 = t;
        t = lo.selectFrom(v1, v3); v3 = hi.selectFrom(v1, v3); v1 = t;
        t = lo.selectFrom(v4, v6); v6 = hi.selectFrom(v4, v6); v4 = t;
        t = lo.selectFrom(v5, v7); v7 = hi.selectFrom(v5, v7); v5 = t;
        lo = IntVector.fromArray(I16, A_ROUNDS, 64);
        hi = IntVector.fromArray(I16, A_ROUNDS, 80);
        t = lo.selectFrom(v0, v4); v4 = hi.selectFrom(v0, v4); v0 = t;
        t = lo.selectFrom(v1, v5); v5 = hi.selectFrom(v1, v5); v1 = t;
        t = lo.selectFrom(v2, v6); v6 = hi.selectFrom(v2, v6); v2 = t;
        t = lo.selectFrom(v3, v7); v7 = hi.selectFrom(v3, v7); v3 = t;
        v0.reinterpretAsFloats().intoArray(ap, dst);
        v1.reinterpretAsFloats().intoArray(ap, dst + 16);
        v2.reinterpretAsFloats().intoArray(ap, dst + 32);
        v3.reinterpretAsFloats().intoArray(ap, dst + 48);
        v4.reinterpretAsFloats().intoArray(ap, dst + 64);
        v5.reinterpretAsFloats().intoArray(ap, dst + 80);
        v6.reinterpretAsFloats().intoArray(ap, dst + 96);
        v7.reinterpretAsFloats().intoArray(ap, dst + 112);
    }

    /**
     * bp[dst + p·ldp + j] = b[src + j·ldb + p] for j, p < 16: a 16×16 transpose in four rounds of
     * two-vector permutes, round s exchanging bit s of the row and lane numbers.
     */
    private static void transposeB(float[] b, int src, int ldb, float[] bp, int dst, int ldp) {
        IntVector v0 = FloatVector.fromArray(F16, b, src).reinterpretAsInts();
        IntVector v1 = FloatVector.fromArray(F16, b, src + ldb).reinterpretAsInts();
        IntVector v2 = FloatVector.fromArray(F16, b, src + 2 * ldb).reinterpretAsInts();
        IntVector v3 = FloatVector.fromArray(F16, b, src + 3 * ldb).reinterpretAsInts();
        IntVector v4 = FloatVector.fromArray(F16, b, src + 4 * ldb).reinterpretAsInts();
        IntVector v5 = FloatVector.fromArray(F16, b, src + 5 * ldb).reinterpretAsInts();
        IntVector v6 = FloatVector.fromArray(F16, b, src + 6 * ldb).reinterpretAsInts();
        IntVector v7 = FloatVector.fromArray(F16, b, src + 7 * ldb).reinterpretAsInts();
        IntVector v8 = FloatVector.fromArray(F16, b, src + 8 * ldb).reinterpretAsInts();
        IntVector v9 = FloatVector.fromArray(F16, b, src + 9 * ldb).reinterpretAsInts();
        IntVector v10 = FloatVector.fromArray(F16, b, src + 10 * ldb).reinterpretAsInts();
        IntVector v11 = FloatVector.fromArray(F16, b, src + 11 * ldb).reinterpretAsInts();
        IntVector v12 = FloatVector.fromArray(F16, b, src + 12 * ldb).reinterpretAsInts();
        IntVector v13 = FloatVector.fromArray(F16, b, src + 13 * ldb).reinterpretAsInts();
        IntVector v14 = FloatVector.fromArray(F16, b, src + 14 * ldb).reinterpretAsInts();
        IntVector v15 = FloatVector.fromArray(F16, b, src + 15 * ldb).reinterpretAsInts();
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
     * With rotate, the last round also moves lane bit 0 to bit 3.
     */
    private static int[] transposeRounds(boolean rotate, int... laneBits) {
        int[] index = new int[laneBits.length * 32];
        for (int s = 0; s < laneBits.length; s++) {
            int bit = 1 << laneBits[s];
            for (int out = 0; out < 16; out++) {
                int lane = rotate && s == laneBits.length - 1 ? (out & 7) << 1 | out >> 3 : out;
                int from = (lane & bit) != 0 ? 16 : 0;
                index[32 * s + out] = from + (lane & ~bit);
                index[32 * s + 16 + out] = from + (lane | bit);
            }
        }
        return index;
    }

    /**
     * C[0:mr, 0:nr] (+)= Σ_p A-panel[p][r] · B-panel[p][0:NR] for an 8-row panel (5 ≤ mr ≤ 8). The 16
     * partial sums stay in registers for the whole k block; padded rows and columns are computed and dropped.
     * {@code t} holds the tile on its way to C.
     */
    private static void kernel8(int kc, float[] ap, int ai, float[] bp, int bi,
                                float[] c, int ci, int ldc, int mr, int nr, boolean add, float[] t) {
        FloatVector c00 = FloatVector.zero(F), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00,
                c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00,
                c60 = c00, c61 = c00, c70 = c00, c71 = c00;
        for (int p = 0; p < kc; p++) {
            int pa = ai + p * 8, pb = bi + p * NR;
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
            x = FloatVector.broadcast(F, ap[pa + 6]);
            c60 = x.fma(b0, c60);
            c61 = x.fma(b1, c61);
            x = FloatVector.broadcast(F, ap[pa + 7]);
            c70 = x.fma(b0, c70);
            c71 = x.fma(b1, c71);
        }
        // Through a small buffer: C2 stops inlining once a method grows this large, and a vector passed
        // to a method that was not inlined is boxed.
        c00.intoArray(t, 0);
        c01.intoArray(t, FL);
        c10.intoArray(t, NR);
        c11.intoArray(t, NR + FL);
        c20.intoArray(t, 2 * NR);
        c21.intoArray(t, 2 * NR + FL);
        c30.intoArray(t, 3 * NR);
        c31.intoArray(t, 3 * NR + FL);
        c40.intoArray(t, 4 * NR);
        c41.intoArray(t, 4 * NR + FL);
        c50.intoArray(t, 5 * NR);
        c51.intoArray(t, 5 * NR + FL);
        c60.intoArray(t, 6 * NR);
        c61.intoArray(t, 6 * NR + FL);
        c70.intoArray(t, 7 * NR);
        c71.intoArray(t, 7 * NR + FL);
        storeTile(t, mr, c, ci, ldc, nr, add);
    }

    /** As {@link #kernel8} for a 4-row panel (1 ≤ mr ≤ 4): the main kernel where only 16 registers exist. */
    private static void kernel4(int kc, float[] ap, int ai, float[] bp, int bi,
                                float[] c, int ci, int ldc, int mr, int nr, boolean add, float[] t) {
        FloatVector c00 = FloatVector.zero(F), c01 = c00, c10 = c00, c11 = c00,
                c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        for (int p = 0; p < kc; p++) {
            int pa = ai + p * 4, pb = bi + p * NR;
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
        }
        c00.intoArray(t, 0);
        c01.intoArray(t, FL);
        c10.intoArray(t, NR);
        c11.intoArray(t, NR + FL);
        c20.intoArray(t, 2 * NR);
        c21.intoArray(t, 2 * NR + FL);
        c30.intoArray(t, 3 * NR);
        c31.intoArray(t, 3 * NR + FL);
        storeTile(t, mr, c, ci, ldc, nr, add);
    }

    /** Writes (or adds) the first mr rows and nr columns of a micro-tile (rows NR apart in t) to C at c[ci]. */
    private static void storeTile(float[] t, int mr, float[] c, int ci, int ldc, int nr, boolean add) {
        if (nr != NR) {
            // Edge tiles stay scalar: masked vector loads and stores near the end of C leave the
            // intrinsic path for a slow lane-by-lane one, which profiling showed dominating batch-64 steps.
            for (int r = 0; r < mr; r++, ci += ldc) {
                for (int j = 0; j < nr; j++) c[ci + j] = add ? c[ci + j] + t[r * NR + j] : t[r * NR + j];
            }
            return;
        }
        for (int r = 0; r < mr; r++, ci += ldc) {
            FloatVector v0 = FloatVector.fromArray(F, t, r * NR), v1 = FloatVector.fromArray(F, t, r * NR + FL);
            if (add) {
                v0 = v0.add(FloatVector.fromArray(F, c, ci));
                v1 = v1.add(FloatVector.fromArray(F, c, ci + FL));
            }
            v0.intoArray(c, ci);
            v1.intoArray(c, ci + FL);
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
            y[yi] = (acc ? y[yi] : 0f) + s0.reduceLanes(VectorOperators.ADD);
            y[yi + 1] = (acc ? y[yi + 1] : 0f) + s1.reduceLanes(VectorOperators.ADD);
            y[yi + 2] = (acc ? y[yi + 2] : 0f) + s2.reduceLanes(VectorOperators.ADD);
            y[yi + 3] = (acc ? y[yi + 3] : 0f) + s3.reduceLanes(VectorOperators.ADD);
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
            y[yOff + i] = (acc ? y[yOff + i] : 0f) + s0.reduceLanes(VectorOperators.ADD);
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

    // ---------------------------------------------------------------------------------------------
    // Threads

    /** Shared daemon helpers, created on the first large product. */
    private static final class Pool {
        static final ExecutorService EXECUTOR = Executors.newFixedThreadPool(Math.max(1, THREADS - 1), task -> {
            Thread t = new Thread(task, "nnlab-gemm");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Runs body(0), …, body(parts−1), some on pool threads, and returns when all are done. Parts are
     * claimed from a counter by the caller and the helpers alike, and the caller only ever waits for
     * parts already running, so a busy pool (or a caller that is itself a pool task) costs speed, never
     * a deadlock.
     */
    private static void parallelFor(int parts, IntConsumer body) {
        Job job = new Job(parts, body);
        for (int t = 1; t < parts; t++) Pool.EXECUTOR.execute(job);
        job.run();
        job.await();
    }

    private static final class Job implements Runnable {
        private final int parts;
        private final IntConsumer body;
        private final AtomicInteger next = new AtomicInteger();
        private final CountDownLatch done;
        private volatile Throwable failure;

        Job(int parts, IntConsumer body) {
            this.parts = parts;
            this.body = body;
            this.done = new CountDownLatch(parts);
        }

        @Override
        public void run() {
            for (int part; (part = next.getAndIncrement()) < parts; ) {
                try {
                    body.accept(part);
                } catch (Throwable e) {
                    failure = e;
                } finally {
                    done.countDown();
                }
            }
        }

        void await() {
            boolean interrupted = false;
            while (done.getCount() > 0) {
                try {
                    done.await();
                } catch (InterruptedException e) {
                    interrupted = true; // finish the product anyway: C would be half-written otherwise
                }
            }
            if (interrupted) Thread.currentThread().interrupt();
            Throwable e = failure;
            if (e instanceof RuntimeException r) throw r;
            if (e instanceof Error err) throw err;
            if (e != null) throw new IllegalStateException(e);
        }
    }

    /** Per-thread packing buffers, grown on demand and reused by every later call on that thread. */
    private static final class Workspace {
        private float[] a = new float[0], b = new float[0], x = new float[0], shared = new float[0];
        /** One micro-tile of C on its way out of the registers. */
        final float[] tile = new float[8 * NR];

        float[] packedA(int size) {
            if (a.length < size) a = new float[size];
            return a;
        }

        /** All of op(A), packed for {@link #sharedA}; read by other threads while their parts run. */
        float[] sharedA(int size) {
            if (shared.length < size) shared = new float[size];
            return shared;
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
