package nnlab.theory;

import java.util.random.RandomGenerator;

/** Random points for the checks, always from a generator the caller passes. */
final class Samples {
    private Samples() {}

    /** n values from N(0, sd²). */
    static double[] gaussian(RandomGenerator rng, int n, double sd) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = sd * rng.nextGaussian();
        return x;
    }

    /** n labels uniform in 0..classes−1. */
    static int[] labels(RandomGenerator rng, int n, int classes) {
        int[] y = new int[n];
        for (int i = 0; i < n; i++) y[i] = rng.nextInt(classes);
        return y;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }
}
