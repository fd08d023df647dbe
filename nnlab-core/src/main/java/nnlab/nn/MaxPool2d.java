package nnlab.nn;

import nnlab.tensor.Tensor;

/**
 * Max pooling over kernel×kernel windows, as PyTorch's {@code nn.MaxPool2d} (stride defaults to the
 * kernel size; padding counts as −∞): [n, c, h, w] → [n, c, ⌊(h + 2·padding − kernel)/stride⌋ + 1, …].
 */
public final class MaxPool2d extends Module {
    private final int kernelSize;
    private final int stride;
    private final int padding;

    public MaxPool2d(int kernelSize) {
        this(kernelSize, kernelSize, 0);
    }

    public MaxPool2d(int kernelSize, int stride, int padding) {
        Pool.check("MaxPool2d", kernelSize, stride, padding);
        this.kernelSize = kernelSize;
        this.stride = stride;
        this.padding = padding;
    }

    @Override
    public Tensor forward(Tensor input) {
        return input.maxPool2d(kernelSize, kernelSize, stride, stride, padding, padding);
    }

    public int kernelSize() {
        return kernelSize;
    }

    public int stride() {
        return stride;
    }

    public int padding() {
        return padding;
    }

    @Override
    protected String extraRepr() {
        return "kernel_size=" + kernelSize + ", stride=" + stride + ", padding=" + padding;
    }
}
