package nnlab.tensor.ops;

import nnlab.tensor.Op;
import nnlab.tensor.Tensor;
import nnlab.tensor.kernel.Elementwise.Unary;

/** y = eˣ; dy/dx = y. */
final class Exp extends Op {
    private Tensor x;
    private Tensor out;

    @Override
    protected Tensor forward(Tensor... inputs) {
        x = inputs[0];
        out = Tensor.unary(Unary.EXP, x);
        return out;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {g.mul(out)};
    }
}
