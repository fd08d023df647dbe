package nnlab.nn;

import nnlab.tensor.Tensor;

/**
 * Softmax cross-entropy from raw scores (logits) [n, classes] and class indices [n]:
 * −log softmax(x)[target] = −x[target] + log Σ exp(x), computed stably through log-softmax.
 */
public final class CrossEntropyLoss implements Loss {
    private final NLLLoss nll;

    public CrossEntropyLoss() {
        this(Reduction.MEAN);
    }

    public CrossEntropyLoss(Reduction reduction) {
        this.nll = new NLLLoss(reduction);
    }

    public Tensor forward(Tensor logits, int[] targets) {
        if (logits.rank() != 2) {
            throw new IllegalArgumentException("CrossEntropyLoss: input must be [n, classes], got " + logits.shape());
        }
        if (targets.length != logits.dim(0)) {
            throw new IllegalArgumentException("CrossEntropyLoss: " + logits.dim(0) + " rows of logits but "
                    + targets.length + " targets");
        }
        return nll.forward(logits.logSoftmax(1), targets);
    }

    @Override
    public Tensor forward(Tensor logits, Tensor targets) {
        return forward(logits, Loss.classIndices("CrossEntropyLoss", targets, logits.dim(-1)));
    }
}
