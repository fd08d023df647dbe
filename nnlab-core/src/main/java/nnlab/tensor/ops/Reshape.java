package nnlab.tensor.ops;

import nnlab.tensor.Op;
import nnlab.tensor.Shape;
import nnlab.tensor.Tensor;

/** The same elements in another shape, sharing storage; the gradient is reshaped back. */
final class Reshape extends Op {
    private final Shape shape;
    private Shape inputShape;

    Reshape(Shape shape) {
        this.shape = shape;
    }

    @Override
    protected Tensor forward(Tensor... inputs) {
        Tensor x = inputs[0];
        inputShape = x.shape();
        if (shape.size() != x.size()) {
            throw new IllegalArgumentException("cannot reshape " + inputShape + " to " + shape);
        }
        return switch (x.dtype()) {
            case FLOAT32 -> Tensor.wrap(x.floatData(), shape);
            case FLOAT64 -> Tensor.wrap(x.doubleData(), shape);
        };
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {g.reshape(inputShape.dims())};
    }
}
