package nnlab.classic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
 * The SIMD layout of W (class rows padded to whole vectors, zero chunks skipped) against the
 * scalar formulas on a plain classes × features array, bit for bit, for every class count from 1
 * to 19 and feature counts below, at and above a vector's length: each score is the documented
 * sum (lane partial sums over the nonzero chunks by fused multiply-add, then the lanes in order)
 * and each update rounds as the formula reads.
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
            assertArrayEquals(nonzeroChunks(x), Arrays.copyOf(row.chunks, row.count), where + ": nonzero chunks");

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
                            if (x[j] != 0) w[k][j] -= g[k] * x[j] * eta;
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
            assertArrayEquals(Arrays.copyOf(b.chunks, b.count), Arrays.copyOf(a.chunks, a.count), "chunks of row " + i);
        }
        a.of(asBytes, 1);
        assertEquals(0, Arrays.stream(a.chunks, 0, a.count).filter(c -> c == 0).count(), "row 1's zero first chunk is skipped");
    }

    /** About half zeros, like an image, with some all-zero chunks; values k/256 and some arbitrary doubles. */
    private static double[] example(SplittableRandom random, int features) {
        double[] x = new double[features];
        boolean zeroChunk = random.nextInt(3) == 0;
        for (int j = 0; j < features; j++) {
            if (zeroChunk && j / L == 1) continue;
            if (random.nextBoolean()) x[j] = random.nextBoolean() ? random.nextInt(1, 256) / 256.0 : random.nextDouble() * 3 - 1;
        }
        return x;
    }

    private static int[] nonzeroChunks(double[] x) {
        return IntStream.range(0, Math.ceilDiv(x.length, L)).map(c -> c * L)
                .filter(c -> IntStream.range(c, Math.min(x.length, c + L)).anyMatch(j -> x[j] != 0)).toArray();
    }

    /** Lane r sums {@code w·x} over features c + r of the nonzero chunks c by fused multiply-add; then the lanes in order. */
    private static double[] scalarScores(double[][] w, double[] x) {
        int[] chunks = nonzeroChunks(x);
        double[] z = new double[w.length];
        for (int k = 0; k < w.length; k++) {
            double[] lanes = new double[L];
            for (int c : chunks) {
                for (int r = 0; r < L && c + r < x.length; r++) lanes[r] = Math.fma(w[k][c + r], x[c + r], lanes[r]);
            }
            double sum = lanes[0];
            for (int r = 1; r < L; r++) sum += lanes[r];
            z[k] = sum;
        }
        return z;
    }
}
