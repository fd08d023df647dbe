package nnlab.tensor.ops;

import nnlab.tensor.Op;
import nnlab.tensor.Shape;
import nnlab.tensor.Tensor;
import nnlab.tensor.kernel.Reduce;

/**
 * y = x − log Σ exp(x) along one axis, computed stably (shifted by the maximum). Fused rather than
 * composed, because the composition overflows for large logits. dx = g − softmax(x)·Σ g.
 */
final class LogSoftmax extends Op {
    private final int axis;
    private Tensor out;

    LogSoftmax(int axis) {
        this.axis = axis;
    }

    @Override
    protected Tensor forward(Tensor... inputs) {
        Tensor x = inputs[0];
        Shape s = x.shape();
        int a = s.axis(axis);
        out = Tensor.zeros(x.dtype(), s);
        switch (x.dtype()) {
            case FLOAT32 -> Reduce.logSoftmax(x.floatData(), s.outer(a), s.dim(a), s.inner(a), out.floatData());
            case FLOAT64 -> Reduce.logSoftmax(x.doubleData(), s.outer(a), s.dim(a), s.inner(a), out.doubleData());
        }
        return out;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {g.sub(out.exp().mul(g.sum(axis, true)))};
    }
}
