package nnlab.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import nnlab.data.CourseData;
import nnlab.experiment.Param;
import nnlab.experiment.Schema;
import nnlab.experiment.TrainConfig;
import nnlab.experiment.TrainRun;
import nnlab.metrics.EpochRecord;
import nnlab.nn.Sequential;
import nnlab.report.RunReport;

/** {@code nnlab train logistic_regression|mlp|cnn [flags]}: one autodiff-track run with its files and report. */
final class TrainCommand {
    private TrainCommand() {}

    static int run(Args args, PrintStream out, PrintStream err, Function<String, CourseData> datasets) {
        Map<String, String> settings = settings(args, TrainConfig.SCHEMA);
        if (args.positional().size() != 1) {
            throw new Args.UsageException("name one model: nnlab train logistic_regression|mlp|cnn [flags]");
        }
        String model = args.positional().get(0);
        if (!TrainConfig.SCHEMA.param("model").choices().contains(model)
                && nnlab.experiment.ClassicConfig.SCHEMA.param("model").choices().contains(model)) {
            throw new Args.UsageException("'" + model + "' is a numpy-track model: nnlab classic " + model
                    + " [options]; nnlab train takes " + String.join(" or ", TrainConfig.SCHEMA.param("model").choices()));
        }
        settings.put("model", model);
        Path dir = outDir(args, "train-" + settings.get("model"));
        boolean fused = !args.flag("no_fused");
        args.rejectUnknown("train");
        TrainConfig config = Args.checked(() -> TrainConfig.from(settings));
        CourseData data = TrainRun.loadWarmingUp(config, fused, () -> datasets.apply(config.data()));
        Progress progress = new Progress(err, Progress.onTerminal());
        Map<String, Object> outcome = TrainRun.run(config, data, dir, new TrainRun.Output() {
            @Override
            public void started(TrainConfig c, CourseData d, Sequential model, String step) {
                out.println("step: " + step);
                out.printf("nnlab train %s on %s (%d train / %d dev / %d test, %d features, %d classes) -> %s%n",
                        c.model(), d.name(), d.train().n(), d.dev().n(), d.test().n(), d.train().features(),
                        d.classes(), dir);
                out.println("settings: " + c.toFlat());
                out.printf("model: %,d trainable parameters%n", model.numParameters());
            }

            @Override
            public void onBatch(int epoch, int done, int total, int examples) {
                progress.update(epoch, config.epochs(), done, total, examples);
            }

            @Override
            public void onEpoch(EpochRecord r) {
                progress.clear();
                out.printf("epoch %d/%d  train loss: %.4f | dev loss: %.4f | dev acc: %.4f  (%.1f s)%n", r.epoch(),
                        config.epochs(), r.trainLoss(), r.devLoss(), r.devAccuracy(), r.seconds());
            }

            @Override
            public void finished(Map<String, Object> result) {
                progress.clear();
                if ("diverged".equals(result.get("status"))) {
                    out.printf("Diverged: the training loss reached %s in epoch %s (not finite, or exploded at chance accuracy); "
                            + "stopped. Try a smaller -learning_rate%s.%n", result.get("diverged_loss"), result.get("diverged_epoch"),
                            (config.momentum() > 0 ? " or -momentum" : "") + (config.l2Decay() > 0 ? " or -l2_decay" : ""));
                } else {
                    if ("stopped_early".equals(result.get("status"))) {
                        out.printf("Stopped early; restored the best model (epoch %s, dev acc %.4f)%n",
                                result.get("best_epoch"), (double) result.get("best_dev_acc"));
                    }
                    out.printf("Final test acc: %.4f%n", (double) result.get("final_test_acc"));
                }
                double seconds = (double) result.get("train_seconds");
                out.printf("Training took %d minutes and %d seconds%n", (int) (seconds / 60), Math.round(seconds % 60));
            }
        }, fused);
        RunReport.render(dir);
        out.println("run files, plots and report: " + dir);
        return exitStatus(outcome);
    }

    /**
     * 0 for a run that trained, 1 for one that diverged: it left no model worth using, and a script
     * ({@code nnlab train … && next}) must not carry on as if it had. Its files, result.json's
     * {@code "diverged"} status among them, are written all the same.
     */
    static int exitStatus(Map<String, Object> result) {
        return "diverged".equals(result.get("status")) ? 1 : 0;
    }

    /** The schema's settings given on the command line, under canonical names (aliases folded). */
    static Map<String, String> settings(Args args, Schema schema) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Param p : schema.params()) {
            if (p.name().equals("model")) continue;
            String v = args.string(p.name(), null, p.aliases().toArray(String[]::new));
            if (v != null) out.put(p.name(), v);
        }
        return out;
    }

    /** {@code --out DIR}, or {@code runs/<name>-<timestamp>}. */
    static Path outDir(Args args, String name) {
        String out = args.string("out", null);
        if (out != null) return Path.of(out);
        String stamp = java.time.LocalDateTime.now().format(java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        return Path.of("runs", name + "-" + stamp);
    }
}
