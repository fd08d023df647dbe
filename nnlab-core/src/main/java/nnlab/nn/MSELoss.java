package nnlab.nn;

import nnlab.tensor.Tensor;

/** (input − target)², averaged by default. */
public final class MSELoss implements Loss {
    private final Reduction reduction;

    public MSELoss() {
        this(Reduction.MEAN);
    }

    public MSELoss(Reduction reduction) {
        this.reduction = reduction;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        Loss.requireSameShape("MSELoss", input, target);
        Tensor diff = input.sub(target);
        return reduction.apply(diff.mul(diff));
    }
}
