package nnlab.tensor.ops;

import nnlab.tensor.Op;
import nnlab.tensor.Tensor;
import nnlab.tensor.kernel.Elementwise.Unary;

/** y = √x; dy/dx = 1/(2y). */
final class Sqrt extends Op {
    private Tensor x;
    private Tensor out;

    @Override
    protected Tensor forward(Tensor... inputs) {
        x = inputs[0];
        out = Tensor.unary(Unary.SQRT, x);
        return out;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {g.div(out.mul(2))};
    }
}
