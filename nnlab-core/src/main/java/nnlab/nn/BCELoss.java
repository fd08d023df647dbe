package nnlab.nn;

import nnlab.tensor.Tensor;

/**
 * Binary cross-entropy on probabilities p ∈ [0, 1]: −y·log p − (1 − y)·log(1 − p), with each log
 * clamped at −100 as PyTorch does, so p = 0 or 1 gives a finite loss.
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
        Tensor logP = probabilities.log().clamp(-100, Double.POSITIVE_INFINITY);
        Tensor logOneMinusP = probabilities.neg().add(1).log().clamp(-100, Double.POSITIVE_INFINITY);
        return reduction.apply(target.mul(logP).add(target.neg().add(1).mul(logOneMinusP)).neg());
    }
}
