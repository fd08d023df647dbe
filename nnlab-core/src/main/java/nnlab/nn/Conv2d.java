package nnlab.nn;

import java.util.random.RandomGenerator;
import nnlab.tensor.DType;
import nnlab.tensor.Shape;
import nnlab.tensor.Tensor;

/**
 * 2-D convolution, as PyTorch's {@code nn.Conv2d} (groups 1, dilation 1, zero padding): input
 * [n, inChannels, h, w], output [n, outChannels, oh, ow] with oh = ⌊(h + 2·padding − kernel)/stride⌋ + 1;
 * weight [outChannels, inChannels, kernel, kernel], bias [outChannels]. Initialised as PyTorch does:
 * W ~ U(−1/√fan_in, 1/√fan_in) (Kaiming-uniform with a = √5) and b likewise, fan_in = inChannels·kernel².
 */
public final class Conv2d extends Module {
    private final int inChannels;
    private final int outChannels;
    private final int kernelSize;
    private final int stride;
    private final int padding;
    private final Parameter weight;
    private final Parameter bias;

    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride, int padding, RandomGenerator rng) {
        this(inChannels, outChannels, kernelSize, stride, padding, true, DType.FLOAT32, rng);
    }

    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride, int padding, boolean bias, DType dtype,
                  RandomGenerator rng) {
        if (inChannels <= 0 || outChannels <= 0 || kernelSize <= 0 || stride <= 0 || padding < 0) {
            throw new IllegalArgumentException("Conv2d needs positive channels, kernel_size and stride and padding >= 0, got in_channels="
                    + inChannels + ", out_channels=" + outChannels + ", kernel_size=" + kernelSize + ", stride=" + stride
                    + ", padding=" + padding);
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernelSize = kernelSize;
        this.stride = stride;
        this.padding = padding;
        this.weight = registerParameter("weight",
                new Parameter(Tensor.zeros(dtype, Shape.of(outChannels, inChannels, kernelSize, kernelSize))));
        this.bias = bias ? registerParameter("bias", new Parameter(Tensor.zeros(dtype, Shape.of(outChannels)))) : null;
        Init.kaimingUniform(weight, Math.sqrt(5), rng);
        if (this.bias != null) {
            double bound = 1 / Math.sqrt(inChannels * kernelSize * kernelSize);
            Init.uniform(this.bias, -bound, bound, rng);
        }
    }

    @Override
    public Tensor forward(Tensor input) {
        return input.conv2d(weight, bias, stride, padding);
    }

    /** The output's height (or width) for an input of this height (or width). */
    public int outputSize(int inputSize) {
        return (inputSize + 2 * padding - kernelSize) / stride + 1;
    }

    public Parameter weight() {
        return weight;
    }

    /** The bias, or null for a layer without one. */
    public Parameter bias() {
        return bias;
    }

    public int inChannels() {
        return inChannels;
    }

    public int outChannels() {
        return outChannels;
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
        return inChannels + ", " + outChannels + ", kernel_size=(" + kernelSize + ", " + kernelSize + "), stride=(" + stride
                + ", " + stride + ")" + (padding > 0 ? ", padding=(" + padding + ", " + padding + ")" : "")
                + (bias == null ? ", bias=False" : "");
    }
}
