package nnlab.experiment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.stream.Stream;
import nnlab.data.AtomicWrite;
import nnlab.metrics.EpochRecord;

/**
 * The folder a run leaves behind (DESIGN.md): {@code config.json}, {@code metrics.csv} (rewritten
 * after every epoch, so a killed run keeps what it finished), {@code result.json} (written last: its
 * presence marks the run finished), a checkpoint, plots and reports. Every file is written atomically.
 */
public final class RunDirectory implements AutoCloseable {
    public static final String CONFIG = "config.json";
    public static final String METRICS = "metrics.csv";
    public static final String RESULT = "result.json";
    public static final String CHECKPOINT = "best.npz";

    private final Path dir;
    private final List<EpochRecord> records = new ArrayList<>();
    private FolderLock lock;
    /** The rewrite of config.json with the data's hash ({@link #begin(RunConfig, Map, Supplier)}), or null. */
    private CompletableFuture<Void> hashWritten;

    public RunDirectory(Path dir) {
        this.dir = dir;
    }

    /**
     * Opens a folder for a new run, held until {@link #close()}: refuses a folder of the user's
     * ({@link #requireOwnOrEmpty}), then locks it, so that a second run on the same folder is refused
     * while this one runs.
     */
    public static RunDirectory open(Path dir) {
        requireOwnOrEmpty(dir, "the run", RUN_FILES, CONFIG, "provenance");
        RunDirectory run = new RunDirectory(dir);
        run.lock = FolderLock.acquire(dir, "run");
        return run;
    }

    /**
     * Waits for config.json to carry the data's hash (if {@link #begin(RunConfig, Map, Supplier)} is still
     * computing it), so that a run that ends in any way but being killed leaves it complete; then
     * releases the folder's lock (if {@link #open} took one).
     */
    @Override
    public void close() {
        try {
            awaitConfig();
        } finally {
            if (lock != null) lock.close();
            lock = null;
        }
    }

    public Path path() {
        return dir;
    }

    public Path file(String name) {
        return dir.resolve(name);
    }

    /** Deletes a run folder and everything in it, deepest first; a folder that does not exist is left alone. */
    public static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    /**
     * True when {@code result.json} exists and gives a status other than failed: the run finished (or
     * diverged) and its files are complete. A failed run is not finished, so a resumed sweep retries it;
     * nor is one whose result.json cannot be read or has no status.
     */
    public static boolean isFinished(Path dir) {
        if (!Files.isRegularFile(dir.resolve(RESULT))) return false;
        try {
            // A status that is not a word ({} from a hand edit, a number) is as unreadable as a truncated file.
            return readResult(dir).get("status") instanceof String status && !status.equals("failed");
        } catch (RuntimeException unreadable) {
            return false; // a truncated or hand-edited result.json: the run is redone, not trusted
        }
    }

    /** The names a run's folder holds: its files, its charts (PNG and SVG), its lock. */
    public static final java.util.Set<String> RUN_FILES = java.util.Set.of(CONFIG, METRICS, RESULT, CHECKPOINT, "report.html",
            "report.md", "report.pdf", FolderLock.FILE, "loss.png", "loss.svg", "accuracy.png", "accuracy.svg", "weight_norm.png",
            "weight_norm.svg", "dist_to_analytic.png", "dist_to_analytic.svg", FeatureMaps.FILE, "filters.png", "feature_maps.png");

