package nnlab.tensor.ops;

import nnlab.tensor.Op;
import nnlab.tensor.Tensor;
import nnlab.tensor.kernel.Elementwise.Binary;
import nnlab.tensor.kernel.Elementwise.Unary;

/** y = max(x, 0); dy/dx = 1 where x &gt; 0, else 0 (also at 0, as in PyTorch). */
final class Relu extends Op {
    private Tensor x;
    private Tensor out;

    @Override
    protected Tensor forward(Tensor... inputs) {
        x = inputs[0];
        out = Tensor.unary(Unary.RELU, x);
        return out;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {Tensor.binary(Binary.WHERE_POSITIVE, g, x)};
    }
}
