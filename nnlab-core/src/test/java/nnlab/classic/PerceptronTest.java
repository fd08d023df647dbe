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
