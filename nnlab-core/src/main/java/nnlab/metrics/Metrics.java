package nnlab.metrics;

/** Accuracy and root mean squared error, as the course's {@code evaluate} methods compute them. */
public final class Metrics {
    private Metrics() {}

    /**
     * Fraction of predictions equal to the labels: {@code mean(predicted == labels)}.
     *
     * @throws IllegalArgumentException if the lengths differ or are zero
     */
    public static double accuracy(int[] predicted, int[] labels) {
        checkLengths(predicted.length, labels.length);
        return (double) correct(predicted, labels) / labels.length;
    }

    /**
     * How many predictions equal their labels: what a loop that adds up accuracy batch by batch counts.
     *
     * @throws IllegalArgumentException if the lengths differ
     */
    public static int correct(int[] predicted, int[] labels) {
        if (predicted.length != labels.length) {
            throw new IllegalArgumentException(predicted.length + " predictions for " + labels.length + " labels");
        }
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            if (predicted[i] == labels[i]) correct++;
        }
        return correct;
    }

    /**
     * Root mean squared error {@code sqrt(Σ (predicted − targets)² / n)}, the course's regression
     * "loss".
     *
     * @throws IllegalArgumentException if the lengths differ or are zero
     */
    public static double rootMeanSquaredError(double[] predicted, double[] targets) {
        checkLengths(predicted.length, targets.length);
        double sum = 0;
        for (int i = 0; i < targets.length; i++) {
            double error = predicted[i] - targets[i];
            sum += error * error;
        }
        return Math.sqrt(sum / targets.length);
    }

    private static void checkLengths(int predicted, int truth) {
        if (predicted != truth || truth == 0) {
            throw new IllegalArgumentException("need as many predictions as true values, and at least one: got "
                    + predicted + " predictions for " + truth + " values");
        }
    }

    /** counts[actual][predicted] over {@code classes} classes. */
    public static int[][] confusionMatrix(int[] predicted, int[] labels, int classes) {
        checkLengths(predicted.length, labels.length);
        int[][] m = new int[classes][classes];
        for (int i = 0; i < labels.length; i++) m[labels[i]][predicted[i]]++;
        return m;
    }
}
