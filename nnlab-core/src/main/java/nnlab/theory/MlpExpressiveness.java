package nnlab.theory;

import java.util.random.RandomGenerator;

/**
 * Why a multi-layer perceptron with a non-linear activation is more expressive than a perceptron, and
 * why it is not with a linear one (2021-22 question 3.2(a); 2023-24 question 1.2(a)), shown on the
 * four points of XOR, f(x) = +1 if x₁ ≠ x₂ else −1 on {−1, +1}² (the range function with D = 2,
 * A = −1, B = 1):
 * <ul>
 * <li>no (w, b) separates them ({@link RangeFunction}'s comment), so a perceptron never gets all four;</li>
 * <li>a hand-built one-hidden-layer ReLU network computes f exactly, and the same network trained by
 *     gradient descent from random weights learns it;</li>
 * <li>with the linear activation g(z) = z the same network, trained the same way, does not: its output
 *     vᵀ(Wx + b) + c is (Wᵀv)ᵀx + (vᵀb + c), a linear model whatever W, b, v and c are — the hidden
 *     layer adds nothing a perceptron lacks.</li>
 * </ul>
 */
public final class MlpExpressiveness {
    /** Hidden units of the trained networks; a few more than XOR needs, so that training is easy. */
    public static final int HIDDEN = 8;
    /** Full-batch gradient steps on the mean logistic loss, and their size. */
    public static final int STEPS = 3000;
    public static final double LEARNING_RATE = 0.5;
    /** Epochs the perceptron gets: far more than a separable set of four points would need. */
    public static final int PERCEPTRON_EPOCHS = 100;
    /** The linear-activation network and its collapsed linear model agree to rounding. */
    public static final double COLLAPSE_TOLERANCE = 1e-12;

    private MlpExpressiveness() {}

    /** The hidden units' activation. */
    public enum Activation {
        RELU, LINEAR;

        double apply(double z) {
            return this == RELU ? Math.max(z, 0) : z;
        }

        double derivative(double z) {
            return this == RELU ? (z > 0 ? 1 : 0) : 1;
        }
    }

    /**
     * A network h = g(W·x + b), ŷ = sign(vᵀh + c) after training: its mean logistic loss before and
     * after, and its accuracy on the four points.
     */
    public record Trained(Activation activation, double initialLoss, double finalLoss, double accuracy, double[][] w,
                          double[] b, double[] v, double c) {
        /** vᵀ·g(W·x + b) + c. */
        public double output(double[] x) {
            double o = c;
            for (int j = 0; j < w.length; j++) o += v[j] * activation.apply(Samples.dot(w[j], x) + b[j]);
            return o;
        }
    }

    /**
     * The linear model a linear-activation network is: weights Wᵀv and bias vᵀb + c, and the largest
     * difference between its output and the network's over the points it was compared on.
     */
    public record Collapse(double[] weights, double bias, int points, double maxDifference) {}

    /** The evidence; {@link #passed} when each of the three claims holds. */
    public record Result(RangeFunction function, RangeFunction.PerceptronResult perceptron,
                         RangeFunction.NetworkCheck handBuilt, Trained relu, Trained linear, Collapse collapse) {
        public boolean perceptronFails() {
            return !function.isLinearlySeparable() && perceptron.bestAccuracy() < 1;
        }

        public boolean mlpComputesIt() {
            return handBuilt.exact() && relu.accuracy() == 1;
        }

        public boolean linearCollapses() {
            return collapse.maxDifference() <= COLLAPSE_TOLERANCE && linear.accuracy() < 1;
        }

        public boolean passed() {
            return perceptronFails() && mlpComputesIt() && linearCollapses();
        }
    }

