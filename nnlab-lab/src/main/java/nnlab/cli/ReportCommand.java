package nnlab.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nnlab.experiment.store.Summary;
import nnlab.experiment.Sweep;
import nnlab.experiment.store.FolderStore;
import nnlab.experiment.store.PostgresStore;
import nnlab.experiment.store.StoreUrl;
import nnlab.experiment.store.TrialRecord;
import nnlab.report.RunReport;
import nnlab.report.SweepReport;

/**
 * {@code nnlab report}: rebuilds the plots and report of a run, sweep or homework folder from its files;
 * of a sweep in a database ({@code --store URL --sweep NAME --out DIR}); or of a sweep run as shards
 * ({@code nnlab report SHARD_DIR… --out DIR}: the shards' folders merged into one summary).
 */
final class ReportCommand {
    private ReportCommand() {}

    static int run(Args args, PrintStream out) {
        boolean pdf = args.flag("pdf");
        String store = args.string("store", null), sweep = args.string("sweep", null), outDir = args.string("out", null);
        args.rejectUnknown("report");
        List<String> dirs = args.positional();
        Path dir;
        if (store != null) {
            if (sweep == null || outDir == null || !dirs.isEmpty()) {
                throw new Args.UsageException("usage: nnlab report --store URL --sweep NAME --out DIR [--pdf]");
            }
            StoreUrl url = Args.checked(() -> StoreUrl.parse(store));
            dir = Path.of(outDir);
            try (PostgresStore db = PostgresStore.attach(url, sweep, Duration.ofSeconds(60), dir)) {
                WorkerCommand.requireWorkerFolder(dir, WorkerCommand.source(url, sweep));
                Summary.Outcome outcome = WorkerCommand.report(db, dir);
                out.println(SweepCommand.countLine(SweepCommand.counts(outcome), outcome.rows().size()));
            }
        } else if (dirs.size() > 1 || outDir != null) {
            if (dirs.isEmpty() || outDir == null) {
                throw new Args.UsageException("usage: nnlab report SHARD_DIR SHARD_DIR … --out DIR (merges the folders of one sweep's "
                        + "--shard jobs), or nnlab report DIR");
            }
            dir = Path.of(outDir);
            Summary.Outcome outcome = mergeShards(dirs.stream().map(Path::of).toList(), dir);
            out.println(SweepCommand.countLine(SweepCommand.counts(outcome), outcome.rows().size()));
        } else {
            if (sweep != null) throw new Args.UsageException("--sweep names a sweep in a database: add --store URL");
            if (dirs.size() != 1) throw new Args.UsageException("usage: nnlab report DIR [--pdf]");
            dir = Path.of(dirs.get(0));
            if (!Files.isDirectory(dir)) {
                throw new IllegalArgumentException(dir + (Files.exists(dir) ? " is a file" : " does not exist")
                        + "; give the folder of a run, sweep or homework (the --out it was given)");
            }
            if (Files.exists(dir.resolve(HomeworkCommand.HOMEWORK))) {
                HomeworkCommand.rebuildReport(dir);
            } else if (Files.exists(dir.resolve(Sweep.SPEC))) {
                SweepReport.render(dir);
            } else if (Files.exists(dir.resolve("metrics.csv"))) {
                RunReport.render(dir);
            } else {
                throw new IllegalArgumentException(dir + " holds no run (metrics.csv), sweep (sweep.json) or homework "
                        + "(homework.json); give the folder a command wrote with --out");
            }
        }
        out.println("rebuilt " + dir.resolve("report.html") + " and " + dir.resolve("report.md"));
        if (pdf) out.println("printed " + nnlab.report.Pdf.print(dir));
        return 0;
    }

    /**
     * One summary and report of a sweep run as {@code --shard I/N} jobs: each folder must hold a shard of
     * the same sweep (the same specification but for its shard); each trial is taken from the shard that
     * ran it. Missing shards leave their trials "not run".
     */
    static Summary.Outcome mergeShards(List<Path> shards, Path dir) {
        Map<String, Object> common = null;
        Map<Integer, TrialRecord> merged = new LinkedHashMap<>();
        Map<Integer, Path> from = new LinkedHashMap<>();
        List<Sweep.Trial> trials = null;
        for (Path shardDir : shards) {
            if (!Files.isRegularFile(shardDir.resolve(Sweep.SPEC))) {
                throw new IllegalArgumentException(shardDir + " holds no sweep (sweep.json); give the --out folders of the sweep's "
                        + "--shard jobs");
            }
            Map<String, Object> spec = new LinkedHashMap<>(Sweep.readSpec(shardDir));
            Object shardText = spec.remove("shard");
            FolderStore.Shard shard = shardText == null ? FolderStore.Shard.ALL : FolderStore.Shard.parse(String.valueOf(shardText));
            if (common == null) {
                common = spec;
                trials = Sweep.trials(spec);
            } else if (!nnlab.experiment.Json.toString(common).equals(nnlab.experiment.Json.toString(spec))) {
                throw new IllegalArgumentException(shardDir + " holds another sweep (" + Sweep.summary(spec) + ") than " + shards.get(0)
                        + " (" + Sweep.summary(common) + "); merge only the shards of one sweep");
            }
            for (TrialRecord r : FolderStore.records(shardDir, trials)) {
                if (!shard.owns(r.index())) continue;
                if (from.containsKey(r.index())) {
                    throw new IllegalArgumentException(shardDir + " and " + from.get(r.index()) + " both ran trial " + (r.index() + 1)
                            + " (" + r.trial().name() + "): give each shard's folder once");
                }
                merged.put(r.index(), r);
                from.put(r.index(), shardDir);
            }
        }
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("shards", shards.stream().map(p -> p.toAbsolutePath().normalize().toString()).toList());
        WorkerCommand.requireWorkerFolder(dir, source);
        List<TrialRecord> records = new ArrayList<>();
        for (int i = 0; i < trials.size(); i++) {
            records.add(merged.getOrDefault(i, new TrialRecord(i, trials.get(i), "not run", null, List.of(), null, 0)));
        }
        Map<Integer, Path> owners = from;
        List<Sweep.Trial> all = trials;
        return SweepReport.render(dir, "nnlab sweep: " + ((Map<?, ?>) common.get("base")).get("model") + " (" + shards.size()
                + " shards merged)", common, records, r -> owners.containsKey(r.index())
                ? Sweep.trialDir(owners.get(r.index()), r.index(), all.get(r.index())).toString()
                : String.format("%02d-%s", r.index() + 1, r.trial().name()));
    }
}
