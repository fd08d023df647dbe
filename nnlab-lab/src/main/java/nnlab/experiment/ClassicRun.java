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
        boolean regressionData = raw.classes() == 0;
        if (config.isRegression() != regressionData) {
            throw new IllegalArgumentException("model " + config.model() + " needs a "
                    + (config.isRegression() ? "regression dataset such as ames" : "classification dataset such as fashion-mnist")
                    + "; '" + raw.name() + "' is " + (regressionData ? "a regression dataset" : "a classification dataset with "
                    + raw.classes() + " classes") + " (choose it with --data)");
        }
        boolean bias = !config.model().equals("mlp") && !config.model().equals("nn");
        CourseData data = bias ? raw.withBias() : raw;
        try (RunDirectory run = RunDirectory.open(dir)) {
            run.begin(config, Provenance.of(raw, config.seed()));
            long start = System.nanoTime();
            CourseLoop.Run result;
            try {
                result = new CourseLoop(data, config.epochs(), config.seed()).run(random -> model(config, data, random), record -> {
                    run.addEpoch(record);
                    onEpoch.accept(record);
                    if (diverged(config, record)) throw new Diverged(record.epoch());
                });
            } catch (Diverged d) {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("status", "diverged");
                out.put("diverged_epoch", d.epoch);
                out.put(config.isRegression() ? "final_test_rmse" : "final_test_acc", null);
                out.put("train_seconds", run.records().stream().mapToDouble(EpochRecord::seconds).sum());
                out.put("config", config.toMap());
                out.put("provenance", RunDirectory.readConfig(dir).get("provenance"));
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
            out.put("provenance", RunDirectory.readConfig(dir).get("provenance"));
            run.writeResult(out);
            return out;
        }
    }

    /** Whether a figure the model reports has become NaN or infinite (the perceptron cannot diverge). */
    private static boolean diverged(ClassicConfig c, EpochRecord r) {
        return switch (c.model()) {
            case "linear_regression", "nn" -> !Double.isFinite(r.trainLoss()) || !Double.isFinite(r.testLoss());
            case "mlp" -> !Double.isFinite(r.trainLoss());
            case "logistic_regression" -> !Double.isFinite(r.weightNorm());
            default -> false;
        };
    }

    /** A figure became NaN or infinite: the run stops there, as the autodiff track's does. */
    private static final class Diverged extends RuntimeException {
        final int epoch;

        Diverged(int epoch) {
            super("diverged in epoch " + epoch, null, false, false);
            this.epoch = epoch;
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
