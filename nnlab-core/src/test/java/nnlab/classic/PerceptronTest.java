package nnlab.classic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import nnlab.data.Examples;
import org.junit.jupiter.api.Test;

class PerceptronTest {
    @Test
    void updatesOnMistakesWithTheFirstIndexWinningTies() {
        // x0 = (1, 0.5, 1) label 2, x1 = (0, 1, 1) label 2, x2 = (1, 0, 1) label 1
        Examples examples = Examples.classification(new double[] {1, 0.5, 1, 0, 1, 1, 1, 0, 1}, 3, 3, new int[] {2, 2, 1});
        Perceptron perceptron = new Perceptron(3, 3);
        perceptron.trainEpoch(examples);
        // x0: all scores 0, ŷ = 0 (first index) ≠ 2 → W[2] += x0, W[0] −= x0
        // x1: scores (−1.5, 0, 1.5) → ŷ = 2, right
        // x2: scores (−2, 0, 2) → ŷ = 2 ≠ 1 → W[1] += x2, W[2] −= x2
        assertArrayEquals(new double[] {-1, -0.5, -1, 1, 0, 1, 0, 0.5, 0}, perceptron.weights());
        assertEquals(1, perceptron.predictClass(new double[] {1, 0, 1}, 0));
        assertEquals(0, new Perceptron(3, 3).predictClass(new double[] {1, 1, 1}, 0), "ties go to class 0");
    }

    @Test
    void twoExamplesAtATimeOnPixelDataIsTheSequentialPerceptronBitForBit() {
        // Pixels k/256 with a bias: the pair path (two examples per pass over W, the second's
        // scores corrected by ±x₁·x₂ when the first moves W) must give the sequential algorithm's
        // weights exactly, over an odd number of examples (the last one goes alone) and ten classes.
        int n = 301, pixels = 37, classes = 10;
        Examples examples = GeneratedData.labelledPixels(3, n, pixels, classes);
        int[] labels = examples.labels();
        int[] order = new nnlab.random.RandomState(1).permutation(n);
        Perceptron perceptron = new Perceptron(pixels + 1, classes);
        double[] x = examples.x();
        double[][] w = new double[classes][pixels + 1];
        int mistakes = 0;
        for (int epoch = 0; epoch < 3; epoch++) {
            perceptron.trainEpoch(examples, order);
            for (int i : order) {
                int best = 0;
                double bestScore = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < classes; k++) {
                    double score = 0;
                    for (int j = 0; j <= pixels; j++) score += w[k][j] * x[i * (pixels + 1) + j];
                    if (score > bestScore) {
                        bestScore = score;
                        best = k;
                    }
                }
                if (best != labels[i]) {
                    mistakes++;
                    for (int j = 0; j <= pixels; j++) {
                        w[labels[i]][j] += x[i * (pixels + 1) + j];
                        w[best][j] -= x[i * (pixels + 1) + j];
                    }
                }
            }
            double[] flat = new double[classes * (pixels + 1)];
            for (int k = 0; k < classes; k++) System.arraycopy(w[k], 0, flat, k * (pixels + 1), pixels + 1);
            assertArrayEquals(flat, perceptron.weights(), "weights after epoch " + (epoch + 1));
        }
        assertTrue(mistakes > 100 && mistakes < 3 * n - 100, "both branches exercised: " + mistakes + " mistakes");
    }

    @Test
    void visitsRowsInTheGivenOrder() {
        Examples examples = Examples.classification(new double[] {1, 0.5, 1, 0, 1, 1, 1, 0, 1}, 3, 3, new int[] {2, 2, 1});
        Perceptron forward = new Perceptron(3, 3);
        forward.trainEpoch(examples);
        Perceptron backward = new Perceptron(3, 3);
        backward.trainEpoch(examples, new int[] {2, 1, 0});
        assertTrue(!java.util.Arrays.equals(forward.weights(), backward.weights()));
    }

    @Test
    void explainsAMissingBiasColumnAndABadLabel() {
        Examples examples = Examples.classification(new double[] {1, 0}, 1, 2, new int[] {0});
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> new Perceptron(3, 2).trainEpoch(examples));
        assertTrue(error.getMessage().contains("withBias"), error.getMessage());
        Examples badLabel = Examples.classification(new double[] {1, 0}, 1, 2, new int[] {3});
        IllegalArgumentException label = assertThrows(IllegalArgumentException.class,
                () -> new Perceptron(2, 2).trainEpoch(badLabel));
        assertTrue(label.getMessage().contains("label 3"), label.getMessage());
    }
}
