package nnlab.experiment;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import nnlab.metrics.EpochRecord;

/**
 * A hyperparameter sweep: a stream of settings, one trial folder each, run in parallel, resumable.
 *
 * <p>{@code grid} lists values per hyperparameter. The full grid is every combination; one at a
 * time (the course's way of tuning) varies one hyperparameter while the others keep the base
 * settings, and shares the trial of the base values. A trial whose folder has {@code result.json}
 * is finished and is skipped on a rerun; a trial killed before that is run again from scratch.
 * Where the trials live, who runs them and how they are summarised is the business of
 * {@code experiment.store}.
 */
public final class Sweep {
    public static final String SPEC = "sweep.json";
    public static final String SUMMARY = "summary.csv";
    /** The names a sweep's folder holds. */
    public static final java.util.Set<String> SWEEP_FILES = java.util.Set.of(SPEC, SUMMARY, "report.html", "report.md", "report.pdf", "plots", "trials",
            FolderLock.FILE);
    /** The last file a trial's runner writes; a finished trial without it is completed on resume. */
    public static final String REPORT = "report.html";
    /** The most trials one sweep runs: a larger grid is almost always a mistake (a value list pasted twice). */
    public static final int MAX_TRIALS = 10_000;

    /** Runs one trial: its settings, its folder; returns its result map (as written to result.json). */
    public interface TrialRunner {
        Map<String, Object> run(Map<String, String> settings, Path dir);

        /**
         * Runs one trial, passing each epoch's record to {@code onEpoch} as it comes (a store records it
         * there; an exception thrown from it stops the trial).
         */
        default Map<String, Object> run(Map<String, String> settings, Path dir, Consumer<EpochRecord> onEpoch) {
            return run(settings, dir);
        }

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
        if (spec.get("random") instanceof Number count) {
            Map<String, Range> ranges = new LinkedHashMap<>();
            if (spec.get("ranges") instanceof Map<?, ?> m) m.forEach((k, v) -> ranges.put((String) k, Range.parse((String) k, String.valueOf(v))));
            long seed = spec.get("search_seed") instanceof Number n ? n.longValue() : 0;
            return random(base, grid, ranges, count.intValue(), seed);
        }
        return trials(base, grid, Boolean.TRUE.equals(spec.get("one_at_a_time")));
    }

    /**
     * A range a random search draws a hyperparameter from: {@code LOW..HIGH} uniformly, {@code LOW..HIGH:log}
     * log-uniformly (learning rates, weight decay); whole numbers when both ends are written as whole numbers
     * (hidden sizes, layers).
     */
    public record Range(double low, double high, boolean log, boolean whole) {
        public static Range parse(String name, String text) {
            String t = text.strip();
            boolean log = t.toLowerCase(java.util.Locale.ROOT).endsWith(":log");
            if (log) t = t.substring(0, t.length() - 4);
            int dots = t.indexOf("..");
            String usage = "give LOW..HIGH (uniform) or LOW..HIGH:log (log-uniform), e.g. --range learning_rate=0.0001..0.1:log";
            if (dots <= 0 || dots + 2 >= t.length()) throw new IllegalArgumentException("--range " + name + "=" + text + ": " + usage);
            String lo = t.substring(0, dots).strip(), hi = t.substring(dots + 2).strip();
            double low, high;
            try {
                low = Double.parseDouble(lo);
                high = Double.parseDouble(hi);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--range " + name + "=" + text + ": its ends must be finite numbers; " + usage);
            }
            if (!Double.isFinite(low) || !Double.isFinite(high)) {
                throw new IllegalArgumentException("--range " + name + "=" + text + ": its ends must be finite numbers; " + usage);
            }
            if (!(low < high)) {
                throw new IllegalArgumentException("--range " + name + "=" + text + ": the low end must be below the high end; " + usage);
            }
            if (log && low <= 0) throw new IllegalArgumentException("--range " + name + "=" + text + ": a log range needs a low end above 0");
            return new Range(low, high, log, lo.matches("-?\\d+") && hi.matches("-?\\d+"));
        }

        /** One draw, written as a setting: a whole number, or three significant digits. */
        String draw(nnlab.random.Rng rng) {
            double u = (rng.nextLong() >>> 11) * 0x1.0p-53;
            double v = log ? Math.exp(Math.log(low) + u * (Math.log(high) - Math.log(low))) : low + u * (high - low);
            if (whole) return Long.toString(Math.min((long) high, Math.max((long) low, Math.round(v))));
            return new java.math.BigDecimal(v).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString();
        }

