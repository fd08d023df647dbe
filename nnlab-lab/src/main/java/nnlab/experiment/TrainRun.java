package nnlab.experiment;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import nnlab.data.CourseData;
import nnlab.data.DataLoader;
import nnlab.data.ImageShape;
import nnlab.metrics.EpochRecord;
import nnlab.nn.Sequential;
import nnlab.optim.Optimizer;
import nnlab.random.Rng;
import nnlab.train.Step;
import nnlab.train.Trainer;
import nnlab.train.WarmUp;

/**
 * One run of the autodiff track, start to finish: build the model, train with per-epoch dev
 * evaluation, keep the best checkpoint, evaluate on test, and leave the run's files in its folder.
 * The test accuracy is the last model's (as the course reports it), or the best model's when early
 * stopping is on.
 */
public final class TrainRun {
    private TrainRun() {}

    /** Progress and per-epoch lines; all methods may be left empty. */
    public interface Output extends Trainer.Listener {
        /** {@code step}: the step the run takes and why ({@link nnlab.train.Step.Plan#description()}). */
        default void started(TrainConfig config, CourseData data, Sequential model, String step) {}

        /**
         * The epoch whose loss exploded, after which the run stops: it goes to metrics.csv as every
         * epoch does, but is not an epoch the trainer reports through {@code onEpoch} (it has no dev
         * evaluation). A store records it with the trial's other epochs.
         */
        default void diverged(EpochRecord record) {}

        default void finished(Map<String, Object> result) {}
    }

    /** The width of the warm-up's generated images: the course's 28×28 (the kernels' code is the same at other widths). */
    private static final int WARM_UP_FEATURES = 784;

    /** How long a load goes on before the warm-up starts beside it. */
    static final java.time.Duration WARM_UP_AFTER = java.time.Duration.ofMillis(500);

    /**
     * Loads the data with {@code load}, and if that takes longer than {@link #WARM_UP_AFTER}, trains a
     * throwaway copy of the run's model on generated images on another thread meanwhile ({@link
     * WarmUp}), so that the JIT compiles the training step's kernels during the load. A load from a
     * decoded copy ends before that: a warm-up then only took cores from the load and delayed the first
     * step by about 0.6 s, without ending the first epoch any sooner (docs/speed.md).
     * {@code -Dnnlab.warmUp=false} turns it off (to measure it).
     */
    public static CourseData loadWarmingUp(TrainConfig config, boolean fused, Supplier<CourseData> load) {
        // A model too large for the heap is refused once the data is in (requireFits); its warm-up copy would
        // first allocate for as long as the heap lasts. The cnn warms up on images of the course's
        // 28×28 (its kernels' code is the same at other sizes).
        ImageShape image = config.architecture().images ? new ImageShape(1, 28, 28, false) : null;
        Models.Input input = new Models.Input(WARM_UP_FEATURES, image);
        if (!Boolean.parseBoolean(System.getProperty("nnlab.warmUp", "true"))
                || parameters(config, input, 10) * 4 * 3 > Runtime.getRuntime().maxMemory() / 2) {
            return load.get();
        }
        try (var warmUp = WarmUp.start(() -> Models.build(config, input, 10, new Rng(1)),
                parameters -> Models.optimizer(config, parameters), image, WARM_UP_FEATURES, 10, config.batchSize(),
                new Trainer(1, null, null).withFusedSteps(fused).withCriterion(config.architecture().criterion), WARM_UP_AFTER)) {
            return load.get();
        }
    }

    /**
     * Refuses a model too large for the heap before anything is built: its weights, their gradients
     * and the best epoch's copy are three float32 copies of every parameter (an optimiser with
     * state adds one or two). A mistyped -layers 100000 otherwise spent minutes allocating in silence.
     */
    static void requireFits(TrainConfig config, CourseData data) {
        long parameters = parameters(config, Models.Input.of(data.train()), data.classes());
        long needed = parameters * 4 * 3, heap = Runtime.getRuntime().maxMemory();
        if (needed > heap) {
            throw new IllegalArgumentException(String.format("the model has %,d parameters (-hidden_size %d, -layers %d): with "
                    + "their gradients and the best epoch's copy about %.1f GB, more than the Java heap's %.1f GB. Use a smaller "
                    + "-hidden_size or -layers, or give Java more memory (NNLAB_JAVA_OPTS=-Xmx…)", parameters, config.hiddenSize(),
                    config.layers(), needed / 1e9, heap / 1e9));
        }
    }

    /** The number of parameters of the model {@code config} describes for these features and classes. */
    private static long parameters(TrainConfig config, Models.Input input, int classes) {
        long parameters = 0;
        for (int[] shape : Models.parameterShapes(config, input, classes).values()) {
            long size = 1;
            for (int d : shape) size *= d;
            parameters += size;
        }
        return parameters;
    }

    public static Map<String, Object> run(TrainConfig config, CourseData data, Path dir, Output output) {
        return run(config, data, dir, output, true);
    }

