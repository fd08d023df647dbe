package nnlab.tensor;

import java.util.function.Function;

/**
 * Derivatives of any function built from tensor operations, two ways: by float64 central differences
 * (the {@code numerical…} methods) and by the autograd engine. Comparing the two, and both with a
 * formula worked out by hand, is how the theory checks verify a derivation.
 *
 * <p>Every method takes {@code x} of any shape and works on a float64 copy of it, so the caller's
 * tensor is never modified; {@code f} must accept a float64 tensor of that shape. Shapes of the
 * results, with n = x.size() and m = f(x).size():
 * <ul>
 * <li>derivative: shape of x, for an elementwise f (f(x)ᵢ depends on xᵢ only): f′(xᵢ);</li>
 * <li>gradient: shape of x, for a scalar f: ∂f/∂xᵢ;</li>
 * <li>Jacobian: [m, n], J[i, j] = ∂f(x)ᵢ/∂xⱼ (x and f(x) flattened row-major);</li>
 * <li>Hessian: [n, n], H[i, j] = ∂²f/∂xᵢ∂xⱼ, for a scalar f.</li>
 * </ul>
 *
 * <p>The engine has no double backward (backward passes are not themselves recorded), so
 * {@link #hessian} is the Jacobian of the autograd gradient taken by central differences of
 * gradients: column j is (∇f(x + h·eⱼ) − ∇f(x − h·eⱼ)) / 2h. Its error is O(h²) from the
 * difference plus O(ε/h) from rounding, about 1e-10 at h = 1e-5 for functions of order one: far
 * smaller than the O(ε/h²) ≈ 1e-8 rounding of {@link #numericalHessian}, which differences f itself.
 */
public final class Derivatives {
    /** Step of first central differences: truncation O(h²) ≈ 1e-12, rounding O(ε/h) ≈ 1e-10. */
    public static final double STEP = 1e-6;
    /** Step of second differences of f: truncation O(h²) ≈ 1e-8, rounding O(ε/h²) ≈ 1e-8. */
    public static final double SECOND_STEP = 1e-4;
    /** Step of the differences of autograd gradients in {@link #hessian}. */
    public static final double GRADIENT_STEP = 1e-5;

    private Derivatives() {}

    /**
     * How far one result is from a reference: the largest absolute difference over the elements, and
     * that difference relative to the reference's largest magnitude (a norm-wise relative error, so an
     * element that is zero in the reference does not blow it up).
     */
    public record Comparison(double maxAbsError, double maxRelError) {
        /** Compares {@code actual} with {@code expected}, element by element (same number of elements). */
        public static Comparison of(Tensor actual, Tensor expected) {
            return of(actual.toDoubleArray(), expected.toDoubleArray());
        }

        public static Comparison of(double[] actual, double[] expected) {
            if (actual.length != expected.length) {
                throw new IllegalArgumentException("cannot compare " + actual.length + " values with "
                        + expected.length + " reference values");
            }
            double abs = 0, scale = 0;
            for (int i = 0; i < actual.length; i++) {
                double e = Math.abs(actual[i] - expected[i]);
                abs = Double.isNaN(e) || e > abs ? e : abs;
                if (Double.isNaN(abs)) break;
                scale = Math.max(scale, Math.abs(expected[i]));
            }
            return new Comparison(abs, abs / Math.max(scale, Double.MIN_NORMAL));
        }

        /** True when the absolute or the relative error is within its tolerance (false for NaN). */
        public boolean within(double absTolerance, double relTolerance) {
            return maxAbsError <= absTolerance || maxRelError <= relTolerance;
        }

        /** The larger errors of the two (for a result over several points). */
        public Comparison worst(Comparison other) {
            return new Comparison(max(maxAbsError, other.maxAbsError), max(maxRelError, other.maxRelError));
        }

        private static double max(double a, double b) {
            return Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.max(a, b);
        }

        @Override
        public String toString() {
            return String.format("max abs error %.2e, max rel error %.2e", maxAbsError, maxRelError);
        }
    }

    // ---- central differences ----------------------------------------------------------------------

