package nnlab.theory;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * The range function of the 2023-24 homework (question 3.1): on x ∈ {−1, +1}^D,
 * f(x) = +1 if A ≤ Σᵢ xᵢ ≤ B, else −1.
 *
 * <p><b>A perceptron cannot compute it in general.</b> For D = 2, A = −1, B = 1 the points (1, −1) and
 * (−1, 1) are +1 and (1, 1), (−1, −1) are −1 (XOR): a separating (w, b) would need w₁ − w₂ + b &gt; 0
 * and −w₁ + w₂ + b &gt; 0, so b &gt; 0, and w₁ + w₂ + b &lt; 0 and −w₁ − w₂ + b &lt; 0, so b &lt; 0.
 * In general f is symmetric under permutations of the coordinates, so if (w, b) separates the points,
 * so does every permuted w and, the constraints being linear, their average (w̄·1, b); then
 * sign(w̄·s + b) separates by the sum s alone. Hence f is linearly separable iff its labels over the
 * attainable sums s = −D, −D + 2, …, D change sign at most once ({@link #isLinearlySeparable}).
 *
 * <p><b>Two hand-built networks compute it</b>, for any D, A and B. Let lo be the smallest attainable
 * sum ≥ A and hi the largest ≤ B (sums have the parity of D, so consecutive ones are 2 apart), and put
 * the thresholds in the gaps: t_lo = lo − 1, t_hi = hi + 1. Every attainable sum is then at distance
 * ≥ 1 from both thresholds (the "A − ½, B + ½" margin, widened by parity).
 * <ul>
 * <li>Sign activations: h₁ = sign(Σx − t_lo), h₂ = sign(t_hi − Σx), ŷ = sign(h₁ + h₂ − 1), an AND of
 *     the two bounds; the output's argument is 1 inside and −1 or −3 outside.</li>
 * <li>ReLU hidden units, sign output: h₁ = relu(t_lo − Σx), h₂ = relu(Σx − t_hi) measure how far the
 *     sum is outside each bound, ŷ = sign(½ − 2(h₁ + h₂)).</li>
 * </ul>
 * <b>Robustness.</b> Perturbing every input by at most ε = 1/(2D) moves the sum by at most ½, so the
 * hidden pre-activations keep |·| ≥ ½ on the right side of 0, the ReLU units stay 0 inside and ≥ ½
 * outside, and the output's argument stays ≥ ½ inside and ≤ −½ outside: both networks still compute
 * f(x) at every perturbed point x + δ, ‖δ‖∞ ≤ ε.
 */
public final class RangeFunction {
    /** 2^16 points is plenty for a check that every point is right. */
    public static final int MAX_DIMENSION = 16;

    private final int dimension;
    private final double lower;
    private final double upper;

    public RangeFunction(int dimension, double lower, double upper) {
        if (dimension < 1 || dimension > MAX_DIMENSION) {
            throw new IllegalArgumentException("dimension D must be 1.." + MAX_DIMENSION + " (2^D points), got " + dimension);
        }
        if (!Double.isFinite(lower) || !Double.isFinite(upper)) {
            throw new IllegalArgumentException("bounds must be finite, got A = " + lower + ", B = " + upper);
        }
        this.dimension = dimension;
        this.lower = lower;
        this.upper = upper;
    }

    public int dimension() {
        return dimension;
    }

    public double lower() {
        return lower;
    }

    public double upper() {
        return upper;
    }

    /** f(x) = +1 if A ≤ Σxᵢ ≤ B else −1. */
    public double value(double[] x) {
        double s = 0;
        for (double v : x) s += v;
        return s >= lower && s <= upper ? 1 : -1;
    }

    /** All 2^D points of {−1, +1}^D (bit i of the index set means xᵢ = +1). */
    public double[][] points() {
        double[][] out = new double[1 << dimension][dimension];
        for (int p = 0; p < out.length; p++) {
            for (int i = 0; i < dimension; i++) out[p][i] = (p >> i & 1) == 1 ? 1 : -1;
        }
        return out;
    }

    /** Labels over s = −D, −D + 2, …, D change sign at most once (see the class comment). */
    public boolean isLinearlySeparable() {
        int changes = 0;
        double previous = 0;
        for (int s = -dimension; s <= dimension; s += 2) {
            double label = s >= lower && s <= upper ? 1 : -1;
            if (previous != 0 && label != previous) changes++;
            previous = label;
        }
        return changes <= 1;
    }

    /** t_lo = lo − 1 with lo the smallest attainable sum ≥ A (D + 2 when there is none). */
    public double lowerThreshold() {
        double lo = -dimension + 2 * Math.ceil((lower + dimension) / 2);
        return Math.min(Math.max(lo, -dimension), dimension + 2) - 1;
    }

    /** t_hi = hi + 1 with hi the largest attainable sum ≤ B (−D − 2 when there is none). */
    public double upperThreshold() {
        double hi = -dimension + 2 * Math.floor((upper + dimension) / 2);
        return Math.max(Math.min(hi, dimension), -dimension - 2) + 1;
    }

    /** The perturbation every input may take, ε = 1/(2D): the sum moves by at most ½. */
    public double epsilon() {
        return 1.0 / (2 * dimension);
    }

    /** h = sign(±Σx ∓ t), ŷ = sign(h₁ + h₂ − 1). */
    public TwoLayerNetwork signNetwork() {
        return new TwoLayerNetwork("sign hidden units", sumRows(1, -1), new double[] {-lowerThreshold(), upperThreshold()},
                TwoLayerNetwork.Activation.SIGN, new double[] {1, 1}, -1);
    }

    /** h₁ = relu(t_lo − Σx), h₂ = relu(Σx − t_hi), ŷ = sign(½ − 2(h₁ + h₂)). */
    public TwoLayerNetwork reluNetwork() {
        return new TwoLayerNetwork("ReLU hidden units", sumRows(-1, 1), new double[] {lowerThreshold(), -upperThreshold()},
                TwoLayerNetwork.Activation.RELU, new double[] {-2, -2}, 0.5);
    }

    private double[][] sumRows(double first, double second) {
        double[][] w = new double[2][dimension];
        Arrays.fill(w[0], first);
        Arrays.fill(w[1], second);
        return w;
    }

    /**
     * A perceptron run: the epochs it ran (it stops at the first epoch without mistakes), the best
     * and the last accuracy on the 2^D points, and its weights and bias.
     */
    public record PerceptronResult(int epochs, double bestAccuracy, double finalAccuracy, double[] weights, double bias) {}

    /**
     * Trains a perceptron with a bias on all 2^D points, in a random order each epoch: on a mistake,
     * w ← w + y·x and b ← b + y. It reaches accuracy 1 exactly when the points are linearly
     * separable (the perceptron convergence theorem; its number of mistakes is at most (R/γ)²).
     */
    public PerceptronResult perceptron(int epochs, RandomGenerator rng) {
        double[][] points = points();
        double[] w = new double[dimension];
        double b = 0, best = 0, accuracy = 0;
        int epoch = 0;
        while (epoch < epochs && accuracy < 1) {
            epoch++;
            int[] order = permutation(points.length, rng);
            for (int p : order) {
                double y = value(points[p]);
                if (TwoLayerNetwork.sign(Samples.dot(w, points[p]) + b) != y) {
                    for (int i = 0; i < dimension; i++) w[i] += y * points[p][i];
                    b += y;
                }
            }
            int correct = 0;
            for (double[] x : points) if (TwoLayerNetwork.sign(Samples.dot(w, x) + b) == value(x)) correct++;
            accuracy = (double) correct / points.length;
            best = Math.max(best, accuracy);
        }
        return new PerceptronResult(epoch, best, accuracy, w, b);
    }

    /**
     * A network checked on every point, then at {@code perturbations} + 2 perturbed copies of every
     * point: δ = +ε·1 and −ε·1 (which move the sum the most) and random δ uniform in [−ε, ε]^D.
     * {@code smallestMargin} is the least f(x)·(output before the sign) over all of them: positive
     * means every answer was right, with room to spare.
     */
    public record NetworkCheck(TwoLayerNetwork network, int points, int correct, int perturbedPoints,
                               int perturbedCorrect, double epsilon, double smallestMargin) {
        public boolean exact() {
            return correct == points;
        }

        public boolean robust() {
            return perturbedCorrect == perturbedPoints && smallestMargin > 0;
        }

        public boolean passed() {
            return exact() && robust();
        }
    }

    public NetworkCheck check(TwoLayerNetwork network, int perturbations, RandomGenerator rng) {
        double[][] points = points();
        double eps = epsilon(), margin = Double.POSITIVE_INFINITY;
        int correct = 0, perturbed = 0, perturbedCorrect = 0;
        for (double[] x : points) {
            double y = value(x);
            if (network.predict(x) == y) correct++;
            margin = Math.min(margin, y * network.preActivation(x));
            for (int k = 0; k < perturbations + 2; k++) {
                double[] moved = x.clone();
                for (int i = 0; i < dimension; i++) {
                    moved[i] += k == 0 ? eps : k == 1 ? -eps : rng.nextDouble(-eps, eps);
                }
                perturbed++;
                if (network.predict(moved) == y) perturbedCorrect++;
                margin = Math.min(margin, y * network.preActivation(moved));
            }
        }
        return new NetworkCheck(network, points.length, correct, perturbed, perturbedCorrect, eps, margin);
    }

    /**
     * The whole question: whether f is linearly separable, what a perceptron reaches in
     * {@code epochs}, and both networks, exact and under perturbation.
     */
    public record Result(RangeFunction function, boolean separable, PerceptronResult perceptron,
                         NetworkCheck sign, NetworkCheck relu) {
        /** The perceptron reached 100% exactly when f is separable. */
        public boolean perceptronPassed() {
            return (perceptron.bestAccuracy() == 1) == separable;
        }

        public boolean passed() {
            return perceptronPassed() && sign.passed() && relu.passed();
        }
    }

    public Result check(int epochs, int perturbations, RandomGenerator rng) {
        return new Result(this, isLinearlySeparable(), perceptron(epochs, rng), check(signNetwork(), perturbations, rng),
                check(reluNetwork(), perturbations, rng));
    }

    private static int[] permutation(int n, RandomGenerator rng) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1), t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }
}