    /**
     * @param fused whether a fused step may run where one knows the model (false: the graph step
     *              always, for comparison; the results agree to float rounding)
     */
    public static Map<String, Object> run(TrainConfig config, CourseData given, Path dir, Output output, boolean fused) {
        CourseData data = checked(config, given);
        try (RunDirectory run = RunDirectory.open(dir)) {
            run.begin(config, Provenance.withoutHash(data, config.seed()), () -> Provenance.hash(data));
            Rng rng = new Rng(config.seed());
            Sequential model = Models.build(config, Models.Input.of(data.train()), data.classes(), rng.split());
            Optimizer optimizer = Models.optimizer(config, model.parameters());
            DataLoader train = new DataLoader(data.train(), config.batchSize(), true, rng.split());
            Trainer trainer = new Trainer(config.epochs(), config.earlyStopping() > 0 ? config.earlyStopping() : null,
                    new Trainer.Listener() {
                        @Override
                        public void onBatch(int epoch, int done, int total, int examples) {
                            output.onBatch(epoch, done, total, examples);
                        }

                        private double bestDev = Double.NEGATIVE_INFINITY;

                        @Override
                        public void onEpoch(EpochRecord record) {
                            // Whenever dev accuracy improves, so that a killed run keeps its best model so far; before
                            // the epoch is recorded, so that metrics.csv never lists an epoch whose checkpoint a kill lost.
                            if (record.devAccuracy() > bestDev) {
                                bestDev = record.devAccuracy();
                                Checkpoints.save(run.file(RunDirectory.CHECKPOINT), model.stateDict());
                            }
                            run.addEpoch(record);
                            output.onEpoch(record);
                        }
                    }).withFusedSteps(fused).withCriterion(config.architecture().criterion);
            Step.Plan plan = trainer.plan(model, optimizer, train);
            output.started(config, data, model, plan.description());
            Trainer.Outcome outcome = trainer.fit(model, plan, train, data.dev());
            if (outcome.diverged()) {
                run.addEpoch(outcome.history().last());
                output.diverged(outcome.history().last());
            }

            Map<String, Object> result = new LinkedHashMap<>();
            result.put("status", outcome.diverged() ? "diverged" : outcome.stoppedEarly() ? "stopped_early" : "finished");
            if (outcome.diverged()) {
                result.put("diverged_epoch", outcome.divergedEpoch());
                result.put("diverged_loss", String.valueOf(outcome.history().last().trainLoss()));
                result.put("final_test_acc", null);
            } else {
                // Dev and test figures of the same model: the last one, or the restored best with early stopping.
                Trainer.Evaluation test = Trainer.evaluate(model, data.test(), trainer.criterion());
                result.put("final_test_acc", test.accuracy());
                result.put("final_test_loss", test.loss());
                result.put("final_dev_acc", Trainer.evaluate(model, data.dev(), trainer.criterion()).accuracy());
            }
            result.put("best_epoch", outcome.best() == null ? null : outcome.best().epoch());
            result.put("best_dev_acc", outcome.best() == null ? null : outcome.best().devAccuracy());
            result.put("epochs_run", outcome.history().size());
            result.put("train_seconds", outcome.trainSeconds());
            result.put("seconds_per_epoch", outcome.trainSeconds() / Math.max(1, outcome.history().size()));
            result.put("parameters", model.numParameters());
            result.put("step", outcome.step());
            // What the first test image looks like to the final model's convolutions (drawn in the report).
            if (FeatureMaps.applies(model) && !outcome.diverged()) FeatureMaps.save(model, data.test(), 0, dir);
            result.put("config", config.toMap());
            result.put("provenance", run.config().get("provenance"));
            run.writeResult(result);
            output.finished(result);
            return result;
        }
    }

    /**
     * What a run checks before it touches its folder: that the dataset classifies, has a dev split, and
     * leaves room for the model in the heap. A sweep asks it of every trial before any runs, so that data
     * no trial can use is said once, not as a failure of each trial that a rerun would repeat.
     *
     * @return the data as the model takes it (images for the cnn)
     */
    public static CourseData checked(TrainConfig config, CourseData given) {
        // The kind first: a regression dataset told to add dev examples would then be refused for its targets.
        if (given.classes() < 2) {
            throw new IllegalArgumentException("dataset '" + given.name() + "' is a regression dataset, and nnlab train's models "
                    + "classify: train a regression with nnlab classic linear_regression|nn --data " + given.name()
                    + ", or give a classification dataset");
        }
        CourseData data = Models.prepare(config, given);
        if (data.dev() == null) {
            throw new IllegalArgumentException("dataset '" + data.name() + "' has no dev split, which the autodiff track "
                    + "uses for model selection: give it dev examples (rows with split 1 in a CSV, Xdev/ydev or "
                    + "val_images/val_labels in a course .npz)");
        }
        requireFits(config, data);
        return data;
    }
}
