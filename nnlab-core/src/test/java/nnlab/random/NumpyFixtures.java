package nnlab.random;

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

/** Reads numpy_fixtures.txt, written by make_fixtures.py (see there for the format). */
final class NumpyFixtures {
    private static final String RESOURCE = "numpy_fixtures.txt";

    /** One numpy call, e.g. {@code randint(0, 10, 30)}, and what numpy returned, as written. */
    record Call(String caseName, long seed, String function, String[] arguments, String[] values, int line) {
        double argumentAsDouble(int i) {
            return Double.parseDouble(arguments[i]);
        }

        long argumentAsLong(int i) {
            return Long.parseLong(arguments[i]);
        }

        int argumentAsInt(int i) {
            return Integer.parseInt(arguments[i]);
        }

        @Override
        public String toString() {
            return caseName + " (seed " + seed + ", line " + line + "): " + function
                    + "(" + String.join(", ", arguments) + ")";
        }
    }

    private NumpyFixtures() {}

    /** The calls grouped by case, cases and calls in file order. */
    static Map<String, List<Call>> casesInOrder() {
        Map<String, List<Call>> cases = new LinkedHashMap<>();
        for (Call call : calls()) {
            cases.computeIfAbsent(call.caseName(), name -> new ArrayList<>()).add(call);
        }
        return cases;
    }

    static List<Call> calls() {
        List<Call> calls = new ArrayList<>();
        try (InputStream in = NumpyFixtures.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing next to " + NumpyFixtures.class);
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            int lineNumber = 0;
            for (String line; (line = reader.readLine()) != null; ) {
                lineNumber++;
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                calls.add(parse(line, lineNumber));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return calls;
    }

    private static Call parse(String line, int lineNumber) {
        String[] fields = line.split("\t", -1);
        if (fields.length != 4) {
            throw new IllegalStateException(RESOURCE + " line " + lineNumber + ": expected 4 tab-separated fields, got "
                    + fields.length + ": " + line);
        }
        String call = fields[2];
        int open = call.indexOf('(');
        String inside = call.substring(open + 1, call.length() - 1).strip();
        String[] arguments = inside.isEmpty() ? new String[0] : inside.split(",\\s*");
        String[] values = fields[3].isEmpty() ? new String[0] : fields[3].split(" ");
        return new Call(fields[0], Long.parseLong(fields[1]), call.substring(0, open), arguments, values, lineNumber);
    }
}
