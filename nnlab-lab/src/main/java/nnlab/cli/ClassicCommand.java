package nnlab.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import nnlab.data.CourseData;
import nnlab.experiment.ClassicConfig;
import nnlab.experiment.ClassicRun;
import nnlab.metrics.EpochRecord;
import nnlab.report.RunReport;

/** {@code nnlab classic perceptron|logistic_regression|mlp|linear_regression|nn [flags]}: the numpy track. */
final class ClassicCommand {
    private ClassicCommand() {}

    static int run(Args args, PrintStream out, Function<String, CourseData> datasets) {
        Map<String, String> settings = TrainCommand.settings(args, ClassicConfig.SCHEMA);
        if (args.positional().size() != 1) {
            throw new Args.UsageException("name one model: nnlab classic " + String.join("|", ClassicConfig.MODELS) + " [flags]");
        }
        settings.put("model", args.positional().get(0));
        Path dir = TrainCommand.outDir(args, "classic-" + settings.get("model"));
        args.rejectUnknown("classic");
        ClassicConfig config = Args.checked(() -> ClassicConfig.from(settings));
        CourseData data = datasets.apply(config.data());
        out.printf("nnlab classic %s on %s (%d train / %s dev / %d test, %d features) -> %s%n", config.model(), data.name(),
                data.train().n(), data.dev() == null ? "no" : Integer.toString(data.dev().n()), data.test().n(),
                data.train().features(), dir);
        out.println("settings: " + config.toFlat());
        Map<String, Object> result = ClassicRun.run(config, data, dir, r -> out.println(line(config, r)));
        if ("diverged".equals(result.get("status"))) {
            out.printf("Diverged in epoch %s: %s; stopped. Try a smaller -learning_rate%s.%n", result.get("diverged_epoch"),
                    result.get("diverged_reason"), config.l2Penalty() > 0 ? " or -l2_penalty" : "");
        } else if (config.isRegression()) {
            out.printf("Final test RMSE: %.4f%n", (double) result.get("final_test_rmse"));
            if (result.containsKey("closed_form_test_rmse")) {
                out.printf("Closed-form (minimum-norm least squares) solution: train RMSE %.4f, test RMSE %.4f%n",
                        (double) result.get("closed_form_train_rmse"), (double) result.get("closed_form_test_rmse"));
            }
        } else {
            out.printf("Final test acc: %.4f%n", (double) result.get("final_test_acc"));
        }
        double seconds = ((Number) result.get("train_seconds")).doubleValue();
        out.printf("Training took %d minutes and %d seconds%n", (int) (seconds / 60), Math.round(seconds % 60));
        RunReport.render(dir);
        out.println("run files, plots and report: " + dir);
        return TrainCommand.exitStatus(result);
    }

    /** The course's per-epoch line, with the figures each model has. */
    static String line(ClassicConfig c, EpochRecord r) {
        StringBuilder sb = new StringBuilder(String.format("epoch %d/%d  ", r.epoch(), c.epochs()));
        if (c.isRegression()) {
            sb.append(String.format("Loss (train): %.4f | Loss (test): %.4f", r.trainLoss(), r.testLoss()));
            if (!Double.isNaN(r.distanceToAnalytic())) sb.append(String.format(" | distance to analytic: %.4f", r.distanceToAnalytic()));
        } else {
            if (!Double.isNaN(r.trainLoss())) sb.append(String.format("loss: %.4f | ", r.trainLoss()));
            sb.append(String.format("train acc: %.4f | val acc: %.4f | test acc: %.4f", r.trainAccuracy(), r.devAccuracy(),
                    r.testAccuracy()));
            if (!Double.isNaN(r.weightNorm())) sb.append(String.format(" | W norm: %.4f", r.weightNorm()));
        }
        return sb.append(String.format("  (%.2f s)", r.seconds())).toString();
    }
}
