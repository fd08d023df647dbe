package nnlab.tensor.ops;

import nnlab.tensor.Op;
import nnlab.tensor.Shape;
import nnlab.tensor.Tensor;

/** For x of shape [n, c]: out[i] = x[i, columns[i]], shape [n]; the gradient lands on those entries. */
final class Gather extends Op {
    private final int[] columns;
    private Shape inputShape;

    Gather(int[] columns) {
        this.columns = columns.clone();
    }

    @Override
    protected Tensor forward(Tensor... inputs) {
        Tensor x = inputs[0];
        inputShape = x.shape();
        if (x.rank() != 2 || x.dim(0) != columns.length) {
            throw new IllegalArgumentException("gather needs a matrix with one row per index: shape " + inputShape
                    + " with " + columns.length + " indices");
        }
        int c = x.dim(1);
        Tensor out = Tensor.zeros(x.dtype(), Shape.of(columns.length));
        for (int i = 0; i < columns.length; i++) {
            if (columns[i] < 0 || columns[i] >= c) {
                throw new IndexOutOfBoundsException("index " + columns[i] + " at position " + i
                        + " is out of range for " + c + " columns (classes 0.." + (c - 1) + ")");
            }
            out.setFlat(i, x.getFlat(i * c + columns[i]));
        }
        return out;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor gx = Tensor.zeros(g.dtype(), inputShape);
        int c = inputShape.dim(1);
        for (int i = 0; i < columns.length; i++) gx.setFlat(i * c + columns[i], g.getFlat(i));
        return new Tensor[] {gx};
    }
}
