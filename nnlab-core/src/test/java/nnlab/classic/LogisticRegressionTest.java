package nnlab.classic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import nnlab.data.Examples;
import nnlab.random.RandomState;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The training loop (each step fused with the next example's scores without a penalty, apart with
 * one) against the course's per-example SGD written plainly on arrays: the same weights to rounding
 * (the sums run in another order), for the ten-class kernels and the generic ones, down to one example.
 */
class LogisticRegressionTest {

    @ParameterizedTest(name = "{0} examples, {1} classes, L2 {2}")
    @CsvSource({"300, 10, 0", "301, 10, 0", "301, 3, 0", "2, 10, 0", "1, 10, 0", "301, 10, 0.01", "120, 4, 0.001"})
    void agreesWithPlainPerExampleSgdToRounding(int n, int classes, double l2) {
        int pixels = 29;
        Examples examples = GeneratedData.labelledPixels(n * 31L + classes, n, pixels, classes);
        int[] labels = examples.labels();
        int features = pixels + 1;
        double eta = 0.05;
        LogisticRegression model = new LogisticRegression(features, classes, eta, l2);
        double[] x = examples.x();
        double[][] w = new double[classes][features];
        RandomState shuffle = new RandomState(7);
        for (int epoch = 0; epoch < 3; epoch++) {
            int[] order = shuffle.permutation(n);
            model.trainEpoch(examples, order);
            for (int i : order) {
                double[] z = new double[classes];
                double max = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < classes; k++) {
                    for (int j = 0; j < features; j++) z[k] += w[k][j] * x[i * features + j];
                    max = Math.max(max, z[k]);
                }
                double sum = 0;
                for (int k = 0; k < classes; k++) sum += Math.exp(z[k] - max);
                for (int k = 0; k < classes; k++) {
                    double g = Math.exp(z[k] - max) / sum - (k == labels[i] ? 1 : 0);
                    for (int j = 0; j < features; j++) w[k][j] -= eta * (g * x[i * features + j] + l2 * w[k][j]);
                }
            }
            double[] actual = model.weights();
            double largest = 0, squares = 0;
            for (int k = 0; k < classes; k++) {
                for (int j = 0; j < features; j++) {
                    largest = Math.max(largest, Math.abs(actual[k * features + j] - w[k][j]));
                    squares += w[k][j] * w[k][j];
                }
            }
            assertTrue(largest <= 1e-12 * Math.max(1, Math.sqrt(squares)),
                    "epoch " + (epoch + 1) + ": weights differ by " + largest);
            assertEquals(Math.sqrt(squares), model.weightNorm(), 1e-12 * Math.max(1, Math.sqrt(squares)));
        }
        assertTrue(n < 100 || Math.sqrt(java.util.Arrays.stream(model.weights()).map(v -> v * v).sum()) > 0.1,
                "the model moved");
    }
}
