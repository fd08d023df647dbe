package nnlab.nn;

import nnlab.tensor.Tensor;

/**
 * Binary cross-entropy on logits x with targets y ∈ [0, 1]: −y·log σ(x) − (1 − y)·log(1 − σ(x)),
 * computed stably as softplus(x) − x·y; its gradient is σ(x) − y, also at x = 0.
 */
public final class BCEWithLogitsLoss implements Loss {
    private final Reduction reduction;

    public BCEWithLogitsLoss() {
        this(Reduction.MEAN);
    }

    public BCEWithLogitsLoss(Reduction reduction) {
        this.reduction = reduction;
    }

    @Override
    public Tensor forward(Tensor logits, Tensor target) {
        Loss.requireSameShape("BCEWithLogitsLoss", logits, target);
        return reduction.apply(logits.softplus().sub(logits.mul(target.detach())));
    }
}
