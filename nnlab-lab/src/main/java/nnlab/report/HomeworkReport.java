package nnlab.report;

import nnlab.experiment.store.Summary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import nnlab.experiment.Homework;
import nnlab.experiment.HomeworkQuestions;
import nnlab.experiment.HomeworkQuestions.Question;
import nnlab.experiment.HomeworkQuestions.Reference;
import nnlab.experiment.HomeworkQuestions.Shown;
import nnlab.experiment.RunDirectory;
import nnlab.experiment.Sweep;
import nnlab.metrics.EpochRecord;

/**
 * One report for a whole homework, written as a student's answers: a section per question of the
 * handout, in its numbering ({@link HomeworkQuestions}), each with the written answer, the numerical
 * checks that back a derivation (the output of {@code nnlab check}, kept in the folder by nnlab hw1),
 * the figures of the experiments that answer it (train, validation and test, the best setting of a
 * tuned one, its curves), and the course's reference results beside nnlab's. Rebuilt from the
 * homework folder's files alone.
 */
public final class HomeworkReport {
    /** The folder where nnlab hw1 keeps each check's printed output, one file per check. */
    public static final String DERIVATIONS = "derivations";

    private HomeworkReport() {}

    /** Where the output of {@code nnlab check ARGUMENTS} is kept in a homework folder. */
    public static Path derivationFile(Path dir, String arguments) {
        return dir.resolve(DERIVATIONS).resolve(arguments.trim().replaceAll("[^A-Za-z0-9.-]+", "_") + ".txt");
    }

    /** A step as it ran: its trials and what each left. */
    private record Ran(Homework.Step step, Path dir, List<Sweep.Trial> trials, Summary.Outcome outcome) {
        int index(String trial) {
            if (trial == null) return 0;
            for (int i = 0; i < trials.size(); i++) if (trials.get(i).name().equals(trial)) return i;
            return -1;
        }

        Path trialDir(int i) {
            return Sweep.trialDir(dir, i, trials.get(i));
        }

        /**
         * The trainable parameters trial i recorded, or null: the sweep's summary keeps only the figures
         * it compares, the count is in the trial's own result.json.
         */
        Long parameters(int i) {
            Path trial = trialDir(i);
            return RunDirectory.isFinished(trial) && RunDirectory.readResult(trial).get("parameters") instanceof Number n
                    ? n.longValue() : null;
        }

        boolean regression() {
            return Summary.criterion(outcome.rows()).lowerIsBetter;
        }

        /** A step of several trials whose best is chosen (a tuning question). */
        boolean tuned() {
            return !step.grid().isEmpty() && trials.size() > 1;
        }
    }

    /** @param standIn what stood in for the edition's data, for the banner; null when the run had its data */
    public static void render(Path dir, String edition, List<Homework.Step> steps, boolean quick, String standIn) {
        render(dir, 1, edition, steps, quick, standIn);
    }

    /** The report of Homework {@code homework} (1 or 2). */
    public static void render(Path dir, int homework, String edition, List<Homework.Step> steps, boolean quick, String standIn) {
        Map<String, Ran> ran = new LinkedHashMap<>();
        for (Homework.Step step : steps) {
            Path stepDir = dir.resolve(step.id());
            if (!Files.exists(stepDir.resolve(Sweep.SPEC))) continue;
            List<Sweep.Trial> trials = Sweep.trials(step.spec());
            ran.put(step.id(), new Ran(step, stepDir, trials, Summary.of(stepDir, trials)));
        }
        List<Question> questions = HomeworkQuestions.of(homework, edition);
        Report report = new Report("Homework " + homework + " (" + edition + " edition)" + (quick ? " — quick run" : ""));
        if (quick) {
            report.paragraph("QUICK RUN: NOT THE HOMEWORK'S ANSWERS. Every experiment below ran a few epochs of the "
                    + "homework's number (each heading says how many), on a small sample of the data where the heading "
                    + "says so, to show that everything runs and to draw every chart in about a minute. For the figures "
                    + "to hand in, run `nnlab hw" + homework + (edition.equals("2021") ? "" : " --edition " + edition) + "`.");
        }
        if (standIn != null) report.paragraph(standIn);
        report.paragraph("A section per question of the " + edition + " handout, in its numbering. Every figure was "
                + "produced by nnlab from the files in this folder (`nnlab report " + dir + "` rebuilds this page, and "
                + "`--pdf` prints it); each experiment's folder holds its trials' metrics.csv, result.json, plots and "
                + "reports. Derivations come with the output of the `nnlab check` that verifies them numerically; "
                + "experiments with the course's reference results where any are known (COURSE.md §3), beside nnlab's.");
        List<List<String>> glance = new ArrayList<>();
        for (Question q : questions) glance.add(List.of(q.number(), glanceWhat(q, ran), glanceResult(dir, q, ran)));
        report.section("Answers at a glance").table(List.of("question", "answered by", "result"), glance);
        Map<String, String> checksShown = new LinkedHashMap<>();
        for (Question q : questions) section(report, dir, edition, q, ran, checksShown);
        report.write(dir);
    }

