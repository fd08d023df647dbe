package nnlab.metrics;

/**
 * The figures of one training epoch, one row of a run's {@code metrics.csv} (columns
 * {@code epoch,train_loss,train_acc,dev_loss,dev_acc,test_loss,test_acc,weight_norm,
 * dist_to_analytic,seconds}). A figure that does not apply is {@code NaN} (an empty cell).
 *
 * <p>For regression the losses are RMSEs, as the course reports them.
 *
 * @param epoch              1-based epoch number (0 for the state before training)
 * @param trainLoss          training loss as the model reports it, or the train RMSE for regression
 * @param trainAccuracy      accuracy on the training set after the epoch
 * @param devLoss            loss on the dev set
 * @param devAccuracy        accuracy on the dev set
 * @param testLoss           loss on the test set (test RMSE for regression)
 * @param testAccuracy       accuracy on the test set
 * @param weightNorm         Frobenius norm of the weights, where recorded
 * @param distanceToAnalytic Euclidean distance from the weights to the closed-form solution
 * @param seconds            wall-clock seconds of the training pass (shuffle and updates, no evaluation)
 */
public record EpochRecord(int epoch, double trainLoss, double trainAccuracy, double devLoss, double devAccuracy,
                          double testLoss, double testAccuracy, double weightNorm, double distanceToAnalytic,
                          double seconds) {
}