    /**
     * Refuses an output folder that is not nnlab's for this kind of work: one that holds anything
     * but {@code ownNames} (and the temporary files of a killed write), or whose {@code marker} file
     * (config.json, sweep.json, homework.json) is not nnlab's — unreadable, or without
     * {@code markerKey}. nnlab never writes into, or clears, a folder of the user's. A folder that
     * does not exist, or is empty, is fine.
     *
     * @param what what would be written there, for the message ("the run", "the sweep")
     */
    public static void requireOwnOrEmpty(Path dir, String what, java.util.Set<String> ownNames, String marker, String markerKey) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--out " + dir + " is a file, not a folder; nothing was changed. Choose a new folder for " + what);
        }
        if (!Files.isDirectory(dir)) return;
        List<String> foreign;
        try (Stream<Path> entries = Files.list(dir)) {
            foreign = entries.map(p -> p.getFileName().toString())
                    .filter(name -> !ownNames.contains(name) && !AtomicWrite.isTemporary(name)).sorted().toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read the output folder " + dir + ": " + FolderLock.reason(e), e);
        }
        String other = Files.exists(dir.resolve(marker)) ? null : otherWork(dir);
        if (!foreign.isEmpty() && other != null) {
            throw new IllegalArgumentException("--out " + dir + " holds " + other + " of nnlab's, not " + what + "; nothing was "
                    + "changed. Choose another --out");
        }
        if (!foreign.isEmpty()) {
            throw new IllegalArgumentException("--out " + dir + " already holds files that nnlab did not write there for "
                    + what + " (" + String.join(", ", foreign.subList(0, Math.min(4, foreign.size())))
                    + (foreign.size() > 4 ? ", …" : "") + "); nothing was changed. Choose a new or empty folder");
        }
        Path markerFile = dir.resolve(marker);
        if (Files.exists(markerFile)) {
            boolean ours;
            try {
                ours = Json.read(markerFile).containsKey(markerKey);
            } catch (RuntimeException e) {
                ours = false;
            }
            if (!ours) {
                throw new IllegalArgumentException("--out " + dir + " holds a " + marker + " that nnlab did not write there (or "
                        + "that is damaged); nothing was changed. Choose a new or empty folder for " + what);
            }
        }
    }

    /** What other work of nnlab's a folder holds, by its marker file ("a run", "a sweep", "a homework"), or null. */
    private static String otherWork(Path dir) {
        for (String[] marker : new String[][] {{CONFIG, "provenance", "a run"}, {Sweep.SPEC, "grid", "a sweep"},
                {"homework.json", "edition", "a homework"}}) {
            try {
                if (Files.isRegularFile(dir.resolve(marker[0])) && Json.read(dir.resolve(marker[0])).containsKey(marker[1])) {
                    return marker[2];
                }
            } catch (RuntimeException unreadable) {
                // Not nnlab's, or damaged: the folder is then reported as holding files nnlab did not write.
            }
        }
        return null;
    }

    /**
     * Starts a run in this folder: refuses a folder of the user's ({@link #requireOwnOrEmpty}) and a
     * finished run (its result and checkpoint are kept: a new run goes elsewhere); then removes the
     * metrics a killed run left, so a rerun never looks finished with another run's figures, and
     * writes config.json.
     */
    public void begin(RunConfig config, Map<String, Object> provenance) {
        if (lock == null) requireOwnOrEmpty(dir, "the run", RUN_FILES, CONFIG, "provenance");
        Object kind = Files.isRegularFile(file(CONFIG)) ? readConfig(dir).get("kind") : config.kind();
        if (!config.kind().equals(kind)) {
            throw new IllegalArgumentException("--out " + dir + " holds a " + kind + " run, not a " + config.kind()
                    + " one; nothing was changed. Choose another --out");
        }
        if (Files.isRegularFile(file(RESULT))) {
            throw new IllegalArgumentException("--out " + dir + " holds a finished run (" + RESULT + "); nothing was changed. "
                    + "Choose another --out, or delete that folder to run it again");
        }
        removeStrayTemporaries(dir);
        try {
            for (String f : new String[] {RESULT, CHECKPOINT, METRICS}) Files.deleteIfExists(file(f));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot clear " + dir + " for a new run: " + e.getMessage(), e);
        }
        writeConfig(config, provenance);
    }

    /**
     * {@link #begin(RunConfig, Map)} without waiting for the data's hash, a pass over every value of the
     * dataset that the first training step would otherwise wait for: config.json is written at once
     * with {@code provenance} (from {@link Provenance#withoutHash}), and written again, with the hash
     * {@code dataHash} computes on a thread of its own, as soon as it is known. {@link #config()} and
     * {@link #close()} wait for that. A run killed before then leaves a config.json without the hash.
     */
    public void begin(RunConfig config, Map<String, Object> provenance, Supplier<String> dataHash) {
        begin(config, provenance);
        hashWritten = CompletableFuture.runAsync(() -> writeConfig(config, Provenance.withDataHash(provenance, dataHash.get())),
                task -> Thread.ofPlatform().daemon().name("nnlab-data-hash").start(task));
    }

    /** config.json as this run wrote it, with the data's hash in it (waits for {@link #begin(RunConfig, Map, Supplier)}'s). */
    public Map<String, Object> config() {
        awaitConfig();
        return readConfig(dir);
    }

    private void awaitConfig() {
        CompletableFuture<Void> written = hashWritten;
        if (written == null) return;
        try {
            written.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error r) throw r;
            throw e;
        }
    }

    /** Deletes the temporary files a process killed mid-write left in {@code dir} (see {@link AtomicWrite#isTemporary}). */
    public static void removeStrayTemporaries(Path dir) {
        if (!Files.isDirectory(dir)) return;
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path p : entries.filter(p -> AtomicWrite.isTemporary(p.getFileName().toString())).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot clear the leftovers of a killed run in " + dir + ": " + FolderLock.reason(e), e);
        }
    }

    /** Writes config.json: the run's kind, the resolved settings and the provenance. */
    public void writeConfig(RunConfig config, Map<String, Object> provenance) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("kind", config.kind());
        json.putAll(config.toMap());
        json.put("provenance", provenance);
        Json.write(file(CONFIG), json);
    }

    /** Adds one epoch and rewrites metrics.csv. */
    public void addEpoch(EpochRecord record) {
        records.add(record);
        MetricsCsv.write(file(METRICS), records);
    }

    public List<EpochRecord> records() {
        return List.copyOf(records);
    }

    /** Writes result.json: the final figures, the settings and the provenance. */
    public void writeResult(Map<String, Object> result) {
        Json.write(file(RESULT), result);
    }

    /** The settings of a finished or started run, read back from config.json. */
    public static Map<String, Object> readConfig(Path dir) {
        return Json.read(dir.resolve(CONFIG));
    }

    public static Map<String, Object> readResult(Path dir) {
        return Json.read(dir.resolve(RESULT));
    }

    public static List<EpochRecord> readMetrics(Path dir) {
        return MetricsCsv.read(dir.resolve(METRICS));
    }
}
