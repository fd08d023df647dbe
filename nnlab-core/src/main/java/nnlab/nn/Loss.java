package nnlab.nn;

import nnlab.tensor.Tensor;

/** A loss: a differentiable measure of how far {@code input} is from {@code target}. */
public interface Loss {
    Tensor forward(Tensor input, Tensor target);

    /** Checks that input and target have the same shape, naming both otherwise. */
    static void requireSameShape(String loss, Tensor input, Tensor target) {
        if (!input.shape().equals(target.shape())) {
            throw new IllegalArgumentException(loss + ": input " + input.shape() + " and target " + target.shape()
                    + " must have the same shape");
        }
    }

    /** Class indices from a target tensor of whole numbers in [0, classes). */
    static int[] classIndices(String loss, Tensor target, int classes) {
        if (target.rank() != 1) {
            throw new IllegalArgumentException(loss + ": target must be a vector of class indices, got shape " + target.shape());
        }
        int[] out = new int[target.size()];
        for (int i = 0; i < out.length; i++) {
            double v = target.getFlat(i);
            if (v != Math.rint(v) || v < 0 || v >= classes) {
                throw new IllegalArgumentException(loss + ": target " + v + " at position " + i
                        + " is not a class index in [0, " + classes + ")");
            }
            out[i] = (int) v;
        }
        return out;
    }
}
