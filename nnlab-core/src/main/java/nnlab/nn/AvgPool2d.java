package nnlab.nn;

import nnlab.tensor.Tensor;

/**
 * Average pooling over kernel×kernel windows, as PyTorch's {@code nn.AvgPool2d} (stride defaults to the
 * kernel size; zero padding counted in the kernel² divisor, count_include_pad=True).
 */
public final class AvgPool2d extends Module {
    private final int kernelSize;
    private final int stride;
    private final int padding;

    public AvgPool2d(int kernelSize) {
        this(kernelSize, kernelSize, 0);
    }

    public AvgPool2d(int kernelSize, int stride, int padding) {
        Pool.check("AvgPool2d", kernelSize, stride, padding);
        this.kernelSize = kernelSize;
        this.stride = stride;
        this.padding = padding;
    }

    @Override
    public Tensor forward(Tensor input) {
        return input.avgPool2d(kernelSize, kernelSize, stride, stride, padding, padding);
    }

    @Override
    protected String extraRepr() {
        return "kernel_size=" + kernelSize + ", stride=" + stride + ", padding=" + padding;
    }
}
