package nnlab.theory;

/**
 * A network with two layers of weights, built by hand: h = g(W·x + b), ŷ = sign(vᵀh + c), where
 * sign(z) = +1 for z ≥ 0 and −1 otherwise.
 *
 * @param name          what the network is, for reports
 * @param hiddenWeights W, one row per hidden unit
 * @param hiddenBias    b
 * @param activation    g
 * @param outputWeights v
 * @param outputBias    c
 */
public record TwoLayerNetwork(String name, double[][] hiddenWeights, double[] hiddenBias, Activation activation,
                              double[] outputWeights, double outputBias) {
    /** The hidden units' activation. */
    public enum Activation {
        SIGN, RELU;

        double apply(double z) {
            return this == SIGN ? sign(z) : Math.max(z, 0);
        }
    }

    public TwoLayerNetwork {
        if (hiddenWeights.length != hiddenBias.length || hiddenWeights.length != outputWeights.length) {
            throw new IllegalArgumentException(hiddenWeights.length + " weight rows, " + hiddenBias.length
                    + " hidden biases and " + outputWeights.length + " output weights: one of each per hidden unit");
        }
    }

    /** vᵀ·g(W·x + b) + c, the output before its sign. */
    public double preActivation(double[] x) {
        double z = outputBias;
        for (int j = 0; j < hiddenWeights.length; j++) {
            z += outputWeights[j] * activation.apply(Samples.dot(hiddenWeights[j], x) + hiddenBias[j]);
        }
        return z;
    }

    /** sign(vᵀ·g(W·x + b) + c) ∈ {−1, +1}. */
    public double predict(double[] x) {
        return sign(preActivation(x));
    }

    static double sign(double z) {
        return z >= 0 ? 1 : -1;
    }
}
