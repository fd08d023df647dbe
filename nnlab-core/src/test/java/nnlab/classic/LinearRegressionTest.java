package nnlab.classic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import nnlab.data.Examples;
import nnlab.random.RandomState;
import org.junit.jupiter.api.Test;

class LinearRegressionTest {
    @Test
    void sgdFallsTowardsTheClosedForm() {
        Examples all = GeneratedData.linearLike(11).examples().withBias();
        double[] analytic = LinearRegression.closedForm(all);
        LinearRegression sgd = new LinearRegression(all.features(), 0.002);
        double previous = sgd.distanceTo(analytic);
        double start = previous;
        for (int epoch = 1; epoch <= 200; epoch++) {
            sgd.trainEpoch(all);
            double distance = sgd.distanceTo(analytic);
            if (epoch <= 8) {  // later, constant-step SGD wanders in a small ball around w*
                assertTrue(distance < previous, "epoch " + epoch + ": distance " + distance + " after " + previous);
            }
            previous = distance;
        }
        assertTrue(previous < 0.01 * start, "distance " + start + " → " + previous);
        assertEquals(optimalRmse(all, analytic), sgd.rootMeanSquaredError(all), 1e-3, "train RMSE at the end");
    }

    @Test
    void closedFormOfAFullRankDesignSolvesTheNormalEquations() {
        Examples all = GeneratedData.linearLike(11).examples().withBias();
        double[] w = LinearRegression.closedForm(all);
        double[] gradient = normalEquationResidual(all, w);  // Xᵀ(Xw − y), zero at the optimum
        for (int j = 0; j < gradient.length; j++) {
            assertEquals(0, gradient[j], 1e-9, "Xᵀ(Xw − y)[" + j + "]");
        }
    }

    @Test
    void closedFormOfARankDeficientDesignIsTheMinimumNormSolution() {
        Examples design = GeneratedData.rankDeficient(5).examples();
        double[] w = LinearRegression.closedForm(design);
        double[] gradient = normalEquationResidual(design, w);
        for (int j = 0; j < gradient.length; j++) assertEquals(0, gradient[j], 1e-10, "Xᵀ(Xw − y)[" + j + "]");
        // The null space is spanned by e0 + e1 − e5, 2e2 − e6 and e7: the minimum-norm solution is
        // orthogonal to all three (w5 = w0 = w1 − ..., etc.).
        assertEquals(0, w[0] + w[1] - w[5], 1e-12, "orthogonal to e0 + e1 − e5");
        assertEquals(0, 2 * w[2] - w[6], 1e-12, "orthogonal to 2e2 − e6");
        assertEquals(0, w[7], 1e-12, "no weight on the zero column");
    }

    @Test
    void jacobiDiagonalisesASymmetricMatrix() {
        RandomState random = new RandomState(31);
        int n = 12;
        double[] b = random.normal(0, 1, n * n);
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) a[i * n + j] = b[i * n + j] + b[j * n + i];
        }
        double[] original = a.clone();
        double[] vectors = new double[n * n];
        double[] values = LeastSquares.jacobi(a, n, vectors);
        for (int k = 0; k < n; k++) {
            for (int i = 0; i < n; i++) {
                double av = 0;
                for (int j = 0; j < n; j++) av += original[i * n + j] * vectors[k * n + j];
                assertEquals(values[k] * vectors[k * n + i], av, 1e-12, "(A v_" + k + ")[" + i + "]");
            }
            for (int m = 0; m < n; m++) {
                double dot = 0;
                for (int j = 0; j < n; j++) dot += vectors[k * n + j] * vectors[m * n + j];
                assertEquals(k == m ? 1 : 0, dot, 1e-13, "v_" + k + " · v_" + m);
            }
        }
    }

    @Test
    void oneStepIsTheCoursesUpdate() {
        Examples one = Examples.regression(new double[] {1, 0, 2, 1}, 1, 4, new double[] {3});
        LinearRegression model = new LinearRegression(4, 0.1);
        model.trainEpoch(one);  // w = 0 + 0.1 · (3 − 0) · x
        assertArrayEquals(new double[] {0.30000000000000004, 0, 0.6000000000000001, 0.30000000000000004}, model.weights());
        model.trainEpoch(one);  // ŷ = 0.3 + 1.2 + 0.3 = 1.8, w += 0.1 · 1.2 · x
        assertArrayEquals(new double[] {0.42, 0, 0.84, 0.42}, model.weights(), 1e-15);
    }

    private static double[] normalEquationResidual(Examples examples, double[] w) {
        int p = examples.features();
        double[] gradient = new double[p];
        for (int i = 0; i < examples.n(); i++) {
            double residual = -examples.targets()[i];
            for (int j = 0; j < p; j++) residual += examples.x()[i * p + j] * w[j];
            for (int j = 0; j < p; j++) gradient[j] += examples.x()[i * p + j] * residual;
        }
        return gradient;
    }

    private static double optimalRmse(Examples examples, double[] w) {
        LinearRegression model = new LinearRegression(w.length, 1);
        double sum = 0;
        for (int i = 0; i < examples.n(); i++) {
            double error = -examples.targets()[i];
            for (int j = 0; j < w.length; j++) error += examples.x()[i * w.length + j] * w[j];
            sum += error * error;
        }
        assertEquals(0, model.distanceTo(new double[w.length]));
        return Math.sqrt(sum / examples.n());
    }
}
