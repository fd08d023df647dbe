package nnlab.theory;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import nnlab.tensor.Tensor;

/**
 * Question 1.2 of the 2021-22 homework: the binary logistic loss, for a label y ∈ {−1, +1},
 * <pre>
 *   L(z; y) = −(1 + y)/2 · log σ(z) − (1 − y)/2 · log(1 − σ(z)).
 * </pre>
 * With σ′ = σ(1 − σ) (question 1.1), d/dz log σ = 1 − σ and d/dz log(1 − σ) = −σ, so
 * <pre>
 *   L′(z; y)  = −(1 + y)/2 · (1 − σ) + (1 − y)/2 · σ = σ(z) − (1 + y)/2      (σ − 1 for y = +1)
 *   L″(z; y)  = σ(z)(1 − σ(z)) &gt; 0,
 * </pre>
 * the same for both labels: L is convex (strictly) in z. The 1×1 Hessian's only eigenvalue is L″.
 * Autograd runs through σ built from primitives ({@link SigmoidDerivative#SIGMOID}).
 */
public final class LogisticLoss {
    private LogisticLoss() {}

    /** The label used at each point, and the derivatives there. */
    public record Result(int[] labels, SecondOrder.Result derivatives) {
        public boolean passed() {
            return derivatives.passed();
        }
    }

    /** L(z; y) as a function of a one-element z, from tensor operations. */
    public static Function<Tensor, Tensor> loss(int y) {
        requireLabel(y);
        return z -> {
            Tensor s = SigmoidDerivative.SIGMOID.apply(z);
            return s.log().mul(-(1 + y) / 2.0).sub(s.neg().add(1).log().mul((1 - y) / 2.0)).sum();
        };
    }

    /** Checks at {@code points} values z uniform in [−5, 5], with labels +1, −1, +1, … */
    public static Result check(RandomGenerator rng, int points) {
        double[] z = new double[points];
        int[] y = new int[points];
        for (int i = 0; i < points; i++) {
            z[i] = rng.nextDouble(-5, 5);
            y[i] = i % 2 == 0 ? 1 : -1;
        }
        return check(z, y);
    }

    public static Result check(double[] z, int[] y) {
        List<SecondOrder.Point> points = new ArrayList<>();
        for (int i = 0; i < z.length; i++) {
            double s = 1 / (1 + Math.exp(-z[i]));
            Tensor gradient = Tensor.of(new double[] {s - (1 + y[i]) / 2.0});
            Tensor hessian = Tensor.of(new double[] {s * (1 - s)}, 1, 1);
            points.add(SecondOrder.at(loss(y[i]), new double[] {z[i]}, gradient, hessian));
        }
        return new Result(y.clone(), new SecondOrder.Result(points));
    }

    private static void requireLabel(int y) {
        if (y != 1 && y != -1) throw new IllegalArgumentException("binary labels are −1 or +1, got " + y);
    }
}
