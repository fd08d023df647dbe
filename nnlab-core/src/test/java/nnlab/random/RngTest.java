package nnlab.random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RngTest {

    /** Outputs of the reference xoshiro256starstar.c from the state {1, 2, 3, 4}. */
    @Test
    void matchesTheReferenceXoshiro256StarStar() {
        Rng rng = new Rng(1, 2, 3, 4);
        long[] expected = {11520L, 0L, 1509978240L, 1215971899390074240L, 1216172134540287360L, 607988272756665600L};
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], rng.nextLong(), "output " + i);
        }
    }

    /** The seed is expanded by the reference SplitMix64: from 1234567 it outputs these first four. */
    @Test
    void seedsThroughSplitMix64() {
        long[] splitMix = {
            6457827717110365317L, 3203168211198807973L,
            Long.parseUnsignedLong("9817491932198370423"), 4593380528125082431L,
        };
        assertArrayEquals(first(10, new Rng(splitMix[0], splitMix[1], splitMix[2], splitMix[3])), first(10, new Rng(1234567)));
    }

    @Test
    void sameSeedGivesTheSameSequenceAndOtherSeedsDoNot() {
        assertArrayEquals(first(1000, new Rng(42)), first(1000, new Rng(42)));
        assertFalse(Arrays.equals(first(1000, new Rng(42)), first(1000, new Rng(43))));
        assertArrayEquals(new Rng(0).permutation(50), new Rng(0).permutation(50));
    }

    @Test
    void splitIsDeterministicAndItsChildrenAreIndependent() {
        Rng parent = new Rng(7);
        Rng first = parent.split();
        Rng second = parent.split();
        Rng sameFirst = new Rng(7).split();
        long[] a = first(1000, first);
        assertArrayEquals(a, first(1000, sameFirst), "the same parent state must give the same child");

        // Between distinct 64-bit streams a common value among 1000 x 1000 has probability ~5e-14.
        Set<Long> seen = new HashSet<>();
        for (long[] stream : new long[][] {a, first(1000, second), first(1000, parent)}) {
            for (long value : stream) {
                assertTrue(seen.add(value), "value " + value + " appears in two of parent, child 1, child 2");
            }
        }
    }

    @Test
    void permutationIsAPermutation() {
        Rng rng = new Rng(3);
        for (int n : new int[] {0, 1, 2, 10, 1000}) {
            int[] p = rng.permutation(n);
            int[] sorted = p.clone();
            Arrays.sort(sorted);
            for (int i = 0; i < n; i++) {
                assertEquals(i, sorted[i], "permutation(" + n + ") is not a permutation: " + Arrays.toString(p));
            }
        }
        assertFalse(Arrays.equals(rng.permutation(1000), new Rng(3).permutation(0)), "a shuffle of 1000 left it sorted");
        assertThrows(IllegalArgumentException.class, () -> rng.permutation(-1));
    }

    /**
     * The 6 orders of 3 items over 60,000 shuffles: chi-square with 5 degrees of freedom must stay
     * under 20.5 (p = 0.001), so a biased shuffle (for example j in [0, n) instead of [0, i]) fails.
     */
    @Test
    void shuffleIsUniformOverTheOrdersOfThree() {
        Rng rng = new Rng(11);
        int trials = 60_000;
        int[] counts = new int[9];
        for (int t = 0; t < trials; t++) {
            double[] a = {0, 1, 2};
            rng.shuffle(a);
            counts[(int) (3 * a[0] + a[1])]++;  // the first two items identify the order
        }
        double expected = trials / 6.0;
        double chiSquare = 0;
        for (int count : counts) {
            if (count > 0) {
                chiSquare += (count - expected) * (count - expected) / expected;
            }
        }
        assertTrue(chiSquare < 20.5, "chi-square " + chiSquare + " over counts " + Arrays.toString(counts));
    }

    /**
     * Over n = 100,000 standard normals the mean has standard error 1/sqrt(n) = 0.0032 and the
     * variance about sqrt(2/n) = 0.0045: tolerances 0.02 and 0.03 are over 6 standard errors.
     */
    @Test
    void gaussianMeanAndVarianceAreSane() {
        Rng rng = new Rng(2024);
        int n = 100_000;
        double sum = 0;
        double sumOfSquares = 0;
        for (int i = 0; i < n; i++) {
            double x = rng.nextGaussian();
            sum += x;
            sumOfSquares += x * x;
        }
        double mean = sum / n;
        double variance = sumOfSquares / n - mean * mean;
        assertEquals(0.0, mean, 0.02, "mean of " + n + " standard normals");
        assertEquals(1.0, variance, 0.03, "variance of " + n + " standard normals");
    }

    private static long[] first(int n, Rng rng) {
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = rng.nextLong();
        }
        return out;
    }
}
