package nnlab.classic;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import nnlab.data.CourseData;
import nnlab.data.Examples;
import nnlab.metrics.EpochRecord;
import nnlab.metrics.Metrics;
import nnlab.random.RandomState;

/**
 * The course's numpy training loop (hw1-q1/q2/q3.py), reproduced call for call:
 * <pre>
 *   np.random.seed(42)                       # RandomState(seed)
 *   model = Model(...)                       # the MLP draws its weights here, first
 *   analytic = solve_analytically(X, y)      # linear regression only (draws nothing)
 *   for epoch in 1..epochs:
 *       order = np.random.permutation(n)
 *       X, y = X[order], y[order]            # cumulative: each epoch reshuffles the last order
 *       loss = model.train_epoch(X, y)
 *       evaluate train, dev, test
 * </pre>
 * The training set is never copied: the loop composes the permutations into one visiting order
 * ({@code order = order[perm]}) and the model reads rows through it, which is the same sequence
 * of examples.
 *
 * <p>Give the data as the course's loader does: a bias column for the linear models
 * ({@link CourseData#withBias()}), none for the MLP.
 *
 * @param data   train, dev (may be null, as for ames) and test
 * @param epochs number of epochs (the course: 20 for classification, 150 for ames)
 * @param seed   the course's is {@link #COURSE_SEED}
 */
public record CourseLoop(CourseData data, int epochs, long seed) {
    /** {@code utils.configure_seed(seed=42)}. */
    public static final long COURSE_SEED = 42;

    public CourseLoop {
        Objects.requireNonNull(data, "data");
        Checks.positive("epochs", epochs);
    }

    /** The course's loop with the course's seed, 42. */
    public CourseLoop(CourseData data, int epochs) {
        this(data, epochs, COURSE_SEED);
    }

    /**
     * What a finished run leaves.
     *
     * @param model             the trained model
     * @param epochs            one record per epoch, in order
     * @param analyticSolution  the closed-form weights of a {@link LinearRegression}, else null
     */
    public record Run(ClassicModel model, List<EpochRecord> epochs, double[] analyticSolution) {}

    /**
     * Trains a new model for {@link #epochs()} epochs and evaluates it after each one.
     *
     * <p>Each {@link EpochRecord} has, for a {@link Classifier}: train, dev and test accuracy, the
     * model's epoch loss as a mean per example (MLP) and weight norm (logistic regression); for a {@link Regressor}: the
     * train and test RMSE as train and test loss, and for a {@link LinearRegression} the distance
     * to the closed-form solution of the training set. {@code seconds} times the shuffle and the
     * training pass, not the evaluation (as the speed comparisons in {@code shared/bench} do).
     *
     * @param newModel builds the model from the loop's generator, which has drawn nothing yet
     *                 (as numpy's global state right after {@code np.random.seed})
     * @param onEpoch  called with each record as soon as the epoch is evaluated
     */
    public Run run(Function<RandomState, ? extends ClassicModel> newModel, Consumer<EpochRecord> onEpoch) {
        RandomState random = new RandomState(seed);
        ClassicModel model = Objects.requireNonNull(newModel.apply(random), "the model factory returned null");
        Examples train = data.train();
        checkKind(model, train);
        double[] analytic = model instanceof LinearRegression ? LinearRegression.closedForm(train) : null;
        model.prepare(train);
        int n = train.n();
        int[] order = ClassicModel.identityOrder(n);
        int[] next = new int[n];
        List<EpochRecord> records = new ArrayList<>(epochs);
        for (int epoch = 1; epoch <= epochs; epoch++) {
            long start = System.nanoTime();
            int[] permutation = random.permutation(n);
            for (int i = 0; i < n; i++) next[i] = order[permutation[i]];
            int[] swap = order;
            order = next;
            next = swap;
            // The record's train loss is a mean, as the autodiff track's is. The course's skeleton leaves
            // this figure to the student ("Dont forget to return the loss of the epoch") and solutions
            // differ: some return the epoch's sum (437129.1585 in epoch 1 of one 2023-24 run, on 97,477
            // examples), others the mean. A sum grows with the dataset and its first epoch flattens the
            // curve, so the mean is what nnlab records and plots.
            double trainLoss = model.trainEpoch(train, order) / n;
            double seconds = (System.nanoTime() - start) / 1e9;
            EpochRecord record = evaluate(model, epoch, trainLoss, order, analytic, seconds);
            records.add(record);
            onEpoch.accept(record);
        }
        return new Run(model, List.copyOf(records), analytic);
    }

    private EpochRecord evaluate(ClassicModel model, int epoch, double trainLoss, int[] order, double[] analytic,
                                 double seconds) {
        double nan = Double.NaN;
        if (classifies(model)) {
            Classifier classifier = (Classifier) model;
            return new EpochRecord(epoch, trainLoss, classifier.accuracy(data.train()),
                    nan, data.dev() == null ? nan : classifier.accuracy(data.dev()),
                    nan, classifier.accuracy(data.test()), model.weightNorm(), nan, seconds);
        }
        Regressor regressor = (Regressor) model;
        // The course evaluates the shuffled training set: sum the squared errors in that order.
        double[] predicted = regressor.predictValues(data.train());
        double[] shuffledPredictions = new double[order.length];
        double[] shuffledTargets = new double[order.length];
        for (int i = 0; i < order.length; i++) {
            shuffledPredictions[i] = predicted[order[i]];
            shuffledTargets[i] = data.train().targets()[order[i]];
        }
        double trainError = Metrics.rootMeanSquaredError(shuffledPredictions, shuffledTargets);
        double distance = analytic == null ? nan : ((LinearRegression) model).distanceTo(analytic);
        return new EpochRecord(epoch, trainError, nan, nan, nan,
                regressor.rootMeanSquaredError(data.test()), nan, model.weightNorm(), distance, seconds);
    }

    /** Whether the model predicts classes (an {@link Mlp} is both kinds; its loss decides). */
    private static boolean classifies(ClassicModel model) {
        return model instanceof Mlp mlp ? mlp.loss() == Mlp.Loss.SOFTMAX_CROSS_ENTROPY : model instanceof Classifier;
    }

    private static void checkKind(ClassicModel model, Examples train) {
        boolean classifies = classifies(model);
        if (!classifies && !(model instanceof Regressor)) {
            throw new IllegalArgumentException(model.getClass().getSimpleName() + " is neither a Classifier nor a Regressor");
        }
        if (classifies != train.isClassification()) {
            throw new IllegalArgumentException(model.getClass().getSimpleName() + " is a "
                    + (classifies ? "classifier" : "regressor") + " but the training set has "
                    + (train.isClassification() ? "class labels" : "regression targets"));
        }
    }
}
