package nnlab.nn;

import java.util.random.RandomGenerator;
import nnlab.tensor.Tensor;

/**
 * Initialisers, as {@code torch.nn.init}: each fills a tensor in place and returns it. For a weight of
 * shape [out, in, ...], fan_in = in·(receptive field) and fan_out = out·(receptive field).
 */
public final class Init {
    private Init() {}

    /** Which fan a Kaiming initialiser preserves the variance of. */
    public enum Fan { IN, OUT }

    /** Nonlinearities and their recommended gains (torch.nn.init.calculate_gain). */
    public enum Nonlinearity { LINEAR, SIGMOID, TANH, RELU, LEAKY_RELU }

    public static Tensor zeros(Tensor t) {
        return t.fill(0);
    }

    public static Tensor constant(Tensor t, double value) {
        return t.fill(value);
    }

    /** Each element ~ N(mean, std²). */
    public static Tensor normal(Tensor t, double mean, double std, RandomGenerator rng) {
        if (!(std >= 0)) throw new IllegalArgumentException("normal: std must be >= 0, got " + std);
        for (int i = 0; i < t.size(); i++) t.setFlat(i, mean + std * rng.nextGaussian());
        return t;
    }

    /** Each element ~ U(low, high). */
    public static Tensor uniform(Tensor t, double low, double high, RandomGenerator rng) {
        if (!(low <= high)) throw new IllegalArgumentException("uniform: low " + low + " is above high " + high);
        for (int i = 0; i < t.size(); i++) t.setFlat(i, low + (high - low) * rng.nextDouble());
        return t;
    }

    /** Glorot: U(−a, a) with a = gain·√(6 / (fan_in + fan_out)). */
    public static Tensor xavierUniform(Tensor t, double gain, RandomGenerator rng) {
        double a = gain * Math.sqrt(6.0 / (fanIn(t) + fanOut(t)));
        return uniform(t, -a, a, rng);
    }

    /** Glorot: N(0, σ²) with σ = gain·√(2 / (fan_in + fan_out)). */
    public static Tensor xavierNormal(Tensor t, double gain, RandomGenerator rng) {
        return normal(t, 0, gain * Math.sqrt(2.0 / (fanIn(t) + fanOut(t))), rng);
    }

    /** He: U(−b, b) with b = gain·√(3 / fan), gain for {@code nonlinearity} (slope {@code a} for leaky ReLU). */
    public static Tensor kaimingUniform(Tensor t, double a, Fan mode, Nonlinearity nonlinearity, RandomGenerator rng) {
        double bound = gain(nonlinearity, a) * Math.sqrt(3.0 / fan(t, mode));
        return uniform(t, -bound, bound, rng);
    }

    /** PyTorch's default for Linear weights: Kaiming-uniform, fan_in, leaky ReLU with slope a. */
    public static Tensor kaimingUniform(Tensor t, double a, RandomGenerator rng) {
        return kaimingUniform(t, a, Fan.IN, Nonlinearity.LEAKY_RELU, rng);
    }

    /** He: N(0, σ²) with σ = gain / √fan. */
    public static Tensor kaimingNormal(Tensor t, double a, Fan mode, Nonlinearity nonlinearity, RandomGenerator rng) {
        return normal(t, 0, gain(nonlinearity, a) / Math.sqrt(fan(t, mode)), rng);
    }

    /** The recommended gain: 1 (linear, sigmoid), 5/3 (tanh), √2 (ReLU), √(2 / (1 + a²)) (leaky ReLU). */
    public static double gain(Nonlinearity nonlinearity, double a) {
        return switch (nonlinearity) {
            case LINEAR, SIGMOID -> 1;
            case TANH -> 5.0 / 3;
            case RELU -> Math.sqrt(2);
            case LEAKY_RELU -> Math.sqrt(2 / (1 + a * a));
        };
    }

    public static int fanIn(Tensor t) {
        requireMatrix(t);
        return t.dim(1) * receptiveField(t);
    }

    public static int fanOut(Tensor t) {
        requireMatrix(t);
        return t.dim(0) * receptiveField(t);
    }

    private static int fan(Tensor t, Fan mode) {
        return mode == Fan.IN ? fanIn(t) : fanOut(t);
    }

    private static int receptiveField(Tensor t) {
        return t.rank() > 2 ? t.size() / (t.dim(0) * t.dim(1)) : 1;
    }

    private static void requireMatrix(Tensor t) {
        if (t.rank() < 2) {
            throw new IllegalArgumentException("fan in and fan out need at least 2 dimensions, got shape " + t.shape());
        }
    }
}
