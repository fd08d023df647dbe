package nnlab.nn;

import nnlab.tensor.Autograd;
import nnlab.tensor.DType;
import nnlab.tensor.Shape;
import nnlab.tensor.Tensor;

/**
 * Batch normalisation over the channel axis (axis 1), as PyTorch's {@code BatchNorm1d}/{@code BatchNorm2d}:
 * in training mode each channel is normalised with the batch's mean and (biased) variance over every
 * other axis, y = (x − mean)/√(var + eps)·weight + bias, and the running statistics move towards the
 * batch's: running ← (1 − momentum)·running + momentum·batch (the unbiased variance, as PyTorch). In
 * eval mode the running statistics normalise instead. weight starts at 1, bias at 0, running_mean at
 * 0 and running_var at 1; the running statistics are buffers, saved in checkpoints.
 */
public abstract sealed class BatchNorm extends Module permits BatchNorm1d, BatchNorm2d {
    private final int features;
    private final double eps;
    private final double momentum;
    private final Parameter weight;
    private final Parameter bias;
    private final Tensor runningMean;
    private final Tensor runningVar;

    BatchNorm(int features, double eps, double momentum, DType dtype) {
        if (features <= 0 || !(eps > 0) || !(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " needs num_features >= 1, eps > 0 and momentum in [0, 1], got "
                    + "num_features=" + features + ", eps=" + eps + ", momentum=" + momentum);
        }
        this.features = features;
        this.eps = eps;
        this.momentum = momentum;
        this.weight = registerParameter("weight", new Parameter(Tensor.full(dtype, 1, Shape.of(features))));
        this.bias = registerParameter("bias", new Parameter(Tensor.zeros(dtype, Shape.of(features))));
        this.runningMean = registerBuffer("running_mean", Tensor.zeros(dtype, Shape.of(features)));
        this.runningVar = registerBuffer("running_var", Tensor.full(dtype, 1, Shape.of(features)));
    }

    /** The input ranks this layer takes (PyTorch's "expected 2D or 3D input"). */
    abstract boolean acceptsRank(int rank);

    abstract String expectedInput();

    @Override
    public Tensor forward(Tensor input) {
        if (!acceptsRank(input.rank()) || input.dim(1) != features) {
            throw new IllegalArgumentException(getClass().getSimpleName() + "(" + features + ") expects input " + expectedInput()
                    + " with " + features + " channels, got " + input.shape());
        }
        if (isTraining()) {
            Tensor out = input.batchNorm(weight, bias, eps); // first: it refuses a batch it cannot normalise
            updateRunningStatistics(input);
            return out;
        }
        // (x − running_mean)/√(running_var + eps)·weight + bias, per channel.
        int n = input.dim(0), rest = input.size() / Math.max(1, n * features);
        Shape perChannel = Shape.of(1, features, 1);
        Tensor scale = Tensor.zeros(input.dtype(), perChannel), shift = Tensor.zeros(input.dtype(), perChannel);
        for (int c = 0; c < features; c++) {
            double inv = 1 / Math.sqrt(runningVar.getFlat(c) + eps);
            scale.setFlat(c, inv);
            shift.setFlat(c, -runningMean.getFlat(c) * inv);
        }
        Tensor y = input.reshape(n, features, rest).mul(scale).add(shift)
                .mul(weight.reshape(1, features, 1)).add(bias.reshape(1, features, 1));
        return y.reshape(input.dims());
    }

    private void updateRunningStatistics(Tensor input) {
        int n = input.dim(0), rest = input.size() / Math.max(1, n * features);
        long count = (long) n * rest;
        try (var scope = Autograd.noGrad()) {
            for (int c = 0; c < features; c++) {
                double sum = 0, squares = 0;
                for (int i = 0; i < n; i++) {
                    int base = (i * features + c) * rest;
                    for (int j = 0; j < rest; j++) sum += input.getFlat(base + j);
                }
                double mean = sum / count;
                for (int i = 0; i < n; i++) {
                    int base = (i * features + c) * rest;
                    for (int j = 0; j < rest; j++) {
                        double d = input.getFlat(base + j) - mean;
                        squares += d * d;
                    }
                }
                double unbiased = count > 1 ? squares / (count - 1) : squares;
                runningMean.setFlat(c, (1 - momentum) * runningMean.getFlat(c) + momentum * mean);
                runningVar.setFlat(c, (1 - momentum) * runningVar.getFlat(c) + momentum * unbiased);
            }
        }
    }

    public Parameter weight() {
        return weight;
    }

    public Parameter bias() {
        return bias;
    }

    /** The running mean per channel (a buffer: updated in place in training mode). */
    public Tensor runningMean() {
        return runningMean;
    }

    /** The running (unbiased) variance per channel. */
    public Tensor runningVar() {
        return runningVar;
    }

    @Override
    protected String extraRepr() {
        return features + ", eps=" + eps + ", momentum=" + momentum;
    }
}
