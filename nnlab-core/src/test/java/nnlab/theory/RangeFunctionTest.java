package nnlab.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import nnlab.random.Rng;
import org.junit.jupiter.api.Test;

/** Question 3.1 (2023-24): the range function, a perceptron, and two hand-built networks. */
class RangeFunctionTest {
    @Test
    void perceptronCannotLearnTheXorCase() {
        RangeFunction f = new RangeFunction(2, -1, 1);
        assertFalse(f.isLinearlySeparable());
        RangeFunction.PerceptronResult p = f.perceptron(200, new Rng(1));
        assertEquals(200, p.epochs(), "it never had an epoch without mistakes");
        assertTrue(p.bestAccuracy() <= 0.75, "at most 3 of the 4 points can be right, got " + p.bestAccuracy());
        assertTrue(f.check(200, 10, new Rng(1)).perceptronPassed());
    }

    @Test
    void perceptronLearnsTheSeparableCases() {
        // one-sided ranges are thresholds on the sum: separable, and the perceptron gets there
        for (double[] c : new double[][] {{5, 0, 5}, {6, -6, 2}, {4, -10, 10}, {3, 4, 9}}) {
            RangeFunction f = new RangeFunction((int) c[0], c[1], c[2]);
            assertTrue(f.isLinearlySeparable(), "D, A, B = " + java.util.Arrays.toString(c));
            assertEquals(1.0, f.perceptron(1000, new Rng(2)).bestAccuracy(), "D, A, B = " + java.util.Arrays.toString(c));
        }
        assertFalse(new RangeFunction(6, -2, 2).isLinearlySeparable());
    }

    @Test
    void bothNetworksComputeFExactlyAndRobustly() {
        Rng rng = new Rng(3);
        for (int d = 1; d <= 8; d++) {
            for (int a = -d - 1; a <= d + 1; a++) {
                for (int b = a - 1; b <= d + 1; b++) {
                    RangeFunction f = new RangeFunction(d, a, b);
                    for (RangeFunction.NetworkCheck c : new RangeFunction.NetworkCheck[] {
                            f.check(f.signNetwork(), 3, rng), f.check(f.reluNetwork(), 3, rng)}) {
                        String where = c.network().name() + " for D = " + d + ", A = " + a + ", B = " + b;
                        assertEquals(c.points(), c.correct(), where + ": wrong on unperturbed points");
                        assertEquals(c.perturbedPoints(), c.perturbedCorrect(), where + ": wrong under ε = " + c.epsilon());
                        assertTrue(c.smallestMargin() >= 0.5 - 1e-9, where + ": margin " + c.smallestMargin());
                    }
                }
            }
        }
    }

    @Test
    void nonIntegerBoundsWork() {
        RangeFunction f = new RangeFunction(5, -2.5, 1.2); // sums −1 and 1 are inside
        assertEquals(-2, f.lowerThreshold());
        assertEquals(2, f.upperThreshold());
        assertTrue(f.check(50, 5, new Rng(4)).passed());
    }

    @Test
    void thresholdsWithoutMarginAreNotRobust() {
        // thresholds exactly at A and B (the naive construction): right on the points, wrong when nudged
        RangeFunction f = new RangeFunction(3, -1, 1);
        TwoLayerNetwork naive = new TwoLayerNetwork("naive", new double[][] {{1, 1, 1}, {-1, -1, -1}},
                new double[] {1, 1}, TwoLayerNetwork.Activation.SIGN, new double[] {1, 1}, -1);
        RangeFunction.NetworkCheck c = f.check(naive, 5, new Rng(5));
        assertTrue(c.exact());
        assertFalse(c.robust(), "a sum of 1 nudged to 1 + 3ε leaves [−1, 1]");
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> new RangeFunction(0, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new RangeFunction(17, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new RangeFunction(2, Double.NaN, 1));
    }
}