    private static String heading(Question q, Map<String, Ran> ran) {
        if (!q.experimental()) return q.number() + " " + q.asks();
        Ran first = ran.get(q.shown().getFirst().step());
        String what = first == null ? "not run" : first.step().ran();
        return q.number() + " " + q.asks() + (what.isEmpty() ? "" : " — " + what);
    }

    /** @param checksShown each check already shown, with the question it is under: shown once, referred to after */
    private static void section(Report report, Path dir, String edition, Question q, Map<String, Ran> ran,
                                Map<String, String> checksShown) {
        report.section(heading(q, ran));
        report.paragraph(q.answer());
        if (q.experimental()) experiments(report, q, ran);
        if (!q.references().isEmpty()) references(report, edition, q, ran);
        for (String check : q.checks()) {
            Path file = derivationFile(dir, check);
            if (checksShown.containsKey(check)) {
                report.paragraph("Numerical check: `nnlab check " + check + "`, its output under " + checksShown.get(check)
                        + " above (" + summary(file) + ").");
            } else if (Files.isRegularFile(file)) {
                checksShown.put(check, q.number());
                report.paragraph("Numerical check: `nnlab check " + check + "` (nnlab hw1 ran it; the command prints the same):");
                report.code(read(file));
            } else {
                report.paragraph("`nnlab check " + check + "` prints the numerical check (this folder has no copy of it: "
                        + "run nnlab hw1 again to add it).");
            }
        }
    }

    // ---- experiments ------------------------------------------------------------------------------------

