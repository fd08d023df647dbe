package nnlab.cli;

import java.time.Duration;
import nnlab.experiment.store.Summary;
import nnlab.experiment.store.FolderStore;
import nnlab.experiment.store.PostgresStore;
import nnlab.experiment.store.StoreUrl;
import nnlab.experiment.store.Workers;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import nnlab.data.CourseData;
import nnlab.experiment.ClassicConfig;
import nnlab.experiment.ClassicRun;
import nnlab.experiment.Schema;
import nnlab.experiment.Sweep;
import nnlab.experiment.TrainConfig;
import nnlab.experiment.TrainRun;
import nnlab.metrics.EpochRecord;
import nnlab.report.RunReport;
import nnlab.report.SweepReport;

/**
 * {@code nnlab sweep train|classic MODEL --grid key=v1,v2 … [--one-at-a-time] [--parallel N] [flags]}:
 * trials in parallel, resumable, with summary.csv and a report.
 */
final class SweepCommand {
    private SweepCommand() {}

    static int run(Args args, PrintStream out, PrintStream err, Function<String, CourseData> datasets, Runners runners) {
        List<String> pos = args.positional();
        if (pos.size() != 2 || !List.of("train", "classic").contains(pos.get(0))) {
            throw new Args.UsageException("usage: nnlab sweep train|classic MODEL --grid key=v1,v2 [--grid …] "
                    + "[--one-at-a-time] [--parallel N] [--out DIR] [fixed flags]");
        }
        String kind = pos.get(0);
        Schema schema = kind.equals("train") ? TrainConfig.SCHEMA : ClassicConfig.SCHEMA;
        Map<String, String> base = new LinkedHashMap<>();
        base.put("model", pos.get(1));
        base.putAll(TrainCommand.settings(args, schema));
        boolean oneAtATime = args.flag("one_at_a_time");
        int random = args.integer("random", 0);
        Map<String, Sweep.Range> ranges = ranges(args.all("range"), schema, base, random);
        Map<String, List<String>> grid = grid(args.all("grid"), schema, base, oneAtATime, !ranges.isEmpty());
        long searchSeed = args.integer("search_seed", 0);
        String store = args.string("store", null), name = args.string("name", null);
        FolderStore.Shard shard = args.has("shard") ? Args.checked(() -> FolderStore.Shard.parse(args.string("shard", null)))
                : FolderStore.Shard.ALL;
        boolean prune = prune(args);
        // --workers 0 enqueues only (other machines' workers run the trials); --parallel is the same count.
        if (args.has("workers") && args.has("parallel")) {
            throw new Args.UsageException("--workers and --parallel both say how many trials run here at once; give one");
        }
        int workers = args.has("workers") ? args.integer("workers", 0) : parallel(args, err, "sweep");
        if (workers < 0) throw new Args.UsageException("--workers " + workers + ": give 0 (enqueue only) or more local workers");
        Duration lease = lease(args);
        if (name != null) requireName(name);
        // A sweep in a database keeps this machine's trial files where its workers do: runs/NAME.
        Path dir = store != null && name != null && !args.has("out") ? Path.of("runs", name)
                : TrainCommand.outDir(args, "sweep-" + kind + "-" + pos.get(1));
        args.rejectUnknown("sweep");
        if (store == null) {
            for (String option : List.of("name", "lease_seconds")) {
                if (args.has(option)) {
                    throw new Args.UsageException("--" + option.replace('_', '-') + " is for a sweep in a database: add --store "
                            + "postgresql://HOST/DB?user=… (without one, the sweep lives in --out and runs here)");
                }
            }
            if (args.has("workers") && workers == 0) {
                throw new Args.UsageException("--workers 0 enqueues a sweep in a database for other machines' workers: add --store "
                        + "postgresql://HOST/DB?user=… --name NAME");
            }
        }
        if (store != null && name == null) {
            throw new Args.UsageException("--store needs --name NAME: the sweep's name in the database, which workers and reports give");
        }
        if (store != null && args.has("shard")) {
            throw new Args.UsageException("--shard splits a sweep among jobs without a database; with --store, start workers instead "
                    + "(nnlab worker --store URL --sweep NAME on each machine)");
        }
        if (random == 0 && args.has("search_seed")) throw new Args.UsageException("--search-seed seeds --random K; add --random K");
        if (random > 0 && oneAtATime) {
            throw new Args.UsageException("--one-at-a-time varies a grid around the fixed settings; a --random search draws every "
                    + "hyperparameter at once: give one of them");
        }
        for (String k : ranges.keySet()) {
            if (grid.containsKey(k)) {
                throw new Args.UsageException("--grid " + k + " and --range " + k + " both give " + k + "'s values; give one of them");
            }
        }

        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("kind", kind);
        spec.put("base", base);
        spec.put("grid", grid);
        spec.put("one_at_a_time", oneAtATime);
        if (random > 0) {
            spec.put("random", random);
            spec.put("search_seed", searchSeed);
            Map<String, String> rangeSpec = new LinkedHashMap<>();
            ranges.forEach((k, r) -> rangeSpec.put(k, r.toString()));
            spec.put("ranges", rangeSpec);
        }
        if (prune) spec.put("prune", "median");
        if (shard != FolderStore.Shard.ALL) spec.put("shard", shard.toString());
        List<Sweep.Trial> trials = Args.checked(() -> Sweep.trials(spec));
        if (random > trials.size()) {
            err.println("nnlab sweep: note: " + random + " draws gave " + trials.size() + " distinct trials (the choices allow no more); "
                    + "each runs once");
        }
        // Validate every trial's settings before running any, so a typo fails in a second, not an hour.
        for (Sweep.Trial t : trials) runners.validate(kind, t.settings());
        // Data only where trials run here: a sweep that only enqueues leaves the data to the workers' machines.
        if (store == null || workers > 0) {
            runners.checkData(kind, java.util.stream.IntStream.range(0, trials.size()).filter(i -> store != null || shard.owns(i))
                    .mapToObj(i -> trials.get(i).settings()).toList(), datasets);
        }
        Sweep.TrialRunner runner = runners.forKind(kind, datasets);
        Workers.Options options = Workers.Options.DEFAULT.withPrune(prune).withLease(lease);

        Summary.Outcome outcome;
        String where;
        if (store == null) {
            long mine = java.util.stream.IntStream.range(0, trials.size()).filter(shard::owns).count();
            if (mine == 0) {
                out.println("nnlab sweep: shard " + shard + " has no trials (the sweep has " + trials.size() + "); nothing to do");
                return 0;
            }
            // The folder first: one that is refused (the user's, another sweep's, in use) is refused before anything is printed.
            // The summary and report are written while the folder is still this sweep's.
            try (FolderStore folder = FolderStore.open(dir, spec, trials, shard)) {
                out.printf("nnlab sweep: %d trials of %s %s%s, %d at a time -> %s%n", mine, kind, pos.get(1),
                        shard == FolderStore.Shard.ALL ? "" : " (shard " + shard + " of a sweep of " + trials.size() + ")",
                        Math.min(workers, mine), dir);
                Workers.run(folder, workers, runner, options, out::println);
                outcome = SweepReport.render(dir);
            }
            where = dir.toString();
        } else {
            StoreUrl url = Args.checked(() -> StoreUrl.parse(store));
            if (workers > 0) WorkerCommand.requireWorkerFolder(dir, WorkerCommand.source(url, name));
            PostgresStore.Enqueued enqueued = PostgresStore.enqueue(url, name, spec, trials, lease, dir);
            try (PostgresStore db = enqueued.store()) {
                out.printf("nnlab sweep: %d trials of %s %s in %s: %d added, %d there before%s%n", trials.size(), kind, pos.get(1),
                        db.where(), enqueued.added(), enqueued.existing(), enqueued.retried() > 0 ? " (" + enqueued.retried()
                                + " that had failed queued again)" : "");
                if (workers == 0) {
                    out.println("Enqueued only. On each machine: nnlab worker --store '" + url + "' --sweep " + name
                            + "   (the password from PGPASSWORD or ~/.pgpass); then: nnlab report --store '" + url + "' --sweep " + name
                            + " --out DIR");
                    return 0;
                }
                out.printf("Running %d local worker%s (trial files under %s); workers on other machines may join: nnlab worker "
                        + "--store '%s' --sweep %s%n", workers, workers == 1 ? "" : "s", dir, url, name);
                Workers.run(db, workers, runner, options, out::println);
                outcome = WorkerCommand.report(db, dir);
            }
            where = dir.toString();
        }
        return conclude(outcome, where, out);
    }

