package nnlab.tensor.ops;

import nnlab.tensor.Op;
import nnlab.tensor.Shape;
import nnlab.tensor.Tensor;
import nnlab.tensor.kernel.Elementwise.Binary;

/** y = x^p for a constant p; dy/dx = p·x^(p−1). */
final class Pow extends Op {
    private final double exponent;
    private Tensor x;

    Pow(double exponent) {
        this.exponent = exponent;
    }

    @Override
    protected Tensor forward(Tensor... inputs) {
        x = inputs[0];
        return Tensor.binary(Binary.POW, x, Tensor.full(x.dtype(), exponent, Shape.of()));
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor slope = Tensor.binary(Binary.POW, x, Tensor.full(x.dtype(), exponent - 1, Shape.of())).mul(exponent);
        return new Tensor[] {g.mul(slope)};
    }
}
