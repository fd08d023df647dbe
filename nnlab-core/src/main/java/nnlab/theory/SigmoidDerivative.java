package nnlab.theory;

import java.util.function.Function;
import java.util.random.RandomGenerator;
import nnlab.tensor.Derivatives;
import nnlab.tensor.Derivatives.Comparison;
import nnlab.tensor.Tensor;

/**
 * Question 1.1 of the 2021-22 homework: σ(z) = 1/(1 + e^−z) has the derivative
 * <pre>
 *   σ′(z) = e^−z / (1 + e^−z)² = 1/(1 + e^−z) · e^−z/(1 + e^−z) = σ(z)(1 − σ(z)).
 * </pre>
 * The formula is compared with autograd and with central differences. Autograd runs through σ built
 * from primitives, (1 + exp(−z))^−1, not through the fused sigmoid op, whose backward already uses
 * the formula being verified.
 */
public final class SigmoidDerivative {
    /** Autograd and the formula differ by rounding only. */
    public static final double AUTOGRAD_TOLERANCE = 1e-12;
    /** Central differences with h = 1e-6 are accurate to about 1e-10 here. */
    public static final double NUMERICAL_TOLERANCE = 1e-8;

    /** σ from primitives: (1 + e^−z)^−1, elementwise. */
    public static final Function<Tensor, Tensor> SIGMOID = z -> z.neg().exp().add(1).pow(-1);

    private SigmoidDerivative() {}

    /** The three values of σ′ at each point and the largest disagreements with the formula. */
    public record Result(double[] z, double[] formula, double[] autograd, double[] numerical,
                         Comparison autogradError, Comparison numericalError) {
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

    /** Checks at {@code points} values of z drawn uniformly from [−6, 6]. */
    public static Result check(RandomGenerator rng, int points) {
        double[] z = new double[points];
        for (int i = 0; i < points; i++) z[i] = rng.nextDouble(-6, 6);
        return check(z);
    }

    public static Result check(double[] z) {
        double[] formula = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            double s = 1 / (1 + Math.exp(-z[i]));
            formula[i] = s * (1 - s);
        }
        Tensor x = Tensor.of(z);
        double[] autograd = Derivatives.derivative(SIGMOID, x).toDoubleArray();
        double[] numerical = Derivatives.numericalDerivative(SIGMOID, x).toDoubleArray();
        return new Result(z.clone(), formula, autograd, numerical, Comparison.of(autograd, formula),
                Comparison.of(numerical, formula));
    }
}
