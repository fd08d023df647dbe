package nnlab.tensor.ops;

import nnlab.tensor.Op;
import nnlab.tensor.Shape;
import nnlab.tensor.Tensor;
import nnlab.tensor.kernel.Gemm;

/**
 * y = x·Wᵀ + b, fused (no transposed copy of W, bias added in the same pass), because every layer of
 * every network runs it. x [..., in] is read as rows; W is [out, in]; b is [out] and optional.
 * dx = g·W, dW = gᵀ·x, db = Σ_rows g.
 */
final class Linear extends Op {
    private Tensor x;
    private Tensor w;
    private int rows;
    private int in;
    private int out;

    @Override
    protected Tensor forward(Tensor... inputs) {
        x = inputs[0];
        w = inputs[1];
        Tensor b = inputs.length > 2 ? inputs[2] : null;
        if (w.rank() != 2 || x.rank() == 0 || x.dim(-1) != w.dim(1)) {
            throw new IllegalArgumentException("linear: input " + x.shape() + " does not fit weight " + w.shape()
                    + " (the input's last axis must equal the weight's second, in_features)");
        }
        if (b != null && (b.rank() != 1 || b.dim(0) != w.dim(0))) {
            throw new IllegalArgumentException("linear: bias " + b.shape() + " does not fit weight " + w.shape());
        }
        if (x.dtype() != w.dtype() || (b != null && b.dtype() != w.dtype())) {
            throw new IllegalArgumentException("linear: input is " + x.dtype() + ", weight " + w.dtype()
                    + "; convert with to(DType)");
        }
        in = w.dim(1);
        out = w.dim(0);
        rows = x.size() / Math.max(in, 1);
        int[] dims = x.dims();
        dims[dims.length - 1] = out;
        Tensor y = Tensor.zeros(x.dtype(), Shape.of(dims));
        switch (x.dtype()) {
            case FLOAT32 -> {
                float[] yd = y.floatData();
                if (b != null) for (int r = 0; r < rows; r++) System.arraycopy(b.floatData(), 0, yd, r * out, out);
                Gemm.sgemm(false, true, rows, out, in, x.floatData(), 0, w.floatData(), 0, yd, 0, b != null);
            }
            case FLOAT64 -> {
                double[] yd = y.doubleData();
                if (b != null) for (int r = 0; r < rows; r++) System.arraycopy(b.doubleData(), 0, yd, r * out, out);
                Gemm.dgemm(false, true, rows, out, in, x.doubleData(), 0, w.doubleData(), 0, yd, 0, b != null);
            }
        }
        return y;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor gx = needsGrad(0) ? Tensor.zeros(x.dtype(), x.shape()) : null;
        if (gx != null) product(false, false, rows, in, out, g, w, gx, false);
        // The weight's and bias's gradients go straight into their grad when they are leaves (a layer's parameters).
        Tensor gw = null;
        if (needsGrad(1) && !writeLeafGradient(1, (dest, acc) -> product(true, false, out, in, rows, g, x, dest, acc))) {
            gw = Tensor.zeros(w.dtype(), w.shape());
            product(true, false, out, in, rows, g, x, gw, false);
        }
        Tensor gb = null;
        if (inputs().length > 2 && needsGrad(2) && !writeLeafGradient(2, (dest, acc) -> sumRows(g, dest, acc))) {
            gb = g.reshape(rows, out).sum(0);
        }
        return new Tensor[] {gx, gw, gb};
    }

    /** c (+)= op(a)·op(b), [m, n] = [m, k]·[k, n], in the tensors' type. */
    private static void product(boolean transA, boolean transB, int m, int n, int k, Tensor a, Tensor b, Tensor c, boolean acc) {
        switch (c.dtype()) {
            case FLOAT32 -> Gemm.sgemm(transA, transB, m, n, k, a.floatData(), 0, b.floatData(), 0, c.floatData(), 0, acc);
            case FLOAT64 -> Gemm.dgemm(transA, transB, m, n, k, a.doubleData(), 0, b.doubleData(), 0, c.doubleData(), 0, acc);
        }
    }

    /** dest[j] (+)= Σ_r g[r, j]: the bias gradient. */
    private void sumRows(Tensor g, Tensor dest, boolean accumulate) {
        if (!accumulate) dest.fill(0);
        if (g.dtype() == nnlab.tensor.DType.FLOAT32) {
            float[] gd = g.floatData(), b = dest.floatData();
            for (int r = 0; r < rows; r++) for (int j = 0; j < out; j++) b[j] += gd[r * out + j];
        } else {
            double[] gd = g.doubleData(), b = dest.doubleData();
            for (int r = 0; r < rows; r++) for (int j = 0; j < out; j++) b[j] += gd[r * out + j];
        }
    }
}
