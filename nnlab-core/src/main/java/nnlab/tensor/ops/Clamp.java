package nnlab.tensor.ops;

import nnlab.tensor.Op;
import nnlab.tensor.Shape;
import nnlab.tensor.Tensor;
import nnlab.tensor.kernel.Elementwise.Binary;

/** y = min(max(x, lo), hi); dy/dx = 1 where lo ≤ x ≤ hi, else 0 (as PyTorch's clamp). */
final class Clamp extends Op {
    private final double min;
    private final double max;
    private Tensor x;

    Clamp(double min, double max) {
        if (!(min <= max)) throw new IllegalArgumentException("clamp: min " + min + " is greater than max " + max);
        this.min = min;
        this.max = max;
    }

    @Override
    protected Tensor forward(Tensor... inputs) {
        x = inputs[0];
        Tensor lo = Tensor.full(x.dtype(), min, Shape.of());
        Tensor hi = Tensor.full(x.dtype(), max, Shape.of());
        return Tensor.binary(Binary.MIN, Tensor.binary(Binary.MAX, x, lo), hi);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor inside = Tensor.binary(Binary.MUL,
                Tensor.binary(Binary.GE, x, Tensor.full(x.dtype(), min, Shape.of())),
                Tensor.binary(Binary.LE, x, Tensor.full(x.dtype(), max, Shape.of())));
        return new Tensor[] {g.mul(inside)};
    }
}
