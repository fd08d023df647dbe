package nnlab.tensor.kernel;

import java.util.Arrays;

/**
 * The loops of 2-D convolution and pooling on NCHW arrays: im2col (patches laid out as the columns of
 * one matrix, so a convolution is one {@link Gemm} product), its adjoint col2im, and max/average
 * pooling with their backward passes. float32 loops are the training path; the float64 ones, the same
 * loops, serve gradient checks.
 *
 * <p>Columns of the whole batch form one matrix: cols is [C·kh·kw, N·P] with P = OH·OW, row
 * r = (c·kh + i)·kw + j holding x[n, c, oy·sh − ph + i, ox·sw − pw + j] at column n·P + oy·OW + ox (0
 * where the window leaves the image). The convolution is then W [O, C·kh·kw] · cols: one product with
 * N·P columns, wide enough for the packed kernel, instead of N narrow ones.
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

    /** Batches at least this large split im2col/col2im over the cores (by images). */
    private static final int PARALLEL_ELEMENTS = 1 << 19;

    private static int parts(Geometry g) {
        long elements = (long) g.k() * g.n() * g.p();
        return elements >= PARALLEL_ELEMENTS ? Math.min(Parallel.THREADS, g.n()) : 1;
    }

    /** cols [k, n·p] ← the patches of x [n, c, h, w] (every element of cols written). */
    public static void im2col(Geometry g, float[] x, float[] cols) {
        int parts = parts(g);
        if (parts == 1) {
            im2col(g, x, cols, 0, g.n());
        } else {
            Parallel.forParts(parts, part -> im2col(g, x, cols, g.n() * part / parts, g.n() * (part + 1) / parts));
        }
    }

    private static void im2col(Geometry g, float[] x, float[] cols, int imageFrom, int imageTo) {
        int oh = g.oh(), ow = g.ow(), p = oh * ow, np = g.n() * p, hw = g.h() * g.w();
        for (int c = 0; c < g.c(); c++) {
            for (int i = 0; i < g.kh(); i++) {
                for (int j = 0; j < g.kw(); j++) {
                    int row = ((c * g.kh() + i) * g.kw() + j) * np;
                    // The output columns whose input column lies inside the image: ox in [lo, hi).
                    int shift = j - g.pw();
                    int lo = clampedCeilDiv(-shift, g.sw(), ow), hi = clampedCeilDiv(g.w() - shift, g.sw(), ow);
                    for (int n = imageFrom; n < imageTo; n++) {
                        int plane = (n * g.c() + c) * hw, dst0 = row + n * p;
                        for (int oy = 0; oy < oh; oy++) {
                            int iy = oy * g.sh() - g.ph() + i, dst = dst0 + oy * ow;
                            if (iy < 0 || iy >= g.h() || lo >= hi) {
                                Arrays.fill(cols, dst, dst + ow, 0f);
                                continue;
                            }
                            int src = plane + iy * g.w() + shift;
                            Arrays.fill(cols, dst, dst + lo, 0f);
                            if (g.sw() == 1) {
                                System.arraycopy(x, src + lo, cols, dst + lo, hi - lo);
                            } else {
                                for (int ox = lo; ox < hi; ox++) cols[dst + ox] = x[src + ox * g.sw()];
                            }
                            Arrays.fill(cols, dst + hi, dst + ow, 0f);
                        }
                    }
                }
            }
        }
    }

    /** dx [n, c, h, w] += the columns' gradients dcols [k, n·p] summed back onto the pixels they were taken from. */
    public static void col2im(Geometry g, float[] dcols, float[] dx) {
        int parts = parts(g);
        if (parts == 1) {
            col2im(g, dcols, dx, 0, g.n());
        } else {
            Parallel.forParts(parts, part -> col2im(g, dcols, dx, g.n() * part / parts, g.n() * (part + 1) / parts));
        }
    }

    private static void col2im(Geometry g, float[] dcols, float[] dx, int imageFrom, int imageTo) {
        int oh = g.oh(), ow = g.ow(), p = oh * ow, np = g.n() * p, hw = g.h() * g.w(), sw = g.sw();
        for (int n = imageFrom; n < imageTo; n++) {
            for (int c = 0; c < g.c(); c++) {
                int plane = (n * g.c() + c) * hw;
                for (int i = 0; i < g.kh(); i++) {
                    for (int j = 0; j < g.kw(); j++) {
                        int row = ((c * g.kh() + i) * g.kw() + j) * np + n * p;
                        int shift = j - g.pw();
                        int lo = clampedCeilDiv(-shift, sw, ow), hi = clampedCeilDiv(g.w() - shift, sw, ow);
                        for (int oy = 0; oy < oh; oy++) {
                            int iy = oy * g.sh() - g.ph() + i;
                            if (iy < 0 || iy >= g.h()) continue;
                            int src = row + oy * ow, dst = plane + iy * g.w() + shift;
                            for (int ox = lo; ox < hi; ox++) dx[dst + ox * sw] += dcols[src + ox];
                        }
                    }
                }
            }
        }
    }

    /** float64 {@link #im2col(Geometry, float[], float[])}. */
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

    /** float64 {@link #col2im(Geometry, float[], float[])}. */
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

    /**
     * The course's pooling (2×2 windows, stride 2, no padding) without the general loop's bounds:
     * about a quarter of a training step's time went to those on 2×2 windows.
     */
    private static void maxPool2x2(Geometry g, float[] x, float[] y, int[] argmax) {
        int oh = g.oh(), ow = g.ow(), w = g.w(), hw = g.h() * w, planes = g.n() * g.c();
        for (int plane = 0; plane < planes; plane++) {
            int in = plane * hw, out = plane * oh * ow;
            for (int oy = 0; oy < oh; oy++) {
                int row = 2 * oy * w;
                for (int ox = 0; ox < ow; ox++) {
                    int at = row + 2 * ox, i = in + at;
                    float a = x[i], b = x[i + 1], c = x[i + w], d = x[i + w + 1];
                    // Pairwise and branch-free (selects, not jumps: which pixel wins is a coin toss, and
                    // mispredicted branches took most of the time); strict > keeps the first of equals.
                    boolean bWins = b > a, dWins = d > c;
                    float top = bWins ? b : a, bottom = dWins ? d : c;
                    boolean bottomWins = bottom > top;
                    float best = bottomWins ? bottom : top;
                    int arg = at + (bottomWins ? (dWins ? w + 1 : w) : (bWins ? 1 : 0));
                    if ((a != a) | (b != b) | (c != c) | (d != d)) { // a NaN wins: the first one, as the general loop
                        arg = a != a ? at : b != b ? at + 1 : c != c ? at + w : at + w + 1;
                        best = Float.NaN;
                    }
                    y[out + oy * ow + ox] = best;
                    argmax[out + oy * ow + ox] = arg;
                }
            }
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
