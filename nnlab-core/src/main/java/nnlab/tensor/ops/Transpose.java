package nnlab.tensor.ops;

import nnlab.tensor.Op;
import nnlab.tensor.Shape;
import nnlab.tensor.Tensor;
import nnlab.tensor.kernel.Elementwise;

/** Swaps two axes (copying into row-major order); the gradient is swapped back. */
final class Transpose extends Op {
    private final int axis0;
    private final int axis1;

    Transpose(int axis0, int axis1) {
        this.axis0 = axis0;
        this.axis1 = axis1;
    }

    @Override
    protected Tensor forward(Tensor... inputs) {
        Tensor x = inputs[0];
        Shape s = x.shape();
        int a = s.axis(axis0), b = s.axis(axis1);
        int[] perm = new int[s.rank()];
        for (int i = 0; i < perm.length; i++) perm[i] = i;
        perm[a] = b;
        perm[b] = a;
        int[] dims = s.dims();
        dims[a] = s.dim(b);
        dims[b] = s.dim(a);
        int[] index = Elementwise.permuteIndex(s.dims(), perm);
        Tensor out = Tensor.zeros(x.dtype(), Shape.of(dims));
        switch (x.dtype()) {
            case FLOAT32 -> Elementwise.gather(x.floatData(), index, out.floatData());
            case FLOAT64 -> Elementwise.gather(x.doubleData(), index, out.doubleData());
        }
        return out;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {g.transpose(axis0, axis1)};
    }
}
