package nnlab.tensor.ops;

import nnlab.tensor.Op;
import nnlab.tensor.Shape;
import nnlab.tensor.Tensor;
import nnlab.tensor.kernel.Reduce;

/** y = Σ x along one axis; the gradient is g copied back along that axis. */
final class Sum extends Op {
    private final int axis;
    private final boolean keepDim;
    private Tensor x;

    Sum(int axis, boolean keepDim) {
        this.axis = axis;
        this.keepDim = keepDim;
    }

    @Override
    protected Tensor forward(Tensor... inputs) {
        x = inputs[0];
        Shape s = x.shape();
        int a = s.axis(axis);
        Tensor out = Tensor.zeros(x.dtype(), s.reduce(a, keepDim));
        switch (x.dtype()) {
            case FLOAT32 -> Reduce.sum(x.floatData(), s.outer(a), s.dim(a), s.inner(a), out.floatData());
            case FLOAT64 -> Reduce.sum(x.doubleData(), s.outer(a), s.dim(a), s.inner(a), out.doubleData());
        }
        return out;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {g.reshape(x.shape().reduce(axis, true).dims()).broadcastTo(x.shape())};
    }
}
