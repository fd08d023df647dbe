package nnlab.tensor.kernel;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The loops of 2-D convolution and pooling on NCHW arrays: convolution as im2col (patches laid out as
 * the columns of a matrix, so that a convolution is one {@link Gemm} product) and its adjoint col2im,
 * and max/average pooling with their backward passes. float32 loops are the training path, the
 * batch split over the cores; the float64 ones, the same arithmetic on the whole batch at once, serve
 * gradient checks.
 *
 * <p>The columns of a set of images form one matrix [c·kh·kw, images·p] with p = oh·ow: row
 * r = (c·kh + i)·kw + j holds x[n, c, oy·sh − ph + i, ox·sw − pw + j] at column (n − first)·p + oy·ow + ox
 * (0 where the window leaves the image). A convolution is then W [o, c·kh·kw] · cols: one product with
 * images·p columns, wide enough for the packed kernel, instead of one narrow product per image.
 */
public final class Convolution {
    private Convolution() {}

    /**
     * The shapes of one convolution or pooling: input [n, c, h, w], window kh×kw, stride sh×sw, zero
     * padding ph×pw, output spatial size oh×ow (floor mode, as PyTorch's default).
     */
    public record Geometry(int n, int c, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw) {
        public Geometry {
            if (kh < 1 || kw < 1 || sh < 1 || sw < 1 || ph < 0 || pw < 0) {
                throw new IllegalArgumentException("window " + kh + "x" + kw + ", stride " + sh + "x" + sw + ", padding "
                        + ph + "x" + pw + ": the window and stride must be at least 1 and the padding at least 0");
            }
        }

        public int oh() {
            return (h + 2 * ph - kh) / sh + 1;
        }

        public int ow() {
            return (w + 2 * pw - kw) / sw + 1;
        }

        /** Output positions per image and channel. */
        public int p() {
            return oh() * ow();
        }

        /** Rows of the column matrix: c·kh·kw. */
        public int k() {
            return c * kh * kw;
        }

        /** Whether the window fits the padded input at least once. */
        public boolean fits() {
            return h + 2 * ph >= kh && w + 2 * pw >= kw;
        }
    }

    /**
     * Convolutions with at least this many column values (c·kh·kw × n·p) split the batch over the
     * cores: each part takes its own images through the whole forward or backward pass.
     */
    private static final int PARALLEL_ELEMENTS = 1 << 15;

    /**
     * The parts a large batch is split into whatever the machine's cores (at most one per image),
     * taken by as many threads as there are: their gradients are summed in part order, so the bits do
     * not depend on the number of threads.
     */
    private static final int PARTS = 4;

    /** The parts a batch is split into: {@value #PARTS} for a large one, at most one per image. */
    public static int parts(Geometry g) {
        long elements = (long) g.k() * g.n() * g.p();
        return elements >= PARALLEL_ELEMENTS ? Math.min(PARTS, g.n()) : 1;
    }

    /** The first image of part q of {@code parts}. */
    private static int firstImage(Geometry g, int q, int parts) {
        return (int) ((long) g.n() * q / parts);
    }

