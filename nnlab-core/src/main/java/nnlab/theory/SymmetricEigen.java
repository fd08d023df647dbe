package nnlab.theory;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;
import nnlab.tensor.DType;
import nnlab.tensor.Shape;
import nnlab.tensor.Tensor;

/**
 * Eigenvalues and eigenvectors of a real symmetric matrix, A = V·diag(λ)·Vᵀ with V orthogonal, by the
 * cyclic Jacobi method (Golub &amp; Van Loan, <i>Matrix Computations</i>, §8.5): sweep over the pairs
 * p &lt; q, and zero a[p][q] with the rotation J(p, q, θ) that diagonalises the 2×2 block
 * [[a_pp, a_pq], [a_pq, a_qq]]:
 * <pre>
 *   τ = (a_qq − a_pp) / 2a_pq,   t = sign(τ) / (|τ| + √(1 + τ²)),   c = 1/√(1 + t²),   s = t·c
 *   A ← JᵀAJ,   V ← VJ
 * </pre>
 * Each rotation lowers off(A)² = Σ_{i≠j} a_ij² by 2a_pq², and convergence is quadratic once off(A)
 * is small; sweeps stop when off(A) ≤ 1e-15·‖A‖_F. Slow for large n (O(n³) per sweep) but accurate
 * even for tiny eigenvalues, which is what a convexity check needs.
 *
 * <p>Eigenvalues are sorted ascending; column i of {@link #vectors()} is the unit eigenvector of
 * {@link #values()}[i].
 */
public final class SymmetricEigen {
    private static final int MAX_SWEEPS = 60;

    private final double[] values;
    private final double[][] vectors;

    private SymmetricEigen(double[] values, double[][] vectors) {
        this.values = values;
        this.vectors = vectors;
    }

    /** Decomposes a square symmetric matrix given as a [n, n] tensor. */
    public static SymmetricEigen of(Tensor matrix) {
        if (matrix.rank() != 2 || matrix.dim(0) != matrix.dim(1)) {
            throw new IllegalArgumentException("the eigen-solver needs a square matrix, got shape " + matrix.shape());
        }
        int n = matrix.dim(0);
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) a[i][j] = matrix.get(i, j);
        return of(a);
    }

    /**
     * Decomposes a square symmetric matrix (not modified). Asymmetry beyond 1e-9 relative to the
     * largest entry is an error, since the result would silently describe (A + Aᵀ)/2 instead.
     */
    public static SymmetricEigen of(double[][] matrix) {
        int n = matrix.length;
        double[][] a = new double[n][];
        double largest = 0;
        for (int i = 0; i < n; i++) {
            if (matrix[i].length != n) {
                throw new IllegalArgumentException("row " + i + " has " + matrix[i].length + " entries, the matrix has " + n + " rows");
            }
            a[i] = matrix[i].clone();
            for (double v : a[i]) {
                if (!Double.isFinite(v)) throw new IllegalArgumentException("matrix row " + i + " holds " + v);
                largest = Math.max(largest, Math.abs(v));
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                if (Math.abs(a[i][j] - a[j][i]) > 1e-9 * largest) {
                    throw new IllegalArgumentException(String.format("matrix is not symmetric: a[%d][%d] = %.10g but "
                            + "a[%d][%d] = %.10g; symmetrise it as (A + Aᵀ)/2 first", i, j, a[i][j], j, i, a[j][i]));
                }
                a[j][i] = a[i][j];
            }
        }
        double[][] v = new double[n][n];
        for (int i = 0; i < n; i++) v[i][i] = 1;
        jacobi(a, v);
        return sorted(a, v);
    }

    private static void jacobi(double[][] a, double[][] v) {
        int n = a.length;
        double norm = 0;
        for (double[] row : a) for (double x : row) norm += x * x;
        double target = 1e-15 * Math.sqrt(norm);
        for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
            if (offDiagonalNorm(a) <= target) return;
            for (int p = 0; p < n - 1; p++) {
                for (int q = p + 1; q < n; q++) {
                    if (a[p][q] != 0) rotate(a, v, p, q);
                }
            }
        }
        throw new ArithmeticException("Jacobi did not converge in " + MAX_SWEEPS + " sweeps (off-diagonal norm "
                + offDiagonalNorm(a) + ", target " + target + ")");
    }

    /** A ← JᵀAJ and V ← VJ for the rotation in the (p, q) plane that zeroes a[p][q]. */
    private static void rotate(double[][] a, double[][] v, int p, int q) {
        double tau = (a[q][q] - a[p][p]) / (2 * a[p][q]);
        // the smaller root of t² + 2τt − 1 = 0 (rotation angle ≤ π/4); hypot does not overflow for huge τ
        double t = tau == 0 ? 1 : Math.signum(tau) / (Math.abs(tau) + Math.hypot(1, tau));
        double c = 1 / Math.sqrt(1 + t * t), s = t * c;
        int n = a.length;
        for (int k = 0; k < n; k++) { // columns p and q: A ← AJ
            double akp = a[k][p], akq = a[k][q];
            a[k][p] = c * akp - s * akq;
            a[k][q] = s * akp + c * akq;
        }
        for (int k = 0; k < n; k++) { // rows p and q: A ← JᵀA
            double apk = a[p][k], aqk = a[q][k];
            a[p][k] = c * apk - s * aqk;
            a[q][k] = s * apk + c * aqk;
        }
        a[p][q] = 0;
        a[q][p] = 0;
        for (int k = 0; k < n; k++) {
            double vkp = v[k][p], vkq = v[k][q];
            v[k][p] = c * vkp - s * vkq;
            v[k][q] = s * vkp + c * vkq;
        }
    }

    private static double offDiagonalNorm(double[][] a) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) for (int j = 0; j < a.length; j++) if (i != j) sum += a[i][j] * a[i][j];
        return Math.sqrt(sum);
    }

    private static SymmetricEigen sorted(double[][] a, double[][] v) {
        int n = a.length;
        Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble(i -> a[i][i]));
        double[] values = new double[n];
        double[][] vectors = new double[n][n];
        for (int c = 0; c < n; c++) {
            values[c] = a[order[c]][order[c]];
            for (int r = 0; r < n; r++) vectors[r][c] = v[r][order[c]];
        }
        return new SymmetricEigen(values, vectors);
    }

    /** The eigenvalues, ascending (a copy). */
    public double[] values() {
        return values.clone();
    }

    /** The smallest eigenvalue. */
    public double smallest() {
        return values[0];
    }

    /** The largest eigenvalue. */
    public double largest() {
        return values[values.length - 1];
    }

    /** The unit eigenvector of the i-th smallest eigenvalue (a copy). */
    public double[] vector(int i) {
        double[] out = new double[values.length];
        for (int r = 0; r < out.length; r++) out[r] = vectors[r][i];
        return out;
    }

    /** V as a float64 [n, n] tensor whose column i is the eigenvector of {@code values()[i]}. */
    public Tensor vectors() {
        int n = values.length;
        Tensor out = Tensor.zeros(DType.FLOAT64, Shape.of(n, n));
        for (int r = 0; r < n; r++) for (int c = 0; c < n; c++) out.set(vectors[r][c], r, c);
        return out;
    }
}
