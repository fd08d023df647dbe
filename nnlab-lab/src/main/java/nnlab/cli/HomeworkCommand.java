package nnlab.cli;

import nnlab.experiment.store.Summary;
import nnlab.experiment.store.FolderStore;
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
 * {@code nnlab hw1|hw2 [--quick] [--edition 2021|2023|2024] [--data NAME|PATH] [--parallel N] [--out DIR]}:
 * the whole Homework 1 (or 2, the CNN) of an edition, each question as a resumable sweep, then one report.
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

    /**
     * Runs the numerical checks of the edition's derivation questions (nnlab check, in this process) and
     * keeps what each prints in the homework folder, where the report shows it under its questions. They
     * take seconds; a failing one is reported and the homework goes on.
     */
    private static void derivations(Path dir, int homework, String edition, PrintStream out, Function<String, CourseData> datasets) {
        java.util.Set<String> checks = new java.util.LinkedHashSet<>();
        for (nnlab.experiment.HomeworkQuestions.Question q : nnlab.experiment.HomeworkQuestions.of(homework, edition)) checks.addAll(q.checks());
        for (String check : checks) {
            CheckCommand.Evidence evidence = CheckCommand.evidence(check, datasets);
            nnlab.experiment.AtomicFiles.writeString(HomeworkReport.derivationFile(dir, check), evidence.text() + "\n");
            out.println("derivations: " + evidence.command() + (evidence.passed() ? ": every line PASS" : ": a line FAILED, see the report"));
        }
    }

    /** Rebuilds the report of a homework folder from its files. */
    static void rebuildReport(Path dir) {
        java.util.Map<String, Object> spec = Json.read(dir.resolve(HOMEWORK));
        String edition = String.valueOf(spec.get("edition"));
        int homework = spec.get("homework") instanceof Number n ? n.intValue() : 1; // folders from before hw2 are Homework 1's
        boolean quick = Boolean.TRUE.equals(spec.get("quick"));
        String data = spec.get("data") == null ? null : String.valueOf(spec.get("data"));
        List<Homework.Step> steps = Homework.steps(homework, edition, quick, data);
        for (Homework.Step step : steps) {
            if (java.nio.file.Files.exists(dir.resolve(step.id()).resolve(Sweep.SPEC))) SweepReport.render(dir.resolve(step.id()));
        }
        String standInFor = spec.get("stand_in_for") == null ? null : String.valueOf(spec.get("stand_in_for"));
        HomeworkReport.render(dir, homework, edition, steps, quick, standInFor == null ? null : standInNote(homework, edition, standInFor));
    }

    /**
     * What a quick run says, and its report's banner repeats, when the edition's data was not found and
     * the embedded sample stood in: which data stood in for which, what that means, how to get the real one.
     */
    static String standInNote(int homework, String edition, String real) {
        nnlab.data.CatalogEntry entry = nnlab.data.Catalogue.find(real);
        String file = entry.files().getFirst().name();
        return "STAND-IN DATA: " + real + " (the " + edition + " edition's data) is not on this machine, so this quick run used "
                + "nnlab's embedded " + Homework.SAMPLE + " in its place (4,000 training images of Fashion-MNIST, 28×28 grey, "
                + "10 classes): its figures show the homework's code running and learning, not the edition's answers. To get "
                + "the real data: " + entry.howToGet() + "; put " + file + " in "
                + nnlab.data.DataPlaces.standard().cache().resolve(real) + " (or pass --data PATH to your copy), then run "
                + "nnlab hw" + homework + " --edition " + edition + " --quick again.";
    }

    static int run(Args args, PrintStream out, PrintStream err, Function<String, CourseData> datasets, int homework) {
        String command = "hw" + homework;
        boolean quick = args.flag("quick");
        String edition = args.string("edition", "2021");
        String data = args.string("data", null, "data_path");
        String standInFor = null;
        int parallel = SweepCommand.parallel(args, err, command);
        String defaultOut = "runs/" + command + "-" + edition + (quick ? "-quick" : "");
        Path dir = Path.of(args.string("out", defaultOut));
        args.rejectUnknown(command);
        args.rejectPositional(command);
        if (data == null && !edition.equals("2021")) {
            String real = Homework.dataset(edition);
            try {
                datasets.apply(real);
            } catch (nnlab.data.DataFileException e) {
                if (!quick) {
                    throw new IllegalArgumentException(e.getMessage() + "\nTo look at the " + edition + " edition without its data: "
                            + "nnlab " + command + " --edition " + edition + " --quick runs it on the embedded " + Homework.SAMPLE + " in its place.");
                }
                standInFor = real;
                data = Homework.SAMPLE;
                out.println(standInNote(homework, edition, real));
            }
        }
        List<Homework.Step> steps = Homework.steps(homework, edition, quick, data);
        java.util.Set<String> own = new java.util.HashSet<>(java.util.Set.of(HOMEWORK, "report.html", "report.md", "report.pdf",
                HomeworkReport.DERIVATIONS));
        for (Homework.Step step : steps) own.add(step.id());
        nnlab.experiment.RunDirectory.requireOwnOrEmpty(dir, "the homework", own, HOMEWORK, "edition");
        // Resolve every dataset first: a missing one fails now, with where nnlab looked and how to get it; and one of
        // the wrong kind (--data ames for the classifiers) fails now, not as every trial of its questions failing.
        for (Homework.Step step : steps) requireSuitable(step, datasets.apply(step.base().get("data")));
        out.printf("nnlab %s: Homework %d, %s edition%s, %d experiments -> %s%n", command, homework, edition, quick ? " (quick)" : "",
                steps.size(), dir);
        long start = System.nanoTime();
        derivations(dir, homework, edition, out, datasets);
        SweepCommand.Runners runners = new SweepCommand.Runners();
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
                Summary.Outcome outcome = FolderStore.run(stepDir, step.spec(), trials, trials.size(), inSlot,
                        line -> out.println("  " + step.question() + " " + line));
                SweepCommand.counts(outcome).forEach((status, n) -> counts.merge(status, n, Long::sum));
                SweepReport.render(stepDir);
            });
        }
        runAll(experiments);
        java.util.Map<String, Object> spec = new java.util.LinkedHashMap<>();
        spec.put("edition", edition);
        spec.put("homework", homework);
        spec.put("quick", quick);
        spec.put("data", data);
        if (standInFor != null) spec.put("stand_in_for", standInFor);
        spec.put("steps", steps.stream().map(Homework.Step::id).toList());
        Json.write(dir.resolve(HOMEWORK), spec);
        HomeworkReport.render(dir, homework, edition, steps, quick, standInFor == null ? null : standInNote(homework, edition, standInFor));
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
