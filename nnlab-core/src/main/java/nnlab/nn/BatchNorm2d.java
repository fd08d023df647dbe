package nnlab.nn;

import nnlab.tensor.DType;

/** {@link BatchNorm} of images [n, channels, h, w] (after a convolution), statistics over n, h and w. */
public final class BatchNorm2d extends BatchNorm {
    public BatchNorm2d(int channels) {
        this(channels, 1e-5, 0.1, DType.FLOAT32);
    }

    public BatchNorm2d(int channels, double eps, double momentum, DType dtype) {
        super(channels, eps, momentum, dtype);
    }

    @Override
    boolean acceptsRank(int rank) {
        return rank == 4;
    }

    @Override
    String expectedInput() {
        return "[batch, channels, height, width]";
    }
}
