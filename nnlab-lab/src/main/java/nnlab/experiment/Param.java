package nnlab.experiment;

import java.util.List;

/**
 * One hyperparameter of a command: its name (the course's spelling, e.g. {@code learning_rate}), type,
 * default, allowed values, other accepted names, and a line of help.
 */
public record Param(String name, Type type, String defaultValue, List<String> choices, List<String> aliases, String help,
                    String range) {
    public enum Type { INT, LONG, NUMBER, TEXT, FLAG }

    public static Param integer(String name, int defaultValue, String help, String... aliases) {
        return new Param(name, Type.INT, Integer.toString(defaultValue), List.of(), List.of(aliases), help, null);
    }

    /** A whole number beyond int's range (seeds reach 2^32 − 1, as numpy's do). */
    public static Param longInteger(String name, long defaultValue, String help, String... aliases) {
        return new Param(name, Type.LONG, Long.toString(defaultValue), List.of(), List.of(aliases), help, null);
    }

    public static Param number(String name, double defaultValue, String help, String... aliases) {
        return new Param(name, Type.NUMBER, Double.toString(defaultValue), List.of(), List.of(aliases), help, null);
    }

    public static Param choice(String name, String defaultValue, List<String> choices, String help, String... aliases) {
        return new Param(name, Type.TEXT, defaultValue, choices, List.of(aliases), help, null);
    }

    /** An on/off setting, off by default; on the command line a bare {@code -name} turns it on (as the course's store_true flags). */
    public static Param flag(String name, String help, String... aliases) {
        return new Param(name, Type.FLAG, "false", List.of(), List.of(aliases), help, null);
    }

    public static Param text(String name, String defaultValue, String help, String... aliases) {
        return new Param(name, Type.TEXT, defaultValue, List.of(), List.of(aliases), help, null);
    }

    /**
     * This parameter with the values it allows, as messages say them ("at least 1", "a finite number
     * >= 0"): said when a value is refused, whether it is no number at all or one out of range.
     */
    public Param within(String range) {
        return new Param(name, type, defaultValue, choices, aliases, help, range);
    }

    /** "-NAME must be RANGE, got VALUE": a NaN or an infinity is said to be no usable value of it. */
    public IllegalArgumentException outOfRange(Object value) {
        boolean notFinite = value instanceof Double d && !Double.isFinite(d);
        return new IllegalArgumentException("-" + name + " must be " + range + ", got " + value + (notFinite
                ? " (" + (value.equals(Double.NaN) ? "not a number" : "infinite") + ": no usable " + name.replace('_', ' ') + ")" : ""));
    }

    /** The value of {@code raw} in this parameter's type, or an error naming the option and the value. */
    public Object parse(String raw) {
        String s = raw.trim();
        Object value = switch (type) {
            case INT, LONG -> whole(s);
            case NUMBER -> number(s);
            case TEXT -> raw;
            case FLAG -> switch (s) {
                case "true", "1" -> true;
                case "false", "0" -> false;
                default -> throw new IllegalArgumentException("-" + name + " is on or off: give it alone, or as true or false; got '"
                        + raw + "'");
            };
        };
        if (!choices.isEmpty() && !choices.contains(raw)) {
            throw new IllegalArgumentException("-" + name + " must be one of " + String.join(", ", choices) + "; got '" + raw + "'");
        }
        return value;
    }

    /**
     * Digits 0-9 only: Integer.parseInt also reads other scripts' digits (full-width １０, Arabic-Indic
     * ١٠), which on a command line are a slip of the input method, not a number meant.
     */
    private Object whole(String s) {
        if (s.matches("[+-]?[0-9]+")) {
            try {
                return type == Type.INT ? (Object) Integer.parseInt(s) : (Object) Long.parseLong(s);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("-" + name + " " + s + " is too large (at most "
                        + (type == Type.INT ? Integer.MAX_VALUE : Long.MAX_VALUE) + ")");
            }
        }
        throw new IllegalArgumentException("-" + name + " expects a whole number, got '" + s + "'" + digitsHint(s) + rangeHint());
    }

    /**
     * A decimal number as Python's float() reads it (0.1, -1e-3, .5), or NaN and Infinity, which the
     * settings then refuse by name. Double.parseDouble alone would also take Java-only forms
     * (0.1d, 0x1p3) that nobody types meaning a learning rate.
     */
    private double number(String s) {
        if (s.matches("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?")) {
            double value = Double.parseDouble(s);
            // Else 1e400 would reach the settings as Infinity, and the message would name a value nobody typed.
            if (Double.isInfinite(value)) {
                throw new IllegalArgumentException("-" + name + " " + s + " is too large: numbers go up to about 1.8e308");
            }
            return value;
        }
        // Python's spellings, any case: nan, inf, infinity.
        String word = s.toLowerCase(java.util.Locale.ROOT);
        if (word.matches("[+-]?nan")) return Double.NaN;
        if (word.matches("[+-]?inf(inity)?")) return word.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        throw new IllegalArgumentException("-" + name + " expects a number, got '" + s + "'" + digitsHint(s) + rangeHint());
    }

    private String rangeHint() {
        return range == null ? "" : "; it must be " + range;
    }

    private static String digitsHint(String s) {
        return s.chars().anyMatch(c -> Character.isDigit(c) && (c < '0' || c > '9'))
                ? " (its digits are not 0-9: type them with a plain, half-width keyboard layout)" : "";
    }
}
