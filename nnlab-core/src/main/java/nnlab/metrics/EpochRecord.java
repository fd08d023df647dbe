package nnlab.metrics;

/**
 * The figures of one epoch, one row of {@code metrics.csv}. A figure that does not apply to a run
 * (dev loss of a perceptron, distance to the analytic solution of a classifier) is NaN and is written
 * as an empty cell.
 *
 * @param epoch          1-based epoch number (0 for the state before training)
 * @param trainLoss      mean training loss over this epoch's batches (RMSE for regression)
 * @param trainAcc       training accuracy
 * @param devLoss        loss on the dev (validation) set
 * @param devAcc         accuracy on the dev set
 * @param testLoss       loss (RMSE for regression) on the test set
 * @param testAcc        accuracy on the test set
 * @param weightNorm     Frobenius norm of the weights
 * @param distToAnalytic ‖w − w*‖ to the closed-form solution (linear regression)
 * @param seconds        wall-clock seconds of this epoch's training pass
 */
public record EpochRecord(int epoch, double trainLoss, double trainAcc, double devLoss, double devAcc,
                          double testLoss, double testAcc, double weightNorm, double distToAnalytic,
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
        return new EpochRecord(epoch, loss, acc, devLoss, devAcc, testLoss, testAcc, weightNorm, distToAnalytic, seconds);
    }

    public EpochRecord withDev(double loss, double acc) {
        return new EpochRecord(epoch, trainLoss, trainAcc, loss, acc, testLoss, testAcc, weightNorm, distToAnalytic, seconds);
    }

    public EpochRecord withTest(double loss, double acc) {
        return new EpochRecord(epoch, trainLoss, trainAcc, devLoss, devAcc, loss, acc, weightNorm, distToAnalytic, seconds);
    }

    public EpochRecord withWeightNorm(double norm) {
        return new EpochRecord(epoch, trainLoss, trainAcc, devLoss, devAcc, testLoss, testAcc, norm, distToAnalytic, seconds);
    }

    public EpochRecord withDistToAnalytic(double distance) {
        return new EpochRecord(epoch, trainLoss, trainAcc, devLoss, devAcc, testLoss, testAcc, weightNorm, distance, seconds);
    }

    public EpochRecord withSeconds(double s) {
        return new EpochRecord(epoch, trainLoss, trainAcc, devLoss, devAcc, testLoss, testAcc, weightNorm, distToAnalytic, s);
    }

    /** The values in {@link #COLUMNS} order. */
    public double[] values() {
        return new double[] {epoch, trainLoss, trainAcc, devLoss, devAcc, testLoss, testAcc, weightNorm, distToAnalytic, seconds};
    }

    /** The record whose values are {@code v}, in {@link #COLUMNS} order (as read back from a file). */
    public static EpochRecord fromValues(double[] v) {
        if (v.length != COLUMNS.length) {
            throw new IllegalArgumentException("an epoch record has " + COLUMNS.length + " values, got " + v.length);
        }
        return new EpochRecord((int) v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9]);
    }
}
