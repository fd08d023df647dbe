package nnlab.experiment.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import nnlab.experiment.FolderLock;
import nnlab.experiment.RunDirectory;
import nnlab.experiment.Sweep;
import nnlab.metrics.EpochRecord;

/**
 * A sweep in one folder, the embedded default: {@code sweep.json}, and one run folder per trial under
 * {@code trials/} whose {@code result.json} says it ended. One process runs the sweep (it holds the
 * folder's lock), so a claim never expires. A trial killed before its result is run again from scratch;
 * a failed one is retried by the next run.
 *
 * <p>A shard ({@code --shard I/N}) runs the trials whose number modulo N is I − 1 into its own folder,
 * for job arrays without a database; {@code nnlab report} merges the shards' folders.
 */
public final class FolderStore implements TrialStore {
    private final Path dir;
    private final Map<String, Object> spec;
    private final List<Sweep.Trial> trials;
    private final Shard shard;
    private final FolderLock lock;
    private final Set<Integer> claimed = new HashSet<>();
    private final Set<Integer> endedHere = ConcurrentHashMap.newKeySet();
    private final List<Claim> previouslyFinished = new ArrayList<>();
    private final Map<Integer, List<EpochRecord>> finishedEpochs = new ConcurrentHashMap<>();

    /** Which part of a sweep a folder runs: {@code index}-th of {@code count} (1-based), or all of it. */
    public record Shard(int index, int count) {
        public static final Shard ALL = new Shard(1, 1);

        public Shard {
            if (count < 1 || index < 1 || index > count) {
                throw new IllegalArgumentException("--shard " + index + "/" + count + ": give I/N with 1 ≤ I ≤ N, e.g. --shard 2/3");
            }
        }

        /** "2/3" → the second of three shards. */
        public static Shard parse(String text) {
            String[] parts = text.strip().split("/", -1);
            try {
                if (parts.length == 2) return new Shard(Integer.parseInt(parts[0].strip()), Integer.parseInt(parts[1].strip()));
            } catch (NumberFormatException e) {
                // said below
            }
            throw new IllegalArgumentException("--shard '" + text + "': give I/N, this job's number and the number of jobs, "
                    + "e.g. --shard 2/3 (in a Slurm array: --shard $((SLURM_ARRAY_TASK_ID+1))/$SLURM_ARRAY_TASK_COUNT)");
        }

        /** Trial {@code i} (0-based) belongs to this shard. */
        public boolean owns(int i) {
            return i % count == index - 1;
        }

        @Override
        public String toString() {
            return index + "/" + count;
        }
    }

    private FolderStore(Path dir, Map<String, Object> spec, List<Sweep.Trial> trials, Shard shard, FolderLock lock) {
        this.dir = dir;
        this.spec = spec;
        this.trials = trials;
        this.shard = shard;
        this.lock = lock;
    }

