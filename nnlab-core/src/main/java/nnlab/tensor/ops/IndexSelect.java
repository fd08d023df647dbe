package nnlab.tensor.ops;

import nnlab.tensor.Op;
import nnlab.tensor.Shape;
import nnlab.tensor.Tensor;

/** out[i] = x[rows[i]] along the first axis; the gradient of repeated rows is summed. */
final class IndexSelect extends Op {
    private final int[] rows;
    private Shape inputShape;

    IndexSelect(int[] rows) {
        this.rows = rows.clone();
    }

    @Override
    protected Tensor forward(Tensor... inputs) {
        Tensor x = inputs[0];
        inputShape = x.shape();
        if (x.rank() == 0) throw new IllegalArgumentException("indexSelect on a scalar");
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] < 0 || rows[i] >= x.dim(0)) {
                throw new IndexOutOfBoundsException("row index " + rows[i] + " at position " + i
                        + " is outside [0, " + x.dim(0) + ") for shape " + inputShape);
            }
        }
        int[] dims = inputShape.dims();
        dims[0] = rows.length;
        Tensor out = Tensor.zeros(x.dtype(), Shape.of(dims));
        int row = inputShape.inner(0);
        for (int i = 0; i < rows.length; i++) {
            switch (x.dtype()) {
                case FLOAT32 -> System.arraycopy(x.floatData(), rows[i] * row, out.floatData(), i * row, row);
                case FLOAT64 -> System.arraycopy(x.doubleData(), rows[i] * row, out.doubleData(), i * row, row);
            }
        }
        return out;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor gx = Tensor.zeros(g.dtype(), inputShape);
        int row = inputShape.inner(0);
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < row; j++) {
                int target = rows[i] * row + j;
                gx.setFlat(target, gx.getFlat(target) + g.getFlat(i * row + j));
            }
        }
        return new Tensor[] {gx};
    }
}
