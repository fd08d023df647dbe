package nnlab.nn;

import nnlab.tensor.Tensor;

/**
 * Binary cross-entropy on probabilities p ∈ [0, 1]: −y·log p − (1 − y)·log(1 − p), with each log
 * clamped at −100 and the gradient (p − y) / max(p(1 − p), 10⁻¹²) as PyTorch does, so p = 0 or 1
 * gives a finite loss and a finite gradient.
 */
public final class BCELoss implements Loss {
    private final Reduction reduction;

    public BCELoss() {
        this(Reduction.MEAN);
    }

    public BCELoss(Reduction reduction) {
        this.reduction = reduction;
    }

    @Override
    public Tensor forward(Tensor probabilities, Tensor target) {
        Loss.requireSameShape("BCELoss", probabilities, target);
        return reduction.apply(probabilities.binaryCrossEntropy(target));
    }
}
