package nnlab.metrics;

/**
 * The figures of one epoch, one row of {@code metrics.csv}. A figure that does not apply to a run
 * (dev loss of a perceptron, distance to the analytic solution of a classifier) is NaN and is written
 * as an empty cell.
 *
 * @param epoch          1-based epoch number (0 for the state before training)
 * @param trainLoss      mean training loss over this epoch's batches (RMSE for regression)
 * @param trainAccuracy       training accuracy
 * @param devLoss        loss on the dev (validation) set
 * @param devAccuracy         accuracy on the dev set
 * @param testLoss       loss (RMSE for regression) on the test set
 * @param testAccuracy        accuracy on the test set
 * @param weightNorm     Frobenius norm of the weights
 * @param distanceToAnalytic ‖w − w*‖ to the closed-form solution (linear regression)
 * @param seconds        wall-clock seconds of this epoch's training pass
 */
public record EpochRecord(int epoch, double trainLoss, double trainAccuracy, double devLoss, double devAccuracy,
                          double testLoss, double testAccuracy, double weightNorm, double distanceToAnalytic,
                          double seconds) {

    /** The column names of {@code metrics.csv}, in order. */
    public static final String[] COLUMNS = {"epoch", "train_loss", "train_acc", "dev_loss", "dev_acc", "test_loss",
        "test_acc", "weight_norm", "dist_to_analytic", "seconds"};

    /** A record with only the epoch set; fill the rest with the {@code with…} methods. */
    public static EpochRecord of(int epoch) {
        double n = Double.NaN;
        return new EpochRecord(epoch, n, n, n, n, n, n, n, n, n);
    }

    public EpochRecord withTrain(double loss, double acc) {
        return new EpochRecord(epoch, loss, acc, devLoss, devAccuracy, testLoss, testAccuracy, weightNorm, distanceToAnalytic, seconds);
    }

    public EpochRecord withDev(double loss, double acc) {
        return new EpochRecord(epoch, trainLoss, trainAccuracy, loss, acc, testLoss, testAccuracy, weightNorm, distanceToAnalytic, seconds);
    }

    public EpochRecord withTest(double loss, double acc) {
        return new EpochRecord(epoch, trainLoss, trainAccuracy, devLoss, devAccuracy, loss, acc, weightNorm, distanceToAnalytic, seconds);
    }

    public EpochRecord withWeightNorm(double norm) {
        return new EpochRecord(epoch, trainLoss, trainAccuracy, devLoss, devAccuracy, testLoss, testAccuracy, norm, distanceToAnalytic, seconds);
    }

    public EpochRecord withDistToAnalytic(double distance) {
        return new EpochRecord(epoch, trainLoss, trainAccuracy, devLoss, devAccuracy, testLoss, testAccuracy, weightNorm, distance, seconds);
    }

    public EpochRecord withSeconds(double s) {
        return new EpochRecord(epoch, trainLoss, trainAccuracy, devLoss, devAccuracy, testLoss, testAccuracy, weightNorm, distanceToAnalytic, s);
    }

    /** The values in {@link #COLUMNS} order. */
    public double[] values() {
        return new double[] {epoch, trainLoss, trainAccuracy, devLoss, devAccuracy, testLoss, testAccuracy, weightNorm, distanceToAnalytic, seconds};
    }

    /** The record whose values are {@code v}, in {@link #COLUMNS} order (as read back from a file). */
    public static EpochRecord fromValues(double[] v) {
        if (v.length != COLUMNS.length) {
            throw new IllegalArgumentException("an epoch record has " + COLUMNS.length + " values, got " + v.length);
        }
        return new EpochRecord((int) v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9]);
    }
}