    private static void experiments(Report report, Question q, Map<String, Ran> ran) {
        List<List<String>> rows = new ArrayList<>();
        boolean regression = false, train = false;
        List<Runnable> after = new ArrayList<>();
        java.util.Set<String> settingsShown = new java.util.HashSet<>();
        // A question that asks for each network's number of trainable parameters (the CNN homework's): a column of its own.
        boolean parameters = q.shown().stream().anyMatch(s -> s.charts().contains("parameters"));
        for (Shown s : q.shown()) {
            Ran r = ran.get(s.step());
            if (r == null) {
                rows.add(List.of(s.label() != null ? s.label() : s.step(), "not run"));
                continue;
            }
            regression |= r.regression();
            train |= r.step().kind().equals("train");
            List<Integer> shown = new ArrayList<>();
            if (s.trials().isEmpty()) {
                for (int i = 0; i < r.trials().size(); i++) shown.add(i);
            } else {
                for (String t : s.trials()) if (r.index(t) >= 0) shown.add(r.index(t));
            }
            // Rows of another question's experiment carry its label, and the trial's name when there are several.
            for (int i : shown) rows.add(row(r, i, s.label() == null || shown.size() == 1 ? s.label()
                    : s.label() + ": " + r.trials().get(i).name(), parameters));
            if (s.label() != null) continue;  // another question's experiment, shown for comparison
            if (settingsShown.add(r.step().id())) {
                report.paragraph("Settings: " + flat(r.step().base()) + (r.step().grid().isEmpty() ? ""
                        : "; varied" + (r.step().oneAtATime() ? " one at a time" : "") + ": " + flat(r.step().grid())) + ".");
            }
            List<Integer> charted = !s.trials().isEmpty() ? shown : r.tuned() ? best(r) : List.of(0);
            after.add(() -> {
                if (s.trials().isEmpty() && r.tuned()) report.paragraph(bestSentence(r));
                for (int i : charted) {
                    if (r.regression()) report.paragraph(observed(r, i));
                    for (String chart : s.charts()) {
                        if (chart.equals("sweep") || chart.equals("parameters")) continue;
                        Path png = r.trialDir(i).resolve(chart + ".png");
                        if (Files.exists(png)) {
                            report.figure(new Report.Figure(q.number() + ", " + trialLabel(r, i, null)
                                    + (r.tuned() && s.trials().isEmpty() ? " (best)" : "") + ": " + caption(chart, r.regression()),
                                    png));
                        }
                    }
                }
                if (s.charts().contains("sweep")) sweepFigures(report, q, r);
            });
        }
        List<String> header = new ArrayList<>(List.of("trial", "status"));
        // The autodiff track's training accuracy is counted over the epoch's batches as they train (with
        // dropout on, where the model has it), not by a pass over the training set after the epoch.
        header.addAll(regression ? List.of("train RMSE", "test RMSE") : List.of(train ? "train acc (running)"
                : "train acc", "dev acc", "test acc"));
        header.add("train seconds");
        if (parameters) header.add("trainable parameters");
        report.table(header, rows.stream().map(r -> pad(r, header.size())).toList());
        after.forEach(Runnable::run);
    }

    private static String caption(String chart, boolean regression) {
        return switch (chart) {
            case "loss" -> regression ? "train and test RMSE per epoch" : "loss per epoch";
            case "accuracy" -> "accuracy per epoch";
            case "weight_norm" -> "Frobenius norm of the weights per epoch";
            case "dist_to_analytic" -> "distance to the analytic solution per epoch";
            case "filters" -> "the first convolution's learned filters";
            case "feature_maps" -> "feature maps of a test image";
            default -> chart.replace('_', ' ') + " per epoch";
        };
    }

    private static List<String> pad(List<String> row, int size) {
        List<String> out = new ArrayList<>(row);
        while (out.size() < size) out.add("–");
        return out;
    }

    private static String flat(Map<String, ?> settings) {
        List<String> parts = new ArrayList<>();
        settings.forEach((k, v) -> parts.add(k + "=" + (v instanceof List<?> l ? "{" + String.join(", ", l.stream()
                .map(String::valueOf).toList()) + "}" : v)));
        return String.join(", ", parts);
    }

    private static String trialLabel(Ran r, int i, String label) {
        return label != null ? label : r.step().grid().isEmpty() ? "the run" : r.trials().get(i).name();
    }

    /** One trial's final figures: from result.json, and the last epoch of metrics.csv for training accuracy. */
    private static List<String> row(Ran r, int i, String label, boolean parameters) {
        Summary.Row result = r.outcome().rows().get(i);
        List<String> row = new ArrayList<>(List.of(trialLabel(r, i, label), result.status()));
        if (r.regression()) {
            row.add(Report.format(result.finalTrainRmse()));
            row.add(Report.format(result.finalTestRmse()));
        } else {
            EpochRecord last = lastEpoch(r.trialDir(i));
            row.add(last == null ? "–" : Report.format(last.trainAccuracy()));
            row.add(Report.format(result.finalDevAcc()));
            row.add(Report.format(result.finalTestAcc()));
        }
        row.add(result.trainSeconds() != null ? String.format(Locale.ROOT, "%.1f", result.trainSeconds()) : "–");
        if (parameters) {
            Long count = r.parameters(i);
            row.add(count != null ? String.format(Locale.ROOT, "%,d", count) : "–");
        }
        return row;
    }

