package nnlab.nn;

import nnlab.tensor.Tensor;

/**
 * log(softmax(x)) along one axis, as PyTorch's {@code nn.LogSoftmax(dim)}: the log-probabilities that
 * {@link NLLLoss} takes (LogSoftmax then NLLLoss is {@link CrossEntropyLoss} on the scores).
 */
public final class LogSoftmax extends Module {
    private final int dim;

    public LogSoftmax(int dim) {
        this.dim = dim;
    }

    @Override
    public Tensor forward(Tensor input) {
        return input.logSoftmax(dim);
    }

    public int dim() {
        return dim;
    }

    @Override
    protected String extraRepr() {
        return "dim=" + dim;
    }
}
