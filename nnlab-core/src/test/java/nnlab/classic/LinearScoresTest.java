package nnlab.classic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The SIMD layout of W (main plane, tail plane, padding) against the scalar formulas on a plain
 * classes × features array, bit for bit, for every class count from 1 to 19: whichever way the
 * classes are split over vectors, each score is the same sum in the same order and each update rounds as the formula reads.
 */
class LinearScoresTest {
    private static final int FEATURES = 13;

    static IntStream classCounts() {
        return IntStream.rangeClosed(1, 19);
    }

    @ParameterizedTest(name = "{0} classes")
    @MethodSource("classCounts")
    void scoresAndUpdatesEqualTheScalarFormulas(int classes) {
        LinearScores scores = new LinearScores(FEATURES, classes);
        double[][] w = new double[classes][FEATURES];
        SplittableRandom random = new SplittableRandom(classes);
        double[] g = new double[scores.stride];
        for (int step = 0; step < 60; step++) {
            double[] x = example(random);
            // The nonzeros placed after two dummy entries, as a later row of a sparse matrix is.
            int[] index = new int[FEATURES + 2];
            double[] value = new double[FEATURES + 2];
            index[0] = 5;
            value[0] = 0.75;
            index[1] = 7;
            value[1] = -2;
            int nonzeros = 0;
            for (int j = 0; j < FEATURES; j++) {
                if (x[j] != 0) {
                    index[2 + nonzeros] = j;
                    value[2 + nonzeros++] = x[j];
                }
            }
            String where = classes + " classes, step " + step;

            double[] expected = scalarScores(w, x);
            double[] actual = Arrays.copyOf(scores.sparse(index, value, 2, 2 + nonzeros), classes);
            assertArrayEquals(expected, actual, where + ": sparse scores");
            assertArrayEquals(expected, Arrays.copyOf(scores.dense(x, 0), classes), where + ": dense scores");

            switch (step % 3) {
                case 0 -> { // perceptron move, up and down anywhere (main plane, tail plane, same vector or not)
                    int up = random.nextInt(classes);
                    int down = random.nextInt(classes);
                    if (up == down) break;
                    scores.move(up, down, index, value, 2, 2 + nonzeros);
                    for (int j = 0; j < FEATURES; j++) {
                        w[up][j] += x[j];
                        w[down][j] -= x[j];
                    }
                }
                case 1 -> { // logistic regression step without penalty
                    double eta = 0.01 + random.nextDouble();
                    for (int k = 0; k < classes; k++) g[k] = random.nextDouble() - 0.5;
                    scores.descend(g, eta, index, value, 2, 2 + nonzeros);
                    for (int k = 0; k < classes; k++) {
                        for (int j = 0; j < FEATURES; j++) {
                            if (x[j] != 0) w[k][j] -= g[k] * x[j] * eta;
                        }
                    }
                }
                default -> { // with an L2 penalty: every weight moves
                    double eta = 0.01 + random.nextDouble();
                    double lambda = random.nextDouble();
                    for (int k = 0; k < classes; k++) g[k] = random.nextDouble() - 0.5;
                    scores.descend(g, eta, lambda, x, 0);
                    for (int k = 0; k < classes; k++) {
                        for (int j = 0; j < FEATURES; j++) w[k][j] -= (g[k] * x[j] + w[k][j] * lambda) * eta;
                    }
                }
            }
            double[] flat = new double[classes * FEATURES];
            double squares = 0;
            for (int k = 0; k < classes; k++) {
                System.arraycopy(w[k], 0, flat, k * FEATURES, FEATURES);
                for (double v : w[k]) squares += v * v;
            }
            assertArrayEquals(flat, scores.weights(), where + ": weights");
            assertEquals(Math.sqrt(squares), scores.frobeniusNorm(), 1e-12 * Math.sqrt(squares), where + ": norm");
        }
    }

    /** About half zeros, like an image; values k/256 and some arbitrary doubles. */
    private static double[] example(SplittableRandom random) {
        double[] x = new double[FEATURES];
        for (int j = 0; j < FEATURES; j++) {
            if (random.nextBoolean()) x[j] = random.nextBoolean() ? random.nextInt(1, 256) / 256.0 : random.nextDouble() * 3 - 1;
        }
        return x;
    }

    private static double[] scalarScores(double[][] w, double[] x) {
        double[] z = new double[w.length];
        for (int k = 0; k < w.length; k++) {
            double sum = 0;
            for (int j = 0; j < x.length; j++) {
                if (x[j] != 0) sum += w[k][j] * x[j];
            }
            z[k] = sum;
        }
        return z;
    }
}
