package nnlab.nn;

import nnlab.tensor.Tensor;

/** −log p[target] from log-probabilities [n, classes] and class indices [n]. */
public final class NLLLoss implements Loss {
    private final Reduction reduction;

    public NLLLoss() {
        this(Reduction.MEAN);
    }

    public NLLLoss(Reduction reduction) {
        this.reduction = reduction;
    }

    public Tensor forward(Tensor logProbabilities, int[] targets) {
        if (logProbabilities.rank() != 2) {
            throw new IllegalArgumentException("NLLLoss: input must be [n, classes], got " + logProbabilities.shape());
        }
        return reduction.apply(logProbabilities.gather(targets).neg());
    }

    @Override
    public Tensor forward(Tensor logProbabilities, Tensor targets) {
        return forward(logProbabilities, Loss.classIndices("NLLLoss", targets, logProbabilities.dim(-1)));
    }
}