    /** f′(xᵢ) ≈ (f(x + h) − f(x − h))ᵢ / 2h for an elementwise f, all elements shifted at once. */
    public static Tensor numericalDerivative(Function<Tensor, Tensor> f, Tensor x) {
        Tensor x0 = float64Copy(x);
        try (var scope = Autograd.noGrad()) {
            Tensor plus = f.apply(x0.add(STEP)), minus = f.apply(x0.sub(STEP));
            requireElementwise(plus, x0);
            return plus.sub(minus).div(2 * STEP);
        }
    }

    /** ∂f/∂xᵢ ≈ (f(x + h·eᵢ) − f(x − h·eᵢ)) / 2h for a scalar f. */
    public static Tensor numericalGradient(Function<Tensor, Tensor> f, Tensor x) {
        Tensor x0 = float64Copy(x);
        Tensor g = Tensor.zeros(DType.FLOAT64, x0.shape());
        try (var scope = Autograd.noGrad()) {
            for (int i = 0; i < g.size(); i++) {
                g.setFlat(i, (shifted(f, x0, i, STEP, -1, 0) - shifted(f, x0, i, -STEP, -1, 0)) / (2 * STEP));
            }
        }
        return g;
    }

    /** J[i, j] ≈ (f(x + h·eⱼ) − f(x − h·eⱼ))ᵢ / 2h. */
    public static Tensor numericalJacobian(Function<Tensor, Tensor> f, Tensor x) {
        Tensor x0 = float64Copy(x);
        int n = x0.size();
        try (var scope = Autograd.noGrad()) {
            int m = f.apply(x0).size();
            Tensor jacobian = Tensor.zeros(DType.FLOAT64, Shape.of(m, n));
            for (int j = 0; j < n; j++) {
                double v = x0.getFlat(j);
                x0.setFlat(j, v + STEP);
                Tensor plus = f.apply(x0).to(DType.FLOAT64);
                x0.setFlat(j, v - STEP);
                Tensor minus = f.apply(x0).to(DType.FLOAT64);
                x0.setFlat(j, v);
                for (int i = 0; i < m; i++) jacobian.set((plus.getFlat(i) - minus.getFlat(i)) / (2 * STEP), i, j);
            }
            return jacobian;
        }
    }

    /**
     * Second differences of a scalar f with h = {@link #SECOND_STEP}:
     * H[i, i] ≈ (f(x + h·eᵢ) − 2f(x) + f(x − h·eᵢ)) / h² and, for i ≠ j,
     * H[i, j] ≈ (f(x + h·eᵢ + h·eⱼ) − f(x + h·eᵢ − h·eⱼ) − f(x − h·eᵢ + h·eⱼ) + f(x − h·eᵢ − h·eⱼ)) / 4h².
     * Symmetric by construction.
     */
    public static Tensor numericalHessian(Function<Tensor, Tensor> f, Tensor x) {
        Tensor x0 = float64Copy(x);
        int n = x0.size();
        double h = SECOND_STEP;
        Tensor hessian = Tensor.zeros(DType.FLOAT64, Shape.of(n, n));
        try (var scope = Autograd.noGrad()) {
            double center = scalar(f.apply(x0));
            for (int i = 0; i < n; i++) {
                double diagonal = shifted(f, x0, i, h, -1, 0) - 2 * center + shifted(f, x0, i, -h, -1, 0);
                hessian.set(diagonal / (h * h), i, i);
                for (int j = i + 1; j < n; j++) {
                    double v = shifted(f, x0, i, h, j, h) - shifted(f, x0, i, h, j, -h)
                            - shifted(f, x0, i, -h, j, h) + shifted(f, x0, i, -h, j, -h);
                    hessian.set(v / (4 * h * h), i, j);
                    hessian.set(v / (4 * h * h), j, i);
                }
            }
        }
        return hessian;
    }

    // ---- autograd ---------------------------------------------------------------------------------

