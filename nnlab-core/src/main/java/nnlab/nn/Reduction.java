package nnlab.nn;

import nnlab.tensor.Tensor;

/** How a loss combines its per-example values: their mean (the default), their sum, or none. */
public enum Reduction {
    MEAN, SUM, NONE;

    Tensor apply(Tensor perElement) {
        return switch (this) {
            case MEAN -> perElement.mean();
            case SUM -> perElement.sum();
            case NONE -> perElement;
        };
    }
}
