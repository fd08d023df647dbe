package nnlab.nn;

import nnlab.tensor.Tensor;

/** [n, d1, d2, …] → [n, d1·d2·…], as PyTorch's {@code nn.Flatten()} (start_dim 1): images into a Linear layer. */
public final class Flatten extends Module {
    @Override
    public Tensor forward(Tensor input) {
        if (input.rank() < 1) throw new IllegalArgumentException("Flatten needs a batch axis, got a scalar");
        return input.rank() == 2 ? input : input.reshape(input.dim(0), -1);
    }
}
