package nnlab.tensor.ops;

import nnlab.tensor.Op;
import nnlab.tensor.Tensor;
import nnlab.tensor.kernel.Elementwise.Unary;

/**
 * y = log(1 + eˣ), computed stably as max(x, 0) + log(1 + e^−|x|); dy/dx = σ(x). A primitive rather
 * than composed from relu and abs, whose zero derivatives at 0 would give the wrong slope there.
 */
final class Softplus extends Op {
    private Tensor x;

    @Override
    protected Tensor forward(Tensor... inputs) {
        x = inputs[0];
        Tensor out = Tensor.zeros(x.dtype(), x.shape());
        for (int i = 0; i < x.size(); i++) {
            double v = x.getFlat(i);
            out.setFlat(i, Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v))));
        }
        return out;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {g.mul(Tensor.unary(Unary.SIGMOID, x))};
    }
}
