package nnlab.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import nnlab.data.CourseData;
import nnlab.experiment.Homework;
import nnlab.experiment.Json;
import nnlab.experiment.Sweep;
import nnlab.report.HomeworkReport;
import nnlab.report.SweepReport;

/**
 * {@code nnlab hw1 [--quick] [--edition 2021|2023|2024] [--data NAME|PATH] [--parallel N] [--out DIR]}:
 * the whole Homework 1 of an edition, each question as a resumable sweep, then one report.
 */
final class HomeworkCommand {
    /** What a homework folder records of the command that made it, so its report can be rebuilt. */
    static final String HOMEWORK = "homework.json";

    private HomeworkCommand() {}

    /** Runs the tasks on threads of their own and waits for all; the first failure is rethrown. */
    private static void runAll(List<Runnable> tasks) {
        List<Thread> threads = new java.util.ArrayList<>();
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        for (Runnable task : tasks) {
            threads.add(Thread.ofPlatform().name("nnlab-experiment").start(() -> {
                try {
                    task.run();
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the homework's experiments ran", e);
            }
        }
        Throwable e = failure.get();
        if (e instanceof RuntimeException r) throw r;
        if (e instanceof Error err) throw err;
    }

    /** Rebuilds the report of a homework folder from its files. */
    static void rebuildReport(Path dir) {
        java.util.Map<String, Object> spec = Json.read(dir.resolve(HOMEWORK));
        String edition = String.valueOf(spec.get("edition"));
        boolean quick = Boolean.TRUE.equals(spec.get("quick"));
        String data = spec.get("data") == null ? null : String.valueOf(spec.get("data"));
        List<Homework.Step> steps = Homework.steps(edition, quick, data);
        for (Homework.Step step : steps) {
            if (java.nio.file.Files.exists(dir.resolve(step.id()).resolve(Sweep.SPEC))) SweepReport.render(dir.resolve(step.id()));
        }
        HomeworkReport.render(dir, edition, steps, quick);
    }

    static int run(Args args, PrintStream out, PrintStream err, Function<String, CourseData> datasets) {
        boolean quick = args.flag("quick");
        String edition = args.string("edition", "2021");
        String data = args.string("data", null, "data_path");
        int parallel = SweepCommand.parallel(args, err, "hw1");
        String defaultOut = "runs/hw1-" + edition + (quick ? "-quick" : "");
        Path dir = Path.of(args.string("out", defaultOut));
        args.rejectUnknown("hw1");
        args.rejectPositional("hw1");
        List<Homework.Step> steps = Homework.steps(edition, quick, data);
        java.util.Set<String> own = new java.util.HashSet<>(java.util.Set.of(HOMEWORK, "report.html", "report.md"));
        for (Homework.Step step : steps) own.add(step.id());
        nnlab.experiment.RunDirectory.requireOwnOrEmpty(dir, "the homework", own, HOMEWORK, "edition");
        // Resolve every dataset first: a missing one fails now, with where nnlab looked and how to get it; and one of
        // the wrong kind (--data ames for the classifiers) fails now, not as every trial of its questions failing.
        for (Homework.Step step : steps) requireSuitable(step, datasets.apply(step.base().get("data")));
        out.printf("nnlab hw1: Homework 1, %s edition%s, %d experiments -> %s%n", edition, quick ? " (quick)" : "",
                steps.size(), dir);
        SweepCommand.Runners runners = new SweepCommand.Runners();
        long start = System.nanoTime();
        // Every trial of every experiment queues for one of `parallel` slots, so that no processor idles
        // while one experiment's last, longest trial runs (the Adam trial of Q4.2 takes a quarter of the
        // whole). The autodiff experiments queue first: theirs are the long trials. Each trial's
        // figures do not depend on what runs beside it.
        java.util.concurrent.Semaphore slots = new java.util.concurrent.Semaphore(parallel, true);
        java.util.Map<String, Long> counts = new java.util.concurrent.ConcurrentSkipListMap<>();
        List<Runnable> experiments = new java.util.ArrayList<>();
        List<Homework.Step> longestFirst = new java.util.ArrayList<>(steps);
        longestFirst.sort(java.util.Comparator.comparing(step -> !step.kind().equals("train")));
        for (Homework.Step step : longestFirst) {
            Path stepDir = dir.resolve(step.id());
            List<Sweep.Trial> trials = Sweep.trials(step.spec());
            for (Sweep.Trial t : trials) runners.validate(step.kind(), t.settings());
            out.printf("%s %s (%d run%s)%n", step.question(), step.title(), trials.size(), trials.size() == 1 ? "" : "s");
            Sweep.TrialRunner runner = runners.forKind(step.kind(), datasets);
            Sweep.TrialRunner inSlot = new Sweep.TrialRunner() {
                @Override
                public java.util.Map<String, Object> run(java.util.Map<String, String> settings, Path trialDir) {
                    slots.acquireUninterruptibly();
                    try {
                        return runner.run(settings, trialDir);
                    } finally {
                        slots.release();
                    }
                }

                @Override
                public void complete(Path trialDir) {
                    runner.complete(trialDir);
                }
            };
            experiments.add(() -> {
                Sweep.Outcome outcome = Sweep.run(stepDir, step.spec(), trials, trials.size(), inSlot,
                        line -> out.println("  " + step.question() + " " + line));
                SweepCommand.counts(outcome).forEach((status, n) -> counts.merge(status, n, Long::sum));
                SweepReport.render(stepDir);
            });
        }
        runAll(experiments);
        java.util.Map<String, Object> spec = new java.util.LinkedHashMap<>();
        spec.put("edition", edition);
        spec.put("quick", quick);
        spec.put("data", data);
        spec.put("steps", steps.stream().map(Homework.Step::id).toList());
        Json.write(dir.resolve(HOMEWORK), spec);
        HomeworkReport.render(dir, edition, steps, quick);
        long trials = counts.values().stream().mapToLong(Long::longValue).sum();
        out.printf("Homework done in %.0f s; %s. Report: %s (and report.md)%n", (System.nanoTime() - start) / 1e9,
                SweepCommand.countLine(counts, (int) trials), dir.resolve("report.html"));
        return counts.containsKey("failed") ? 1 : 0;
    }

    /** A question's dataset must be of the kind its model needs, and the autodiff track's must have a dev split. */
    private static void requireSuitable(Homework.Step step, CourseData data) {
        boolean regression = step.kind().equals("classic") && nnlab.experiment.ClassicConfig.from(step.base()).isRegression();
        String name = step.base().get("data");
        if (regression != (data.classes() == 0)) {
            throw new IllegalArgumentException(step.question() + " (" + step.title() + ") needs a " + (regression
                    ? "regression" : "classification") + " dataset, but '" + name + "' is " + (regression ? "a classification"
                    : "a regression") + " dataset: give --data a classification dataset (fashion-mnist, mnist, a course .npz)");
        }
        if (step.kind().equals("train") && data.dev() == null) {
            throw new IllegalArgumentException(step.question() + " (" + step.title() + ") needs a dev split to choose its best "
                    + "epoch, and '" + name + "' has none: give --data a dataset with dev examples");
        }
    }
}
