package nnlab.tensor.ops;

import nnlab.tensor.Op;
import nnlab.tensor.Tensor;
import nnlab.tensor.kernel.Elementwise.Unary;

/** y = 1/(1 + e^−x); dy/dx = y(1 − y). */
final class Sigmoid extends Op {
    private Tensor x;
    private Tensor out;

    @Override
    protected Tensor forward(Tensor... inputs) {
        x = inputs[0];
        out = Tensor.unary(Unary.SIGMOID, x);
        return out;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {g.mul(out.mul(out.neg().add(1)))};
    }
}
