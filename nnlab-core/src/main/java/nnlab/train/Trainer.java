package nnlab.train;

import java.util.Map;
import nnlab.data.DataLoader;
import nnlab.data.Examples;
import nnlab.metrics.EpochRecord;
import nnlab.metrics.History;
import nnlab.metrics.Metrics;
import nnlab.nn.Reduction;
import nnlab.nn.Module;
import nnlab.optim.Optimizer;
import nnlab.train.fused.FusedSteps;
import nnlab.tensor.Autograd;
import nnlab.tensor.Tensor;
import nnlab.tensor.Workspace;

/**
 * The training loop of the autodiff track, for classifiers trained with a {@link Criterion}
 * (cross-entropy unless told otherwise): each epoch
 * one {@link Step} per batch (reshuffled every epoch), then the mean batch loss, the running training
 * accuracy (the predictions made during the epoch's steps, dropout on) and an evaluation on dev in
 * eval mode without gradients. Which step runs is chosen once per run ({@link #plan}): a fused step
 * where one recognises the model and optimiser, else the graph step.
 *
 * <p>A loss that becomes NaN or infinite stops the run ({@link Outcome#diverged()}). With early
 * stopping, the run stops after {@code patience} epochs without a better dev accuracy and the best
 * model's parameters are restored, not the last ones.
 */