    private static EpochRecord lastEpoch(Path trialDir) {
        if (!Files.exists(trialDir.resolve(RunDirectory.METRICS))) return null;
        List<EpochRecord> records = RunDirectory.readMetrics(trialDir);
        return records.isEmpty() ? null : records.getLast();
    }

    /** The best trials by the sweep's criterion: one, or several when they tie exactly. */
    private static List<Integer> best(Ran r) {
        Summary.Row best = Summary.best(r.outcome().rows());
        if (best == null) return List.of();
        Summary.Criterion c = Summary.criterion(r.outcome().rows());
        List<Integer> tied = new ArrayList<>();
        for (int i = 0; i < r.outcome().rows().size(); i++) {
            if (Objects.equals(c.of(r.outcome().rows().get(i)), c.of(best))) tied.add(i);
        }
        return tied;
    }

    private static String bestSentence(Ran r) {
        List<Integer> best = best(r);
        if (best.isEmpty()) return "No trial finished: no best setting to report.";
        Summary.Criterion c = Summary.criterion(r.outcome().rows());
        String by = c.lowerIsBetter ? "lowest test RMSE (the data has no validation split)" : "highest final validation accuracy";
        Summary.Row first = r.outcome().rows().get(best.getFirst());
        String figure = c.lowerIsBetter ? "test RMSE " + Report.format(first.finalTestRmse())
                : "validation accuracy " + Report.format(first.finalDevAcc());
        List<String> names = best.stream().map(i -> r.trials().get(i).name()).toList();
        if (names.size() == 1) {
            return "Best by " + by + ": " + names.getFirst() + " (" + figure + ")" + (c.lowerIsBetter ? "."
                    : "; its final test accuracy is " + Report.format(first.finalTestAcc()) + ".");
        }
        return "Tie on " + by + " between " + String.join(" and ", names) + " (" + figure + " each)"
                + (c.lowerIsBetter ? "." : "; their final test accuracies are " + String.join(" and ", best.stream()
                .map(i -> Report.format(r.outcome().rows().get(i).finalTestAcc())).toList()) + ".");
    }

    /** What a regression trial's curves show, in numbers: the train RMSE's fall, the test RMSE's lowest point and end. */
    private static String observed(Ran r, int i) {
        if (!Files.exists(r.trialDir(i).resolve(RunDirectory.METRICS))) return "Not run.";
        List<EpochRecord> records = RunDirectory.readMetrics(r.trialDir(i));
        if (records.isEmpty()) return "No epoch finished.";
        EpochRecord first = records.getFirst(), last = records.getLast(), lowest = first;
        for (EpochRecord e : records) if (e.testLoss() < lowest.testLoss()) lowest = e;
        String curves = String.format(Locale.ROOT, "Observed (%s): train RMSE %.4f after epoch 1, %.4f after epoch %d; test RMSE "
                        + "%.4f after epoch 1, lowest %.4f after epoch %d, %.4f after epoch %d.", trialLabel(r, i, null),
                first.trainLoss(), last.trainLoss(), last.epoch(), first.testLoss(), lowest.testLoss(), lowest.epoch(),
                last.testLoss(), last.epoch());
        Map<String, Object> result = RunDirectory.isFinished(r.trialDir(i)) ? RunDirectory.readResult(r.trialDir(i)) : Map.of();
        if (!(result.get("closed_form_test_rmse") instanceof Number)) return curves;
        return curves + " The analytic (minimum-norm least-squares) weights: train RMSE "
                + Report.format(result.get("closed_form_train_rmse")) + ", test RMSE " + Report.format(result.get("closed_form_test_rmse"))
                + "; SGD ends " + Report.format(result.get("final_distance_to_analytic")) + " from them.";
    }

