package nnlab.experiment;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import nnlab.classic.ClassicModel;
import nnlab.classic.CourseLoop;
import nnlab.classic.LinearRegression;
import nnlab.classic.LogisticRegression;
import nnlab.classic.Mlp;
import nnlab.classic.Perceptron;
import nnlab.data.CourseData;
import nnlab.metrics.EpochRecord;
import nnlab.metrics.Metrics;
import nnlab.random.RandomState;

/**
 * One run of the numpy track, as the course's hw1-q2/q3 scripts do it (seed, cumulative shuffles,
 * per-example SGD), leaving the run's files. Linear models get the bias column, the MLPs do not
 * ({@code add_bias = model != "mlp"}, {@code != "nn"}). The MLPs start from N(0.1, 0.1²) weights
 * and zero biases, drawn from the run's numpy-compatible generator.
 */
public final class ClassicRun {
    private ClassicRun() {}

    public static Map<String, Object> run(ClassicConfig config, CourseData raw, Path dir, Consumer<EpochRecord> onEpoch) {
        CourseData data = checked(config, raw);
        try (RunDirectory run = RunDirectory.open(dir)) {
            run.begin(config, Provenance.withoutHash(raw, config.seed()), () -> Provenance.hash(raw));
            long start = System.nanoTime();
            CourseLoop.Run result;
            try {
                result = new CourseLoop(data, config.epochs(), config.seed()).run(random -> model(config, data, random), record -> {
                    run.addEpoch(record);
                    onEpoch.accept(record);
                    String why = divergence(config, record, data);
                    if (why != null) throw new Diverged(record.epoch(), why);
                });
            } catch (Diverged d) {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("status", "diverged");
                out.put("diverged_epoch", d.epoch);
                out.put("diverged_reason", d.reason);
                out.put(config.isRegression() ? "final_test_rmse" : "final_test_acc", null);
                out.put("train_seconds", run.records().stream().mapToDouble(EpochRecord::seconds).sum());
                out.put("config", config.toMap());
                out.put("provenance", run.config().get("provenance"));
                run.writeResult(out);
                return out;
            }
            double wall = (System.nanoTime() - start) / 1e9;
            EpochRecord last = result.epochs().get(result.epochs().size() - 1);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("status", "finished");
            if (config.isRegression()) {
                out.put("final_test_rmse", last.testLoss());
                out.put("final_train_rmse", last.trainLoss());
                if (result.analyticSolution() != null) {
                    double[] w = result.analyticSolution();
                    out.put("closed_form_train_rmse", rmse(w, data.train()));
                    out.put("closed_form_test_rmse", rmse(w, data.test()));
                    out.put("final_distance_to_analytic", last.distanceToAnalytic());
                }
            } else {
                out.put("final_test_acc", last.testAccuracy());
                out.put("final_dev_acc", last.devAccuracy());
                out.put("final_train_acc", last.trainAccuracy());
                if (!Double.isNaN(last.weightNorm())) out.put("final_weight_norm", last.weightNorm());
            }
            double train = result.epochs().stream().mapToDouble(EpochRecord::seconds).sum();
            out.put("train_seconds", train);
            out.put("seconds_per_epoch", train / result.epochs().size());
            out.put("wall_seconds", wall);
            out.put("config", config.toMap());
            out.put("provenance", run.config().get("provenance"));
            run.writeResult(out);
            return out;
        }
    }

    /**
     * What a run checks before it touches its folder: a dataset of the kind the model needs, and room
     * for the model in the heap. A sweep asks it of every trial before any runs (see TrainRun#checked).
     *
     * @return the data as the model takes it (with the bias column for the linear models)
     */
    public static CourseData checked(ClassicConfig config, CourseData raw) {
        boolean regressionData = raw.classes() == 0;
        if (config.isRegression() != regressionData) {
            throw new IllegalArgumentException("model " + config.model() + " needs a "
                    + (config.isRegression() ? "regression dataset such as ames" : "classification dataset such as fashion-mnist")
                    + "; '" + raw.name() + "' is " + (regressionData ? "a regression dataset" : "a classification dataset with "
                    + raw.classes() + " classes") + " (choose it with --data)");
        }
        boolean bias = !config.model().equals("mlp") && !config.model().equals("nn");
        CourseData data = bias ? raw.withBias() : raw;
        requireFits(config, data);
        return data;
    }

