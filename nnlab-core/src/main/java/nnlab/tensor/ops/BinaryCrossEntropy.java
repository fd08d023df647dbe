package nnlab.tensor.ops;

import nnlab.tensor.Op;
import nnlab.tensor.Tensor;

/**
 * Elementwise binary cross-entropy of probabilities p against targets y:
 * ℓ = −(y·log p + (1 − y)·log(1 − p)), each log clamped at −100 as PyTorch does; the gradient with
 * respect to p is (p − y) / max(p(1 − p), 10⁻¹²), also as PyTorch, so p = 0 or 1 gives a large
 * finite gradient rather than 0/0. The targets are constants.
 */
final class BinaryCrossEntropy extends Op {
    private static final double EPS = 1e-12;
    private final Tensor target;
    private Tensor p;

    BinaryCrossEntropy(Tensor target) {
        this.target = target;
    }

    @Override
    protected Tensor forward(Tensor... inputs) {
        p = inputs[0];
        if (!p.shape().equals(target.shape())) {
            throw new IllegalArgumentException("binary cross-entropy: probabilities " + p.shape() + " and targets "
                    + target.shape() + " must have the same shape");
        }
        Tensor out = Tensor.zeros(p.dtype(), p.shape());
        for (int i = 0; i < p.size(); i++) {
            double pi = p.getFlat(i), y = target.getFlat(i);
            out.setFlat(i, -(y * Math.max(Math.log(pi), -100) + (1 - y) * Math.max(Math.log(1 - pi), -100)));
        }
        return out;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor gp = Tensor.zeros(p.dtype(), p.shape());
        for (int i = 0; i < p.size(); i++) {
            double pi = p.getFlat(i), y = target.getFlat(i);
            gp.setFlat(i, g.getFlat(i) * (pi - y) / Math.max(pi * (1 - pi), EPS));
        }
        return new Tensor[] {gp};
    }
}
