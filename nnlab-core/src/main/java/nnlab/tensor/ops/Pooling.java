package nnlab.tensor.ops;

import nnlab.tensor.Tensor;
import nnlab.tensor.kernel.Convolution;

/** The checks pooling ops share. */
final class Pooling {
    private Pooling() {}

    /** The geometry of pooling x, or an error naming the op, the input's shape and the window. */
    static Convolution.Geometry geometry(String op, Tensor x, int kh, int kw, int sh, int sw, int ph, int pw) {
        if (x.rank() != 4) {
            throw new IllegalArgumentException(op + ": input must be [batch, channels, height, width], got " + x.shape());
        }
        // As PyTorch: a window half in padding would pool padding alone at the border.
        if (2 * ph > kh || 2 * pw > kw) {
            throw new IllegalArgumentException(op + ": padding " + ph + "x" + pw + " must be at most half the window "
                    + kh + "x" + kw);
        }
        Convolution.Geometry g = new Convolution.Geometry(x.dim(0), x.dim(1), x.dim(2), x.dim(3), kh, kw, sh, sw, ph, pw);
        if (!g.fits()) {
            throw new IllegalArgumentException(op + ": window " + kh + "x" + kw + " is larger than the input's "
                    + x.dim(2) + "x" + x.dim(3) + " (padding " + ph + "x" + pw + ")");
        }
        return g;
    }
}
