package nnlab.nn;

import nnlab.tensor.Tensor;

/** A tensor that a {@link Module} learns: a leaf that requires grad, sharing the storage it was made from. */
public final class Parameter extends Tensor {
    public Parameter(Tensor data) {
        super(data);
        requiresGrad(true);
    }
}
