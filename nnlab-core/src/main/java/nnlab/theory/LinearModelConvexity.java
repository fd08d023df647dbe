package nnlab.theory;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import nnlab.tensor.Shape;
import nnlab.tensor.Tensor;

/**
 * Question 1.5 and question 2.1 of the 2021-22 homework: for a linear model zₙ = W·xₙ + b the average
 * loss over a data set is convex in the parameters θ = (W, b), with the squared loss
 * ½‖zₙ − yₙ‖² and with the multinomial logistic loss alike. zₙ is affine in θ, zₙ = Jₙθ with the
 * K × K(D+1) matrix Jₙ = [I_K ⊗ xₙᵀ, I_K] (for θ = W row by row, then b), so by the chain rule, whose
 * second-order term vanishes for an affine map,
 * <pre>
 *   ∇_θ L = (1/N) Σₙ Jₙᵀ ∇_z ℓ(zₙ),        ∇²_θ L = (1/N) Σₙ Jₙᵀ ∇²_z ℓ(zₙ) Jₙ,
 * </pre>
 * with ∇²_z ℓ = I (squared) or diag(pₙ) − pₙpₙᵀ (logistic, see {@link MultinomialLoss}). Each term is
 * PSD (vᵀJᵀHJv = (Jv)ᵀH(Jv) ≥ 0), so the sum is: a convex function of an affine map is convex.
 */
public final class LinearModelConvexity {
    /** The two losses of the homework's linear models. */
    public enum Loss {
        /** ½‖z − y‖², y ∈ ℝ^K: linear regression (question 2.1). */
        SQUARED,
        /** −log softmax(z)_y, y a class: logistic regression (question 1.5). */
        LOGISTIC
    }

    private LinearModelConvexity() {}

    /** The data the loss was averaged over, and the derivatives at each random θ. */
    public record Result(Loss loss, int examples, int features, int outputs, SecondOrder.Result derivatives) {
        public boolean passed() {
            return derivatives.passed();
        }
    }

    /**
     * Draws N = 6 examples with D = 3 features (targets in ℝ² for the squared loss, 3 classes for the
     * logistic one) and checks the Hessian in θ at {@code points} parameter vectors from N(0, 1).
     */
    public static Result check(Loss loss, RandomGenerator rng, int points) {
        int n = 6, d = 3, k = loss == Loss.SQUARED ? 2 : 3;
        double[][] x = new double[n][];
        for (int i = 0; i < n; i++) x[i] = Samples.gaussian(rng, d, 1);
        double[][] targets = new double[n][];
        for (int i = 0; i < n; i++) targets[i] = Samples.gaussian(rng, k, 1);
        int[] labels = Samples.labels(rng, n, k);
        Function<Tensor, Tensor> f = objective(loss, x, targets, labels, k);
        List<SecondOrder.Point> results = new ArrayList<>();
        for (int p = 0; p < points; p++) {
            double[] theta = Samples.gaussian(rng, k * (d + 1), 1);
            double[][] gradientAndHessian = formula(loss, x, targets, labels, k, theta);
            int size = theta.length;
            results.add(SecondOrder.at(f, theta, Tensor.of(gradientAndHessian[0]),
                    Tensor.wrap(gradientAndHessian[1], Shape.of(size, size))));
        }
        return new Result(loss, n, d, k, new SecondOrder.Result(results));
    }

    /** θ ↦ (1/N) Σₙ ℓ(W·xₙ + b), from tensor operations (log Σ exp built from primitives). */
    static Function<Tensor, Tensor> objective(Loss loss, double[][] x, double[][] targets, int[] labels, int k) {
        int n = x.length, d = x[0].length;
        Tensor inputs = Tensor.of(x);
        Tensor y = Tensor.of(targets);
        return theta -> {
            Tensor w = theta.sliceRows(0, k * d).reshape(k, d), b = theta.sliceRows(k * d, k * (d + 1));
            Tensor z = inputs.linear(w, b);
            Tensor total = loss == Loss.SQUARED ? z.sub(y).pow(2).sum().mul(0.5)
                    : z.exp().sum(1).log().sum().sub(z.gather(labels).sum());
            return total.div(n);
        };
    }

    /** {∇_θ L, ∇²_θ L (row-major)} from the chain rule of the class comment, in plain arithmetic. */
    static double[][] formula(Loss loss, double[][] x, double[][] targets, int[] labels, int k, double[] theta) {
        int n = x.length, d = x[0].length, size = k * (d + 1);
        double[] gradient = new double[size], hessian = new double[size * size];
        for (int e = 0; e < n; e++) {
            double[][] jacobian = new double[k][size]; // Jₙ: ∂zₖ/∂W[k, j] = x[j], ∂zₖ/∂b[k] = 1
            double[] z = new double[k];
            for (int c = 0; c < k; c++) {
                for (int j = 0; j < d; j++) jacobian[c][c * d + j] = x[e][j];
                jacobian[c][k * d + c] = 1;
                z[c] = Samples.dot(jacobian[c], theta);
            }
            double[] gz = new double[k];
            double[][] hz = new double[k][k];
            if (loss == Loss.SQUARED) {
                for (int c = 0; c < k; c++) {
                    gz[c] = z[c] - targets[e][c];
                    hz[c][c] = 1;
                }
            } else {
                double[] p = SoftmaxJacobian.softmax(z);
                Tensor h = SoftmaxJacobian.formula(p);
                for (int c = 0; c < k; c++) {
                    gz[c] = p[c] - (c == labels[e] ? 1 : 0);
                    for (int c2 = 0; c2 < k; c2++) hz[c][c2] = h.get(c, c2);
                }
            }
            for (int i = 0; i < size; i++) {
                for (int c = 0; c < k; c++) gradient[i] += jacobian[c][i] * gz[c] / n;
                for (int j = 0; j < size; j++) {
                    double s = 0;
                    for (int c = 0; c < k; c++) for (int c2 = 0; c2 < k; c2++) s += jacobian[c][i] * hz[c][c2] * jacobian[c2][j];
                    hessian[i * size + j] += s / n;
                }
            }
        }
        return new double[][] {gradient, hessian};
    }
}
