package nnlab.classic;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads course_fixtures.txt, written by make_fixtures.py (see there for the format). */
final class CourseFixtures {
    private static final String RESOURCE = "course_fixtures.txt";

    /** One line: its kind (data, run, epoch, solve), its name, and its key=value fields. */
    record Line(String kind, String name, int epoch, Map<String, String> fields, int number) {
        String get(String key) {
            String value = fields.get(key);
            if (value == null) throw new IllegalStateException(RESOURCE + " line " + number + " has no " + key);
            return value;
        }

        double number(String key) {
            return Double.parseDouble(get(key));
        }

        boolean has(String key) {
            return fields.containsKey(key);
        }
    }

    /** A run's configuration and its epochs. */
    record Run(Line config, List<Line> epochs) {}

    final Map<String, Line> data = new LinkedHashMap<>();
    final Map<String, Run> runs = new LinkedHashMap<>();
    final Map<String, Line> solves = new LinkedHashMap<>();

    static CourseFixtures load() {
        CourseFixtures fixtures = new CourseFixtures();
        try (InputStream in = CourseFixtures.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException(RESOURCE + " is missing next to " + CourseFixtures.class);
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            int number = 0;
            for (String text; (text = reader.readLine()) != null; ) {
                number++;
                if (text.isBlank() || text.startsWith("#")) continue;
                fixtures.add(parse(text, number));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return fixtures;
    }

    private void add(Line line) {
        switch (line.kind()) {
            case "data" -> data.put(line.name(), line);
            case "run" -> runs.put(line.name(), new Run(line, new ArrayList<>()));
            case "epoch" -> runs.get(line.name()).epochs().add(line);
            case "solve" -> solves.put(line.name(), line);
            default -> throw new IllegalStateException(RESOURCE + " line " + line.number() + ": unknown kind " + line.kind());
        }
    }

    private static Line parse(String text, int number) {
        String[] parts = text.split("\t");
        Map<String, String> fields = new LinkedHashMap<>();
        int epoch = 0;
        for (int i = 2; i < parts.length; i++) {
            int equals = parts[i].indexOf('=');
            if (equals < 0) {
                epoch = Integer.parseInt(parts[i]);
            } else {
                fields.put(parts[i].substring(0, equals), parts[i].substring(equals + 1));
            }
        }
        return new Line(parts[0], parts[1], epoch, fields, number);
    }
}
