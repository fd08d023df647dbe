package nnlab.tensor.ops;

import nnlab.tensor.Op;
import nnlab.tensor.Shape;
import nnlab.tensor.Tensor;

/** Rows [from, to) along the first axis (a copy); the gradient is placed back into those rows. */
final class SliceRows extends Op {
    private final int from;
    private final int to;
    private Shape inputShape;

    SliceRows(int from, int to) {
        this.from = from;
        this.to = to;
    }

    @Override
    protected Tensor forward(Tensor... inputs) {
        Tensor x = inputs[0];
        inputShape = x.shape();
        if (x.rank() == 0 || from < 0 || to > x.dim(0) || from > to) {
            throw new IndexOutOfBoundsException("rows [" + from + ", " + to + ") of a tensor of shape " + inputShape);
        }
        int[] dims = inputShape.dims();
        dims[0] = to - from;
        Tensor out = Tensor.zeros(x.dtype(), Shape.of(dims));
        copyRows(x, from, out, 0, out.size());
        return out;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor gx = Tensor.zeros(g.dtype(), inputShape);
        copyRows(g, 0, gx, from, g.size());
        return new Tensor[] {gx};
    }

    /** Copies {@code count} elements from row {@code srcRow} of src to row {@code dstRow} of dst. */
    private void copyRows(Tensor src, int srcRow, Tensor dst, int dstRow, int count) {
        int row = inputShape.inner(0);
        switch (src.dtype()) {
            case FLOAT32 -> System.arraycopy(src.floatData(), srcRow * row, dst.floatData(), dstRow * row, count);
            case FLOAT64 -> System.arraycopy(src.doubleData(), srcRow * row, dst.doubleData(), dstRow * row, count);
        }
    }
}