    /** The sweep's last lines (its best trial, how its trials ended) and its exit status. */
    static int conclude(Summary.Outcome outcome, String where, PrintStream out) {
        Map<String, Long> counts = counts(outcome);
        boolean anyTrained = counts.containsKey("finished") || counts.containsKey("stopped_early");
        if (!anyTrained) {
            out.println("No trial finished.");
        } else if (outcome.best() == null) {
            out.println("No trial has a dev accuracy to choose the best by (a regression has no dev split): compare the "
                    + "trials' final_test_rmse in " + Path.of(where).resolve(Sweep.SUMMARY));
        } else {
            out.printf("Best trial by dev accuracy: %s (dev acc %.4f), test acc %s%n", outcome.best().trial(),
                    outcome.best().finalDevAcc(), fmt(outcome.best().finalTestAcc()));
        }
        out.println(countLine(counts, outcome.rows().size()) + "; summary, plots and report: " + where);
        return counts.containsKey("failed") || !anyTrained ? 1 : 0;
    }

    /**
     * A sweep's name in a database: it names the workers' folders (runs/NAME) and is typed in commands, so
     * letters, digits, dot, dash and underscore, starting with a letter or digit.
     */
    static void requireName(String name) {
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,99}")) {
            throw new Args.UsageException("--name '" + name + "': a sweep's name is 1 to 100 letters, digits, '.', '-' or '_', "
                    + "starting with a letter or digit (it names the workers' folders), e.g. --name fmnist-lr");
        }
    }

    /** --prune median (stop trials below the finished ones' median dev accuracy at an epoch), or none. */
    static boolean prune(Args args) {
        String p = args.string("prune", "none");
        if (!List.of("median", "none").contains(p)) {
            throw new Args.UsageException("--prune " + p + ": give median (stop a trial whose dev accuracy at an epoch is below the "
                    + "median of the finished trials' at that epoch) or none");
        }
        return p.equals("median");
    }

    /** --lease-seconds S: how long a claimed trial stays a worker's without a heartbeat; default 60. */
    static Duration lease(Args args) {
        double s = args.number("lease_seconds", 60);
        if (!(s >= 1 && s <= 86_400)) {
            throw new Args.UsageException("--lease-seconds " + args.string("lease_seconds", "") + ": give between 1 and 86400 seconds (a heartbeat renews the lease "
                    + "every third of it; a worker silent that long loses its trial to another)");
        }
        return Duration.ofMillis((long) (s * 1000));
    }

    /** --range NAME=LOW..HIGH[:log] for --random K; a range without --random, or --random without anything to draw, is refused. */
    static Map<String, Sweep.Range> ranges(List<String> options, Schema schema, Map<String, String> fixed, int random) {
        if (random < 0) throw new Args.UsageException("--random " + random + ": give the number of trials to draw");
        Map<String, Sweep.Range> ranges = new LinkedHashMap<>();
        for (String r : options) {
            int eq = r.indexOf('=');
            if (eq <= 0) throw new Args.UsageException("--range expects NAME=LOW..HIGH or NAME=LOW..HIGH:log; got '" + r + "'");
            String name = Args.checked(() -> schema.param(Args.normalise(r.substring(0, eq)))).name();
            if (ranges.containsKey(name)) throw new Args.UsageException("--range " + name + " is given twice");
            if (fixed.containsKey(name)) {
                throw new Args.UsageException("-" + name + " " + fixed.get(name) + " is fixed and --range " + r + " draws it: drop one of them");
            }
            ranges.put(name, Args.checked(() -> Sweep.Range.parse(name, r.substring(eq + 1))));
        }
        if (!ranges.isEmpty() && random == 0) {
            throw new Args.UsageException("--range draws values for a random search: add --random K (the number of trials to draw)");
        }
        return ranges;
    }

    /** How many trials ended in each status, in the order the statuses first appear. */
    static Map<String, Long> counts(Summary.Outcome outcome) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (Summary.Row row : outcome.rows()) counts.merge(row.status(), 1L, Long::sum);
        return counts;
    }

    /**
     * "6 trials: 4 finished, 2 diverged": diverged trials are results of the sweep (a learning rate
     * too large), not its failure, so they do not change the exit status, but the last line counts
     * them, as it does failed ones (which a rerun retries, and which make the status 1, as a sweep
     * where no trial trained does).
     */
    static String countLine(Map<String, Long> counts, int trials) {
        List<String> parts = new java.util.ArrayList<>();
        counts.forEach((status, n) -> parts.add(n + " " + status.replace('_', ' ')));
        return trials + " trial" + (trials == 1 ? "" : "s") + ": " + String.join(", ", parts)
                + (counts.containsKey("failed") ? " (rerun the same command to retry the failed ones)" : "");
    }

    /**
     * --parallel N, trials at once: at least 1, by default one per processor. More than the processors
     * is taken as asked (trials that wait on a disk or a slow dataset may want it), with a one-line
     * note: the trials share the processors, so each runs slower, and all hold their memory at once.
     */
    static int parallel(Args args, PrintStream err, String command) {
        int processors = Runtime.getRuntime().availableProcessors();
        int parallel = args.integer("parallel", processors);
        if (parallel < 1) throw new Args.UsageException("--parallel " + parallel + ": trials at once must be at least 1");
        if (parallel > processors) {
            err.println("nnlab " + command + ": note: --parallel " + parallel + " is more than this machine's " + processors
                    + " processors; the trials share them (each runs slower, and all hold their memory at once)");
        }
        return parallel;
    }

    /**
     * The --grid options as name to values. Refused, naming what: a name given twice, a value listed
     * twice (0.1,0.1 or 0.1,0.10: the sweep would silently run one trial for both), an empty value,
     * and, in a full grid, a name also given as a fixed setting (every trial takes a grid value, so
     * the fixed one would be silently dropped; one at a time, the fixed value is the baseline).
     */
    static Map<String, List<String>> grid(List<String> options, Schema schema, Map<String, String> fixed, boolean oneAtATime) {
        return grid(options, schema, fixed, oneAtATime, false);
    }

    /** {@code ranges}: a random search with ranges to draw needs no --grid (its grid lists choices). */
    static Map<String, List<String>> grid(List<String> options, Schema schema, Map<String, String> fixed, boolean oneAtATime,
                                          boolean ranges) {
        Map<String, List<String>> grid = new LinkedHashMap<>();
        for (String g : options) {
            int eq = g.indexOf('=');
            if (eq <= 0) throw new Args.UsageException("--grid expects key=value1,value2,…; got '" + g + "'");
            String name = Args.checked(() -> schema.param(Args.normalise(g.substring(0, eq)))).name();
            List<String> values = List.of(g.substring(eq + 1).split(",", -1));
            if (grid.containsKey(name)) {
                throw new Args.UsageException("--grid " + name + " is given twice (" + String.join(",", grid.get(name)) + " and "
                        + String.join(",", values) + "); list all its values in one --grid " + name + "=v1,v2,…");
            }
            if (fixed.containsKey(name) && !oneAtATime) {
                throw new Args.UsageException("-" + name + " " + fixed.get(name) + " is fixed and --grid " + g + " varies it: in a "
                        + "full grid every trial takes a grid value, so the fixed one would never run. Drop one of them, or add "
                        + "--one-at-a-time to vary " + name + " around the fixed value");
            }
            Map<String, String> seen = new LinkedHashMap<>();
            for (String v : values) {
                if (v.isBlank()) throw new Args.UsageException("--grid " + g + " has an empty value; write --grid " + name + "=v1,v2,…");
                String before = seen.putIfAbsent(Sweep.canonical(v.trim()), v);
                if (before != null) {
                    throw new Args.UsageException("--grid " + g + " lists " + (before.equals(v) ? v + " twice" : before + " and " + v
                            + ", the same value") + "; give each value once");
                }
            }
            grid.put(name, values);
        }
        if (grid.isEmpty() && !ranges) throw new Args.UsageException("give at least one --grid key=value1,value2,… (or, for a random search, "
                + "--random K with --range NAME=LOW..HIGH)");
        return grid;
    }

    private static String fmt(Object v) {
        return v instanceof Number n ? String.format("%.4f", n.doubleValue()) : "–";
    }

    /** A trial's plots are a convenience: failing to draw them must not turn a finished trial into a failed one. */
    static void renderQuietly(Path trialDir) {
        try {
            RunReport.render(trialDir);
        } catch (RuntimeException e) {
            System.err.println("nnlab: could not draw the plots of " + trialDir + " (" + e + "); `nnlab report "
                    + trialDir + "` retries");
        }
    }

    /** How each kind of trial runs, quietly, leaving its files and report. */
    static class Runners {
        /** Checks a trial's settings before any trial runs: a value they refuse is a usage error (exit 2). */
        void validate(String kind, Map<String, String> settings) {
            Args.checked(() -> kind.equals("train") ? TrainConfig.from(settings) : ClassicConfig.from(settings));
        }

        /**
         * Loads the trials' data and makes the checks each run makes before it starts (the data's kind,
         * a dev split, the model's size), before any trial runs: data no trial can use (a bad file, NaN
         * features, a regression dataset for a classifier) is said once, where as a failure of every
         * trial it came with the advice to rerun, which would fail the same way. The settings the checks
         * read make the key, so a grid over learning rates loads and checks its data once.
         */
        void checkData(String kind, List<Map<String, String>> trials, Function<String, CourseData> datasets) {
            java.util.Set<List<String>> checked = new java.util.HashSet<>();
            for (Map<String, String> settings : trials) {
                if (kind.equals("classic")) {
                    ClassicConfig c = ClassicConfig.from(settings);
                    if (checked.add(List.of(c.model(), c.data(), "" + c.hiddenSize(), "" + c.layers()))) {
                        ClassicRun.checked(c, datasets.apply(c.data()));
                    }
                } else {
                    TrainConfig c = TrainConfig.from(settings);
                    if (checked.add(List.of(c.model(), c.data(), "" + c.hiddenSize(), "" + c.layers()))) {
                        TrainRun.checked(c, datasets.apply(c.data()));
                    }
                }
            }
        }

        Sweep.TrialRunner forKind(String kind, Function<String, CourseData> datasets) {
            return new Sweep.TrialRunner() {
                @Override
                public Map<String, Object> run(Map<String, String> settings, Path dir) {
                    return run(settings, dir, record -> {});
                }

                @Override
                public Map<String, Object> run(Map<String, String> settings, Path dir, Consumer<EpochRecord> onEpoch) {
                    Map<String, Object> result;
                    if (kind.equals("classic")) {
                        ClassicConfig c = ClassicConfig.from(settings);
                        result = ClassicRun.run(c, datasets.apply(c.data()), dir, onEpoch);
                    } else {
                        TrainConfig c = TrainConfig.from(settings);
                        result = TrainRun.run(c, datasets.apply(c.data()), dir, new TrainRun.Output() {
                            @Override
                            public void onEpoch(EpochRecord record) {
                                onEpoch.accept(record);
                            }

                            @Override
                            public void diverged(EpochRecord record) {
                                onEpoch.accept(record);
                            }
                        });
                    }
                    renderQuietly(dir);
                    return result;
                }

                @Override
                public void complete(Path dir) {
                    renderQuietly(dir);
                }
            };
        }
    }
}
