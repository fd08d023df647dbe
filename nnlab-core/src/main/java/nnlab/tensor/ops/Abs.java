package nnlab.tensor.ops;

import nnlab.tensor.Op;
import nnlab.tensor.Tensor;
import nnlab.tensor.kernel.Elementwise.Unary;

/** y = |x|; dy/dx = sign(x) (0 at 0, as in PyTorch). */
final class Abs extends Op {
    private Tensor x;
    private Tensor out;

    @Override
    protected Tensor forward(Tensor... inputs) {
        x = inputs[0];
        out = Tensor.unary(Unary.ABS, x);
        return out;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {g.mul(Tensor.unary(Unary.SIGN, x))};
    }
}
