package nnlab.tensor.ops;

import nnlab.tensor.Op;
import nnlab.tensor.Tensor;
import nnlab.tensor.kernel.Elementwise.Binary;

/** y = a / b elementwise, broadcasting; da = g/b, db = −g·a/b², each summed back to its operand's shape. */
final class Div extends Op {
    private Tensor a;
    private Tensor b;

    @Override
    protected Tensor forward(Tensor... inputs) {
        a = inputs[0];
        b = inputs[1];
        return Tensor.binary(Binary.DIV, a, b);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {
            needsGrad(0) ? g.div(b).sumTo(a.shape()) : null,
            needsGrad(1) ? g.mul(a).div(b.mul(b)).neg().sumTo(b.shape()) : null
        };
    }
}
