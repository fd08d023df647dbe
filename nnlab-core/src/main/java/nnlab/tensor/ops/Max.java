package nnlab.tensor.ops;

import nnlab.tensor.Op;
import nnlab.tensor.Shape;
import nnlab.tensor.Tensor;
import nnlab.tensor.Workspace;
import nnlab.tensor.kernel.Reduce;

/** y = max x along one axis; the gradient goes to the first maximal element of each slice. */
final class Max extends Op {
    private final int axis;
    private final boolean keepDim;
    private Tensor x;
    private int[] argmax;

    Max(int axis, boolean keepDim) {
        this.axis = axis;
        this.keepDim = keepDim;
    }

    @Override
    protected Tensor forward(Tensor... inputs) {
        x = inputs[0];
        Shape s = x.shape();
        int a = s.axis(axis);
        if (s.dim(a) == 0) throw new IllegalArgumentException("max along an empty axis " + axis + " of shape " + s);
        Tensor out = Tensor.zeros(x.dtype(), s.reduce(a, keepDim));
        argmax = Workspace.ints(out.size());
        switch (x.dtype()) {
            case FLOAT32 -> Reduce.max(x.floatData(), s.outer(a), s.dim(a), s.inner(a), out.floatData(), argmax);
            case FLOAT64 -> Reduce.max(x.doubleData(), s.outer(a), s.dim(a), s.inner(a), out.doubleData(), argmax);
        }
        return out;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Shape s = x.shape();
        int a = s.axis(axis);
        int n = s.dim(a), inner = s.inner(a);
        Tensor gx = Tensor.zeros(x.dtype(), s);
        for (int k = 0; k < argmax.length; k++) {
            int o = k / inner, i = k % inner;
            gx.setFlat((o * n + argmax[k]) * inner + i, g.getFlat(k));
        }
        return new Tensor[] {gx};
    }
}
