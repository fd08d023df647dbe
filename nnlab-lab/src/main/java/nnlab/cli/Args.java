package nnlab.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Command-line arguments in the course's spelling ({@code -learning_rate 0.01}) or the usual one
 * ({@code --learning-rate 0.01}, {@code --learning-rate=0.01}): every option name is normalised to
 * lower case with underscores, so both reach the same key. Options not declared by the command are
 * an error that lists the ones it knows.
 */
public final class Args {
    private final List<String> positional = new ArrayList<>();
    private final Map<String, List<String>> options = new LinkedHashMap<>();
    private final Set<String> used = new LinkedHashSet<>();
    /** Options given last without a value, by key: the option as typed. */
    private final Map<String, String> valueless = new LinkedHashMap<>();
    /** What a switch may be set to with --name=VALUE, and whether that means on. */
    private static final Map<String, Boolean> SWITCH_VALUES = Map.of("true", true, "false", false, "yes", true, "no", false,
            "1", true, "0", false);

    private Args() {}

    /**
     * Parses {@code argv}. {@code switches} are the options that take no value (e.g. {@code quick});
     * every other option takes the next argument as its value.
     */
    public static Args parse(String[] argv, Set<String> switches) {
        Args args = new Args();
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            if (a.startsWith("-") && a.length() > 1 && !isNumber(a)) {
                String body = a.replaceFirst("^--?", "");
                String value = null;
                int eq = body.indexOf('=');
                if (eq >= 0) {
                    value = body.substring(eq + 1);
                    body = body.substring(0, eq);
                }
                String key = normalise(body);
                if (value == null) {
                    if (switches.contains(key)) {
                        value = "true";
                    } else if (i + 1 < argv.length) {
                        value = argv[++i];
                    } else {
                        // Reported when the command reads it: a misspelt last option is then called unknown, not valueless.
                        args.valueless.put(key, a);
                    }
                } else if (switches.contains(key) && !SWITCH_VALUES.containsKey(value.toLowerCase(java.util.Locale.ROOT))) {
                    throw new UsageException(a + ": " + a.substring(0, a.indexOf('=')) + " is on or off; give it alone, or =true or =false");
                }
                args.options.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
            } else {
                args.positional.add(a);
            }
        }
        return args;
    }

    /** {@code learning-rate}, {@code Learning_Rate} and {@code learning_rate} are one key. */
    public static String normalise(String name) {
        return name.toLowerCase(java.util.Locale.ROOT).replace('-', '_');
    }

    private static boolean isNumber(String s) {
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    public List<String> positional() {
        return List.copyOf(positional);
    }

    public boolean has(String key) {
        used.add(key);
        return options.containsKey(key);
    }

    /** The last value given for {@code key} (or any of its aliases), or {@code fallback}. */
    public String string(String key, String fallback, String... aliases) {
        String value = null;
        for (String k : concat(key, aliases)) {
            used.add(k);
            if (valueless.containsKey(k)) throw new UsageException("option " + valueless.get(k) + " needs a value");
            List<String> v = options.get(k);
            if (v != null) value = v.get(v.size() - 1);
        }
        // An empty value (--out '') would otherwise mean the current folder, or no dataset at all.
        if (value != null && value.isBlank()) throw new UsageException("-" + key + " was given an empty value");
        return value == null ? fallback : value;
    }

    /** Every value given for a repeatable option, in order. */
    public List<String> all(String key) {
        used.add(key);
        if (valueless.containsKey(key)) throw new UsageException("option " + valueless.get(key) + " needs a value");
        return options.getOrDefault(key, List.of());
    }

    /** A whole number in the digits 0-9 (see {@link nnlab.experiment.Param#parse}), or a usage error naming the option. */
    public int integer(String key, int fallback, String... aliases) {
        String v = string(key, null, aliases);
        return v == null ? fallback : (int) checked(() -> nnlab.experiment.Param.integer(key, fallback, "").parse(v));
    }

    /** A decimal number (see {@link nnlab.experiment.Param#parse}), or a usage error naming the option. */
    public double number(String key, double fallback, String... aliases) {
        String v = string(key, null, aliases);
        return v == null ? fallback : (double) checked(() -> nnlab.experiment.Param.number(key, fallback, "").parse(v));
    }

    public boolean flag(String key) {
        return Boolean.TRUE.equals(SWITCH_VALUES.get(string(key, "false").toLowerCase(java.util.Locale.ROOT)));
    }

    /** Fails on any option the command never asked about, naming it and the known ones. */
    public void rejectUnknown(String command) {
        for (String key : options.keySet()) {
            if (!used.contains(key)) {
                String guess = Help.closest(key, used);
                throw new UsageException("unknown option -" + key + " for '" + command + "'"
                        + (guess != null ? "; did you mean -" + guess + "?" : "") + (used.isEmpty() ? "; it takes no options"
                        : " Known options: " + String.join(", ", used.stream().map(k -> "-" + k).toList())) + " (nnlab "
                        + command.split(" ")[0] + " --help says what it takes)");
            }
        }
    }

    /** Fails on words a command without positional arguments was given ('nnlab hw1 now' ran the full homework). */
    public void rejectPositional(String command) {
        if (!positional.isEmpty()) {
            throw new UsageException("'" + command + "' takes no " + (positional.size() == 1 ? "argument '" + positional.get(0) + "'"
                    : "arguments " + positional) + ", only options (nnlab " + command + " --help lists them)");
        }
    }

    private static List<String> concat(String key, String[] aliases) {
        List<String> keys = new ArrayList<>(List.of(aliases));
        keys.add(key);
        return keys;
    }

    /**
     * {@code settings.get()}, with a value the settings refuse (IllegalArgumentException: "-dropout must
     * be in [0, 1), got 1.5") turned into a usage error, exit status 2, as a misspelt option is.
     */
    public static <T> T checked(java.util.function.Supplier<T> settings) {
        try {
            return settings.get();
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** A mistake in the command line: printed without a stack trace, with exit status 2. */
    public static final class UsageException extends RuntimeException {
        public UsageException(String message) {
            super(message);
        }
    }
}
