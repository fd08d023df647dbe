package nnlab.theory;

import java.util.function.Function;
import java.util.random.RandomGenerator;
import nnlab.tensor.Autograd;
import nnlab.tensor.Derivatives;
import nnlab.tensor.Derivatives.Comparison;
import nnlab.tensor.Tensor;

/**
 * The second half of question 1.5 (2021-22): once z is not affine in the parameters the loss is no
 * longer convex in them. For the one-hidden-layer network ŷ = vᵀ·tanh(W·x + b) + c with the squared
 * loss L(θ) = (1/N) Σₙ ½(ŷₙ − yₙ)², θ = (W, b, v, c), this searches random θ ~ N(0, 1) until the
 * Hessian has an eigenvalue below −{@value #NEGATIVE_CURVATURE}, then confirms with function values
 * only, along its unit eigenvector u:
 * <ul>
 * <li>the curvature (L(θ + tu) − 2L(θ) + L(θ − tu)) / t² is that eigenvalue (t = 1e-3);</li>
 * <li>with a = θ + s·u and b = θ − s·u, L((a + b)/2) &gt; (L(a) + L(b))/2 — the midpoint inequality
 *     every convex function satisfies is violated (the first s of 1, 0.3, 0.1, … that shows it).</li>
 * </ul>
 * (At θ = 0 the Hessian is indefinite for a plain reason: the loss has the cross terms ∂²L/∂v∂W but
 * no ∂²L/∂W² or ∂²L/∂v², since tanh(0) = 0; random points are used to show it is not an accident.)
 */
public final class MlpNonConvexity {
    /** An eigenvalue this far below zero is not a rounding artefact of either Hessian. */
    public static final double NEGATIVE_CURVATURE = 1e-3;
    /** The second difference along u agrees with the eigenvalue within this (relative to max(1, |λ|)). */
    public static final double CURVATURE_TOLERANCE = 1e-4;

    private static final int INPUTS = 2, HIDDEN = 3, EXAMPLES = 8, MAX_TRIALS = 100;

    private MlpNonConvexity() {}

    /**
     * Where the negative curvature was found (after {@code trials} random points) and the evidence:
     * the smallest eigenvalue of the autograd and the numerical Hessian, how far those two Hessians
     * are apart, the second difference along the eigenvector, and the violated midpoint inequality.
     */
    public record Result(int trials, double[] theta, double autogradSmallest, double numericalSmallest,
                         Comparison hessianAgreement, double curvatureAlongDirection, double step,
                         double lossA, double lossB, double lossMidpoint) {
        public boolean negativeCurvaturePassed() {
            return autogradSmallest < -NEGATIVE_CURVATURE && numericalSmallest < -NEGATIVE_CURVATURE
                    && Math.abs(curvatureAlongDirection - autogradSmallest)
                    <= CURVATURE_TOLERANCE * Math.max(1, Math.abs(autogradSmallest));
        }

        /** L((a + b)/2) − (L(a) + L(b))/2, positive when the convexity inequality fails. */
        public double midpointGap() {
            return lossMidpoint - (lossA + lossB) / 2;
        }

        public boolean passed() {
            return negativeCurvaturePassed() && midpointGap() > 0;
        }
    }

    /** Draws the data (x ~ N(0, I₂), y ~ N(0, 1), N = 8) and searches for negative curvature. */
    public static Result check(RandomGenerator rng) {
        double[][] x = new double[EXAMPLES][];
        double[] y = new double[EXAMPLES];
        for (int i = 0; i < EXAMPLES; i++) {
            x[i] = Samples.gaussian(rng, INPUTS, 1);
            y[i] = rng.nextGaussian();
        }
        Function<Tensor, Tensor> f = loss(x, y);
        int size = HIDDEN * INPUTS + 2 * HIDDEN + 1;
        for (int trial = 1; trial <= MAX_TRIALS; trial++) {
            double[] theta = Samples.gaussian(rng, size, 1);
            SymmetricEigen eigen = SymmetricEigen.of(Derivatives.hessian(f, Tensor.of(theta)));
            if (eigen.smallest() < -NEGATIVE_CURVATURE) return evidence(f, theta, eigen, trial);
        }
        throw new IllegalStateException("no eigenvalue below −" + NEGATIVE_CURVATURE + " at " + MAX_TRIALS
                + " random points: the loss looked convex, which a tanh network's loss is not");
    }

    /** θ ↦ (1/N) Σₙ ½(vᵀ·tanh(W·xₙ + b) + c − yₙ)², θ = (W row by row, b, v, c). */
    public static Function<Tensor, Tensor> loss(double[][] x, double[] y) {
        Tensor inputs = Tensor.of(x), targets = Tensor.of(y);
        int h = HIDDEN, d = x[0].length;
        return theta -> {
            Tensor w = theta.sliceRows(0, h * d).reshape(h, d);
            Tensor b = theta.sliceRows(h * d, h * d + h);
            Tensor v = theta.sliceRows(h * d + h, h * d + 2 * h).reshape(1, h);
            Tensor c = theta.sliceRows(h * d + 2 * h, h * d + 2 * h + 1);
            Tensor prediction = inputs.linear(w, b).tanh().linear(v, c).reshape(-1);
            return prediction.sub(targets).pow(2).sum().mul(0.5 / y.length);
        };
    }

    private static Result evidence(Function<Tensor, Tensor> f, double[] theta, SymmetricEigen eigen, int trial) {
        Tensor at = Tensor.of(theta);
        Tensor numerical = Derivatives.numericalHessian(f, at);
        Comparison agreement = Comparison.of(Derivatives.hessian(f, at), numerical);
        double[] u = eigen.vector(0);
        double t = 1e-3, center = value(f, theta, u, 0);
        double curvature = (value(f, theta, u, t) - 2 * center + value(f, theta, u, -t)) / (t * t);
        double step = 1, a = 0, b = 0;
        for (; step > 1e-4; step *= 0.3) {
            a = value(f, theta, u, step);
            b = value(f, theta, u, -step);
            if (center > (a + b) / 2) break;
        }
        return new Result(trial, theta.clone(), eigen.smallest(), SymmetricEigen.of(numerical).smallest(), agreement,
                curvature, step, a, b, center);
    }

    /** L(θ + s·u). */
    private static double value(Function<Tensor, Tensor> f, double[] theta, double[] u, double s) {
        double[] p = theta.clone();
        for (int i = 0; i < p.length; i++) p[i] += s * u[i];
        try (var scope = Autograd.noGrad()) {
            return f.apply(Tensor.of(p)).item();
        }
    }
}
