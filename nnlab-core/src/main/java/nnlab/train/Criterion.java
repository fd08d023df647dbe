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
            return new NLLLoss(reduction).forward(outputs, labels);
        }
    };

    /** The loss of a batch's outputs against its class labels. */
    public abstract Tensor loss(Tensor outputs, int[] labels, Reduction reduction);
}
