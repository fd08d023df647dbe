package nnlab.experiment;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** config.json and result.json: ordered maps written pretty and atomically. NaN and ±∞ become null. */
public final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Json() {}

    public static String toString(Object value) {
        try {
            return MAPPER.writeValueAsString(clean(value)) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void write(Path file, Object value) {
        AtomicFiles.writeString(file, toString(value));
    }

    /** Parses a JSON object held in a string (a database's column); {@code what} names it when it is malformed. */
    public static Map<String, Object> parse(String text, String what) {
        try {
            return MAPPER.readValue(text, new TypeReference<LinkedHashMap<String, Object>>() {});
        } catch (IOException e) {
            throw new IllegalStateException(what + " is not a readable JSON object: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }

    /** Reads a JSON object, naming the file when it is missing or malformed. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> read(Path file) {
        try {
            // Read as any value first: Jackson's own words for an array or a null where an object belongs name its Java types.
            Object value = MAPPER.readValue(Files.readString(file), Object.class);
            if (value instanceof Map<?, ?> object) return (Map<String, Object>) object;
            throw new UncheckedIOException(file + " is not a readable JSON object (it holds " + (value == null ? "null"
                    : value instanceof List<?> ? "an array" : "the single value " + value) + "); it is damaged or was not "
                    + "written by nnlab: rerun the experiment that wrote it", new IOException("not a JSON object"));
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new UncheckedIOException(notText(file, "JSON"), e);
        } catch (IOException e) {
            // The parser's own message runs over several lines with its settings' names; its first line is the news.
            String why = e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            why = why == null ? e.toString() : why.lines().findFirst().orElse(why);
            throw new UncheckedIOException(file + " is not a readable JSON object (" + why + "); it is damaged or was not "
                    + "written by nnlab: rerun the experiment that wrote it", e);
        }
    }

    /**
     * The message for a file of nnlab's that holds bytes which are not UTF-8 (Files.readString's own
     * is "Input length = 1", naming neither the file nor the problem).
     */
    static String notText(Path file, String format) {
        return file + " is not text: it holds bytes that are not UTF-8, so it is binary or damaged, not the " + format
                + " nnlab wrote there. Rerun the experiment that wrote it (into a new --out), or restore the file from a copy";
    }

    private static Object clean(Object value) {
        if (value instanceof Double d && !Double.isFinite(d)) return null;
        if (value instanceof Float f && !Float.isFinite(f)) return null;
        if (value instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(k, clean(v)));
            return out;
        }
        if (value instanceof List<?> l) return l.stream().map(Json::clean).toList();
        return value;
    }
}
