package nnlab.metrics;

/** Plain figures of merit on arrays. */
public final class Metrics {
    private Metrics() {}

    /** Fraction of positions where predicted equals actual. */
    public static double accuracy(int[] predicted, int[] actual) {
        if (predicted.length != actual.length) {
            throw new IllegalArgumentException(predicted.length + " predictions for " + actual.length + " labels");
        }
        if (actual.length == 0) return Double.NaN;
        int correct = 0;
        for (int i = 0; i < actual.length; i++) if (predicted[i] == actual[i]) correct++;
        return (double) correct / actual.length;
    }

    /** Root mean squared error √(Σ(ŷ − y)² / n). */
    public static double rootMeanSquaredError(double[] predicted, double[] actual) {
        if (predicted.length != actual.length) {
            throw new IllegalArgumentException(predicted.length + " predictions for " + actual.length + " targets");
        }
        double s = 0;
        for (int i = 0; i < actual.length; i++) s += (predicted[i] - actual[i]) * (predicted[i] - actual[i]);
        return Math.sqrt(s / actual.length);
    }

    /** counts[actual][predicted]. */
    public static int[][] confusionMatrix(int[] predicted, int[] actual, int classes) {
        int[][] m = new int[classes][classes];
        for (int i = 0; i < actual.length; i++) m[actual[i]][predicted[i]]++;
        return m;
    }
}
