package nnlab.experiment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import nnlab.metrics.EpochRecord;

/**
 * The folder a run leaves behind (DESIGN.md): {@code config.json}, {@code metrics.csv} (rewritten
 * after every epoch, so a killed run keeps what it finished), {@code result.json} (written last: its
 * presence marks the run finished), a checkpoint, plots and reports. Every file is written atomically.
 */
public final class RunDirectory {
    public static final String CONFIG = "config.json";
    public static final String METRICS = "metrics.csv";
    public static final String RESULT = "result.json";
    public static final String CHECKPOINT = "best.npz";

    private final Path dir;
    private final List<EpochRecord> records = new ArrayList<>();

    public RunDirectory(Path dir) {
        this.dir = dir;
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
     * True when {@code result.json} exists and does not say the run failed: the run finished (or
     * diverged) and its files are complete. A failed run is not finished, so a resumed sweep retries it.
     */
    public static boolean isFinished(Path dir) {
        if (!Files.isRegularFile(dir.resolve(RESULT))) return false;
        return !"failed".equals(readResult(dir).get("status"));
    }

    /**
     * Starts a run in this folder: removes the result, checkpoint and metrics a previous run left, so
     * a rerun killed midway never looks finished with another run's result, then writes config.json.
     */
    public void begin(RunConfig config, Map<String, Object> provenance) {
        try {
            for (String f : new String[] {RESULT, CHECKPOINT, METRICS}) Files.deleteIfExists(file(f));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot clear " + dir + " for a new run: " + e.getMessage(), e);
        }
        writeConfig(config, provenance);
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