    /** f′(xᵢ) for an elementwise f: one backward pass of f(x) with upstream gradient 1 everywhere. */
    public static Tensor derivative(Function<Tensor, Tensor> f, Tensor x) {
        Tensor leaf = float64Copy(x).requiresGrad(true);
        Tensor y = f.apply(leaf);
        requireElementwise(y, leaf);
        if (y.requiresGrad()) y.backward(Tensor.full(y.dtype(), 1, y.shape()));
        return gradOf(leaf);
    }

    /** ∇f(x) for a scalar f: one backward pass. */
    public static Tensor gradient(Function<Tensor, Tensor> f, Tensor x) {
        Tensor leaf = float64Copy(x).requiresGrad(true);
        Tensor y = f.apply(leaf);
        scalar(y);
        if (y.requiresGrad()) y.backward();
        return gradOf(leaf);
    }

    /** The Jacobian row by row: row i is the gradient from a backward pass with upstream gradient eᵢ. */
    public static Tensor jacobian(Function<Tensor, Tensor> f, Tensor x) {
        Tensor leaf = float64Copy(x).requiresGrad(true);
        Tensor y = f.apply(leaf);
        int m = y.size(), n = leaf.size();
        Tensor jacobian = Tensor.zeros(DType.FLOAT64, Shape.of(m, n));
        if (!y.requiresGrad()) return jacobian;
        for (int i = 0; i < m; i++) {
            leaf.zeroGrad();
            Tensor upstream = Tensor.zeros(y.dtype(), y.shape());
            upstream.setFlat(i, 1);
            y.backward(upstream);
            Tensor row = gradOf(leaf);
            for (int j = 0; j < n; j++) jacobian.set(row.getFlat(j), i, j);
        }
        return jacobian;
    }

    /**
     * The Jacobian of the autograd gradient by central differences of gradients (see the class
     * comment: there is no double backward), symmetrised as (H + Hᵀ)/2, which only averages away the
     * O(h²) difference error.
     */
    public static Tensor hessian(Function<Tensor, Tensor> f, Tensor x) {
        Tensor x0 = float64Copy(x);
        int n = x0.size();
        double h = GRADIENT_STEP;
        double[][] columns = new double[n][];
        for (int j = 0; j < n; j++) {
            double v = x0.getFlat(j);
            x0.setFlat(j, v + h);
            Tensor plus = gradient(f, x0);
            x0.setFlat(j, v - h);
            Tensor minus = gradient(f, x0);
            x0.setFlat(j, v);
            columns[j] = plus.sub(minus).div(2 * h).toDoubleArray();
        }
        Tensor hessian = Tensor.zeros(DType.FLOAT64, Shape.of(n, n));
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) hessian.set((columns[j][i] + columns[i][j]) / 2, i, j);
        }
        return hessian;
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private static Tensor float64Copy(Tensor x) {
        return x.to(DType.FLOAT64).detach().copy();
    }

    private static Tensor gradOf(Tensor leaf) {
        return leaf.grad() == null ? Tensor.zeros(DType.FLOAT64, leaf.shape()) : leaf.grad().to(DType.FLOAT64).copy();
    }

    /** f(x) with x[i] += di and x[j] += dj (j < 0: only i), x restored afterwards. */
    private static double shifted(Function<Tensor, Tensor> f, Tensor x, int i, double di, int j, double dj) {
        double vi = x.getFlat(i), vj = j >= 0 ? x.getFlat(j) : 0;
        x.setFlat(i, vi + di);
        if (j >= 0) x.setFlat(j, vj + dj);
        double value = scalar(f.apply(x));
        x.setFlat(i, vi);
        if (j >= 0) x.setFlat(j, vj);
        return value;
    }

    private static double scalar(Tensor y) {
        if (y.size() != 1) {
            throw new IllegalArgumentException("gradient and Hessian need a scalar function, f(x) has shape "
                    + y.shape() + "; reduce it (sum, mean) or use the Jacobian");
        }
        return y.getFlat(0);
    }

    private static void requireElementwise(Tensor y, Tensor x) {
        if (!y.shape().equals(x.shape())) {
            throw new IllegalArgumentException("the elementwise derivative needs f(x) of x's shape " + x.shape()
                    + ", got " + y.shape() + "; use the Jacobian for other functions");
        }
    }
}
