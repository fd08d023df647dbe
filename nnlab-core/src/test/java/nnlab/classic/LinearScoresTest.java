package nnlab.classic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import jdk.incubator.vector.DoubleVector;
import nnlab.data.Examples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The SIMD layout of W (class rows padded to whole vectors) against the scalar formulas on a plain
 * classes × features array, bit for bit, for every class count from 1 to 19 and feature counts
 * below, at and above a vector's length: each score is the documented sum (lane partial sums by
 * fused multiply-add, then the lanes in order) and each update rounds as the formula reads.
 */
class LinearScoresTest {
    private static final int L = DoubleVector.SPECIES_PREFERRED.length();

    static Stream<Arguments> shapes() {
        return Stream.concat(
                IntStream.rangeClosed(1, 19).mapToObj(classes -> Arguments.of(13, classes)),
                Stream.of(Arguments.of(1, 3), Arguments.of(L, 10), Arguments.of(2 * L + 1, 10), Arguments.of(785, 10),
                        Arguments.of(785, 4)));
    }

    @ParameterizedTest(name = "{0} features, {1} classes")
    @MethodSource("shapes")
    void scoresAndUpdatesEqualTheScalarFormulas(int features, int classes) {
        LinearScores scores = new LinearScores(features, classes);
        LinearScores.Row row = scores.newRow();
        double[][] w = new double[classes][features];
        SplittableRandom random = new SplittableRandom(31L * features + classes);
        double[] g = new double[classes];
        double[] z = new double[classes];
        for (int step = 0; step < 60; step++) {
            double[] x = example(random, features);
            String where = features + " features, " + classes + " classes, step " + step;
            // The example placed after three other values, as a later row of a matrix is.
            double[] stored = new double[3 + features];
            System.arraycopy(x, 0, stored, 3, features);
            row.of(stored, 3);

            assertArrayEquals(scalarScores(w, x), scores.scores(row, z).clone(), where + ": scores");

            switch (step % 3) {
                case 0 -> { // perceptron move, up and down anywhere
                    int up = random.nextInt(classes);
                    int down = random.nextInt(classes);
                    if (up == down) break;
                    scores.move(up, down, row);
                    for (int j = 0; j < features; j++) {
                        w[up][j] += x[j];
                        w[down][j] -= x[j];
                    }
                }
                case 1 -> { // logistic regression step without penalty
                    double eta = 0.01 + random.nextDouble();
                    for (int k = 0; k < classes; k++) g[k] = random.nextDouble() - 0.5;
                    scores.descend(g, eta, row);
                    for (int k = 0; k < classes; k++) {
                        for (int j = 0; j < features; j++) {
                            w[k][j] -= (eta * g[k]) * x[j];
                        }
                    }
                }
                default -> { // with an L2 penalty: every weight moves
                    double eta = 0.01 + random.nextDouble();
                    double lambda = random.nextDouble();
                    for (int k = 0; k < classes; k++) g[k] = random.nextDouble() - 0.5;
                    scores.descend(g, eta, lambda, row);
                    for (int k = 0; k < classes; k++) {
                        for (int j = 0; j < features; j++) w[k][j] -= (g[k] * x[j] + w[k][j] * lambda) * eta;
                    }
                }
            }
            double[] flat = new double[classes * features];
            double squares = 0;
            for (int k = 0; k < classes; k++) {
                System.arraycopy(w[k], 0, flat, k * features, features);
                for (double v : w[k]) squares += v * v;
            }
            assertArrayEquals(flat, scores.weights(), where + ": weights");
            assertEquals(Math.sqrt(squares), scores.frobeniusNorm(), 1e-12 * Math.sqrt(squares), where + ": norm");
        }
    }

    @ParameterizedTest(name = "{0} features, {1} classes")
    @MethodSource("shapes")
    void theFusedStepAndScoreIsTheStepThenTheScore(int features, int classes) {
        LinearScores apart = new LinearScores(features, classes), fused = new LinearScores(features, classes);
        LinearScores.Row row = apart.newRow(), done = fused.newRow(), next = fused.newRow();
        SplittableRandom random = new SplittableRandom(17L * features + classes);
        double[] g = new double[classes], expected = new double[classes], actual = new double[classes];
        double[] x = example(random, features);
        done.of(x, 0);
        for (int step = 0; step < 40; step++) {
            for (int k = 0; k < classes; k++) g[k] = random.nextDouble() - 0.5;
            double eta = 0.01 + random.nextDouble();
            double[] following = example(random, features);
            apart.descend(g, eta, row.of(x, 0));
            apart.scores(row.of(following, 0), expected);
            fused.descendAndScore(g, eta, done, next.of(following, 0), actual);
            String where = features + " features, " + classes + " classes, step " + step;
            assertArrayEquals(expected, actual, where + ": scores");
            assertArrayEquals(apart.weights(), fused.weights(), where + ": weights");
            LinearScores.Row swap = done;
            done = next;
            next = swap;
            x = following;
        }
    }

