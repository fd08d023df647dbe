package nnlab.classic;

import nnlab.data.Examples;

/**
 * Minimum-norm least squares through the eigendecomposition of the Gram matrix:
 * <pre>
 *   XᵀX = Σ_i λ_i v_i v_iᵀ,    w = Σ_{λ_i + ridge &gt; tol} v_i (v_iᵀ Xᵀy) / (λ_i + ridge)
 * </pre>
 * With ridge = 0 that is {@code pinv(X) y}; eigenvalues at or below {@code tol = p · ε · λ_max}
 * are rounding noise of a singular XᵀX and are dropped (numpy's rank tolerance on the singular
 * values, {@code max(n, p) · ε · σ_max}, is finer than an eigendecomposition of XᵀX resolves,
 * so the two agree whenever the spectrum has a gap, as ames.npz's does: 7e-6 λ_max against 1e-16).
 */
final class LeastSquares {
    private static final double EPSILON = Math.ulp(1.0);
    private static final int MAX_SWEEPS = 100;

    private LeastSquares() {}

    static double[] solve(Examples train, double ridge) {
        int p = train.features();
        double[] gram = new double[Math.multiplyExact(p, p)];
        double[] xty = new double[p];
        gram(train, gram, xty);
        double[] vectors = new double[gram.length];
        double[] values = jacobi(gram, p, vectors);
        double largest = 0;
        for (double v : values) largest = Math.max(largest, Math.abs(v));
        double tolerance = ridge > 0 ? 0 : p * EPSILON * largest;
        double[] w = new double[p];
        for (int i = 0; i < p; i++) {
            double denominator = values[i] + ridge;
            if (!(denominator > tolerance)) continue;
            double projection = 0;
            for (int j = 0; j < p; j++) projection += vectors[i * p + j] * xty[j];
            double coefficient = projection / denominator;
            for (int j = 0; j < p; j++) w[j] += coefficient * vectors[i * p + j];
        }
        return w;
    }

    /** gram = XᵀX (p × p, full), xty = Xᵀy. */
    private static void gram(Examples train, double[] gram, double[] xty) {
        int p = train.features();
        double[] x = train.x();
        double[] y = train.targets();
        for (int i = 0; i < train.n(); i++) {
            int offset = i * p;
            for (int a = 0; a < p; a++) {
                double xa = x[offset + a];
                if (xa == 0) continue;
                xty[a] += xa * y[i];
                int row = a * p;
                for (int b = a; b < p; b++) {
                    gram[row + b] += xa * x[offset + b];
                }
            }
        }
        for (int a = 0; a < p; a++) {
            for (int b = 0; b < a; b++) gram[a * p + b] = gram[b * p + a];
        }
    }

    /**
     * Cyclic Jacobi eigenvalue algorithm (Golub &amp; Van Loan, Algorithm 8.5.3) for the symmetric
     * n × n matrix {@code a} (row-major, full; destroyed). Sweeps over all pairs p &lt; q, zeroing
     * {@code a[p][q]} with the rotation {@code t = sign(τ)/(|τ| + √(1+τ²))}, {@code τ = (a_qq − a_pp)/(2a_pq)},
     * until the off-diagonal norm is below {@code ε‖A‖_F}.
     *
     * @param vectors n × n output: row i is the unit eigenvector of eigenvalue i
     * @return the eigenvalues, unsorted
     */
    static double[] jacobi(double[] a, int n, double[] vectors) {
        java.util.Arrays.fill(vectors, 0);
        for (int i = 0; i < n; i++) vectors[i * n + i] = 1;
        double norm = 0;
        for (double v : a) norm += v * v;
        for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
            double off = 0;
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) off += a[p * n + q] * a[p * n + q];
            }
            if (2 * off <= EPSILON * EPSILON * norm) break;
            for (int p = 0; p < n - 1; p++) {
                for (int q = p + 1; q < n; q++) {
                    if (a[p * n + q] != 0) rotate(a, n, vectors, p, q);
                }
            }
        }
        double[] values = new double[n];
        for (int i = 0; i < n; i++) values[i] = a[i * n + i];
        return values;
    }

    /** A ← JᵀAJ and V ← VJ for the rotation J in the plane (p, q) that zeroes a[p][q]. */
    private static void rotate(double[] a, int n, double[] vectors, int p, int q) {
        double apq = a[p * n + q];
        double app = a[p * n + p];
        double aqq = a[q * n + q];
        double tau = (aqq - app) / (2 * apq);
        double root = Math.abs(tau) > 1e150 ? Math.abs(tau) : Math.sqrt(1 + tau * tau);
        double t = tau >= 0 ? 1 / (tau + root) : -1 / (-tau + root);
        double c = 1 / Math.sqrt(1 + t * t);
        double s = t * c;
        int rowP = p * n;
        int rowQ = q * n;
        for (int j = 0; j < n; j++) {
            if (j == p || j == q) continue;
            double apj = a[rowP + j];
            double aqj = a[rowQ + j];
            double newP = c * apj - s * aqj;
            double newQ = s * apj + c * aqj;
            a[rowP + j] = newP;
            a[rowQ + j] = newQ;
            a[j * n + p] = newP;
            a[j * n + q] = newQ;
        }
        a[rowP + p] = app - t * apq;
        a[rowQ + q] = aqq + t * apq;
        a[rowP + q] = 0;
        a[rowQ + p] = 0;
        for (int j = 0; j < n; j++) {
            double vp = vectors[rowP + j];
            double vq = vectors[rowQ + j];
            vectors[rowP + j] = c * vp - s * vq;
            vectors[rowQ + j] = s * vp + c * vq;
        }
    }
}
