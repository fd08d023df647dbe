package nnlab.train;

import java.util.Map;
import nnlab.data.DataLoader;
import nnlab.data.Examples;
import nnlab.metrics.EpochRecord;
import nnlab.metrics.History;
import nnlab.nn.CrossEntropyLoss;
import nnlab.nn.Module;
import nnlab.optim.Optimizer;
import nnlab.tensor.Autograd;
import nnlab.tensor.Tensor;

/**
 * The training loop of the autodiff track, for classifiers trained with cross-entropy:
 * <pre>
 *   for each epoch:
 *     model.train()
 *     for each batch (reshuffled every epoch):
 *       optimizer.zeroGrad(); loss = crossEntropy(model(x), y); loss.backward(); optimizer.step()
 *     record the mean batch loss and the running training accuracy (the predictions made during
 *     the epoch's steps, dropout on), then evaluate on dev in eval mode without gradients
 * </pre>
 * A loss that becomes NaN or infinite stops the run ({@link Outcome#diverged()}). With early stopping,
 * the run stops after {@code patience} epochs without a better dev accuracy and the best model's
 * parameters are restored, not the last ones.
 */
public final class Trainer {
    private static final int EVAL_BATCH = 1000;

    private final int epochs;
    private final Integer patience;
    private final Listener listener;
    private final boolean fused;

    /** Hears about progress: after each batch (for progress bars) and after each epoch. */
    public interface Listener {
        default void onBatch(int epoch, int batchesDone, int batchesTotal, int examplesDone) {}

        default void onEpoch(EpochRecord record) {}
    }

    /**
     * What a run ended with.
     *
     * @param history       one record per finished epoch
     * @param diverged      the loss became NaN or infinite
     * @param divergedEpoch the epoch it happened in, or 0
     * @param best          the epoch with the best dev accuracy (its parameters are in {@code bestState})
     * @param bestState     the parameters of that epoch
     * @param stoppedEarly  early stopping ended the run
     * @param trainSeconds  seconds spent in training passes
     */
    public record Outcome(History history, boolean diverged, int divergedEpoch, EpochRecord best,
                          Map<String, Tensor> bestState, boolean stoppedEarly, double trainSeconds) {}

    /** Loss and accuracy of a model on a set of examples. */
    public record Evaluation(double loss, double accuracy) {}

    /**
     * @param epochs   number of epochs (≥ 1)
     * @param patience early-stopping patience in epochs, or null for none
     */
    public Trainer(int epochs, Integer patience, Listener listener) {
        if (epochs < 1) throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
        if (patience != null && patience < 1) throw new IllegalArgumentException("early-stopping patience must be at least 1, got " + patience);
        this.epochs = epochs;
        this.patience = patience;
        this.listener = listener == null ? new Listener() {} : listener;
        this.fused = true;
    }

    private Trainer(Trainer base, boolean fused) {
        this.epochs = base.epochs;
        this.patience = base.patience;
        this.listener = base.listener;
        this.fused = fused;
    }

    /**
     * Whether batch-1 SGD steps of a plain feed-forward classifier may use the fused step (on by
     * default; the same computation without the graph). Off, every step takes the generic path.
     */
    public Trainer withFusedSteps(boolean enabled) {
        return new Trainer(this, enabled);
    }