    /**
     * Refuses an MLP too large for the heap before anything is built: its float64 weights, and the copy
     * of a layer that drawing them makes. A mistyped -hidden_size 100000000 otherwise allocated for
     * twenty seconds before running out of memory.
     */
    private static void requireFits(ClassicConfig config, CourseData data) {
        if (!config.model().equals("mlp") && !config.model().equals("nn")) return;
        int layers = config.model().equals("nn") ? 1 : config.layers(), outputs = Math.max(1, data.classes());
        long h = config.hiddenSize();
        long parameters = (data.train().features() + 1L) * h + (layers - 1L) * (h + 1) * h + (h + 1) * outputs;
        long needed = parameters * 8 * 2, heap = Runtime.getRuntime().maxMemory();
        if (needed > heap) {
            throw new IllegalArgumentException(String.format("the %s has %,d parameters (-hidden_size %d, -layers %d): in float64, "
                    + "with a layer's copy while they are drawn, about %.1f GB, more than the Java heap's %.1f GB. Use a smaller "
                    + "-hidden_size or -layers, or give Java more memory (NNLAB_JAVA_OPTS=-Xmx…)", config.model(), parameters,
                    config.hiddenSize(), layers, needed / 1e9, heap / 1e9));
        }
    }

    /**
     * Why an epoch's figures say the run went off the rails, or null if they do not. A figure NaN or
     * infinite; or, for the MLP classifier, a loss that exploded at chance accuracy, by the rule of
     * the autodiff track's trainer (nnlab.train.Trainer.diverged): the mean loss per example above
     * {@value #EXPLODED} × ln(classes), the loss of guessing uniformly, while the training accuracy
     * stays below twice chance. At -learning_rate 1e30 the loss reaches 1e64, finite, at accuracy
     * 0.1; a large loss in a run that learns keeps its accuracy above chance and is not stopped.
     * The MLP's recorded loss is already that mean per example. The linear classifiers record no loss: the
     * perceptron's step does not depend on the learning rate, and logistic regression with a huge
     * one still learns (its softmax saturates into perceptron steps), so only a weight that is no
     * longer finite stops them.
     */
    static String divergence(ClassicConfig c, EpochRecord r, CourseData data) {
        return switch (c.model()) {
            case "linear_regression", "nn" -> !Double.isFinite(r.trainLoss()) || !Double.isFinite(r.testLoss())
                    ? "the RMSE became " + (Double.isFinite(r.trainLoss()) ? r.testLoss() + " on the test set" : r.trainLoss())
                    : null;
            case "mlp" -> {
                double mean = r.trainLoss(), uniform = Math.log(Math.max(2, data.classes()));
                if (!Double.isFinite(mean)) yield "the training loss became " + mean;
                yield mean > EXPLODED * uniform && !(r.trainAccuracy() >= 2.0 / Math.max(2, data.classes()))
                        ? String.format("the training loss (mean per example) exploded to %.3g, more than %.0f times the %.2f of "
                                + "a uniform guess, at train accuracy %.4f, chance level", mean, EXPLODED, uniform, r.trainAccuracy())
                        : null;
            }
            case "logistic_regression" -> !Double.isFinite(r.weightNorm()) ? "the weights became " + r.weightNorm() : null;
            default -> null;
        };
    }

    /** See {@link #divergence}: the same factor as the autodiff track's. */
    static final double EXPLODED = 100;

    /** The run went off the rails: it stops there, as the autodiff track's does. */
    private static final class Diverged extends RuntimeException {
        final int epoch;
        final String reason;

        Diverged(int epoch, String reason) {
            super("diverged in epoch " + epoch + ": " + reason, null, false, false);
            this.epoch = epoch;
            this.reason = reason;
        }
    }

    private static double rmse(double[] w, nnlab.data.Examples e) {
        double[] predicted = new double[e.n()];
        for (int i = 0; i < e.n(); i++) {
            double s = 0;
            for (int j = 0; j < e.features(); j++) s += w[j] * e.x()[i * e.features() + j];
            predicted[i] = s;
        }
        return Metrics.rootMeanSquaredError(predicted, e.targets());
    }

    private static ClassicModel model(ClassicConfig c, CourseData data, RandomState random) {
        int features = data.train().features();
        Mlp.Activation activation = c.activation().equals("tanh") ? Mlp.Activation.TANH : Mlp.Activation.RELU;
        int[] hidden = new int[c.layers()];
        Arrays.fill(hidden, c.hiddenSize());
        return switch (c.model()) {
            case "perceptron" -> new Perceptron(features, data.classes());
            case "logistic_regression" -> new LogisticRegression(features, data.classes(), c.learningRate(), c.l2Penalty());
            case "mlp" -> Mlp.classifier(features, hidden, data.classes(), activation, c.learningRate())
                    .initializeNormal(random, Mlp.COURSE_INITIAL_MEAN, Mlp.COURSE_INITIAL_STANDARD_DEVIATION);
            case "linear_regression" -> new LinearRegression(features, c.learningRate());
            case "nn" -> Mlp.regressor(features, new int[] {c.hiddenSize()}, activation, c.learningRate())
                    .initializeNormal(random, Mlp.COURSE_INITIAL_MEAN, Mlp.COURSE_INITIAL_STANDARD_DEVIATION);
            default -> throw new IllegalArgumentException("unknown classic model '" + c.model() + "'; known: " + ClassicConfig.MODELS);
        };
    }
}
