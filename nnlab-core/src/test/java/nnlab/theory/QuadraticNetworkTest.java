package nnlab.theory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import nnlab.data.Examples;
import nnlab.nn.Linear;
import nnlab.nn.Sequential;
import nnlab.random.Rng;
import nnlab.tensor.Derivatives.Comparison;
import nnlab.tensor.Tensor;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Question 3 (2024-25): g(z) = z(1 − z) makes the network linear in φ(x); closed form vs gradient descent. */
class QuadraticNetworkTest {
    @Test
    void featureMapHasTheExpectedLayout() {
        assertEquals(6, QuadraticNetwork.featureCount(2));
        assertEquals(61_075, QuadraticNetwork.featureCount(348));
        assertArrayEquals(new double[] {1, 2, 3, 5, 4, 9, 25, 6, 10, 15}, QuadraticNetwork.features(new double[] {2, 3, 5}));
    }

    @Test
    void matrixAByHandForOneUnit() {
        // w = (1, 2), b = 3: h = z − z², z = x₁ + 2x₂ + 3
        //   = (3 − 9) + (1 − 6)(x₁ + 2x₂) − (x₁² + 4x₂² + 4x₁x₂)
        double[][] a = QuadraticNetwork.matrixA(new double[][] {{1, 2}}, new double[] {3});
        assertArrayEquals(new double[] {-6, -5, -10, -1, -4, -4}, a[0]);
    }

    @Test
    void hiddenLayerEqualsAThetaTimesPhi() {
        Rng rng = new Rng(11);
        Sequential network = QuadraticNetwork.network(3, 4, rng);
        Linear first = (Linear) network.get(0);
        double[][] w = new double[4][3];
        for (int j = 0; j < 4; j++) for (int i = 0; i < 3; i++) w[j][i] = first.weight().get(j, i);
        double[][] a = QuadraticNetwork.matrixA(w, first.bias().toDoubleArray());
        for (int trial = 0; trial < 20; trial++) {
            double[] x = {rng.nextGaussian(), rng.nextGaussian(), rng.nextGaussian()};
            double[] h = network.get(1).forward(first.forward(Tensor.of(x, 1, 3))).toDoubleArray();
            double[] phi = QuadraticNetwork.features(x);
            for (int j = 0; j < 4; j++) {
                double viaA = 0;
                for (int p = 0; p < phi.length; p++) viaA += a[j][p] * phi[p];
                assertEquals(h[j], viaA, 1e-13, "hidden unit " + j + " at x = " + java.util.Arrays.toString(x));
            }
        }
    }

    @Test
    void networkPredictionEqualsCThetaTimesPhi() {
        for (int d : new int[] {1, 3, 6}) {
            Comparison c = QuadraticNetwork.identityAtRandom(new Rng(d), d, 5, 200);
            assertTrue(c.maxRelError() <= 1e-12, "D = " + d + ": " + c);
        }
    }

    @Test
    void closedFormIsNoWorseThanGradientDescent() {
        Examples data = QuadraticNetwork.generated(new Rng(8), 300, 4);
        QuadraticNetwork.Result r = QuadraticNetwork.check("generated", data, 3, 500, 0.02, new Rng(9));
        assertEquals(15, r.closedForm().rank(), "x ~ N(0, I) gives a full-rank Φ");
        assertTrue(r.descent().trainingMse() < r.descent().initialMse(), "descent did not descend: " + r.descent());
        assertTrue(r.closedForm().trainingMse() <= r.descent().trainingMse(), r.closedForm().trainingMse() + " > "
                + r.descent().trainingMse());
        assertTrue(r.descent().identityError().maxRelError() <= 1e-12, "trained network: " + r.descent().identityError());
        assertTrue(r.passed());
    }

    @Test
    void closedFormMatchesNumpyLstsqOnAKnownProblem() {
        // y = 1 + 2x₁ − x₂² + 3x₁x₂ exactly: the least-squares coefficients are those, the loss 0
        Rng rng = new Rng(10);
        int n = 50;
        double[] x = new double[2 * n], y = new double[n];
        for (int i = 0; i < n; i++) {
            double x1 = x[2 * i] = rng.nextGaussian(), x2 = x[2 * i + 1] = rng.nextGaussian();
            y[i] = 1 + 2 * x1 - x2 * x2 + 3 * x1 * x2;
        }
        QuadraticNetwork.LeastSquares ls = QuadraticNetwork.leastSquares(Examples.regression(x, n, 2, y));
        assertArrayEquals(new double[] {1, 2, 0, 0, -1, 3}, ls.coefficients(), 1e-10);
        assertEquals(0, ls.trainingMse(), 1e-20);
    }

    @Test
    void amesSubsetWhenTheCourseFileIsThere() {
        Path ames = Path.of("/work/shared/data/ames.npz");
        Assumptions.assumeTrue(Files.isReadable(ames), "no ames.npz here");
        Examples data = QuadraticNetwork.fromNpz(ames, 16);
        QuadraticNetwork.LeastSquares ls = QuadraticNetwork.leastSquares(data);
        // numpy.linalg.lstsq on the same 1465 × 153 Φ: rank 135, MSE 0.014335609702377971
        assertEquals(135, ls.rank());
        assertEquals(0.014335609702377971, ls.trainingMse(), 1e-12);
    }

    /** Question 3.3: Θ built from any c (K ≥ D) has c_Θ = c, and within about ε when c's quadratic part is singular. */
    @Test
    void parametersForAnyCoefficientsReproduceThem() {
        nnlab.random.Rng rng = new nnlab.random.Rng(11);
        for (int d : new int[] {1, 3, 5}) {
            for (int k : new int[] {d, d + 2}) {
                double[] c = new double[QuadraticNetwork.featureCount(d)];
                for (int i = 0; i < c.length; i++) c[i] = rng.nextGaussian();
                double[] back = QuadraticNetwork.parametersFor(c, d, k, 1e-9).coefficients();
                for (int i = 0; i < c.length; i++) assertEquals(c[i], back[i], 1e-10, "D " + d + ", K " + k + ", entry " + i);
            }
        }
        // Q = diag(1, 0, −2) is singular: its zero eigenvalue is moved to ε, and c_Θ misses c by about ε there.
        int d = 3;
        double[] c = new double[QuadraticNetwork.featureCount(d)];
        c[0] = 0.3;
        c[1] = 1;
        c[2] = -0.5;
        c[1 + d] = 1;
        c[1 + d + 2] = -2;
        for (double eps : new double[] {1e-3, 1e-6}) {
            double[] back = QuadraticNetwork.parametersFor(c, d, d, eps).coefficients();
            double error = 0;
            for (int i = 0; i < c.length; i++) error = Math.max(error, Math.abs(back[i] - c[i]));
            assertTrue(error <= 2 * eps && error >= eps / 2, "eps " + eps + ": error " + error);
        }
        assertThrows(IllegalArgumentException.class, () -> QuadraticNetwork.parametersFor(new double[10], 3, 2, 1e-6));
    }
}
