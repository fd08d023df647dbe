package nnlab.nn;

import nnlab.tensor.DType;

/** {@link BatchNorm} of [n, features] or [n, features, length] (after a Linear layer, or 1-D signals). */
public final class BatchNorm1d extends BatchNorm {
    public BatchNorm1d(int features) {
        this(features, 1e-5, 0.1, DType.FLOAT32);
    }

    public BatchNorm1d(int features, double eps, double momentum, DType dtype) {
        super(features, eps, momentum, dtype);
    }

    @Override
    boolean acceptsRank(int rank) {
        return rank == 2 || rank == 3;
    }

    @Override
    String expectedInput() {
        return "[batch, features] or [batch, features, length]";
    }
}