    private static void sweepFigures(Report report, Question q, Ran r) {
        Path plots = r.dir().resolve("plots");
        for (String key : r.step().grid().keySet()) {
            for (String name : r.regression() ? List.of("test_rmse-", "train_rmse-") : List.of("dev_acc-", "train_loss-")) {
                Path png = plots.resolve(name + key + ".png");
                String what = switch (name) {
                    case "test_rmse-" -> "test RMSE";
                    case "train_rmse-" -> "train RMSE";
                    case "dev_acc-" -> "validation accuracy";
                    default -> "training loss";
                };
                if (Files.exists(png)) report.figure(new Report.Figure(q.number() + ", " + what + " per epoch of every trial, varying " + key, png));
            }
        }
        Path bars = plots.resolve(r.regression() ? "final_rmse.png" : "final_accuracy.png");
        if (Files.exists(bars)) report.figure(new Report.Figure(q.number() + ", final figures of every trial", bars));
    }

    // ---- references -------------------------------------------------------------------------------------

    private static void references(Report report, String edition, Question q, Map<String, Ran> ran) {
        List<List<String>> rows = new ArrayList<>();
        for (Reference ref : q.references()) {
            Ran r = ran.get(ref.step());
            boolean exact = ref.value() != Double.parseDouble(String.format(Locale.ROOT, "%.4f", ref.value()));
            String reference = exact ? Double.toString(ref.value()) : String.format(Locale.ROOT, "%.4f", ref.value());
            String figure = ref.metric().replace("_", " ").replace("dev", "validation") + " after epoch " + ref.epoch();
            String nnlab = "–", difference;
            int i = r == null ? -1 : r.index(ref.trial());
            // The Ames questions always run on the course's ames.npz; the others on the edition's data, unless
            // --data or a stand-in replaced it, and then nnlab's figures are not comparable with the course's.
            String courseData = r != null && "ames".equals(r.step().base().get("data")) ? "ames" : Homework.dataset(edition);
            if (i < 0) {
                difference = "not run";
            } else if (!courseData.equals(r.step().base().get("data"))) {
                difference = "not comparable: ran on " + r.step().base().get("data") + ", the reference on " + courseData;
                Double v = value(r, i, ref);
                if (v != null) nnlab = exact ? Double.toString(v) : String.format(Locale.ROOT, "%.4f", v);
            } else {
                Double v = value(r, i, ref);
                if (v == null) {
                    EpochRecord last = lastEpoch(r.trialDir(i));
                    difference = "not comparable: ran " + (last == null ? 0 : last.epoch()) + " of " + ref.epoch() + " epochs";
                } else {
                    nnlab = exact ? Double.toString(v) : String.format(Locale.ROOT, "%.4f", v);
                    difference = v == ref.value() ? "0 (to every digit)" : Math.abs(v - ref.value()) < 5e-5
                            ? "0.0000 (to 4 decimals)" : String.format(Locale.ROOT, "%+.4f", v - ref.value());
                }
            }
            // A reference to another question's experiment (Q4.3's default is Q4.2's) names that question.
            String other = ref.step().equals(q.shown().getFirst().step()) || r == null ? "" : r.step().question() + " ";
            rows.add(List.of(other + (i < 0 ? String.valueOf(ref.trial()) : trialLabel(r, i, null)), figure, nnlab, reference,
                    difference, ref.source()));
        }
        report.paragraph("The course's reference results (COURSE.md §3; different groups' runs, so the MLP and autodiff "
                + "figures are ballpark) beside nnlab's for the same setting:");
        report.table(List.of("trial", "figure", "nnlab", "course reference", "difference", "source"), rows);
    }

    /** nnlab's figure for a reference: the metrics.csv column at that epoch, or result.json's final figure at the last one. */
    private static Double value(Ran r, int i, Reference ref) {
        Path trialDir = r.trialDir(i);
        if (!Files.exists(trialDir.resolve(RunDirectory.METRICS))) return null;
        List<EpochRecord> records = RunDirectory.readMetrics(trialDir);
        if (records.size() < ref.epoch()) return null;
        EpochRecord e = records.get(ref.epoch() - 1);
        double v = switch (ref.metric()) {
            case "test_acc" -> e.testAccuracy();
            case "dev_acc" -> e.devAccuracy();
            case "train_acc" -> e.trainAccuracy();
            case "test_rmse" -> e.testLoss();
            case "train_rmse" -> e.trainLoss();
            case "distance" -> e.distanceToAnalytic();
            default -> throw new IllegalArgumentException("unknown reference metric " + ref.metric());
        };
        if (Double.isNaN(v) && ref.epoch() == records.size()) {
            Summary.Row row = r.outcome().rows().get(i);
            Double last = switch (ref.metric()) {
                case "dev_acc" -> row.finalDevAcc();
                case "test_acc" -> row.finalTestAcc();
                case "train_rmse" -> row.finalTrainRmse();
                case "test_rmse" -> row.finalTestRmse();
                default -> null; // the summary keeps no final figure of it
            };
            if (last != null) v = last;
        }
        return Double.isNaN(v) ? null : v;
    }

