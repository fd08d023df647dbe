package nnlab.theory;

import java.util.List;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import nnlab.tensor.Derivatives;
import nnlab.tensor.Derivatives.Comparison;
import nnlab.tensor.Tensor;

/**
 * A gradient and a Hessian worked out by hand, set beside autograd and central differences, and the
 * Hessian's smallest eigenvalue: the shape of every convexity question in the homework. A twice
 * differentiable f is convex iff its Hessian is positive semi-definite everywhere, i.e. its smallest
 * eigenvalue is ≥ 0; numerically, ≥ −tolerance, where the tolerance is the accuracy of that Hessian
 * (Weyl: an error E moves every eigenvalue by at most ‖E‖₂).
 */
public final class SecondOrder {
    /** The formula and the autograd gradient differ by rounding only. */
    public static final double GRADIENT_AUTOGRAD_TOLERANCE = 1e-10;
    /** Central differences, h = 1e-6. */
    public static final double GRADIENT_NUMERICAL_TOLERANCE = 1e-7;
    /** Differences of autograd gradients, h = 1e-5 (see {@link Derivatives#hessian}). */
    public static final double HESSIAN_AUTOGRAD_TOLERANCE = 1e-7;
    /** Second differences of f, h = 1e-4. */
    public static final double HESSIAN_NUMERICAL_TOLERANCE = 1e-5;
    /** The formula's Hessian is exact up to rounding. */
    public static final double FORMULA_EIGENVALUE_TOLERANCE = 1e-12;

    private SecondOrder() {}

    /**
     * Everything measured at one point: the three gradients, the three Hessians, the formula Hessian's
     * eigen-decomposition and the smallest eigenvalues of the other two.
     */
    public record Point(double[] at, Tensor gradientFormula, Tensor gradientAutograd, Tensor gradientNumerical,
                        Tensor hessianFormula, Tensor hessianAutograd, Tensor hessianNumerical,
                        SymmetricEigen formulaEigen, double autogradSmallest, double numericalSmallest) {
        public Comparison gradientAutogradError() {
            return Comparison.of(gradientAutograd, gradientFormula);
        }

        public Comparison gradientNumericalError() {
            return Comparison.of(gradientNumerical, gradientFormula);
        }

        public Comparison hessianAutogradError() {
            return Comparison.of(hessianAutograd, hessianFormula);
        }

        public Comparison hessianNumericalError() {
            return Comparison.of(hessianNumerical, hessianFormula);
        }
    }

    /** The points of one check, with the worst errors and smallest eigenvalues over all of them. */
    public record Result(List<Point> points) {
        public Comparison gradientAutogradError() {
            return worst(Point::gradientAutogradError);
        }

        public Comparison gradientNumericalError() {
            return worst(Point::gradientNumericalError);
        }

        public Comparison hessianAutogradError() {
            return worst(Point::hessianAutogradError);
        }

        public Comparison hessianNumericalError() {
            return worst(Point::hessianNumericalError);
        }

        public double smallestFormulaEigenvalue() {
            return min(p -> p.formulaEigen().smallest());
        }

        public double smallestAutogradEigenvalue() {
            return min(Point::autogradSmallest);
        }

        public double smallestNumericalEigenvalue() {
            return min(Point::numericalSmallest);
        }

        public boolean gradientPassed() {
            return gradientAutogradError().maxAbsError() <= GRADIENT_AUTOGRAD_TOLERANCE
                    && gradientNumericalError().maxAbsError() <= GRADIENT_NUMERICAL_TOLERANCE;
        }

        public boolean hessianPassed() {
            return hessianAutogradError().maxAbsError() <= HESSIAN_AUTOGRAD_TOLERANCE
                    && hessianNumericalError().maxAbsError() <= HESSIAN_NUMERICAL_TOLERANCE;
        }

        /** Positive semi-definite at every point, each Hessian within its own accuracy. */
        public boolean convexPassed() {
            return smallestFormulaEigenvalue() >= -FORMULA_EIGENVALUE_TOLERANCE
                    && smallestAutogradEigenvalue() >= -HESSIAN_AUTOGRAD_TOLERANCE
                    && smallestNumericalEigenvalue() >= -HESSIAN_NUMERICAL_TOLERANCE;
        }

        public boolean passed() {
            return gradientPassed() && hessianPassed() && convexPassed();
        }

        private Comparison worst(Function<Point, Comparison> error) {
            Comparison c = new Comparison(0, 0);
            for (Point p : points) c = c.worst(error.apply(p));
            return c;
        }

        private double min(ToDoubleFunction<Point> value) {
            return points.stream().mapToDouble(value).min().orElse(Double.NaN);
        }
    }

    /** Measures f at x against the hand-derived gradient and Hessian there. */
    public static Point at(Function<Tensor, Tensor> f, double[] x, Tensor gradientFormula, Tensor hessianFormula) {
        Tensor t = Tensor.of(x);
        Tensor hessianAutograd = Derivatives.hessian(f, t);
        Tensor hessianNumerical = Derivatives.numericalHessian(f, t);
        return new Point(x.clone(), gradientFormula, Derivatives.gradient(f, t), Derivatives.numericalGradient(f, t),
                hessianFormula, hessianAutograd, hessianNumerical, SymmetricEigen.of(hessianFormula),
                SymmetricEigen.of(hessianAutograd).smallest(), SymmetricEigen.of(hessianNumerical).smallest());
    }
}
