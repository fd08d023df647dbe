package nnlab.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import nnlab.experiment.Homework;
import nnlab.experiment.RunDirectory;
import nnlab.experiment.Sweep;

/**
 * One report for a whole homework, written like a student's answers: for each question what was run,
 * the figures asked for (final test accuracy or RMSE, best setting on dev), and its curves. Rebuilt
 * from the step folders alone.
 */
public final class HomeworkReport {
    private HomeworkReport() {}

    /** @param standIn what stood in for the edition's data, for the banner; null when the run had its data */
    public static void render(Path dir, String edition, List<Homework.Step> steps, boolean quick, String standIn) {
        Report report = new Report("Homework 1 (" + edition + " edition)" + (quick ? " — quick run on the sample" : ""));
        if (standIn != null) report.paragraph(standIn);
        if (quick) {
            report.paragraph("QUICK RUN: NOT THE HOMEWORK'S ANSWERS. Every experiment below ran a few epochs of the "
                    + "homework's number (each heading says how many), on a small sample of the data where the heading "
                    + "says so, to show that everything runs and to draw every chart in about a minute. For the figures "
                    + "to hand in, run `nnlab hw1" + (edition.equals("2021") ? "" : " --edition " + edition) + "`.");
        }
        report.paragraph("Every figure below was produced by nnlab from the files in this folder; `nnlab report "
                + dir + "` rebuilds this page. Each question's folder holds its trials, their metrics.csv, "
                + "result.json, plots and reports.");
        List<List<String>> summary = new ArrayList<>();
        for (Homework.Step step : steps) {
            Path stepDir = dir.resolve(step.id());
            if (!Files.exists(stepDir.resolve(Sweep.SPEC))) {
                summary.add(List.of(step.question(), step.title(), "not run", "–"));
                continue;
            }
            List<Sweep.Trial> trials = Sweep.trials(step.spec());
            Sweep.Outcome outcome = Sweep.summarise(stepDir, trials);
            Map<String, Object> best = outcome.best();
            Map<String, Object> first = outcome.rows().isEmpty() ? Map.of() : outcome.rows().get(0);
            String figure;
            String bestSetting = step.grid().isEmpty() ? "–" : best == null ? "no trial finished" : trialName(best);
            if (first.get("final_test_rmse") instanceof Number rmse) {
                figure = String.format("test RMSE %.4f", rmse.doubleValue());
            } else if (best != null && best.get("final_test_acc") instanceof Number acc) {
                figure = String.format("test acc %.4f", acc.doubleValue());
            } else {
                figure = String.valueOf(first.getOrDefault("status", "–"));
            }
            summary.add(List.of(step.question(), step.title(), bestSetting, figure));
        }
        report.section("Answers at a glance").table(List.of("question", "experiment", "best on dev", "final figure"), summary);
        for (Homework.Step step : steps) section(report, dir, step);
        report.write(dir);
    }

    private static String trialName(Map<String, Object> row) {
        String trial = String.valueOf(row.get("trial"));
        return trial.substring(trial.indexOf('-') + 1);
    }

    private static void section(Report report, Path dir, Homework.Step step) {
        Path stepDir = dir.resolve(step.id());
        report.section(step.question() + " " + step.title());
        if (!Files.exists(stepDir.resolve(Sweep.SPEC))) {
            report.paragraph("Not run.");
            return;
        }
        List<Sweep.Trial> trials = Sweep.trials(step.spec());
        Sweep.Outcome outcome = Sweep.summarise(stepDir, trials);
        report.paragraph("Settings: " + step.base() + (step.grid().isEmpty() ? "" : "; varied: " + step.grid()
                + (step.oneAtATime() ? ", one hyperparameter at a time" : "")));
        List<String> header = outcome.rows().isEmpty() ? List.of() : new ArrayList<>(outcome.rows().get(0).keySet());
        header.remove("trial");
        report.table(header, outcome.rows().stream().map(r -> header.stream().map(h -> Report.format(r.get(h))).toList()).toList());
        int bestIndex = 0;
        if (outcome.best() != null) {
            for (int i = 0; i < outcome.rows().size(); i++) if (outcome.rows().get(i) == outcome.best()) bestIndex = i;
            if (!step.grid().isEmpty()) {
                report.paragraph(String.format("Best on dev: %s (final dev acc %.4f); its final test accuracy is %s.",
                        trialName(outcome.best()), ((Number) outcome.best().get("final_dev_acc")).doubleValue(),
                        Report.format(outcome.best().get("final_test_acc"))));
            }
        }
        Path bestDir = Sweep.trialDir(stepDir, bestIndex, trials.get(bestIndex));
        if (RunDirectory.isFinished(bestDir)) {
            Map<String, Object> result = RunDirectory.readResult(bestDir);
            if (result.get("closed_form_test_rmse") instanceof Number cf) {
                report.paragraph(String.format("Closed-form (minimum-norm least squares) solution: train RMSE %s, test RMSE %.4f; "
                                + "SGD ends at test RMSE %s, %s from the analytic weights.",
                        Report.format(result.get("closed_form_train_rmse")), cf.doubleValue(),
                        Report.format(result.get("final_test_rmse")), Report.format(result.get("final_distance_to_analytic"))));
            }
        }
        for (String chart : List.of("loss", "accuracy", "weight_norm", "dist_to_analytic")) {
            Path png = bestDir.resolve(chart + ".png");
            if (Files.exists(png)) report.figure(new Report.Figure(step.question() + ", " + (step.grid().isEmpty() ? "" : "best trial, ")
                    + chart.replace('_', ' ') + " per epoch", png));
        }
        if (!step.grid().isEmpty()) {
            for (String key : step.grid().keySet()) {
                Path png = stepDir.resolve("plots").resolve("dev_acc-" + key + ".png");
                if (Files.exists(png)) report.figure(new Report.Figure(step.question() + ", dev accuracy per epoch, varying " + key, png));
            }
            Path bars = stepDir.resolve("plots").resolve("final_accuracy.png");
            if (Files.exists(bars)) report.figure(new Report.Figure(step.question() + ", final accuracy per trial", bars));
        }
    }
}
