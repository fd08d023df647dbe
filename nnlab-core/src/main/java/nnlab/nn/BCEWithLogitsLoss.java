package nnlab.nn;

import nnlab.tensor.Tensor;

/**
 * Binary cross-entropy on logits x with targets y ∈ [0, 1]: −y·log σ(x) − (1 − y)·log(1 − σ(x)),
 * computed stably as max(x, 0) − x·y + log(1 + e^−|x|).
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
        Tensor softplusOfNegAbs = logits.abs().neg().exp().add(1).log();
        return reduction.apply(logits.relu().sub(logits.mul(target)).add(softplusOfNegAbs));
    }
}
