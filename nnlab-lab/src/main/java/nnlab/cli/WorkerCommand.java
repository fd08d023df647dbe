package nnlab.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import nnlab.experiment.store.Summary;
import nnlab.data.CourseData;
import nnlab.experiment.Json;
import nnlab.experiment.Sweep;
import nnlab.experiment.store.PostgresStore;
import nnlab.experiment.store.StoreUrl;
import nnlab.experiment.store.TrialRecord;
import nnlab.experiment.store.Workers;
import nnlab.report.SweepReport;

/**
 * {@code nnlab worker --store URL [--sweep NAME]}: on any machine, claims and runs a sweep's trials until
 * every one has ended, waiting while other workers hold the rest and taking over those whose lease
 * expires. The trials' files (checkpoints, plots) stay in this machine's --out; their epochs and results
 * go to the store.
 */
final class WorkerCommand {
    private WorkerCommand() {}

    static int run(Args args, PrintStream out, PrintStream err, Function<String, CourseData> datasets, SweepCommand.Runners runners) {
        args.rejectPositional("worker");
        String store = args.string("store", null);
        String sweep = args.string("sweep", null);
        Duration lease = SweepCommand.lease(args);
        int parallel = args.has("parallel") ? SweepCommand.parallel(args, err, "worker") : 1;
        String outOption = args.string("out", null);
        args.rejectUnknown("worker");
        if (store == null) {
            throw new Args.UsageException("give --store postgresql://HOST/DB?user=… (the database the sweep was started in, with "
                    + "nnlab sweep … --store URL --name NAME)");
        }
        StoreUrl url = Args.checked(() -> StoreUrl.parse(store));
        if (sweep == null) {
            List<PostgresStore.SweepInfo> open = PostgresStore.sweeps(url).stream().filter(s -> s.queued() + s.running() > 0).toList();
            if (open.isEmpty()) {
                out.println("nnlab worker: every sweep in " + url + " has ended; nothing to do");
                return 0;
            }
            if (open.size() > 1) {
                throw new Args.UsageException("the store " + url + " has " + open.size() + " sweeps with trials to run ("
                        + String.join(", ", open.stream().map(s -> s.name() + ": " + (s.queued() + s.running()) + " of " + s.trials())
                        .toList()) + "); say which with --sweep NAME");
            }
            sweep = open.get(0).name();
        }
        SweepCommand.requireName(sweep);
        Path dir = outOption != null ? Path.of(outOption) : Path.of("runs", sweep);
        // The sweep first: a folder is taken (its source.json written) only for a sweep that exists.
        try (PostgresStore db = PostgresStore.attach(url, sweep, lease, dir)) {
            requireWorkerFolder(dir, source(url, sweep));
            Map<String, Object> spec = db.spec();
            String kind = String.valueOf(spec.get("kind"));
            if (!List.of("train", "classic").contains(kind)) {
                throw new IllegalStateException("sweep " + sweep + " in " + url + " is of kind '" + kind + "', which this nnlab cannot run");
            }
            for (Sweep.Trial t : db.trials()) runners.validate(kind, t.settings());
            Workers.Options options = Workers.Options.DEFAULT.withLease(lease).withPrune("median".equals(spec.get("prune")));
            int waiting = db.unfinished();
            out.printf("nnlab worker %s: sweep %s in %s, %d of %d trials to run, %d at a time, lease %s s; trial files under %s%n",
                    options.worker(), sweep, url, waiting, db.trials().size(), parallel, lease.toMillis() / 1000.0, dir);
            Workers.run(db, parallel, runners.forKind(kind, datasets), options, out::println);
            Summary.Outcome outcome = Summary.of(db.records(), r -> r.trial().name());
            Map<String, Long> counts = SweepCommand.counts(outcome);
            out.println("nnlab worker: every trial of sweep " + sweep + " has ended: " + SweepCommand.countLine(counts, outcome.rows().size())
                    .replace(" (rerun the same command to retry the failed ones)", "") + (counts.containsKey("failed")
                    ? "; to retry the failed ones, enqueue the sweep again (its nnlab sweep … --store command) and start workers" : "")
                    + ". Report: nnlab report --store '" + url + "' --sweep " + sweep + " --out DIR");
            // Every trial has ended, which is what a worker is for: its exit says whether it could work, while
            // a failed trial (on any machine) is in the line above, the report, and queued again by re-enqueuing.
            return 0;
        }
    }

    /** The file that says whose trials and reports a folder holds: a store's sweep, or merged shards. */
    static final String SOURCE = "source.json";

    /**
     * Takes {@code dir} for the trials and reports of {@code source} (a store and a sweep's name, or the
     * shards merged): a new or empty folder, or one that already holds this source's. A folder of the
     * user's, a folder's sweep, or another sweep's trials are refused, nothing in them touched: a worker
     * clears the folders of the trials it runs, and a report replaces summary.csv and the plots.
     */
    static void requireWorkerFolder(Path dir, Map<String, Object> source) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--out " + dir + " is a file, not a folder; nothing was changed. Choose a folder for the trials");
        }
        if (Files.isDirectory(dir)) {
            List<String> entries;
            try (Stream<Path> list = Files.list(dir)) {
                entries = list.map(p -> p.getFileName().toString()).sorted().toList();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read --out " + dir + ": " + e.getMessage(), e);
            }
            if (!entries.isEmpty()) {
                Path marker = dir.resolve(SOURCE);
                Map<String, Object> held = null;
                if (Files.isRegularFile(marker)) {
                    try {
                        held = Json.read(marker);
                    } catch (RuntimeException unreadable) {
                        held = null;
                    }
                }
                if (held == null) {
                    List<String> shown = entries.subList(0, Math.min(5, entries.size()));
                    throw new IllegalArgumentException("--out " + dir + " holds " + (entries.contains(Sweep.SPEC) ? "a sweep of its own (sweep.json)"
                            : "files that nnlab's workers and reports did not write there (" + String.join(", ", shown)
                            + (entries.size() > 5 ? ", …" : "") + ")") + "; nothing was changed. Choose a new or empty folder");
                }
                if (!Json.toString(held).equals(Json.toString(source))) {
                    throw new IllegalArgumentException("--out " + dir + " holds the trials or report of " + describe(held) + ", not of "
                            + describe(source) + "; nothing was changed. Choose another folder (each sweep its own)");
                }
                return;
            }
        }
        Json.write(dir.resolve(SOURCE), source);
    }

    /** A store's sweep as {@link #SOURCE} records it: the URL without its password, and the name. */
    static Map<String, Object> source(StoreUrl url, String sweep) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("store", url.toString());
        m.put("sweep", sweep);
        return m;
    }

    private static String describe(Map<String, Object> source) {
        return source.containsKey("sweep") ? "sweep " + source.get("sweep") + " in " + source.get("store")
                : "the shards " + source.get("shards");
    }

    /** The sweep's summary.csv, plots and report from the store, into {@code dir}. */
    static Summary.Outcome report(PostgresStore db, Path dir) {
        List<TrialRecord> records = db.records();
        String title = "nnlab sweep " + db.name() + ": " + ((Map<?, ?>) db.spec().get("base")).get("model");
        return SweepReport.render(dir, title, db.spec(), records, r -> String.format("%02d-%s", r.index() + 1, r.trial().name()));
    }
}
