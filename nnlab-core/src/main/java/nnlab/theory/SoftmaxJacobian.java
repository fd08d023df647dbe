package nnlab.theory;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import nnlab.tensor.DType;
import nnlab.tensor.Derivatives;
import nnlab.tensor.Derivatives.Comparison;
import nnlab.tensor.Shape;
import nnlab.tensor.Tensor;

/**
 * Question 1.3 of the 2021-22 homework: the Jacobian of p = softmax(z), pⱼ = e^{zⱼ} / Σₖ e^{zₖ}. By the
 * quotient rule ∂pⱼ/∂zₖ = pⱼ·[j = k] − pⱼ·pₖ, that is
 * <pre>
 *   J(z) = diag(p) − p·pᵀ        (K × K, symmetric, J·1 = 0 because Σⱼ pⱼ = 1).
 * </pre>
 * Compared with the autograd Jacobian (one backward pass per row) and central differences.
 */
public final class SoftmaxJacobian {
    public static final double AUTOGRAD_TOLERANCE = 1e-12;
    public static final double NUMERICAL_TOLERANCE = 1e-8;

    private SoftmaxJacobian() {}

    /** The three Jacobians at one point z. */
    public record Point(double[] z, Tensor formula, Tensor autograd, Tensor numerical) {}

    /** The points and, over all of them, the largest disagreements with the formula. */
    public record Result(List<Point> points, Comparison autogradError, Comparison numericalError) {
        public boolean autogradPassed() {
            return autogradError.maxAbsError() <= AUTOGRAD_TOLERANCE;
        }

        public boolean numericalPassed() {
            return numericalError.maxAbsError() <= NUMERICAL_TOLERANCE;
        }

        public boolean passed() {
            return autogradPassed() && numericalPassed();
        }
    }

    /** Checks at {@code count} points z ∈ ℝ^classes with entries drawn from N(0, 2²). */
    public static Result check(RandomGenerator rng, int classes, int count) {
        List<double[]> zs = new ArrayList<>();
        for (int i = 0; i < count; i++) zs.add(Samples.gaussian(rng, classes, 2));
        return check(zs);
    }

    public static Result check(List<double[]> zs) {
        List<Point> points = new ArrayList<>();
        Comparison autogradError = new Comparison(0, 0), numericalError = new Comparison(0, 0);
        for (double[] z : zs) {
            Tensor x = Tensor.of(z);
            Tensor formula = formula(softmax(z));
            Tensor autograd = Derivatives.jacobian(t -> t.softmax(0), x);
            Tensor numerical = Derivatives.numericalJacobian(t -> t.softmax(0), x);
            points.add(new Point(z.clone(), formula, autograd, numerical));
            autogradError = autogradError.worst(Comparison.of(autograd, formula));
            numericalError = numericalError.worst(Comparison.of(numerical, formula));
        }
        return new Result(points, autogradError, numericalError);
    }

    /** diag(p) − p·pᵀ as a float64 [K, K] tensor. */
    public static Tensor formula(double[] p) {
        int k = p.length;
        Tensor j = Tensor.zeros(DType.FLOAT64, Shape.of(k, k));
        for (int a = 0; a < k; a++) {
            for (int b = 0; b < k; b++) j.set((a == b ? p[a] : 0) - p[a] * p[b], a, b);
        }
        return j;
    }

    /** softmax(z) in plain Java, shifted by max(z) so that no exponential overflows. */
    public static double[] softmax(double[] z) {
        double max = Double.NEGATIVE_INFINITY, sum = 0;
        for (double v : z) max = Math.max(max, v);
        double[] p = new double[z.length];
        for (int i = 0; i < z.length; i++) sum += p[i] = Math.exp(z[i] - max);
        for (int i = 0; i < z.length; i++) p[i] /= sum;
        return p;
    }
}
