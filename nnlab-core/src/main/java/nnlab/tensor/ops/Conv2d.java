package nnlab.tensor.ops;

import nnlab.tensor.DType;
import nnlab.tensor.Op;
import nnlab.tensor.Shape;
import nnlab.tensor.Tensor;
import nnlab.tensor.Workspace;
import nnlab.tensor.kernel.Convolution;
import nnlab.tensor.kernel.Gemm;

/**
 * 2-D convolution (cross-correlation, as PyTorch's): x [n, c, h, w], weight [o, c, kh, kw], bias [o]
 * (optional) → y [n, o, oh, ow] with y[n, o] = b[o] + Σ_c W[o, c] ⋆ x[n, c], at the given stride and
 * zero padding. As one product over the whole batch: y' [o, n·p] = W [o, c·kh·kw] · cols [c·kh·kw, n·p]
 * (cols = im2col(x)); then dW = g'·colsᵀ, db = Σ g', dcols = Wᵀ·g' and dx = col2im(dcols).
 */
final class Conv2d extends Op {
    private final int sh, sw, ph, pw;
    private Convolution.Geometry g;
    private Tensor x;
    private Tensor w;
    private float[] cols;
    private double[] cols64;

    Conv2d(int sh, int sw, int ph, int pw) {
        this.sh = sh;
        this.sw = sw;
        this.ph = ph;
        this.pw = pw;
    }

    @Override
    protected Tensor forward(Tensor... inputs) {
        x = inputs[0];
        w = inputs[1];
        Tensor b = inputs.length > 2 ? inputs[2] : null;
        check(x, w, b);
        g = new Convolution.Geometry(x.dim(0), x.dim(1), x.dim(2), x.dim(3), w.dim(2), w.dim(3), sh, sw, ph, pw);
        if (!g.fits()) {
            throw new IllegalArgumentException("conv2d: the kernel " + w.dim(2) + "x" + w.dim(3) + " is larger than the input's "
                    + x.dim(2) + "x" + x.dim(3) + " with padding " + ph + "x" + pw);
        }
        int o = w.dim(0), k = g.k(), p = g.p(), np = g.n() * p;
        Tensor y = Tensor.zeros(x.dtype(), Shape.of(g.n(), o, g.oh(), g.ow()));
        if (x.dtype() == DType.FLOAT32) {
            cols = recorded() && !Convolution.direct(g) ? Workspace.floats(Convolution.columns(g)) : null; // only backward reads them again
            Convolution.forward(g, x.floatData(), w.floatData(), o, b == null ? null : b.floatData(), y.floatData(), cols);
        } else {
            cols64 = new double[k * np];
            Convolution.im2col(g, x.doubleData(), cols64);
            double[] yt = new double[o * np];
            Gemm.dgemm(false, false, o, np, k, w.doubleData(), 0, cols64, 0, yt, 0, false);
            double[] yd = y.doubleData();
            for (int oc = 0; oc < o; oc++) {
                double bias = b == null ? 0 : b.doubleData()[oc];
                for (int n = 0; n < g.n(); n++) {
                    for (int q = 0; q < p; q++) yd[(n * o + oc) * p + q] = yt[oc * np + n * p + q] + bias;
                }
            }
        }
        return y;
    }

    private static void check(Tensor x, Tensor w, Tensor b) {
        if (w.rank() != 4) {
            throw new IllegalArgumentException("conv2d: weight must be [out_channels, in_channels, kh, kw], got " + w.shape());
        }
        if (x.rank() != 4 || x.dim(1) != w.dim(1)) {
            throw new IllegalArgumentException("conv2d: weight " + w.shape() + " expects input [batch, " + w.dim(1)
                    + ", height, width], got " + x.shape() + (x.rank() == 2 ? " (flat images: reshape them to [batch, "
                    + w.dim(1) + ", height, width])" : ""));
        }
        if (b != null && (b.rank() != 1 || b.dim(0) != w.dim(0))) {
            throw new IllegalArgumentException("conv2d: bias " + b.shape() + " does not fit weight " + w.shape());
        }
        if (x.dtype() != w.dtype() || (b != null && b.dtype() != w.dtype())) {
            throw new IllegalArgumentException("conv2d: input is " + x.dtype() + ", weight " + w.dtype() + "; convert with to(DType)");
        }
    }

    @Override
    protected Tensor[] backward(Tensor gy) {
        int o = w.dim(0), k = g.k(), p = g.p(), np = g.n() * p;
        boolean hasBias = inputs().length > 2;
        if (x.dtype() == DType.FLOAT32) {
            // Each part of the batch leaves its own weight and bias gradients; they are summed here, part by part.
            int parts = Convolution.parts(g);
            float[][] dw = needsGrad(1) ? new float[parts][o * k] : null;
            float[][] db = hasBias && needsGrad(2) ? new float[parts][o] : null;
            Tensor gx = needsGrad(0) ? Tensor.zeros(x.dtype(), x.shape()) : null;
            Convolution.backward(g, x.floatData(), w.floatData(), o, gy.floatData(), cols, dw, db, gx == null ? null : gx.floatData());
            Tensor gw = null, gb = null;
            if (dw != null && !writeLeafGradient(1, (dest, acc) -> sumParts(dw, dest.floatData(), acc))) {
                gw = Tensor.zeros(w.dtype(), w.shape());
                sumParts(dw, gw.floatData(), false);
            }
            if (db != null && !writeLeafGradient(2, (dest, acc) -> sumParts(db, dest.floatData(), acc))) {
                gb = Tensor.zeros(w.dtype(), Shape.of(o));
                sumParts(db, gb.floatData(), false);
            }
            return new Tensor[] {gx, gw, gb};
        }
        double[] gt = new double[o * np], gd = gy.doubleData();
        for (int oc = 0; oc < o; oc++) {
            for (int n = 0; n < g.n(); n++) System.arraycopy(gd, (n * o + oc) * p, gt, oc * np + n * p, p);
        }
        Tensor gw = Tensor.zeros(w.dtype(), w.shape());
        Gemm.dgemm(false, true, o, k, np, gt, 0, cols64, 0, gw.doubleData(), 0, false);
        Tensor gb = null;
        if (hasBias) {
            gb = Tensor.zeros(w.dtype(), Shape.of(o));
            for (int oc = 0; oc < o; oc++) for (int j = 0; j < np; j++) gb.doubleData()[oc] += gt[oc * np + j];
        }
        double[] dcols = new double[k * np];
        Gemm.dgemm(true, false, k, np, o, w.doubleData(), 0, gt, 0, dcols, 0, false);
        Tensor gx = Tensor.zeros(x.dtype(), x.shape());
        Convolution.col2im(g, dcols, gx.doubleData());
        return new Tensor[] {gx, gw, gb};
    }

    /** dest (+)= parts[0] + parts[1] + …, in that order whichever thread computed which part. */
    private static void sumParts(float[][] parts, float[] dest, boolean accumulate) {
        for (int i = 0; i < dest.length; i++) {
            float s = accumulate ? dest[i] : 0f;
            for (float[] part : parts) s += part[i];
            dest[i] = s;
        }
    }
}
