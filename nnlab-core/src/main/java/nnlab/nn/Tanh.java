package nnlab.nn;

import nnlab.tensor.Tensor;

/** tanh(x) elementwise. */
public final class Tanh extends Module {
    @Override
    public Tensor forward(Tensor input) {
        return input.tanh();
    }
}