    /**
     * Opens {@code dir} for running the sweep {@code spec} describes: refuses a folder of the user's and one
     * holding another sweep, takes the folder's lock (before writing sweep.json, so of two sweeps started
     * on one folder the second is refused before it can replace the first's), removes what a kill left.
     */
    public static FolderStore open(Path dir, Map<String, Object> spec, List<Sweep.Trial> trials, Shard shard) {
        RunDirectory.requireOwnOrEmpty(dir, "the sweep", Sweep.SWEEP_FILES, Sweep.SPEC, "grid");
        FolderLock lock = FolderLock.acquire(dir, "sweep");
        try {
            RunDirectory.removeStrayTemporaries(dir);
            Sweep.keepSpec(dir, spec);
            FolderStore store = new FolderStore(dir, spec, trials, shard, lock);
            for (int i = 0; i < trials.size(); i++) {
                Path trialDir = Sweep.trialDir(dir, i, trials.get(i));
                if (shard.owns(i) && RunDirectory.isFinished(trialDir)) store.previouslyFinished.add(new Claim(i, trials.get(i), 0, 1, trialDir, null));
            }
            return store;
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /** Runs a sweep in a folder, {@code parallel} trials at a time (all of it: no shard). */
    public static Summary.Outcome run(Path dir, Map<String, Object> spec, List<Sweep.Trial> trials, int parallel, Sweep.TrialRunner runner,
                                    java.util.function.Consumer<String> log) {
        try (FolderStore store = open(dir, spec, trials, Shard.ALL)) {
            Workers.run(store, parallel, runner, Workers.Options.DEFAULT, log);
        }
        return Summary.of(dir, trials);
    }

    @Override
    public String where() {
        return dir.toString();
    }

    @Override
    public Map<String, Object> spec() {
        return spec;
    }

    @Override
    public List<Sweep.Trial> trials() {
        return trials;
    }

    /** The trials of this folder's shard that ended in an earlier run: skipped, their files completed if a kill cut them short. */
    public List<Claim> previouslyFinished() {
        return List.copyOf(previouslyFinished);
    }

    @Override
    public synchronized Optional<Claim> claim(String worker) {
        for (int i = 0; i < trials.size(); i++) {
            if (!shard.owns(i) || claimed.contains(i)) continue;
            Path trialDir = Sweep.trialDir(dir, i, trials.get(i));
            if (RunDirectory.isFinished(trialDir)) continue;
            claimed.add(i);
            return Optional.of(new Claim(i, trials.get(i), 0, 1, trialDir, null));
        }
        return Optional.empty();
    }

    @Override
    public synchronized int unfinished() {
        int n = 0;
        for (int i = 0; i < trials.size(); i++) {
            if (shard.owns(i) && !endedHere.contains(i) && !RunDirectory.isFinished(Sweep.trialDir(dir, i, trials.get(i)))) n++;
        }
        return n;
    }

    @Override
    public boolean leasesExpire() {
        return false;
    }

    @Override
    public boolean renew(Claim claim) {
        return true;
    }

    /** The run writes its own metrics.csv in the trial's folder. */
    @Override
    public boolean epoch(Claim claim, EpochRecord record) {
        return true;
    }

    /** The run wrote its result.json (a failed or pruned trial's is written by {@link Workers}). */
    @Override
    public boolean finish(Claim claim, TrialResult result) {
        endedHere.add(claim.index());
        return true;
    }

    @Override
    public List<TrialRecord> records() {
        return records(dir, trials);
    }

    /** A sweep folder's trials as they stand, read from their folders (any process may read, no lock needed). */
    public static List<TrialRecord> records(Path dir, List<Sweep.Trial> trials) {
        List<TrialRecord> out = new ArrayList<>();
        for (int i = 0; i < trials.size(); i++) {
            Path trialDir = Sweep.trialDir(dir, i, trials.get(i));
            TrialResult result = null;
            if (Files.isRegularFile(trialDir.resolve(RunDirectory.RESULT))) {
                try {
                    result = TrialResult.of(RunDirectory.readResult(trialDir));
                } catch (RuntimeException unreadable) {
                    result = null; // a truncated result.json: the trial is redone, so it counts as not run
                }
            }
            List<EpochRecord> epochs = Files.exists(trialDir.resolve(RunDirectory.METRICS)) ? RunDirectory.readMetrics(trialDir) : List.of();
            out.add(new TrialRecord(i, trials.get(i), result == null ? "not run" : result.status(), result, epochs, null, 0));
        }
        return out;
    }

    @Override
    public List<Double> finishedDevAccuracies(int epoch) {
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < trials.size(); i++) {
            if (!shard.owns(i)) continue;
            List<EpochRecord> epochs = finishedEpochs.computeIfAbsent(i, k -> {
                Path trialDir = Sweep.trialDir(dir, k, trials.get(k));
                if (!RunDirectory.isFinished(trialDir)) return null; // not cached: it may finish later
                Object status = RunDirectory.readResult(trialDir).get("status");
                return "finished".equals(status) || "stopped_early".equals(status) ? RunDirectory.readMetrics(trialDir) : List.of();
            });
            if (epochs == null) continue;
            for (EpochRecord r : epochs) if (r.epoch() == epoch && !Double.isNaN(r.devAccuracy())) out.add(r.devAccuracy());
        }
        return out;
    }

    @Override
    public void close() {
        lock.close();
    }
}