    // ---- at a glance ------------------------------------------------------------------------------------

    private static String glanceWhat(Question q, Map<String, Ran> ran) {
        List<String> parts = new ArrayList<>();
        for (Shown s : q.shown()) {
            Ran r = ran.get(s.step());
            if (s.label() == null && r != null) parts.add(r.step().title());
        }
        if (!q.checks().isEmpty()) parts.add("nnlab check " + String.join(", ", q.checks()));
        if (parts.isEmpty() && !q.shown().isEmpty()) {
            return "a written answer; the runs " + String.join(" and ", q.shown().stream().map(Shown::label).toList());
        }
        return parts.isEmpty() ? "a written answer" : String.join("; ", parts);
    }

    private static String glanceResult(Path dir, Question q, Map<String, Ran> ran) {
        List<String> parts = new ArrayList<>();
        for (Shown s : q.shown()) {
            Ran r = ran.get(s.step());
            if (s.label() != null) continue;
            if (r == null) {
                parts.add("not run");
                continue;
            }
            List<Integer> which = !s.trials().isEmpty() ? s.trials().stream().map(r::index).filter(i -> i >= 0).toList()
                    : r.tuned() ? best(r) : List.of(0);
            for (int i : which) {
                Summary.Row row = r.outcome().rows().get(i);
                String figure = r.regression() ? "test RMSE " + Report.format(row.finalTestRmse())
                        : "test acc " + Report.format(row.finalTestAcc());
                parts.add((r.tuned() || !s.trials().isEmpty() ? (s.trials().isEmpty() ? "best " : "") + r.trials().get(i).name() + ": " : "")
                        + figure);
            }
        }
        // A question answered by other questions' runs' parameter counts: the counts those runs recorded.
        java.util.Set<String> counts = new java.util.TreeSet<>();
        for (Shown s : q.shown()) {
            Ran r = ran.get(s.step());
            if (s.label() == null || r == null || !s.charts().contains("parameters")) continue;
            for (int i = 0; i < r.trials().size(); i++) {
                Long n = r.parameters(i);
                if (n != null) counts.add(String.format(Locale.ROOT, "%,d", n));
            }
        }
        if (parts.isEmpty() && !counts.isEmpty()) parts.add("trainable parameters " + String.join(", ", counts)
                + (counts.size() == 1 ? " in every run" : ""));
        int passed = 0, failed = 0, found = 0;
        for (String check : q.checks()) {
            Path file = derivationFile(dir, check);
            if (!Files.isRegularFile(file)) continue;
            found++;
            var m = java.util.regex.Pattern.compile("summary: (\\d+) PASS, (\\d+) FAIL").matcher(read(file));
            if (m.find()) {
                passed += Integer.parseInt(m.group(1));
                failed += Integer.parseInt(m.group(2));
            }
        }
        if (!q.checks().isEmpty()) parts.add(found == 0 ? "checks not run" : passed + " PASS, " + failed + " FAIL");
        return parts.isEmpty() ? "–" : String.join("; ", parts);
    }

    /** "7 PASS, 0 FAIL", from the summary line of a check's kept output. */
    private static String summary(Path file) {
        if (!Files.isRegularFile(file)) return "not run";
        var m = java.util.regex.Pattern.compile("summary: (\\d+ PASS, \\d+ FAIL)").matcher(read(file));
        return m.find() ? m.group(1) : "no summary";
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
