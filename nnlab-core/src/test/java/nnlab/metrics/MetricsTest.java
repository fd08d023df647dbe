package nnlab.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MetricsTest {

    @Test
    void correctCountsMatchesAndAccuracyIsTheirFraction() {
        int[] predicted = {0, 2, 1, 1, 3}, labels = {0, 1, 1, 1, 2};
        assertEquals(3, Metrics.correct(predicted, labels));
        assertEquals(0.6, Metrics.accuracy(predicted, labels));
        assertEquals(0, Metrics.correct(new int[0], new int[0]));
    }

    @Test
    void mismatchedLengthsAreRefusedWithBothCounts() {
        var e = assertThrows(IllegalArgumentException.class, () -> Metrics.correct(new int[3], new int[2]));
        assertTrue(e.getMessage().contains("3 predictions for 2 labels"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Metrics.accuracy(new int[0], new int[0]));
        assertTrue(e.getMessage().contains("at least one"), e.getMessage());
    }

    @Test
    void rootMeanSquaredErrorAndConfusionMatrix() {
        // sqrt((1 + 4 + 0) / 3), as numpy's sqrt(mean((p - t) ** 2))
        assertEquals(Math.sqrt(5.0 / 3), Metrics.rootMeanSquaredError(new double[] {1, 4, 3}, new double[] {2, 2, 3}), 1e-15);
        int[][] m = Metrics.confusionMatrix(new int[] {0, 1, 1, 2}, new int[] {0, 0, 1, 2}, 3);
        assertArrayEquals(new int[] {1, 1, 0}, m[0]);
        assertArrayEquals(new int[] {0, 1, 0}, m[1]);
        assertArrayEquals(new int[] {0, 0, 1}, m[2]);
    }
}
