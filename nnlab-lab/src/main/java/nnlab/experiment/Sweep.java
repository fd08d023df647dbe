package nnlab.experiment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * A hyperparameter sweep: a stream of settings, one trial folder each, run in parallel, resumable.
 *
 * <p>{@code grid} lists values per hyperparameter. The full grid is every combination; one at a
 * time (the course's way of tuning) varies one hyperparameter while the others keep the base
 * settings, and shares the trial of the base values. A trial whose folder has {@code result.json}
 * is finished and is skipped on a rerun; a trial killed before that is run again from scratch.
 * The best trial is the one with the highest final dev accuracy ({@link Outcome#best}); the reports
 * choose a regression sweep's by its lowest RMSE ({@link #best(List)}).
 */
public final class Sweep {
    public static final String SPEC = "sweep.json";
    public static final String SUMMARY = "summary.csv";
    /** The names a sweep's folder holds. */
    static final java.util.Set<String> SWEEP_FILES = java.util.Set.of(SPEC, SUMMARY, "report.html", "report.md", "report.pdf", "plots", "trials",
            FolderLock.FILE);
    /** The last file a trial's runner writes; a finished trial without it is completed on resume. */
    public static final String REPORT = "report.html";
    /** The most trials one sweep runs: a larger grid is almost always a mistake (a value list pasted twice). */
    public static final int MAX_TRIALS = 10_000;

    /** Runs one trial: its settings, its folder; returns its result map (as written to result.json). */
    public interface TrialRunner {
        Map<String, Object> run(Map<String, String> settings, Path dir);

        /**
         * Completes a finished trial's folder when a kill came between its result.json and its
         * report (the files written after the result): rebuilds what is missing. Called on resume.
         */
        default void complete(Path dir) {}
    }

    /** A trial: a name made of the varied settings, and the full settings. */
    public record Trial(String name, Map<String, String> varied, Map<String, String> settings) {}

    /**
     * The trials a stored sweep specification describes: {@code base} (settings), {@code grid}
     * (lists of values) and {@code one_at_a_time}, as {@code sweep.json} holds them.
     */
    @SuppressWarnings("unchecked")
    public static List<Trial> trials(Map<String, Object> spec) {
        Map<String, String> base = new LinkedHashMap<>();
        ((Map<String, Object>) spec.get("base")).forEach((k, v) -> base.put(k, String.valueOf(v)));
        Map<String, List<String>> grid = new LinkedHashMap<>();
        ((Map<String, Object>) spec.get("grid")).forEach((k, v) ->
                grid.put(k, ((List<Object>) v).stream().map(String::valueOf).toList()));
        return trials(base, grid, Boolean.TRUE.equals(spec.get("one_at_a_time")));
    }

    /** What the sweep found; {@code best} is null when no trial finished. */
    public record Outcome(List<Map<String, Object>> rows, Map<String, Object> best) {}

    private Sweep() {}

    /** The trials of a sweep, in order, without duplicates. */
    public static List<Trial> trials(Map<String, String> base, Map<String, List<String>> grid, boolean oneAtATime) {
        List<Map<String, String>> variations = new ArrayList<>();
        if (oneAtATime) {
            // The base settings are a trial of their own, the baseline every variation is compared with.
            variations.add(Map.of());
            for (var e : grid.entrySet()) {
                for (String v : e.getValue()) variations.add(Map.of(e.getKey(), v));
            }
        } else {
            long count = 1;
            for (var e : grid.entrySet()) count = Math.multiplyExact(count, Math.max(1, e.getValue().size()));
            if (count > MAX_TRIALS) {
                throw new IllegalArgumentException("the grid has " + count + " trials (" + String.join(" × ",
                        grid.entrySet().stream().map(e -> e.getValue().size() + " " + e.getKey()).toList()) + "), more than "
                        + MAX_TRIALS + " a sweep takes; use fewer values, or --one-at-a-time");
            }
            variations.add(new LinkedHashMap<>());
            for (var e : grid.entrySet()) {
                List<Map<String, String>> next = new ArrayList<>();
                for (Map<String, String> partial : variations) {
                    for (String v : e.getValue()) {
                        Map<String, String> m = new LinkedHashMap<>(partial);
                        m.put(e.getKey(), v);
                        next.add(m);
                    }
                }
                variations = next;
            }
        }
        Map<Map<String, String>, Trial> unique = new LinkedHashMap<>();
        for (Map<String, String> varied : variations) {
            Map<String, String> settings = new LinkedHashMap<>(base);
            settings.putAll(varied);
            // A variation equal to the base settings is the base trial: run it once.
            unique.putIfAbsent(normalised(settings), new Trial(name(varied), varied, settings));
        }
        return List.copyOf(unique.values());
    }

    /** Settings compared by value, so 0.3 and 0.30 are one trial. */
    private static Map<String, String> normalised(Map<String, String> settings) {
        Map<String, String> out = new java.util.TreeMap<>();
        settings.forEach((k, v) -> out.put(k, canonical(v)));
        return out;
    }

    /** A setting's value as compared: a number by its value (0.3, 0.30 and 3e-1 are one), anything else as written. */
    public static String canonical(String value) {
        try {
            return Double.toString(Double.parseDouble(value));
        } catch (NumberFormatException e) {
            return value;
        }
    }

    private static String name(Map<String, String> varied) {
        StringBuilder sb = new StringBuilder();
        varied.forEach((k, v) -> sb.append(sb.isEmpty() ? "" : ",").append(k).append('=').append(v));
        return sb.isEmpty() ? "base" : sb.toString();
    }

    /**
     * Runs the trials not yet finished, {@code parallel} at a time, then writes summary.csv. A trial
     * that throws is recorded as failed and the sweep goes on.
     */
    public static Outcome run(Path dir, Map<String, Object> spec, List<Trial> trials, int parallel, TrialRunner runner,
                              Consumer<String> log) {
        RunDirectory.requireOwnOrEmpty(dir, "the sweep", SWEEP_FILES, SPEC, "grid");
        // The lock first, then the spec: of two sweeps started on one folder, the second is refused
        // before it can write its spec over the first's.
        try (FolderLock lock = FolderLock.acquire(dir, "sweep")) {
            RunDirectory.removeStrayTemporaries(dir);
            checkSpec(dir, spec);
            return runLocked(dir, trials, parallel, runner, log);
        }
    }

    private static Outcome runLocked(Path dir, List<Trial> trials, int parallel, TrialRunner runner, Consumer<String> log) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, parallel), r -> {
            Thread t = new Thread(r, "nnlab-trial");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < trials.size(); i++) {
                Trial trial = trials.get(i);
                Path trialDir = trialDir(dir, i, trial);
                if (RunDirectory.isFinished(trialDir)) {
                    if (!Files.exists(trialDir.resolve(REPORT))) runner.complete(trialDir);
                    log.accept("trial " + (i + 1) + "/" + trials.size() + " " + trial.name() + ": finished before, skipped");
                    continue;
                }
                int number = i + 1;
                futures.add(pool.submit(() -> {
                    clear(trialDir);
                    Map<String, Object> result;
                    try {
                        result = runner.run(trial.settings(), trialDir);
                    } catch (RuntimeException | OutOfMemoryError e) {
                        // Recorded, not fatal: the other trials go on, and a rerun retries this one.
                        result = new LinkedHashMap<>();
                        result.put("status", "failed");
                        result.put("error", e instanceof OutOfMemoryError
                                ? "out of memory: run fewer trials at once (--parallel) or give the JVM more heap"
                                : String.valueOf(e.getMessage() != null ? e.getMessage() : e));
                        new RunDirectory(trialDir).writeResult(result);
                    }
                    log.accept("trial " + number + "/" + trials.size() + " " + trial.name() + ": " + describe(result));
                    return null;
                }));
            }
            for (Future<?> f : futures) f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("sweep interrupted; rerun the same command to resume", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a trial failed unexpectedly: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return summarise(dir, trials);
    }

    /** Reads every finished trial's result, writes summary.csv, and picks the best by final dev accuracy. */
    public static Outcome summarise(Path dir, List<Trial> trials) {
        List<Map<String, Object>> rows = new ArrayList<>();
        List<String> variedKeys = new ArrayList<>();
        for (Trial t : trials) for (String k : t.varied().keySet()) if (!variedKeys.contains(k)) variedKeys.add(k);
        for (int i = 0; i < trials.size(); i++) {
            Trial t = trials.get(i);
            Path trialDir = trialDir(dir, i, t);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("trial", dir.relativize(trialDir).toString());
            for (String k : variedKeys) row.put(k, t.settings().get(k));
            Map<String, Object> result = Files.isRegularFile(trialDir.resolve(RunDirectory.RESULT))
                    ? RunDirectory.readResult(trialDir) : Map.of();
            row.put("status", result.getOrDefault("status", "not run"));
            for (String k : List.of("final_dev_acc", "best_dev_acc", "final_test_acc", "final_train_rmse", "final_test_rmse",
                    "train_seconds")) {
                if (result.containsKey(k)) row.put(k, result.get(k));
            }
            rows.add(row);
        }
        writeSummary(dir.resolve(SUMMARY), rows);
        Map<String, Object> best = rows.stream()
                .filter(r -> r.get("final_dev_acc") instanceof Number)
                .max(Comparator.comparingDouble(r -> ((Number) r.get("final_dev_acc")).doubleValue()))
                .orElse(null);
        return new Outcome(rows, best);
    }

    /** The figure the best trial is chosen by, and whether lower is better. */
    public record Criterion(String key, boolean lowerIsBetter) {}

    /**
     * Dev accuracy, higher is better; for a regression sweep, whose trials have no accuracy, RMSE, lower
     * is better. The course's Ames data has no dev split (its script reports train and test RMSE), so a
     * regression sweep is judged on test RMSE, and its report says so.
     */
    public static Criterion criterion(List<Map<String, Object>> rows) {
        boolean regression = rows.stream().anyMatch(r -> r.containsKey("final_test_rmse"))
                && rows.stream().noneMatch(r -> r.containsKey("final_dev_acc"));
        return regression ? new Criterion("final_test_rmse", true) : new Criterion("final_dev_acc", false);
    }

    /**
     * The best finished row by {@link #criterion}: the dev-accuracy best of {@link Outcome#best}, or for
     * a regression sweep the lowest RMSE; null when none finished.
     */
    public static Map<String, Object> best(List<Map<String, Object>> rows) {
        Criterion c = criterion(rows);
        Comparator<Map<String, Object>> order = Comparator.comparingDouble(r -> ((Number) r.get(c.key())).doubleValue());
        return rows.stream()
                .filter(r -> r.get(c.key()) instanceof Number n && Double.isFinite(n.doubleValue()))
                .max(c.lowerIsBetter() ? order.reversed() : order)
                .orElse(null);
    }

    private static void writeSummary(Path file, List<Map<String, Object>> rows) {
        if (rows.isEmpty()) return;
        List<String> columns = new ArrayList<>();
        for (Map<String, Object> r : rows) for (String k : r.keySet()) if (!columns.contains(k)) columns.add(k);
        StringBuilder sb = new StringBuilder(String.join(",", columns)).append('\n');
        for (Map<String, Object> r : rows) {
            List<String> cells = new ArrayList<>();
            for (String c : columns) {
                Object v = r.get(c);
                String s = v == null ? "" : v.toString();
                cells.add(s.contains(",") || s.contains("\"") ? '"' + s.replace("\"", "\"\"") + '"' : s);
            }
            sb.append(String.join(",", cells)).append('\n');
        }
        AtomicFiles.writeString(file, sb.toString());
    }

    /** {@code trials/NN-name}: numbered so the folders list in sweep order. */
    public static Path trialDir(Path dir, int index, Trial trial) {
        String slug = trial.name().replaceAll("[^A-Za-z0-9._=,-]", "_");
        return dir.resolve("trials").resolve(String.format("%02d-%s", index + 1, slug));
    }

    /** The same folder may only hold the same sweep: a rerun with other settings is refused. */
    /**
     * A sweep folder's sweep.json, checked for the shape nnlab writes: kind a word (if given), base an object,
     * grid an object of non-empty lists, one_at_a_time true or false.
     *
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    public static Map<String, Object> readSpec(Path dir) {
        Path file = dir.resolve(SPEC);
        Map<String, Object> spec = Json.read(file);
        String damage = damage(spec);
        if (damage != null) {
            throw new IllegalArgumentException(file + " is damaged (" + damage + "): nnlab writes it when a sweep starts, and the "
                    + "sweep's trials cannot be read without it; rerun the sweep into another --out");
        }
        return spec;
    }

    /** What is wrong with a sweep specification's shape, or null. */
    private static String damage(Map<String, Object> spec) {
        if (spec.get("kind") != null && !(spec.get("kind") instanceof String)) return "its kind is not a word";
        if (!(spec.get("base") instanceof Map<?, ?>)) return "its base is missing or not an object";
        if (!(spec.get("grid") instanceof Map<?, ?> grid) || grid.isEmpty()) return "its grid is missing, empty or not an object";
        for (var e : grid.entrySet()) {
            if (!(e.getValue() instanceof List<?> values) || values.isEmpty()) return "its grid's " + e.getKey() + " is not a list of values";
        }
        Object oneAtATime = spec.get("one_at_a_time");
        if (oneAtATime != null && !(oneAtATime instanceof Boolean)) return "its one_at_a_time is " + oneAtATime + ", not true or false";
        return null;
    }

    private static void checkSpec(Path dir, Map<String, Object> spec) {
        Path file = dir.resolve(SPEC);
        if (Files.exists(file)) {
            Map<String, Object> old = Json.read(file); // readable: requireOwnOrEmpty has read it
            if (!Json.toString(old).equals(Json.toString(spec))) {
                String damage = damage(old);
                // The command always writes its kind (train or classic: both have an mlp): one missing was lost or edited out,
                // and calling the folder "another sweep" would send the user back to the command they just ran.
                if (damage == null && spec.get("kind") != null && old.get("kind") == null) damage = "its kind (train or classic) is missing";
                String stored = damage == null ? summary(old) : null;
                if (stored == null) {
                    throw new IllegalArgumentException(file + " is damaged (" + (damage != null ? damage : "its kind, base or grid is "
                            + "of the wrong type") + "), so the sweep in " + dir + " cannot be resumed; nothing was changed. "
                            + "Choose another --out");
                }
                // "Rerun the same command" would loop for a user who just did: say which sweep is there.
                throw new IllegalArgumentException(dir + " holds another sweep (" + stored + "; this command's: " + summary(spec)
                        + "): resume it with the command that started it, or choose another --out for this one");
            }
        } else {
            Json.write(file, spec);
        }
    }

    /** "classic perceptron, grid epochs=1,2" for a well-formed specification, or null. */
    private static String summary(Map<String, Object> spec) {
        Object kind = spec.get("kind");
        if (kind != null && !(kind instanceof String) || !(spec.get("base") instanceof Map<?, ?> base)
                || !(spec.get("grid") instanceof Map<?, ?> grid)) {
            return null;
        }
        List<String> varied = new ArrayList<>();
        for (var e : grid.entrySet()) {
            if (!(e.getValue() instanceof List<?> values)) return null;
            varied.add(e.getKey() + "=" + String.join(",", values.stream().map(String::valueOf).toList()));
        }
        return (kind == null ? "" : kind + " ") + base.get("model") + ", grid " + String.join(" ", varied)
                + (Boolean.TRUE.equals(spec.get("one_at_a_time")) ? " one at a time" : "");
    }

    /** Removes what a killed trial left, so its rerun starts clean. Finished trials are never touched. */
    private static void clear(Path trialDir) {
        try {
            RunDirectory.delete(trialDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear the unfinished trial " + trialDir + ": " + FolderLock.reason(e), e);
        }
    }

    private static String describe(Map<String, Object> result) {
        Object status = result.get("status");
        if ("failed".equals(status)) return "failed: " + result.get("error");
        if ("diverged".equals(status)) return "diverged in epoch " + result.get("diverged_epoch");
        StringBuilder sb = new StringBuilder(String.valueOf(status));
        for (String k : List.of("final_dev_acc", "final_test_acc", "final_test_rmse")) {
            if (result.get(k) instanceof Number n) sb.append(", ").append(k).append(' ').append(String.format("%.4f", n.doubleValue()));
        }
        return sb.toString();
    }
}