    public Outcome fit(Module model, Optimizer optimizer, DataLoader train, Examples dev) {
        CrossEntropyLoss criterion = new CrossEntropyLoss();
        History history = new History();
        EpochRecord best = null;
        Map<String, Tensor> bestState = model.stateDict();
        double trainSeconds = 0;
        int sinceBest = 0;
        FusedStep fast = fused ? FusedStep.forModel(model, optimizer, train.examples(), train.batchSize()) : null;
        for (int epoch = 1; epoch <= epochs; epoch++) {
            model.train();
            long start = System.nanoTime();
            double lossSum = 0;
            int batches = 0, seen = 0;
            long correct = 0; // running training accuracy: predictions made during the epoch's steps
            if (fast != null) {
                // The fused step reads the examples in place: nothing is allocated per step.
                float[] x = train.featureData();
                int[] labels = train.examples().labels();
                int[] order = train.nextOrder();
                for (int from = 0; from < order.length; from += train.batchSize()) {
                    int to = Math.min(order.length, from + train.batchSize());
                    double value = fast.step(x, order, from, to, labels);
                    correct = correct >= 0 && fast.correct() >= 0 ? correct + fast.correct() : -1;
                    if (!Double.isFinite(value)) {
                        return diverged(history, epoch, value, best, bestState, trainSeconds + (System.nanoTime() - start) / 1e9);
                    }
                    lossSum += value;
                    batches++;
                    listener.onBatch(epoch, batches, train.batches(), to);
                }
            } else {
                for (DataLoader.Batch batch : train.epoch()) {
                    optimizer.zeroGrad();
                    Tensor logits = model.forward(batch.x());
                    Tensor loss = criterion.forward(logits, batch.labels());
                    double value = loss.item();
                    int[] predicted = logits.argmax(1);
                    for (int i = 0; i < predicted.length; i++) if (predicted[i] == batch.labels()[i]) correct++;
                    if (!Double.isFinite(value)) {
                        return diverged(history, epoch, value, best, bestState, trainSeconds + (System.nanoTime() - start) / 1e9);
                    }
                    loss.backward();
                    optimizer.step();
                    lossSum += value;
                    batches++;
                    seen += batch.size();
                    listener.onBatch(epoch, batches, train.batches(), seen);
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            trainSeconds += seconds;
            Evaluation d = evaluate(model, dev);
            double trainAccuracy = correct >= 0 ? (double) correct / train.size() : Double.NaN;
            EpochRecord record = EpochRecord.of(epoch).withTrain(lossSum / batches, trainAccuracy)
                    .withDev(d.loss(), d.accuracy()).withSeconds(seconds);
            history.add(record);
            listener.onEpoch(record);
            if (best == null || d.accuracy() > best.devAccuracy()) {
                best = record;
                bestState = model.stateDict();
                sinceBest = 0;
            } else if (patience != null && ++sinceBest >= patience) {
                model.loadStateDict(bestState);
                return new Outcome(history, false, 0, best, bestState, true, trainSeconds);
            }
        }
        if (patience != null) model.loadStateDict(bestState);
        return new Outcome(history, false, 0, best, bestState, false, trainSeconds);
    }

    private static Outcome diverged(History history, int epoch, double loss, EpochRecord best,
                                    Map<String, Tensor> bestState, double trainSeconds) {
        history.add(EpochRecord.of(epoch).withTrain(loss, Double.NaN));
        return new Outcome(history, true, epoch, best, bestState, false, trainSeconds);
    }

    /** Mean cross-entropy and accuracy, in eval mode without gradients, in chunks to bound memory. */
    public static Evaluation evaluate(Module model, Examples examples) {
        boolean wasTraining = model.isTraining();
        model.eval();
        DataLoader loader = new DataLoader(examples, EVAL_BATCH, false, null);
        CrossEntropyLoss criterion = new CrossEntropyLoss(nnlab.nn.Reduction.SUM);
        double loss = 0;
        int correct = 0;
        try (var scope = Autograd.noGrad()) {
            for (DataLoader.Batch batch : loader.epoch()) {
                Tensor logits = model.forward(batch.x());
                loss += criterion.forward(logits, batch.labels()).item();
                int[] predicted = logits.argmax(1);
                for (int i = 0; i < predicted.length; i++) if (predicted[i] == batch.labels()[i]) correct++;
            }
        } finally {
            model.train(wasTraining);
        }
        return new Evaluation(loss / examples.n(), (double) correct / examples.n());
    }
}