        @Override
        public String toString() {
            return (whole ? Long.toString((long) low) : Double.toString(low)) + ".." + (whole ? Long.toString((long) high)
                    : Double.toString(high)) + (log ? ":log" : "");
        }
    }

    /**
     * {@code count} trials drawn at random, reproducibly from {@code seed}: each hyperparameter of
     * {@code choices} takes one of its values, each of {@code ranges} a draw from its range. Draws that
     * repeat an earlier trial's settings are run once.
     */
    public static List<Trial> random(Map<String, String> base, Map<String, List<String>> choices, Map<String, Range> ranges, int count,
                                     long seed) {
        if (count < 1 || count > MAX_TRIALS) {
            throw new IllegalArgumentException("--random " + count + ": draw between 1 and " + MAX_TRIALS + " trials");
        }
        nnlab.random.Rng rng = new nnlab.random.Rng(seed);
        List<Map<String, String>> variations = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Map<String, String> varied = new LinkedHashMap<>();
            for (var e : choices.entrySet()) varied.put(e.getKey(), e.getValue().get((int) Long.remainderUnsigned(rng.nextLong(), e.getValue().size())));
            for (var e : ranges.entrySet()) varied.put(e.getKey(), e.getValue().draw(rng));
            variations.add(varied);
        }
        return unique(base, variations);
    }

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
        return unique(base, variations);
    }

    private static List<Trial> unique(Map<String, String> base, List<Map<String, String>> variations) {
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

    /** {@code trials/NN-name}: numbered so the folders list in sweep order. */
    public static Path trialDir(Path dir, int index, Trial trial) {
        String slug = trial.name().replaceAll("[^A-Za-z0-9._=,-]", "_");
        return dir.resolve("trials").resolve(String.format("%02d-%s", index + 1, slug));
    }

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
        boolean ranges = spec.get("random") instanceof Number && spec.get("ranges") instanceof Map<?, ?> r && !r.isEmpty();
        if (!(spec.get("grid") instanceof Map<?, ?> grid) || grid.isEmpty() && !ranges) return "its grid is missing, empty or not an object";
        for (var e : grid.entrySet()) {
            if (!(e.getValue() instanceof List<?> values) || values.isEmpty()) return "its grid's " + e.getKey() + " is not a list of values";
        }
        Object oneAtATime = spec.get("one_at_a_time");
        if (oneAtATime != null && !(oneAtATime instanceof Boolean)) return "its one_at_a_time is " + oneAtATime + ", not true or false";
        return null;
    }

    /**
     * Writes the sweep's specification into a new sweep folder, or checks that a resumed folder holds
     * the same sweep (a rerun with other settings is refused, naming both).
     */
    public static void keepSpec(Path dir, Map<String, Object> spec) {
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
                throw new IllegalArgumentException(dir + " holds another sweep (" + stored + "; it differs from this command's in "
                        + difference(old, spec) + "): resume it with the command that started it, or choose another --out for this one");
            }
        } else {
            Json.write(file, spec);
        }
    }

    /**
     * Where two specifications differ, setting by setting: "epochs 2 there, 3 here; shard 1/2 there, none here".
     * The summaries of two sweeps that differ only in a fixed setting read alike.
     */
    @SuppressWarnings("unchecked")
    public static String difference(Map<String, Object> there, Map<String, Object> here) {
        Map<String, Object> a = flat(there), b = flat(here);
        List<String> parts = new ArrayList<>();
        java.util.Set<String> keys = new java.util.LinkedHashSet<>(a.keySet());
        keys.addAll(b.keySet());
        for (String k : keys) {
            Object x = a.get(k), y = b.get(k);
            if (!String.valueOf(x).equals(String.valueOf(y))) {
                parts.add(k + " " + (x == null ? "none" : x) + " there, " + (y == null ? "none" : y) + " here");
            }
        }
        return parts.isEmpty() ? "how it is written" : String.join("; ", parts);
    }

    /** A specification's settings in one level: base settings by name, grid values as "grid NAME", the rest by key. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> flat(Map<String, Object> spec) {
        Map<String, Object> out = new LinkedHashMap<>();
        spec.forEach((k, v) -> {
            if (k.equals("base") && v instanceof Map<?, ?> m) m.forEach((name, value) -> out.put(String.valueOf(name), value));
            else if (k.equals("grid") && v instanceof Map<?, ?> m) m.forEach((name, value) -> out.put("grid " + name, value));
            else if (k.equals("ranges") && v instanceof Map<?, ?> m) m.forEach((name, value) -> out.put("range " + name, value));
            else out.put(k, v);
        });
        return out;
    }

    /** "classic perceptron, grid epochs=1,2" for a well-formed specification, or null. */
    public static String summary(Map<String, Object> spec) {
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
}
