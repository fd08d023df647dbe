package nnlab.classic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.DoubleSupplier;
import nnlab.data.Examples;
import nnlab.random.RandomState;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The hand-written backpropagation against float64 central differences, for every weight and
 * bias of a net with two hidden layers, both activations, both losses.
 */
class MlpGradientTest {
    private static final double STEP = 1e-6;
    private static final double TOLERANCE = 1e-6;
    /** ReLU is checked away from its kink: every hidden pre-activation is at least this far from 0. */
    private static final double KINK_MARGIN = 1e-3;

    @ParameterizedTest(name = "{0}, {1}")
    @CsvSource({"RELU, SOFTMAX_CROSS_ENTROPY", "TANH, SOFTMAX_CROSS_ENTROPY", "RELU, SQUARED_ERROR",
                "TANH, SQUARED_ERROR"})
    void backpropagationEqualsCentralDifferences(Mlp.Activation activation, Mlp.Loss loss) {
        RandomState random = new RandomState(17);
        int features = 5;
        Examples batch = batch(random, features, 4, loss);
        Mlp mlp = loss == Mlp.Loss.SOFTMAX_CROSS_ENTROPY
                ? Mlp.classifier(features, new int[] {6, 4}, 3, activation, 0.1)
                : Mlp.regressor(features, new int[] {6, 4}, activation, 0.1);
        for (int l = 0; l < mlp.layers(); l++) {
            mlp.setLayer(l, random.normal(0, 0.7, mlp.outputsOf(l) * mlp.inputsOf(l)),
                    random.normal(0, 0.3, mlp.outputsOf(l)));
        }
        if (activation == Mlp.Activation.RELU) assertAwayFromKinks(mlp, batch);

        Mlp.Gradients gradients = mlp.gradients(batch);
        assertEquals(mlp.loss(batch), gradients.loss(), 1e-12, "loss reported with the gradients");
        int checked = 0;
        for (int l = 0; l < mlp.layers(); l++) {
            int layer = l;
            double[] weights = mlp.weights(l);
            double[] biases = mlp.biases(l);
            for (int i = 0; i < weights.length; i++) {
                int index = i;
                double numeric = centralDifference(weights, i, () -> {
                    mlp.setLayer(layer, weights, biases);
                    return mlp.loss(batch);
                });
                assertGradient(numeric, gradients.weights()[l][i], () -> "∂loss/∂W" + (layer + 1) + "[" + index / mlp.inputsOf(layer)
                        + "][" + index % mlp.inputsOf(layer) + "]");
                checked++;
            }
            for (int i = 0; i < biases.length; i++) {
                int index = i;
                double numeric = centralDifference(biases, i, () -> {
                    mlp.setLayer(layer, weights, biases);
                    return mlp.loss(batch);
                });
                assertGradient(numeric, gradients.biases()[l][i], () -> "∂loss/∂b" + (layer + 1) + "[" + index + "]");
                checked++;
            }
            mlp.setLayer(l, weights, biases);
        }
        assertEquals(6 * 5 + 6 + 4 * 6 + 4 + (loss == Mlp.Loss.SQUARED_ERROR ? 4 + 1 : 3 * 4 + 3), checked);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"RELU", "TANH"})
    void anSgdStepSubtractsLearningRateTimesTheGradient(Mlp.Activation activation) {
        RandomState random = new RandomState(23);
        Examples one = batch(random, 5, 1, Mlp.Loss.SOFTMAX_CROSS_ENTROPY);
        Mlp mlp = Mlp.classifier(5, new int[] {6, 4}, 3, activation, 0.1).initializeNormal(random, 0, 0.5);
        Mlp.Gradients gradients = mlp.gradients(one);
        double[][] before = new double[mlp.layers()][];
        for (int l = 0; l < mlp.layers(); l++) before[l] = mlp.weights(l);
        double loss = mlp.trainEpoch(one);
        assertEquals(gradients.loss(), loss, 0, "the epoch loss is the loss before the step");
        for (int l = 0; l < mlp.layers(); l++) {
            double[] after = mlp.weights(l);
            for (int i = 0; i < after.length; i++) {
                assertEquals(before[l][i] - 0.1 * gradients.weights()[l][i], after[i], 1e-15,
                        "W" + (l + 1) + "[" + i + "]");
            }
        }
    }

    /** (f(θ + h) − f(θ − h)) / 2h, θ = values[i]; restores values[i]. */
    private static double centralDifference(double[] values, int i, DoubleSupplier loss) {
        double original = values[i];
        values[i] = original + STEP;
        double plus = loss.getAsDouble();
        values[i] = original - STEP;
        double minus = loss.getAsDouble();
        values[i] = original;
        return (plus - minus) / (2 * STEP);
    }

    private static void assertGradient(double numeric, double analytic, java.util.function.Supplier<String> what) {
        assertTrue(Math.abs(numeric - analytic) <= TOLERANCE * Math.max(1, Math.abs(numeric)),
                () -> what.get() + ": backpropagation " + analytic + ", central difference " + numeric);
    }

    private static Examples batch(RandomState random, int features, int n, Mlp.Loss loss) {
        double[] x = random.normal(0, 1, n * features);
        if (loss == Mlp.Loss.SQUARED_ERROR) return Examples.regression(x, n, features, random.normal(0, 2, n));
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) labels[i] = (int) random.randint(0, 3);
        return Examples.classification(x, n, features, labels);
    }

    /** Every hidden pre-activation of every example is farther from 0 than any step can move it. */
    private static void assertAwayFromKinks(Mlp mlp, Examples batch) {
        for (int i = 0; i < batch.n(); i++) {
            double[] h = java.util.Arrays.copyOfRange(batch.x(), i * batch.features(), (i + 1) * batch.features());
            for (int l = 0; l < mlp.layers() - 1; l++) {
                double[] w = mlp.weights(l);
                double[] b = mlp.biases(l);
                double[] next = new double[b.length];
                for (int o = 0; o < b.length; o++) {
                    double z = b[o];
                    for (int j = 0; j < h.length; j++) z += w[o * h.length + j] * h[j];
                    assertTrue(Math.abs(z) > KINK_MARGIN, "example " + i + " layer " + l + " unit " + o + " at z = " + z
                            + ": pick another seed");
                    next[o] = Math.max(z, 0);
                }
                h = next;
            }
        }
    }
}