    /** Per-thread scratch: y' or g' of a part [o, images·p], its dcols, and the direct path's padded images. */
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[3][0]);

    private static float[] scratch(int slot, int size) {
        float[][] s = SCRATCH.get();
        if (s[slot].length < size) s[slot] = new float[size];
        return s[slot];
    }

    /** Images per im2col block when the columns are not kept: bounds an evaluation's scratch memory. */
    private static final int UNKEPT_IMAGES = 64;

    /**
     * y [n, o, oh, ow] = conv(x [n, c, h, w], w [o, c, kh, kw]) + bias [o] (bias may be null), keeping
     * the batch's columns in {@code cols} ({@link #columns} values, part by part: part q's images form
     * the [k, images·s] matrix at k·first·s, s = {@link #columnsPerImage}) for {@link #backward}, or,
     * when cols is null (no backward follows, or a {@link #direct} convolution, which keeps none), in
     * per-thread scratch a block of images at a time. Each part: im2col, one product W·cols into
     * y' [o, images·s], then y' copied to y's layout with the bias added.
     */
    public static void forward(Geometry g, float[] x, float[] w, int o, float[] bias, float[] y, float[] cols) {
        if (direct(g)) {
            int parts = parts(g);
            Parallel.forParts(parts, q -> directForward(g, x, w, o, bias, y, firstImage(g, q, parts), firstImage(g, q + 1, parts)));
            return;
        }
        if (cols == null) {
            int parts = parts(g);
            Parallel.forParts(parts, q -> {
                for (int from = firstImage(g, q, parts), end = firstImage(g, q + 1, parts); from < end; from += UNKEPT_IMAGES) {
                    int to = Math.min(end, from + UNKEPT_IMAGES);
                    forwardPart(g, x, w, o, bias, y, scratch(1, g.k() * (to - from) * columnsPerImage(g)), from, to, 0);
                }
            });
            return;
        }
        int parts = parts(g);
        if (parts == 1) {
            forwardPart(g, x, w, o, bias, y, cols, 0, g.n(), 0);
        } else {
            Parallel.forParts(parts, q -> {
                int from = firstImage(g, q, parts);
                forwardPart(g, x, w, o, bias, y, cols, from, firstImage(g, q + 1, parts), g.k() * from * columnsPerImage(g));
            });
        }
    }

    /** Images [from, to): their columns into cols from {@code at}, their outputs into y. */
    private static void forwardPart(Geometry g, float[] x, float[] w, int o, float[] bias, float[] y, float[] cols, int from, int to,
                                    int at) {
        int k = g.k(), p = g.p(), s = columnsPerImage(g), np = (to - from) * s;
        boolean flat = flat(g);
        if (flat) im2colFlat(g, x, cols, at, from, to);
        else im2col(g, x, cols, at, from, to);
        float[] yt = scratch(0, o * np);
        Gemm.sgemmOnThisThread(false, false, o, np, k, w, 0, cols, at, yt, 0, false);
        // A flat image's rows are w long and hold ow outputs each (stride 1: ow ≤ w).
        int rows = flat ? g.oh() : 1, row = flat ? g.w() : p, kept = flat ? g.ow() : p;
        for (int oc = 0; oc < o; oc++) {
            float b = bias == null ? 0f : bias[oc];
            for (int n = from; n < to; n++) {
                for (int r = 0; r < rows; r++) {
                    int src = oc * np + (n - from) * s + r * row, dst = (n * o + oc) * p + r * kept;
                    for (int q = 0; q < kept; q++) y[dst + q] = yt[src + q] + b;
                }
            }
        }
    }

    /**
     * The gradients of {@link #forward} given gy [n, o, oh, ow] and the columns it kept (none for a
     * {@link #direct} convolution, which reads x again): each part's weight gradient [o, k] into
     * {@code dw[part]} and bias gradient [o] into {@code db[part]} (either may be null; the caller sums
     * the parts, always in the same order), and dx [n, c, h, w] (may be null; added to) from col2im(Wᵀ·g').
     *
     * @param dw {@link #parts} arrays of o·k values, or null
     * @param db {@link #parts} arrays of o values, or null
     */
    public static void backward(Geometry g, float[] x, float[] w, int o, float[] gy, float[] cols, float[][] dw, float[][] db,
                                float[] dx) {
        int parts = parts(g);
        if (parts == 1) {
            backwardPart(g, x, w, o, gy, cols, dw == null ? null : dw[0], db == null ? null : db[0], dx, 0, g.n());
        } else {
            Parallel.forParts(parts, q -> backwardPart(g, x, w, o, gy, cols, dw == null ? null : dw[q], db == null ? null : db[q], dx,
                    firstImage(g, q, parts), firstImage(g, q + 1, parts)));
        }
    }

    private static void backwardPart(Geometry g, float[] x, float[] w, int o, float[] gy, float[] cols, float[] dw, float[] db,
                                     float[] dx, int from, int to) {
        int k = g.k(), p = g.p(), s = columnsPerImage(g), np = (to - from) * s, at = k * from * s;
        boolean direct = direct(g), flat = flat(g);
        if (direct) directWeightGradient(g, x, o, gy, dw, db, from, to);
        if (direct && dx == null) return;
        float[] gt = scratch(0, o * np);
        gradientColumns(g, o, gy, gt, from, to);
        if (!direct && dw != null) Gemm.sgemmOnThisThread(false, true, o, k, np, gt, 0, cols, at, dw, 0, false);
        if (!direct && db != null) sums(gt, o, np, db);
        if (dx != null) {
            float[] dcols = scratch(1, k * np);
            Gemm.sgemmOnThisThread(true, false, k, np, o, w, 0, gt, 0, dcols, 0, false);
            if (flat) col2imFlat(g, dcols, 0, dx, from, to);
            else col2im(g, dcols, 0, dx, from, to);
        }
    }

    /**
     * g' [o, images·s] of images [from, to): the output gradient gy batch-major, as y' was, with zeros
     * where a {@link #flat} convolution's columns hold no output.
     */
    private static void gradientColumns(Geometry g, int o, float[] gy, float[] gt, int from, int to) {
        int p = g.p(), s = columnsPerImage(g), np = (to - from) * s, ow = g.ow(), width = g.w();
        boolean flat = flat(g);
        for (int oc = 0; oc < o; oc++) {
            for (int n = from; n < to; n++) {
                if (!flat) {
                    System.arraycopy(gy, (n * o + oc) * p, gt, oc * np + (n - from) * p, p);
                    continue;
                }
                int dst = oc * np + (n - from) * s;
                for (int r = 0; r < g.oh(); r++, dst += width) {
                    System.arraycopy(gy, (n * o + oc) * p + r * ow, gt, dst, ow);
                    Arrays.fill(gt, dst + ow, dst + width, 0f);
                }
            }
        }
    }

    /** out[r] = the sum of row r of a [rows, length] matrix, for each r (a bias gradient). */
    private static void sums(float[] a, int rows, int length, float[] out) {
        for (int r = 0; r < rows; r++) out[r] = sum(a, r * length, length);
    }

    /**
     * Whether a convolution runs directly on the images rather than as im2col and a product: one input
     * channel at stride 1 (the first layer of a grey-image network). Its product would have only
     * kh·kw rows, too few to pay for writing every pixel kh·kw times into the columns; directly, each
     * vector of outputs takes kh·kw shifted loads of the padded image, shared by the output channels.
     */
    public static boolean direct(Geometry g) {
        return g.c() == 1 && g.sh() == 1 && g.sw() == 1;
    }

    /** The padded width and height of a direct convolution's images. */
    private static int paddedWidth(Geometry g) {
        return g.w() + 2 * g.pw();
    }

    /**
     * Images [from, to) of x (one channel) zero-padded, one after another in scratch slot 2, each
     * (h + 2·ph)·(w + 2·pw) values, with a vector and a row's worth of zeros after the last so that
     * shifted loads that start in the last rows stay inside the array.
     */
    private static float[] padded(Geometry g, float[] x, int from, int to) {
        int wp = paddedWidth(g), plane = (g.h() + 2 * g.ph()) * wp, hw = g.h() * g.w(), size = (to - from) * plane + F.length() + wp;
        float[] xp = scratch(2, size);
        Arrays.fill(xp, 0, size, 0f);
        for (int n = from; n < to; n++) {
            for (int iy = 0; iy < g.h(); iy++) {
                System.arraycopy(x, n * hw + iy * g.w(), xp, (n - from) * plane + (iy + g.ph()) * wp + g.pw(), g.w());
            }
        }
        return xp;
    }

    /**
     * Images [from, to) of a {@link #direct} convolution: y[n, oc, oy, ox0 + lane] = bias[oc] +
     * Σ_ij W[oc, i, j]·xp[(oy + i)·wp + ox0 + j + lane], a vector of ox at a time, four output channels
     * sharing each shifted load. Lanes past the row's end read the next row and are not stored.
     */
    private static void directForward(Geometry g, float[] x, float[] w, int o, float[] bias, float[] y, int from, int to) {
        int oh = g.oh(), ow = g.ow(), kh = g.kh(), kw = g.kw(), kk = kh * kw, p = oh * ow, lanes = F.length();
        int wp = paddedWidth(g), plane = (g.h() + 2 * g.ph()) * wp;
        float[] xp = padded(g, x, from, to);
        for (int n = from; n < to; n++) {
            int image = (n - from) * plane;
            for (int oc = 0; oc < o; oc += 4) {
                int c1 = Math.min(oc + 1, o - 1), c2 = Math.min(oc + 2, o - 1), c3 = Math.min(oc + 3, o - 1);
                FloatVector b0 = FloatVector.broadcast(F, bias == null ? 0f : bias[oc]);
                FloatVector b1 = FloatVector.broadcast(F, bias == null ? 0f : bias[c1]);
                FloatVector b2 = FloatVector.broadcast(F, bias == null ? 0f : bias[c2]);
                FloatVector b3 = FloatVector.broadcast(F, bias == null ? 0f : bias[c3]);
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox += lanes) {
                        FloatVector a0 = b0, a1 = b1, a2 = b2, a3 = b3;
                        for (int i = 0; i < kh; i++) {
                            int row = image + (oy + i) * wp + ox, tap = i * kw;
                            for (int j = 0; j < kw; j++) {
                                FloatVector v = FloatVector.fromArray(F, xp, row + j);
                                a0 = v.fma(FloatVector.broadcast(F, w[oc * kk + tap + j]), a0);
                                a1 = v.fma(FloatVector.broadcast(F, w[c1 * kk + tap + j]), a1);
                                a2 = v.fma(FloatVector.broadcast(F, w[c2 * kk + tap + j]), a2);
                                a3 = v.fma(FloatVector.broadcast(F, w[c3 * kk + tap + j]), a3);
                            }
                        }
                        // Channels past o (the last block of fewer than four) repeat channel o − 1, written last.
                        VectorMask<Float> inRow = F.indexInRange(ox, ow);
                        int at = (n * o + oc) * p + oy * ow + ox;
                        a0.intoArray(y, at, inRow);
                        if (oc + 1 < o) a1.intoArray(y, at + p, inRow);
                        if (oc + 2 < o) a2.intoArray(y, at + 2 * p, inRow);
                        if (oc + 3 < o) a3.intoArray(y, at + 3 * p, inRow);
                    }
                }
            }
        }
    }

    /**
     * The weight and bias gradients of images [from, to) of a {@link #direct} convolution (into dw
     * [o, kh·kw] and db [o]; either may be null): dW[oc, i, j] = Σ_t gp[n, oc, t]·xp[n, t + i·wp + j],
     * where gp is gy with the padded images' row stride (t = oy·wp + ox, zero at ox ≥ ow): one long
     * dot product per image instead of a short one per row, for two output channels and three taps of
     * a kernel row at once (five loads for six multiply-adds, in six independent sums). The zeros of
     * gp meet pixels that no output of that tap reads: a non-finite pixel can make such a weight
     * gradient NaN, where the loss it came from is not finite either.
     */
    private static void directWeightGradient(Geometry g, float[] x, int o, float[] gy, float[] dw, float[] db, int from, int to) {
        int oh = g.oh(), ow = g.ow(), kh = g.kh(), kw = g.kw(), kk = kh * kw, p = oh * ow, lanes = F.length();
        int wp = paddedWidth(g), plane = (g.h() + 2 * g.ph()) * wp, span = (oh * wp + lanes - 1) / lanes * lanes;
        if (db != null) {
            for (int oc = 0; oc < o; oc++) {
                float s = 0f;
                for (int n = from; n < to; n++) s += sum(gy, (n * o + oc) * p, p);
                db[oc] = s;
            }
        }
        if (dw == null) return;
        float[] xp = padded(g, x, from, to);
        float[] gp = scratch(0, (to - from) * o * span);
        Arrays.fill(gp, 0, (to - from) * o * span, 0f);
        for (int n = from; n < to; n++) {
            for (int oc = 0; oc < o; oc++) {
                for (int oy = 0; oy < oh; oy++) {
                    System.arraycopy(gy, ((n * o + oc) * oh + oy) * ow, gp, ((n - from) * o + oc) * span + oy * wp, ow);
                }
            }
        }
        for (int oc = 0; oc < o; oc += 2) {
            int oc1 = Math.min(oc + 1, o - 1); // a last odd channel is summed twice and stored once
            for (int i = 0; i < kh; i++) {
                for (int j = 0; j < kw; j += 3) {
                    int j1 = Math.min(j + 1, kw - 1), j2 = Math.min(j + 2, kw - 1);
                    FloatVector s00 = FloatVector.zero(F), s01 = s00, s02 = s00, s10 = s00, s11 = s00, s12 = s00;
                    for (int n = from; n < to; n++) {
                        int g0 = ((n - from) * o + oc) * span, g1 = ((n - from) * o + oc1) * span;
                        int x0 = (n - from) * plane + i * wp + j, x1 = x0 + j1 - j, x2 = x0 + j2 - j;
                        for (int t = 0; t < span; t += lanes) {
                            FloatVector a = FloatVector.fromArray(F, gp, g0 + t), b = FloatVector.fromArray(F, gp, g1 + t);
                            FloatVector v0 = FloatVector.fromArray(F, xp, x0 + t);
                            FloatVector v1 = FloatVector.fromArray(F, xp, x1 + t);
                            FloatVector v2 = FloatVector.fromArray(F, xp, x2 + t);
                            s00 = a.fma(v0, s00);
                            s01 = a.fma(v1, s01);
                            s02 = a.fma(v2, s02);
                            s10 = b.fma(v0, s10);
                            s11 = b.fma(v1, s11);
                            s12 = b.fma(v2, s12);
                        }
                    }
                    int at = oc * kk + i * kw;
                    dw[at + j] = Blas1.sumLanes(s00);
                    if (j + 1 < kw) dw[at + j1] = Blas1.sumLanes(s01);
                    if (j + 2 < kw) dw[at + j2] = Blas1.sumLanes(s02);
                    if (oc + 1 < o) {
                        dw[at + kk + j] = Blas1.sumLanes(s10);
                        if (j + 1 < kw) dw[at + kk + j1] = Blas1.sumLanes(s11);
                        if (j + 2 < kw) dw[at + kk + j2] = Blas1.sumLanes(s12);
                    }
                }
            }
        }
    }

    /**
     * a[from] + … + a[from + count − 1], in SIMD lanes and then across them in a fixed order: a scalar
     * float sum cannot be vectorised by the JIT (its order is fixed), and a bias gradient sums a whole
     * batch's positions (50,000 per channel at batch 64).
     */
    static float sum(float[] a, int from, int count) {
        FloatVector acc = FloatVector.zero(F);
        int i = from, end = from + count;
        for (int bound = from + F.loopBound(count); i < bound; i += F.length()) acc = acc.add(FloatVector.fromArray(F, a, i));
        float s = Blas1.sumLanes(acc);
        for (; i < end; i++) s += a[i];
        return s;
    }

    /**
     * Images [from, to) of x [n, c, h, w] as columns: cols[at ..] becomes the [k, (to − from)·p]
     * matrix of their patches (every value written).
     */
    static void im2col(Geometry g, float[] x, float[] cols, int at, int from, int to) {
        int oh = g.oh(), ow = g.ow(), p = oh * ow, np = (to - from) * p, hw = g.h() * g.w();
        for (int c = 0; c < g.c(); c++) {
            for (int i = 0; i < g.kh(); i++) {
                for (int j = 0; j < g.kw(); j++) {
                    int row = at + ((c * g.kh() + i) * g.kw() + j) * np;
                    // The output columns whose input column lies inside the image: ox in [lo, hi).
                    int shift = j - g.pw();
                    int lo = clampedCeilDiv(-shift, g.sw(), ow), hi = clampedCeilDiv(g.w() - shift, g.sw(), ow);
                    for (int n = from; n < to; n++) {
                        int plane = (n * g.c() + c) * hw, dst0 = row + (n - from) * p;
                        for (int oy = 0; oy < oh; oy++) {
                            int iy = oy * g.sh() - g.ph() + i, dst = dst0 + oy * ow;
                            if (iy < 0 || iy >= g.h() || lo >= hi) {
                                Arrays.fill(cols, dst, dst + ow, 0f);
                                continue;
                            }
                            int src = plane + iy * g.w() + shift;
                            for (int ox = 0; ox < lo; ox++) cols[dst + ox] = 0f;
                            if (g.sw() == 1) {
                                for (int ox = lo; ox < hi; ox++) cols[dst + ox] = x[src + ox];
                            } else {
                                for (int ox = lo; ox < hi; ox++) cols[dst + ox] = x[src + ox * g.sw()];
                            }
                            for (int ox = hi; ox < ow; ox++) cols[dst + ox] = 0f;
                        }
                    }
                }
            }
        }
    }

    /**
     * dx [n, c, h, w] += the gradients of images [from, to)'s columns, dcols[at ..] ([k, (to − from)·p]),
     * summed back onto the pixels they were taken from.
     */
    static void col2im(Geometry g, float[] dcols, int at, float[] dx, int from, int to) {
        int oh = g.oh(), ow = g.ow(), p = oh * ow, np = (to - from) * p, hw = g.h() * g.w(), sw = g.sw();
        for (int n = from; n < to; n++) {
            for (int c = 0; c < g.c(); c++) {
                int plane = (n * g.c() + c) * hw;
                for (int i = 0; i < g.kh(); i++) {
                    for (int j = 0; j < g.kw(); j++) {
                        int row = at + ((c * g.kh() + i) * g.kw() + j) * np + (n - from) * p;
                        int shift = j - g.pw();
                        int lo = clampedCeilDiv(-shift, sw, ow), hi = clampedCeilDiv(g.w() - shift, sw, ow);
                        for (int oy = 0; oy < oh; oy++) {
                            int iy = oy * g.sh() - g.ph() + i;
                            if (iy < 0 || iy >= g.h()) continue;
                            int src = row + oy * ow, dst = plane + iy * g.w() + shift;
                            if (sw == 1) {
                                for (int ox = lo; ox < hi; ox++) dx[dst + ox] += dcols[src + ox];
                            } else {
                                for (int ox = lo; ox < hi; ox++) dx[dst + ox * sw] += dcols[src + ox];
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * Whether a convolution's columns keep the images' rows whole: stride 1, no padding, more than one
     * channel (or not {@link #direct}). Then row (c, i, j) of an image's columns is one stretch of its
     * plane, x[n, c] from i·w + j on, oh·w values long, copied at once; its positions with ox ≥ ow
     * are not outputs (the window would wrap into the next row) and are dropped from y, and their
     * gradients are zeros. im2col and col2im by rows of ow took longer than the products they serve.
     */
    static boolean flat(Geometry g) {
        return !direct(g) && g.sh() == 1 && g.sw() == 1 && g.ph() == 0 && g.pw() == 0;
    }

    /** Columns per image in the column matrix: oh·w for a {@link #flat} convolution, else oh·ow. */
    public static int columnsPerImage(Geometry g) {
        return flat(g) ? g.oh() * g.w() : g.p();
    }

    /** The values of a batch's column matrix (what {@link #forward} keeps for {@link #backward}): k·n·columnsPerImage. */
    public static int columns(Geometry g) {
        return g.k() * g.n() * columnsPerImage(g);
    }

    /**
     * {@link #im2col} of a {@link #flat} convolution: row (c, i, j) of image n is x[n, c] from i·w + j,
     * oh·w values, cut where the plane ends (those positions are not outputs) and the rest zeroed.
     */
    static void im2colFlat(Geometry g, float[] x, float[] cols, int at, int from, int to) {
        int w = g.w(), hw = g.h() * w, s = g.oh() * w, np = (to - from) * s;
        for (int c = 0; c < g.c(); c++) {
            for (int i = 0; i < g.kh(); i++) {
                for (int j = 0; j < g.kw(); j++) {
                    int row = at + ((c * g.kh() + i) * g.kw() + j) * np, start = i * w + j, length = Math.min(s, hw - start);
                    for (int n = from; n < to; n++) {
                        int dst = row + (n - from) * s;
                        System.arraycopy(x, (n * g.c() + c) * hw + start, cols, dst, length);
                        Arrays.fill(cols, dst + length, dst + s, 0f);
                    }
                }
            }
        }
    }

    /**
     * {@link #col2im} of a {@link #flat} convolution: dx[n, c] from i·w + j on += row (c, i, j) of
     * image n, cut where the plane ends. The positions that are not outputs carry zero gradients
     * (W·0), added to pixels of the same image, so nothing outside this part's images is written.
     */
    static void col2imFlat(Geometry g, float[] dcols, int at, float[] dx, int from, int to) {
        int w = g.w(), hw = g.h() * w, s = g.oh() * w, np = (to - from) * s;
        for (int n = from; n < to; n++) {
            for (int c = 0; c < g.c(); c++) {
                for (int i = 0; i < g.kh(); i++) {
                    for (int j = 0; j < g.kw(); j++) {
                        int src = at + ((c * g.kh() + i) * g.kw() + j) * np + (n - from) * s, start = i * w + j;
                        int dst = (n * g.c() + c) * hw + start, length = Math.min(s, hw - start);
                        for (int t = 0; t < length; t++) dx[dst + t] += dcols[src + t];
                    }
                }
            }
        }
    }

    /** float64 im2col of the whole batch: cols [k, n·p]. */
    public static void im2col(Geometry g, double[] x, double[] cols) {
        int oh = g.oh(), ow = g.ow(), p = oh * ow, np = g.n() * p, hw = g.h() * g.w();
        for (int c = 0; c < g.c(); c++) {
            for (int i = 0; i < g.kh(); i++) {
                for (int j = 0; j < g.kw(); j++) {
                    int row = ((c * g.kh() + i) * g.kw() + j) * np;
                    for (int n = 0; n < g.n(); n++) {
                        for (int oy = 0; oy < oh; oy++) {
                            int iy = oy * g.sh() - g.ph() + i;
                            for (int ox = 0; ox < ow; ox++) {
                                int ix = ox * g.sw() - g.pw() + j;
                                boolean inside = iy >= 0 && iy < g.h() && ix >= 0 && ix < g.w();
                                cols[row + n * p + oy * ow + ox] = inside ? x[(n * g.c() + c) * hw + iy * g.w() + ix] : 0;
                            }
                        }
                    }
                }
            }
        }
    }

    /** float64 col2im of the whole batch: dx += the columns' gradients dcols [k, n·p]. */
    public static void col2im(Geometry g, double[] dcols, double[] dx) {
        int oh = g.oh(), ow = g.ow(), p = oh * ow, np = g.n() * p, hw = g.h() * g.w();
        for (int c = 0; c < g.c(); c++) {
            for (int i = 0; i < g.kh(); i++) {
                for (int j = 0; j < g.kw(); j++) {
                    int row = ((c * g.kh() + i) * g.kw() + j) * np;
                    for (int n = 0; n < g.n(); n++) {
                        for (int oy = 0; oy < oh; oy++) {
                            int iy = oy * g.sh() - g.ph() + i;
                            for (int ox = 0; ox < ow; ox++) {
                                int ix = ox * g.sw() - g.pw() + j;
                                if (iy >= 0 && iy < g.h() && ix >= 0 && ix < g.w()) {
                                    dx[(n * g.c() + c) * hw + iy * g.w() + ix] += dcols[row + n * p + oy * ow + ox];
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /** The smallest ox ≥ 0 with ox·stride ≥ bound, at most limit. */
    private static int clampedCeilDiv(int bound, int stride, int limit) {
        if (bound <= 0) return 0;
        return Math.min(limit, (bound + stride - 1) / stride);
    }

    // ---- pooling -------------------------------------------------------------------------------------

    /**
     * y [n, c, oh, ow] ← the maximum of each window of x (padding counts as −∞), and argmax the index
     * within its plane (y·w + x) of the first maximal element in row-major window order (a NaN wins,
     * as in PyTorch).
     */
    public static void maxPool(Geometry g, float[] x, float[] y, int[] argmax) {
        int oh = g.oh(), ow = g.ow(), hw = g.h() * g.w(), planes = g.n() * g.c();
        if (g.kh() == 2 && g.kw() == 2 && g.sh() == 2 && g.sw() == 2 && g.ph() == 0 && g.pw() == 0) {
            maxPool2x2(g, x, y, argmax);
            return;
        }
        for (int plane = 0; plane < planes; plane++) {
            int in = plane * hw, out = plane * oh * ow;
            for (int oy = 0; oy < oh; oy++) {
                int y0 = Math.max(0, oy * g.sh() - g.ph()), y1 = Math.min(g.h(), oy * g.sh() - g.ph() + g.kh());
                for (int ox = 0; ox < ow; ox++) {
                    int x0 = Math.max(0, ox * g.sw() - g.pw()), x1 = Math.min(g.w(), ox * g.sw() - g.pw() + g.kw());
                    float best = Float.NEGATIVE_INFINITY;
                    int at = y0 * g.w() + x0;
                    for (int iy = y0; iy < y1; iy++) {
                        for (int ix = x0; ix < x1; ix++) {
                            float v = x[in + iy * g.w() + ix];
                            if (v > best || Float.isNaN(v)) {
                                best = v;
                                at = iy * g.w() + ix;
                                if (Float.isNaN(v)) { iy = y1; break; }
                            }
                        }
                    }
                    y[out + oy * ow + ox] = best;
                    argmax[out + oy * ow + ox] = at;
                }
            }
        }
    }

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;

    /**
     * The course's pooling (2×2 windows, stride 2, no padding), a vector of windows at a time: a
     * plane's windows in output order, the four pixels of each gathered into four vectors (by the
     * windows' top-left offsets), the first maximum chosen by lanewise compares and blends. Which
     * pixel of a window wins is a coin toss, and as scalar code (the JIT keeps float selects as jumps)
     * every other choice was a mispredicted branch, most of the pooling's time. Blocks with a NaN, and
     * a plane's last windows short of a vector, take the scalar loop (a NaN wins, the first one).
     */
    private static void maxPool2x2(Geometry g, float[] x, float[] y, int[] argmax) {
        int oh = g.oh(), ow = g.ow(), w = g.w(), hw = g.h() * w, planes = g.n() * g.c(), p = oh * ow, lanes = F.length();
        int[] topLeft = new int[p];
        for (int q = 0; q < p; q++) topLeft[q] = 2 * (q / ow) * w + 2 * (q % ow);
        int whole = p - p % lanes;
        IntVector zero = IntVector.zero(I), one = zero.add(1), below = zero.add(w), belowRight = zero.add(w + 1);
        for (int plane = 0; plane < planes; plane++) {
            int in = plane * hw, out = plane * p;
            for (int q = 0; q < whole; q += lanes) {
                FloatVector a = FloatVector.fromArray(F, x, in, topLeft, q), b = FloatVector.fromArray(F, x, in + 1, topLeft, q);
                FloatVector c = FloatVector.fromArray(F, x, in + w, topLeft, q), d = FloatVector.fromArray(F, x, in + w + 1, topLeft, q);
                if (a.test(VectorOperators.IS_NAN).or(b.test(VectorOperators.IS_NAN)).or(c.test(VectorOperators.IS_NAN))
                        .or(d.test(VectorOperators.IS_NAN)).anyTrue()) {
                    maxPool2x2Scalar(x, y, argmax, w, topLeft, in, out, q, q + lanes);
                    continue;
                }
                // Strict > keeps the first of equal pixels, in PyTorch's scan order a, b, c, d.
                VectorMask<Float> right = b.compare(VectorOperators.GT, a), bottomRight = d.compare(VectorOperators.GT, c);
                FloatVector upper = a.blend(b, right), lower = c.blend(d, bottomRight);
                VectorMask<Float> down = lower.compare(VectorOperators.GT, upper);
                upper.blend(lower, down).intoArray(y, out + q);
                IntVector offset = zero.blend(one, right.cast(I)).blend(below.blend(belowRight, bottomRight.cast(I)), down.cast(I));
                IntVector.fromArray(I, topLeft, q).add(offset).intoArray(argmax, out + q);
            }
            maxPool2x2Scalar(x, y, argmax, w, topLeft, in, out, whole, p);
        }
    }

    /** A plane's windows [from, to), one at a time, NaN included (the first NaN wins). */
    private static void maxPool2x2Scalar(float[] x, float[] y, int[] argmax, int w, int[] topLeft, int in, int out, int from, int to) {
        for (int q = from; q < to; q++) {
            int at = topLeft[q];
            float best = x[in + at];
            int arg = at;
            // The window's pixels in scan order: at, at + 1, at + w, at + w + 1 (no arrays: this is a plane's tail).
            for (int k = 1; k < 4 && best == best; k++) {
                int where = at + (k >> 1) * w + (k & 1);
                float v = x[in + where];
                if (v > best || v != v) {
                    best = v;
                    arg = where;
                }
            }
            y[out + q] = best;
            argmax[out + q] = arg;
        }
    }

    /** float64 {@link #maxPool(Geometry, float[], float[], int[])}. */
    public static void maxPool(Geometry g, double[] x, double[] y, int[] argmax) {
        int oh = g.oh(), ow = g.ow(), hw = g.h() * g.w(), planes = g.n() * g.c();
        for (int plane = 0; plane < planes; plane++) {
            int in = plane * hw, out = plane * oh * ow;
            for (int oy = 0; oy < oh; oy++) {
                int y0 = Math.max(0, oy * g.sh() - g.ph()), y1 = Math.min(g.h(), oy * g.sh() - g.ph() + g.kh());
                for (int ox = 0; ox < ow; ox++) {
                    int x0 = Math.max(0, ox * g.sw() - g.pw()), x1 = Math.min(g.w(), ox * g.sw() - g.pw() + g.kw());
                    double best = Double.NEGATIVE_INFINITY;
                    int at = y0 * g.w() + x0;
                    for (int iy = y0; iy < y1; iy++) {
                        for (int ix = x0; ix < x1; ix++) {
                            double v = x[in + iy * g.w() + ix];
                            if (v > best || Double.isNaN(v)) {
                                best = v;
                                at = iy * g.w() + ix;
                                if (Double.isNaN(v)) { iy = y1; break; }
                            }
                        }
                    }
                    y[out + oy * ow + ox] = best;
                    argmax[out + oy * ow + ox] = at;
                }
            }
        }
    }

    /** dx [n, c, h, w] += dy routed to each window's maximum (argmax from {@link #maxPool}). */
    public static void maxPoolBackward(Geometry g, float[] dy, int[] argmax, float[] dx) {
        int p = g.p(), hw = g.h() * g.w(), planes = g.n() * g.c();
        for (int plane = 0; plane < planes; plane++) {
            int in = plane * hw, out = plane * p;
            for (int q = 0; q < p; q++) dx[in + argmax[out + q]] += dy[out + q];
        }
    }

    /** float64 {@link #maxPoolBackward(Geometry, float[], int[], float[])}. */
    public static void maxPoolBackward(Geometry g, double[] dy, int[] argmax, double[] dx) {
        int p = g.p(), hw = g.h() * g.w(), planes = g.n() * g.c();
        for (int plane = 0; plane < planes; plane++) {
            int in = plane * hw, out = plane * p;
            for (int q = 0; q < p; q++) dx[in + argmax[out + q]] += dy[out + q];
        }
    }

    /**
     * y ← the mean of each window, padding counted as zeros in a window of kh·kw (PyTorch's default,
     * count_include_pad=True).
     */
    public static void avgPool(Geometry g, double[] x, double[] y) {
        int oh = g.oh(), ow = g.ow(), hw = g.h() * g.w(), planes = g.n() * g.c();
        double scale = 1.0 / (g.kh() * g.kw());
        for (int plane = 0; plane < planes; plane++) {
            int in = plane * hw, out = plane * oh * ow;
            for (int oy = 0; oy < oh; oy++) {
                int y0 = Math.max(0, oy * g.sh() - g.ph()), y1 = Math.min(g.h(), oy * g.sh() - g.ph() + g.kh());
                for (int ox = 0; ox < ow; ox++) {
                    int x0 = Math.max(0, ox * g.sw() - g.pw()), x1 = Math.min(g.w(), ox * g.sw() - g.pw() + g.kw());
                    double sum = 0;
                    for (int iy = y0; iy < y1; iy++) for (int ix = x0; ix < x1; ix++) sum += x[in + iy * g.w() + ix];
                    y[out + oy * ow + ox] = sum * scale;
                }
            }
        }
    }

    /** float32 {@link #avgPool(Geometry, double[], double[])} (sums in float64, rounded once). */
    public static void avgPool(Geometry g, float[] x, float[] y) {
        int oh = g.oh(), ow = g.ow(), hw = g.h() * g.w(), planes = g.n() * g.c();
        double scale = 1.0 / (g.kh() * g.kw());
        for (int plane = 0; plane < planes; plane++) {
            int in = plane * hw, out = plane * oh * ow;
            for (int oy = 0; oy < oh; oy++) {
                int y0 = Math.max(0, oy * g.sh() - g.ph()), y1 = Math.min(g.h(), oy * g.sh() - g.ph() + g.kh());
                for (int ox = 0; ox < ow; ox++) {
                    int x0 = Math.max(0, ox * g.sw() - g.pw()), x1 = Math.min(g.w(), ox * g.sw() - g.pw() + g.kw());
                    double sum = 0;
                    for (int iy = y0; iy < y1; iy++) for (int ix = x0; ix < x1; ix++) sum += x[in + iy * g.w() + ix];
                    y[out + oy * ow + ox] = (float) (sum * scale);
                }
            }
        }
    }

    /** dx += dy/(kh·kw) on every pixel of each window: the adjoint of {@link #avgPool}. */
    public static void avgPoolBackward(Geometry g, double[] dy, double[] dx) {
        int oh = g.oh(), ow = g.ow(), hw = g.h() * g.w(), planes = g.n() * g.c();
        double scale = 1.0 / (g.kh() * g.kw());
        for (int plane = 0; plane < planes; plane++) {
            int in = plane * hw, out = plane * oh * ow;
            for (int oy = 0; oy < oh; oy++) {
                int y0 = Math.max(0, oy * g.sh() - g.ph()), y1 = Math.min(g.h(), oy * g.sh() - g.ph() + g.kh());
                for (int ox = 0; ox < ow; ox++) {
                    int x0 = Math.max(0, ox * g.sw() - g.pw()), x1 = Math.min(g.w(), ox * g.sw() - g.pw() + g.kw());
                    double d = dy[out + oy * ow + ox] * scale;
                    for (int iy = y0; iy < y1; iy++) for (int ix = x0; ix < x1; ix++) dx[in + iy * g.w() + ix] += d;
                }
            }
        }
    }

    /** float32 {@link #avgPoolBackward(Geometry, double[], double[])}. */
    public static void avgPoolBackward(Geometry g, float[] dy, float[] dx) {
        int oh = g.oh(), ow = g.ow(), hw = g.h() * g.w(), planes = g.n() * g.c();
        float scale = 1f / (g.kh() * g.kw());
        for (int plane = 0; plane < planes; plane++) {
            int in = plane * hw, out = plane * oh * ow;
            for (int oy = 0; oy < oh; oy++) {
                int y0 = Math.max(0, oy * g.sh() - g.ph()), y1 = Math.min(g.h(), oy * g.sh() - g.ph() + g.kh());
                for (int ox = 0; ox < ow; ox++) {
                    int x0 = Math.max(0, ox * g.sw() - g.pw()), x1 = Math.min(g.w(), ox * g.sw() - g.pw() + g.kw());
                    float d = dy[out + oy * ow + ox] * scale;
                    for (int iy = y0; iy < y1; iy++) for (int ix = x0; ix < x1; ix++) dx[in + iy * g.w() + ix] += d;
                }
            }
        }
    }
}