    public static Result check(RandomGenerator rng) {
        RangeFunction xor = new RangeFunction(2, -1, 1);
        RangeFunction.PerceptronResult perceptron = xor.perceptron(PERCEPTRON_EPOCHS, rng);
        RangeFunction.NetworkCheck handBuilt = xor.check(xor.reluNetwork(), 0, rng);
        // Both networks start from the same weights: only the activation differs.
        double[][] w = new double[HIDDEN][];
        for (int j = 0; j < HIDDEN; j++) w[j] = Samples.gaussian(rng, 2, 1);
        double[] b = Samples.gaussian(rng, HIDDEN, 1), v = Samples.gaussian(rng, HIDDEN, 1 / Math.sqrt(HIDDEN));
        Trained relu = train(xor, Activation.RELU, w, b, v);
        Trained linear = train(xor, Activation.LINEAR, w, b, v);
        return new Result(xor, perceptron, handBuilt, relu, linear, collapse(linear, xor, rng));
    }

    /** Full-batch gradient descent on the mean logistic loss (1/N) Σ log(1 + exp(−y·o(x))), from copies of the weights. */
    static Trained train(RangeFunction f, Activation g, double[][] w0, double[] b0, double[] v0) {
        double[][] x = f.points(), w = new double[w0.length][];
        for (int j = 0; j < w.length; j++) w[j] = w0[j].clone();
        double[] b = b0.clone(), v = v0.clone(), y = new double[x.length];
        for (int n = 0; n < x.length; n++) y[n] = f.value(x[n]);
        double c = 0, initial = Double.NaN;
        int k = w.length;
        for (int step = 0; step <= STEPS; step++) {
            double[][] gw = new double[k][2];
            double[] gb = new double[k], gv = new double[k];
            double gc = 0, loss = 0;
            for (int n = 0; n < x.length; n++) {
                double[] z = new double[k], h = new double[k];
                double o = c;
                for (int j = 0; j < k; j++) {
                    z[j] = Samples.dot(w[j], x[n]) + b[j];
                    h[j] = g.apply(z[j]);
                    o += v[j] * h[j];
                }
                double margin = y[n] * o;
                loss += Math.log1p(Math.exp(-Math.abs(margin))) + Math.max(-margin, 0);
                double dO = -y[n] / (1 + Math.exp(margin)) / x.length;  // ∂/∂o of log(1 + e^{−y·o}), over N
                gc += dO;
                for (int j = 0; j < k; j++) {
                    gv[j] += dO * h[j];
                    double dz = dO * v[j] * g.derivative(z[j]);
                    gb[j] += dz;
                    for (int i = 0; i < 2; i++) gw[j][i] += dz * x[n][i];
                }
            }
            loss /= x.length;
            if (step == 0) initial = loss;
            if (step == STEPS) {
                int correct = 0;
                Trained t = new Trained(g, initial, loss, 0, w, b, v, c);
                for (int n = 0; n < x.length; n++) if (TwoLayerNetwork.sign(t.output(x[n])) == y[n]) correct++;
                return new Trained(g, initial, loss, (double) correct / x.length, w, b, v, c);
            }
            c -= LEARNING_RATE * gc;
            for (int j = 0; j < k; j++) {
                v[j] -= LEARNING_RATE * gv[j];
                b[j] -= LEARNING_RATE * gb[j];
                for (int i = 0; i < 2; i++) w[j][i] -= LEARNING_RATE * gw[j][i];
            }
        }
        throw new AssertionError("unreachable: the loop returns at its last step");
    }

    /** Wᵀv and vᵀb + c, compared with the network on the four points and 100 random ones x ~ N(0, 4I). */
    static Collapse collapse(Trained linear, RangeFunction f, RandomGenerator rng) {
        double[] weights = new double[2];
        double bias = linear.c();
        for (int j = 0; j < linear.w().length; j++) {
            for (int i = 0; i < 2; i++) weights[i] += linear.w()[j][i] * linear.v()[j];
            bias += linear.v()[j] * linear.b()[j];
        }
        double worst = 0;
        int points = 0;
        for (double[] x : f.points()) {
            worst = Math.max(worst, Math.abs(linear.output(x) - (Samples.dot(weights, x) + bias)));
            points++;
        }
        for (int p = 0; p < 100; p++, points++) {
            double[] x = Samples.gaussian(rng, 2, 2);
            worst = Math.max(worst, Math.abs(linear.output(x) - (Samples.dot(weights, x) + bias)));
        }
        return new Collapse(weights, bias, points, worst);
    }
}