public final class Trainer {
    private final int epochs;
    private final Integer patience;
    private final Listener listener;
    private final boolean fused;
    private final Criterion criterion;

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
     * @param step          the step the run took and why ({@link Step.Plan#description()})
     */
    public record Outcome(History history, boolean diverged, int divergedEpoch, EpochRecord best,
                          Map<String, Tensor> bestState, boolean stoppedEarly, double trainSeconds, String step) {}

    /** Loss and accuracy of a model on a set of examples. */
    public record Evaluation(double loss, double accuracy) {}

    /**
     * @param epochs   number of epochs (≥ 1)
     * @param patience early-stopping patience in epochs, or null for none
     */
    public Trainer(int epochs, Integer patience, Listener listener) {
        this(epochs, patience, listener, true, Criterion.CROSS_ENTROPY);
    }

    private Trainer(int epochs, Integer patience, Listener listener, boolean fused, Criterion criterion) {
        if (epochs < 1) throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
        if (patience != null && patience < 1) throw new IllegalArgumentException("early-stopping patience must be at least 1, got " + patience);
        this.epochs = epochs;
        this.patience = patience;
        this.listener = listener == null ? new Listener() {} : listener;
        this.fused = fused;
        this.criterion = criterion;
    }

    /**
     * Whether a fused step may run where one recognises the model (on by default; the same
     * computation without the graph). Off, every run takes the graph step, for comparison.
     */
    public Trainer withFusedSteps(boolean enabled) {
        return new Trainer(epochs, patience, listener, enabled, criterion);
    }

    /** The loss to train and evaluate on: what the model's outputs call for (cross-entropy of scores by default). */
    public Trainer withCriterion(Criterion criterion) {
        return new Trainer(epochs, patience, listener, fused, criterion);
    }

    /** The loss this trainer trains and evaluates on. */
    public Criterion criterion() {
        return criterion;
    }

    /** The step {@link #fit} takes for this model, optimiser and data, and why. */
    public Step.Plan plan(Module model, Optimizer optimizer, DataLoader train) {
        return fused ? FusedSteps.plan(model, optimizer, train, criterion)
                : new Step.Plan(new GraphStep(model, optimizer, train, criterion), "graph: fused steps turned off");
    }

    public Outcome fit(Module model, Optimizer optimizer, DataLoader train, Examples dev) {
        return fit(model, plan(model, optimizer, train), train, dev);
    }

    /** Trains with the step of {@code plan} (made by {@link #plan} for this model and data). */
    public Outcome fit(Module model, Step.Plan plan, DataLoader train, Examples dev) {
        requireExamples(train.examples(), "the training split");
        requireExamples(dev, "the dev split (evaluated after every epoch)");
        Selection run = new Selection(model, patience, plan.description());
        for (int epoch = 1; epoch <= epochs; epoch++) {
            model.train();
            EpochRecord record = trainEpoch(plan.step(), train, epoch);
            if (diverged(record, train.examples().classes())) return run.diverged(record);
            Evaluation d = evaluate(model, dev, criterion);
            record = record.withDev(d.loss(), d.accuracy());
            listener.onEpoch(record);
            if (run.add(record)) return run.stopEarly();
        }
        return run.finish();
    }

    /**
     * Whether an epoch's training went off the rails: its loss is NaN or infinite, or it exploded —
     * more than {@value #EXPLODED} times the loss of guessing uniformly (ln of the classes) while the
     * running accuracy stays near chance (below twice 1/classes). A learning rate far too large
     * (lr 10⁶) gives losses of 10³⁰ at chance accuracy that stay finite; a large loss early in a run
     * that learns (big initial weights) keeps its accuracy above chance and is not stopped.
     */
    static boolean diverged(EpochRecord record, int classes) {
        double loss = record.trainLoss();
        if (!Double.isFinite(loss)) return true;
        double chance = 1.0 / Math.max(2, classes);
        return loss > EXPLODED * Math.log(Math.max(2, classes)) && !(record.trainAccuracy() >= 2 * chance);
    }

    /** See {@link #diverged}. */
    static final double EXPLODED = 100;

    /**
     * One pass over the training set in a fresh order, one {@link Step} per batch: the epoch's
     * record with its mean batch loss, running accuracy and seconds, or, when a batch's loss is not
     * finite, that loss (and the epoch ends there).
     */
    private EpochRecord trainEpoch(Step step, DataLoader train, int epoch) {
        long start = System.nanoTime();
        int[] order = train.nextOrder();
        double lossSum = 0;
        long correct = 0;
        int batches = 0;
        for (int from = 0; from < order.length; from += train.batchSize()) {
            int to = Math.min(order.length, from + train.batchSize());
            double loss = step.run(order, from, to);
            if (!Double.isFinite(loss)) {
                return EpochRecord.of(epoch).withTrain(loss, Double.NaN).withSeconds((System.nanoTime() - start) / 1e9);
            }
            lossSum += loss;
            correct += step.correct();
            listener.onBatch(epoch, ++batches, train.batches(), to);
        }
        return EpochRecord.of(epoch).withTrain(lossSum / batches, (double) correct / train.size())
                .withSeconds((System.nanoTime() - start) / 1e9);
    }

    /**
     * What the epochs add up to: the history, the epoch with the best dev accuracy and its
     * parameters, the epochs since it (for early stopping), the training seconds.
     */
    private static final class Selection {
        private final Module model;
        private final Integer patience;
        private final String step;
        private final History history = new History();
        private EpochRecord best;
        private Map<String, Tensor> bestState;
        private int sinceBest;
        private double seconds;

        Selection(Module model, Integer patience, String step) {
            this.model = model;
            this.patience = patience;
            this.step = step;
            this.bestState = model.stateDict();
        }

        /** Records a finished epoch; true when early stopping ends the run here. */
        boolean add(EpochRecord record) {
            history.add(record);
            seconds += record.seconds();
            if (best == null || record.devAccuracy() > best.devAccuracy()) {
                best = record;
                bestState = model.stateDict();
                sinceBest = 0;
                return false;
            }
            return patience != null && ++sinceBest >= patience;
        }

        Outcome diverged(EpochRecord record) {
            history.add(record);
            return new Outcome(history, true, record.epoch(), best, bestState, false, seconds + record.seconds(), step);
        }

        /** Early stopping restores the best epoch's parameters, not the last ones. */
        Outcome stopEarly() {
            model.loadStateDict(bestState);
            return new Outcome(history, false, 0, best, bestState, true, seconds, step);
        }

        Outcome finish() {
            if (patience != null) model.loadStateDict(bestState);
            return new Outcome(history, false, 0, best, bestState, false, seconds, step);
        }
    }

    /** Mean cross-entropy and accuracy: {@link #evaluate(Module, Examples, Criterion)} of a model whose outputs are scores. */
    public static Evaluation evaluate(Module model, Examples examples) {
        return evaluate(model, examples, Criterion.CROSS_ENTROPY);
    }

    /**
     * Mean loss and accuracy, in eval mode without gradients, a chunk of examples at a time. The
     * first chunk has {@value #FIRST_CHUNK} examples; the rest as many as keep the model's largest
     * tensor near {@value #CHUNK_VALUES} values (at least {@value #FIRST_CHUNK}, at most {@value #MAX_CHUNK}
     * examples): 668 rows for an MLP on 784 features, 83 images for the course's CNN, whose first
     * convolution makes 6,272 values of each image. Larger chunks of images were slower and, allocated anew
     * per chunk, filled the old generation with 25 MB tensors. Chunks reuse the last one's storage
     * where the model allows ({@link Workspace}).
     */
    public static Evaluation evaluate(Module model, Examples examples, Criterion criterion) {
        requireExamples(examples, "nothing to evaluate: the split");
        boolean wasTraining = model.isTraining();
        model.eval();
        DataLoader loader = new DataLoader(examples, MAX_CHUNK, false, null);
        // The first chunk's workspace only measures: none of its arrays is handed out again, so a model that
        // keeps a tensor loses nothing; later chunks reuse storage only for models that keep none.
        // Called inside a step of the caller's own (a loop of one's own that evaluates as it trains), every
        // tensor is that step's, and the chunks are measured from the input alone.
        boolean free = !Workspace.inStep();
        Workspace first = free ? new Workspace() : null;
        Workspace reused = free && model.keepsNoStepTensors() ? new Workspace() : null;
        double loss = 0;
        int correct = 0;
        try (var scope = Autograd.noGrad()) {
            int chunk = FIRST_CHUNK;
            for (int from = 0; from < examples.n(); ) {
                int size = Math.min(chunk, examples.n() - from);
                int[] rows = new int[size];
                for (int i = 0; i < size; i++) rows[i] = from + i;
                Workspace workspace = from == 0 ? first : reused;
                try (var step = workspace == null ? null : workspace.step()) {
                    DataLoader.Batch batch = loader.batch(rows);
                    Tensor logits = model.forward(batch.x());
                    loss += criterion.loss(logits, batch.labels(), Reduction.SUM).item();
                    correct += Metrics.correct(logits.argmax(1), batch.labels());
                }
                if (from == 0) {
                    long largest = first == null ? 0 : first.largest();
                    long perExample = Math.max(1, Math.max(largest, (long) examples.features() * size) / size);
                    chunk = (int) Math.clamp(CHUNK_VALUES / perExample, FIRST_CHUNK, MAX_CHUNK);
                }
                from += size;
            }
        } finally {
            model.train(wasTraining);
        }
        return new Evaluation(loss / examples.n(), (double) correct / examples.n());
    }

    /** A mean over no examples is 0/0: refused by name rather than returned as a NaN loss and accuracy. */
    private static void requireExamples(Examples examples, String what) {
        if (examples.n() == 0) {
            throw new IllegalArgumentException(what + " is empty (0 examples of " + examples.features()
                    + " features); pass a split with at least one example");
        }
    }

    static final int FIRST_CHUNK = 64, MAX_CHUNK = 1000;
    /** Two megabytes of float32 values: a chunk's activations stay in the cache from layer to layer. */
    static final long CHUNK_VALUES = 1L << 19;
}
