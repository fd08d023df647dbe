package nnlab.tensor.kernel;

/**
 * Reductions along one axis. The input is viewed as [outer, n, inner] (row-major) and the output as
 * [outer, inner]. float sums accumulate in double, so long sums lose no precision.
 */
public final class Reduce {
    private Reduce() {}

    /** out[o, i] = Σ_j x[o, j, i]. */
    public static void sum(float[] x, int outer, int n, int inner, float[] out) {
        double[] acc = new double[inner];
        for (int o = 0; o < outer; o++) {
            java.util.Arrays.fill(acc, 0);
            int base = o * n * inner;
            for (int j = 0; j < n; j++) {
                int row = base + j * inner;
                for (int i = 0; i < inner; i++) acc[i] += x[row + i];
            }
            for (int i = 0; i < inner; i++) out[o * inner + i] = (float) acc[i];
        }
    }

    /** out[o, i] = Σ_j x[o, j, i]. */
    public static void sum(double[] x, int outer, int n, int inner, double[] out) {
        for (int o = 0; o < outer; o++) {
            int base = o * n * inner;
            for (int i = 0; i < inner; i++) out[o * inner + i] = 0;
            for (int j = 0; j < n; j++) {
                int row = base + j * inner;
                for (int i = 0; i < inner; i++) out[o * inner + i] += x[row + i];
            }
        }
    }

    /**
     * argmax[o, i] = the first j with the largest x[o, j, i] (NaN counts as largest, as in NumPy);
     * out[o, i] = that value. {@code out} may be null when only the indices are wanted.
     */
    public static void max(float[] x, int outer, int n, int inner, float[] out, int[] argmax) {
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int base = o * n * inner + i;
                int best = 0;
                float bestValue = x[base];
                for (int j = 1; j < n && !Float.isNaN(bestValue); j++) {
                    float v = x[base + j * inner];
                    if (v > bestValue || Float.isNaN(v)) {
                        best = j;
                        bestValue = v;
                    }
                }
                if (out != null) out[o * inner + i] = bestValue;
                argmax[o * inner + i] = best;
            }
        }
    }

    /** Double version of {@link #max(float[], int, int, int, float[], int[])}. */
    public static void max(double[] x, int outer, int n, int inner, double[] out, int[] argmax) {
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int base = o * n * inner + i;
                int best = 0;
                double bestValue = x[base];
                for (int j = 1; j < n && !Double.isNaN(bestValue); j++) {
                    double v = x[base + j * inner];
                    if (v > bestValue || Double.isNaN(v)) {
                        best = j;
                        bestValue = v;
                    }
                }
                if (out != null) out[o * inner + i] = bestValue;
                argmax[o * inner + i] = best;
            }
        }
    }

    /**
     * Log-softmax along the middle axis, stable: out = x − (m + log Σ exp(x − m)) with m the maximum.
     */
    public static void logSoftmax(float[] x, int outer, int n, int inner, float[] out) {
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int base = o * n * inner + i;
                float m = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < n; j++) m = Math.max(m, x[base + j * inner]);
                double s = 0;
                for (int j = 0; j < n; j++) s += Math.exp(x[base + j * inner] - m);
                float lse = (float) (m + Math.log(s));
                for (int j = 0; j < n; j++) out[base + j * inner] = x[base + j * inner] - lse;
            }
        }
    }

    /** Double version of {@link #logSoftmax(float[], int, int, int, float[])}. */
    public static void logSoftmax(double[] x, int outer, int n, int inner, double[] out) {
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int base = o * n * inner + i;
                double m = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < n; j++) m = Math.max(m, x[base + j * inner]);
                double s = 0;
                for (int j = 0; j < n; j++) s += Math.exp(x[base + j * inner] - m);
                double lse = m + Math.log(s);
                for (int j = 0; j < n; j++) out[base + j * inner] = x[base + j * inner] - lse;
            }
        }
    }
}
