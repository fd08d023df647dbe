package nnlab.theory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import nnlab.random.Rng;
import nnlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

class SymmetricEigenTest {
    @Test
    void twoByTwo() {
        SymmetricEigen e = SymmetricEigen.of(new double[][] {{2, 1}, {1, 2}});
        assertArrayEquals(new double[] {1, 3}, e.values(), 1e-15);
        double[] v = e.vector(0); // ±(1, −1)/√2
        assertEquals(0, v[0] + v[1], 1e-15);
        assertEquals(1 / Math.sqrt(2), Math.abs(v[0]), 1e-15);
    }

    @Test
    void diagonalAndRepeatedEigenvalues() {
        assertArrayEquals(new double[] {-1, 0, 5}, SymmetricEigen.of(new double[][] {{5, 0, 0}, {0, -1, 0}, {0, 0, 0}}).values(), 0);
        // J − I for the 4×4 all-ones J: eigenvalues −1 (three times) and 3
        double[][] a = new double[4][4];
        for (int i = 0; i < 4; i++) for (int j = 0; j < 4; j++) a[i][j] = i == j ? 0 : 1;
        SymmetricEigen e = SymmetricEigen.of(a);
        assertArrayEquals(new double[] {-1, -1, -1, 3}, e.values(), 1e-14);
        assertOrthonormalAndReconstructs(a, e, 1e-14);
    }

    @Test
    void secondDifferenceMatrixHasItsKnownSpectrum() {
        // tridiag(−1, 2, −1) of size n: λₖ = 2 − 2cos(kπ/(n+1)), k = 1..n
        int n = 12;
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            a[i][i] = 2;
            if (i > 0) a[i][i - 1] = a[i - 1][i] = -1;
        }
        double[] expected = new double[n];
        for (int k = 1; k <= n; k++) expected[k - 1] = 2 - 2 * Math.cos(k * Math.PI / (n + 1));
        assertArrayEquals(expected, SymmetricEigen.of(a).values(), 1e-14);
    }

    @Test
    void matchesNumpyEigh() {
        double[][] a = {{4, 1, -2, 0.5, 0, 3}, {1, 3, 0, -1, 2, 0}, {-2, 0, 5, 1, -1, 0.25},
                {0.5, -1, 1, 2, 0, 1}, {0, 2, -1, 0, 6, -2}, {3, 0, 0.25, 1, -2, 1}};
        // numpy.linalg.eigh(a)
        double[] values = {-1.4684563504286632, 0.22240586990505873, 2.826949857835649, 4.255022020459757,
                7.16510180260529, 7.998976799622905};
        double[] first = {-0.48618152571946077, -0.01475932608429631, -0.12915441871554045,
                -0.13554824328202714, 0.2082923434034271, 0.8276290206919709};
        SymmetricEigen e = SymmetricEigen.of(Tensor.of(a));
        assertArrayEquals(values, e.values(), 1e-13);
        double[] v = e.vector(0);
        double sign = Math.signum(v[5]);
        for (int i = 0; i < 6; i++) assertEquals(first[i], sign * v[i], 1e-13, "component " + i);
        assertOrthonormalAndReconstructs(a, e, 1e-13);
    }

    @Test
    void randomMatricesAreReconstructed() {
        Rng rng = new Rng(7);
        for (int n : new int[] {1, 2, 5, 30}) {
            double[][] a = new double[n][n];
            for (int i = 0; i < n; i++) for (int j = 0; j <= i; j++) a[i][j] = a[j][i] = rng.nextGaussian();
            assertOrthonormalAndReconstructs(a, SymmetricEigen.of(a), 1e-12);
        }
    }

    @Test
    void rejectsWhatIsNotASymmetricMatrix() {
        var e = assertThrows(IllegalArgumentException.class, () -> SymmetricEigen.of(new double[][] {{1, 2}, {3, 4}}));
        assertTrue(e.getMessage().contains("a[0][1] = 2") && e.getMessage().contains("(A + Aᵀ)/2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SymmetricEigen.of(new double[][] {{1, 2}}));
        assertThrows(IllegalArgumentException.class, () -> SymmetricEigen.of(new double[][] {{Double.NaN}}));
        assertThrows(IllegalArgumentException.class, () -> SymmetricEigen.of(Tensor.of(new double[] {1, 2, 3})));
    }

    /** VᵀV = I and V·diag(λ)·Vᵀ = A. */
    static void assertOrthonormalAndReconstructs(double[][] a, SymmetricEigen e, double tolerance) {
        int n = a.length;
        double[] values = e.values();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double dot = 0, entry = 0;
                for (int k = 0; k < n; k++) {
                    dot += e.vector(i)[k] * e.vector(j)[k];
                    entry += e.vector(k)[i] * values[k] * e.vector(k)[j];
                }
                assertEquals(i == j ? 1 : 0, dot, tolerance, "VᵀV at " + i + "," + j);
                assertEquals(a[i][j], entry, tolerance * Math.max(1, Math.abs(e.largest())), "VΛVᵀ at " + i + "," + j);
            }
        }
        for (int i = 1; i < n; i++) assertTrue(values[i - 1] <= values[i], "ascending");
    }
}
