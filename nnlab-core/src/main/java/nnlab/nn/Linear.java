package nnlab.nn;

import java.util.random.RandomGenerator;
import nnlab.tensor.DType;
import nnlab.tensor.Shape;
import nnlab.tensor.Tensor;

/**
 * y = x·Wᵀ + b. Input [..., inFeatures], output [..., outFeatures]; weight [outFeatures, inFeatures]
 * and bias [outFeatures] as in PyTorch. Initialised as PyTorch does by default: W ~ U(−1/√in, 1/√in)
 * (Kaiming-uniform with a = √5) and b ~ U(−1/√in, 1/√in).
 */
public final class Linear extends Module {
    private final int inFeatures;
    private final int outFeatures;
    private final Parameter weight;
    private final Parameter bias;

    public Linear(int inFeatures, int outFeatures, RandomGenerator rng) {
        this(inFeatures, outFeatures, true, DType.FLOAT32, rng);
    }

    public Linear(int inFeatures, int outFeatures, boolean bias, DType dtype, RandomGenerator rng) {
        if (inFeatures <= 0 || outFeatures <= 0) {
            throw new IllegalArgumentException("Linear needs positive sizes, got in_features=" + inFeatures
                    + ", out_features=" + outFeatures);
        }
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        this.weight = registerParameter("weight", new Parameter(Tensor.zeros(dtype, Shape.of(outFeatures, inFeatures))));
        this.bias = bias ? registerParameter("bias", new Parameter(Tensor.zeros(dtype, Shape.of(outFeatures)))) : null;
        Init.kaimingUniform(weight, Math.sqrt(5), rng);
        if (this.bias != null) {
            double bound = 1 / Math.sqrt(inFeatures);
            Init.uniform(this.bias, -bound, bound, rng);
        }
    }

    @Override
    public Tensor forward(Tensor input) {
        return input.linear(weight, bias);
    }

    public Parameter weight() {
        return weight;
    }

    /** The bias, or null for a layer without one. */
    public Parameter bias() {
        return bias;
    }

    public int inFeatures() {
        return inFeatures;
    }

    public int outFeatures() {
        return outFeatures;
    }

    @Override
    protected String extraRepr() {
        return "in_features=" + inFeatures + ", out_features=" + outFeatures + ", bias=" + (bias != null);
    }
}
