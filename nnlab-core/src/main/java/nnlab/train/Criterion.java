package nnlab.train;

import nnlab.nn.CrossEntropyLoss;
import nnlab.nn.NLLLoss;
import nnlab.nn.Reduction;
import nnlab.tensor.Tensor;

/**
 * The loss a classifier trains and is evaluated on, which follows from what its outputs are: scores
 * (cross-entropy, PyTorch's {@code nn.CrossEntropyLoss}: the usual case, and what the fused steps
 * compute) or log-probabilities, from a model that ends in {@code LogSoftmax} (negative
 * log-likelihood, {@code nn.NLLLoss}: the course's CNN, {@code log_softmax} then {@code nll_loss}).
 * Whoever builds the model says which, as a PyTorch script pairs its model with its criterion.
 *
 * <p>The two agree on log-probabilities up to rounding (log-softmax of log-probabilities changes
 * nothing), so cross-entropy is never wrong for a model ending in LogSoftmax, only a pass slower.
 */
public enum Criterion {
    CROSS_ENTROPY {
        @Override
        public Tensor loss(Tensor outputs, int[] labels, Reduction reduction) {
            return new CrossEntropyLoss(reduction).forward(outputs, labels);
        }
    },
    NLL {
        @Override
        public Tensor loss(Tensor outputs, int[] labels, Reduction reduction) {
            requireLogProbabilities(outputs);
            return new NLLLoss(reduction).forward(outputs, labels);
        }
    };

    /**
     * NLL of scores that are not log-probabilities trains on a wrong loss without a sign; so each row
     * of the outputs must log-sum-exp to 0 (a row that is not finite is left to the trainer's
     * divergence check).
     */
    static void requireLogProbabilities(Tensor outputs) {
        if (outputs.rank() != 2) return;
        int rows = outputs.dim(0), classes = outputs.dim(1);
        for (int r = 0; r < rows; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) max = Math.max(max, outputs.getFlat(r * classes + c));
            double sum = 0;
            for (int c = 0; c < classes; c++) sum += Math.exp(outputs.getFlat(r * classes + c) - max);
            double logSumExp = max + Math.log(sum);
            if (Double.isFinite(logSumExp) && Math.abs(logSumExp) > 1e-3) {
                throw new IllegalArgumentException(String.format("Criterion.NLL takes log-probabilities (the outputs of a model ending "
                        + "in LogSoftmax), but row %d of these outputs has log-sum-exp %.4g, not 0: train a model whose outputs are "
                        + "scores with Criterion.CROSS_ENTROPY, or end it in LogSoftmax", r, logSumExp));
            }
        }
    }

    /** The loss of a batch's outputs against its class labels. */
    public abstract Tensor loss(Tensor outputs, int[] labels, Reduction reduction);
}