    @Test
    void aRowOfBytesWithABiasColumnIsTheSameRowOfDoubles() {
        int n = 5, pixels = 2 * L + 3;
        byte[] bytes = new byte[n * pixels];
        SplittableRandom random = new SplittableRandom(7);
        for (int k = 0; k < bytes.length; k++) bytes[k] = random.nextBoolean() ? 0 : (byte) random.nextInt(256);
        Arrays.fill(bytes, pixels, pixels + L, (byte) 0);  // a whole zero chunk in row 1
        Examples asBytes = Examples.ofBytes(bytes, 1 / 256.0, n, pixels, new int[n], null).withBias();
        Examples asDoubles = Examples.classification(asBytes.x().clone(), n, pixels + 1, new int[n]);
        LinearScores scores = new LinearScores(pixels + 1, 3);
        LinearScores.Row a = scores.newRow(), b = scores.newRow();
        for (int i = 0; i < n; i++) {
            a.of(asBytes, i);
            b.of(asDoubles, i);
            assertArrayEquals(b.x, a.x, "row " + i);
            assertEquals(1.0, a.x[pixels], "bias of row " + i);
        }
    }

    @ParameterizedTest(name = "{0} features, {1} classes")
    @MethodSource("shapes")
    void twoExamplesScoredInOnePassAreScoredAsOneAtATime(int features, int classes) {
        LinearScores scores = new LinearScores(features, classes);
        LinearScores.Row a = scores.newRow(), b = scores.newRow();
        SplittableRandom random = new SplittableRandom(5L * features + classes);
        double[] g = new double[classes];
        for (int step = 0; step < 10; step++) {
            for (int k = 0; k < classes; k++) g[k] = random.nextDouble() - 0.5;
            scores.descend(g, 0.5, a.of(example(random, features), 0));  // some weights to score with
            double[] x = example(random, features), y = example(random, features);
            a.of(x, 0);
            b.of(y, 0);
            double[] za = new double[classes], zb = new double[classes];
            scores.pairScores(a, b, za, zb);
            String where = features + " features, " + classes + " classes, step " + step;
            assertArrayEquals(scores.scores(a, new double[classes]), za, where + ": first");
            assertArrayEquals(scores.scores(b, new double[classes]), zb, where + ": second");
            assertEquals(scalarScores(new double[][] {y}, x)[0], scores.dot(a, b), where + ": a·b");
        }
    }

    @Test
    void exactDataIsMultiplesOf256thsWithinOne() {
        int n = 4;
        byte[] bytes = new byte[n * 3];
        for (int k = 0; k < bytes.length; k++) bytes[k] = (byte) (k * 71);
        assertTrue(LinearScores.isExact(Examples.ofBytes(bytes, 1 / 256.0, n, 3, new int[n], null).withBias()));
        assertTrue(LinearScores.isExact(Examples.classification(new double[] {-1, 0.5, 3 / 256.0, 1}, 2, 2, new int[2])));
        assertFalse(LinearScores.isExact(Examples.ofBytes(bytes, 1 / 255.0, n, 3, new int[n], null)), "pixels / 255");
        assertFalse(LinearScores.isExact(Examples.classification(new double[] {0, 2}, 1, 2, new int[1])), "above one");
        assertFalse(LinearScores.isExact(Examples.classification(new double[] {0, Double.NaN}, 1, 2, new int[1])), "NaN");
    }

    /** About half zeros, like an image; values k/256 and some arbitrary doubles. */
    private static double[] example(SplittableRandom random, int features) {
        double[] x = new double[features];
        for (int j = 0; j < features; j++) {
            if (random.nextBoolean()) x[j] = random.nextBoolean() ? random.nextInt(1, 256) / 256.0 : random.nextDouble() * 3 - 1;
        }
        return x;
    }

    /** Lane r sums {@code w·x} over features c + r, c = 0, L, 2L, …, by fused multiply-add; then the lanes in order. */
    private static double[] scalarScores(double[][] w, double[] x) {
        double[] z = new double[w.length];
        for (int k = 0; k < w.length; k++) {
            double[] lanes = new double[L];
            for (int c = 0; c < x.length; c += L) {
                for (int r = 0; r < L && c + r < x.length; r++) lanes[r] = Math.fma(w[k][c + r], x[c + r], lanes[r]);
            }
            double sum = lanes[0];
            for (int r = 1; r < L; r++) sum += lanes[r];
            z[k] = sum;
        }
        return z;
    }
}
