package nnlab.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Numeric CSV files with a header row: comma-separated, UTF-8, one row per line.
 *
 * <p>Cells may be quoted ({@code "price"}, with {@code ""} for a quote inside) and surrounded by spaces.
 * Every data cell must be a number; {@code nan}, {@code inf} and {@code -inf} are accepted as numpy's
 * {@code savetxt} writes them. Blank lines are skipped. A byte-order mark at the start is ignored.
 */
public final class Csv {
    private Csv() {
    }

    /** Reads a numeric CSV file whose first line names the columns. */
    public static Table read(Path file) {
        List<List<String>> columns = new ArrayList<>();
        List<double[]> rows = new ArrayList<>();
        read(file, new Rows() {
            @Override
            public void header(List<String> names) {
                columns.add(names);
            }

            @Override
            public void row(double[] values, int lineNumber) {
                rows.add(values.clone());
            }
        });
        return new Table(columns.get(0), rows.toArray(double[][]::new));
    }

    /** What {@link #read(Path, Rows)} hands over, a line at a time. */
    public interface Rows {
        /** The header's column names, once, before any row. */
        void header(List<String> columns);

        /**
         * One data row: a number per column, in an array that is reused for the next row (copy what
         * you keep). {@code lineNumber} counts the file's lines from 1, header and blank lines included.
         */
        void row(double[] values, int lineNumber);
    }

    /**
     * Reads a numeric CSV file row by row, holding one line at a time: a loader that keeps the values
     * where it wants them needs no copy of the whole table (an array per row costs its header and a
     * reference on top of the numbers, more than the numbers themselves for a few columns).
     */
    public static void read(Path file, Rows rows) {
        String name = file.toString();
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(DataIo.open(file), decoder))) {
            List<String> columns = null;
            double[] row = null;
            String line;
            for (int lineNumber = 1; (line = reader.readLine()) != null; lineNumber++) {
                if (lineNumber == 1 && line.startsWith("\uFEFF")) line = line.substring(1);
                if (line.isBlank()) continue;
                List<String> cells = split(line, name, lineNumber);
                if (columns == null) {
                    columns = header(cells, name);
                    row = new double[columns.size()];
                    rows.header(List.copyOf(columns));
                    continue;
                }
                if (cells.size() != columns.size()) {
                    throw new DataFileException(name, "line " + lineNumber + " has " + cells.size() + " cells, but the header has "
                            + columns.size() + " columns " + columns, "Give every row one value per column");
                }
                for (int c = 0; c < row.length; c++) {
                    row[c] = number(cells.get(c), name, lineNumber, c, columns.get(c));
                }
                rows.row(row, lineNumber);
            }
            if (columns == null) {
                throw new DataFileException(name, "is empty", "A CSV file needs a header row of column names, then rows of numbers");
            }
        } catch (CharacterCodingException e) {
            throw new DataFileException(name, "is not UTF-8 text: it is binary, or saved in another encoding (UTF-16, Latin-1)",
                    "Check that this is a CSV file; save it as UTF-8", e);
        } catch (IOException e) {
            throw DataIo.readFailed(name, e);
        }
    }

    private static List<String> header(List<String> cells, String name) {
        Map<String, Integer> seen = new HashMap<>();
        for (int c = 0; c < cells.size(); c++) {
            Integer before = seen.put(cells.get(c), c + 1);
            if (before != null) {
                throw new DataFileException(name, "the header names column '" + cells.get(c) + "' twice (columns "
                        + before + " and " + (c + 1) + ")", "Give every column its own name");
            }
        }
        return cells;
    }

    private static double number(String cell, String name, int line, int column, String columnName) {
        String where = "line " + line + ", column " + (column + 1) + " ('" + columnName + "')";
        if (cell.isEmpty()) {
            throw new DataFileException(name, where + " is empty", "Fill in missing values (e.g. with the column's mean) before loading");
        }
        switch (cell.toLowerCase(Locale.ROOT)) {
            case "nan", "+nan", "-nan" -> { return Double.NaN; }
            case "inf", "+inf", "infinity", "+infinity" -> { return Double.POSITIVE_INFINITY; }
            case "-inf", "-infinity" -> { return Double.NEGATIVE_INFINITY; }
            default -> { }
        }
        // parseDouble would also take Java-only forms such as "1d" or "0x1p3"; a CSV number has none of these letters.
        boolean plain = cell.chars().allMatch(ch -> (ch >= '0' && ch <= '9') || "+-.eE".indexOf(ch) >= 0);
        try {
            if (plain) return Double.parseDouble(cell);
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new DataFileException(name, where + " is '" + cell + "', not a number",
                "Only numeric CSV files are read: encode categories as numbers first");
    }

    /** Splits one line into trimmed cells; a quoted cell may contain commas and doubled quotes. */
    private static List<String> split(String line, String name, int lineNumber) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c != '"') {
                    cell.append(c);
                } else if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                cells.add(cell.toString().strip());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        if (quoted) {
            throw new DataFileException(name, "line " + lineNumber + " has a quote that is never closed",
                    "Close the quote; cells spanning several lines are not supported");
        }
        cells.add(cell.toString().strip());
        return cells;
    }
}
