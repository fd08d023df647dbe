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
        Tensor gw = needsGrad(1) ? Tensor.zeros(w.dtype(), w.shape()) : null;
        Tensor gb = inputs().length > 2 && needsGrad(2) ? g.reshape(rows, out).sum(0) : null;
        switch (x.dtype()) {
            case FLOAT32 -> {
                if (gx != null) Gemm.sgemm(false, false, rows, in, out, g.floatData(), 0, w.floatData(), 0, gx.floatData(), 0, false);
                if (gw != null) Gemm.sgemm(true, false, out, in, rows, g.floatData(), 0, x.floatData(), 0, gw.floatData(), 0, false);
            }
            case FLOAT64 -> {
                if (gx != null) Gemm.dgemm(false, false, rows, in, out, g.doubleData(), 0, w.doubleData(), 0, gx.doubleData(), 0, false);
                if (gw != null) Gemm.dgemm(true, false, out, in, rows, g.doubleData(), 0, x.doubleData(), 0, gw.doubleData(), 0, false);
            }
        }
        return new Tensor[] {gx, gw, gb};
    }
}
