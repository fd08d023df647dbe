package nnlab.theory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import nnlab.tensor.DType;
import nnlab.tensor.Shape;
import nnlab.tensor.Tensor;

/**
 * Question 1.4 of the 2021-22 homework: the multinomial logistic loss
 * L(z; y = j) = −log softmax(z)ⱼ = log Σₖ e^{zₖ} − zⱼ, for z ∈ ℝ^K. With p = softmax(z) and the
 * softmax Jacobian of question 1.3,
 * <pre>
 *   ∇_z L = p − e_j,        ∇²_z L = diag(p) − p·pᵀ.
 * </pre>
 * The Hessian is positive semi-definite: vᵀ(diag(p) − ppᵀ)v = Σₖ pₖvₖ² − (Σₖ pₖvₖ)² is the variance of
 * v under the distribution p, hence ≥ 0, so L is convex in z. It is not strictly convex: the variance
 * of a constant is 0, so 1 spans the null space (adding a constant to every logit leaves p unchanged),
 * and by interlacing the other eigenvalues are ≥ min p &gt; 0 (rank K − 1).
 *
 * <p>Autograd runs through log Σ exp(z) − zⱼ built from primitives, not the fused log-softmax op.
 */
public final class MultinomialLoss {
    /** |λ_min| and 1 − |⟨v_min, 1/√K⟩| of the formula Hessian: zero up to rounding. */
    public static final double NULL_DIRECTION_TOLERANCE = 1e-9;

    private MultinomialLoss() {}

    /**
     * The derivatives, the label at each point, and the null direction over all points: the largest
     * |λ_min|, the worst alignment |⟨v_min, 1/√K⟩| of its eigenvector with 1, and the smallest second
     * eigenvalue (positive: the null space is exactly the line of 1).
     */
    public record Result(int[] labels, SecondOrder.Result derivatives, double largestNullEigenvalue,
                         double worstNullAlignment, double smallestSecondEigenvalue) {
        public boolean nullDirectionPassed() {
            return largestNullEigenvalue <= NULL_DIRECTION_TOLERANCE
                    && worstNullAlignment >= 1 - NULL_DIRECTION_TOLERANCE
                    && smallestSecondEigenvalue > NULL_DIRECTION_TOLERANCE;
        }

        public boolean passed() {
            return derivatives.passed() && nullDirectionPassed();
        }
    }

    /** L(z; y = j) = log Σₖ e^{zₖ} − zⱼ for z of shape [K], from primitives. */
    public static Function<Tensor, Tensor> loss(int j) {
        return z -> z.exp().sum().log().sub(z.sliceRows(j, j + 1).sum());
    }

    /** Checks at {@code count} points z with entries from N(0, 2²) and a random label each. */
    public static Result check(RandomGenerator rng, int classes, int count) {
        List<double[]> zs = new ArrayList<>();
        for (int i = 0; i < count; i++) zs.add(Samples.gaussian(rng, classes, 2));
        return check(zs, Samples.labels(rng, count, classes));
    }

    public static Result check(List<double[]> zs, int[] labels) {
        List<SecondOrder.Point> points = new ArrayList<>();
        double nullEigenvalue = 0, alignment = 1, second = Double.POSITIVE_INFINITY;
        for (int i = 0; i < zs.size(); i++) {
            double[] z = zs.get(i);
            int k = z.length, j = labels[i];
            if (j < 0 || j >= k) throw new IllegalArgumentException("label " + j + " at point " + i + " is outside 0.." + (k - 1));
            double[] p = SoftmaxJacobian.softmax(z);
            Tensor gradient = Tensor.zeros(DType.FLOAT64, Shape.of(k));
            for (int c = 0; c < k; c++) gradient.setFlat(c, p[c] - (c == j ? 1 : 0));
            SecondOrder.Point point = SecondOrder.at(loss(j), z, gradient, SoftmaxJacobian.formula(p));
            points.add(point);
            SymmetricEigen eigen = point.formulaEigen();
            double[] ones = new double[k];
            Arrays.fill(ones, 1 / Math.sqrt(k));
            nullEigenvalue = Math.max(nullEigenvalue, Math.abs(eigen.smallest()));
            alignment = Math.min(alignment, Math.abs(Samples.dot(eigen.vector(0), ones)));
            second = Math.min(second, eigen.values()[1]);
        }
        return new Result(labels.clone(), new SecondOrder.Result(points), nullEigenvalue, alignment, second);
    }
}
