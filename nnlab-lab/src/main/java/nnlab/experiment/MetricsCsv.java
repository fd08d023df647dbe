package nnlab.experiment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import nnlab.metrics.EpochRecord;

/**
 * {@code metrics.csv}: a header row with {@link EpochRecord#COLUMNS} and one row per epoch; a figure
 * that does not apply is an empty cell. Numbers are written with enough digits to read back exactly.
 */
public final class MetricsCsv {
    private MetricsCsv() {}

    public static String format(List<EpochRecord> records) {
        StringBuilder sb = new StringBuilder(String.join(",", EpochRecord.COLUMNS)).append('\n');
        for (EpochRecord r : records) {
            double[] v = r.values();
            for (int i = 0; i < v.length; i++) {
                if (i > 0) sb.append(',');
                if (i == 0) sb.append((int) v[i]);
                else if (!Double.isNaN(v[i])) sb.append(v[i]);
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    public static void write(Path file, List<EpochRecord> records) {
        AtomicFiles.writeString(file, format(records));
    }

    public static List<EpochRecord> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new UncheckedIOException(Json.notText(file, "CSV"), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (lines.isEmpty() || !lines.get(0).equals(String.join(",", EpochRecord.COLUMNS))) {
            throw new IllegalArgumentException(file + ": the first line must be the header "
                    + String.join(",", EpochRecord.COLUMNS));
        }
        List<EpochRecord> out = new ArrayList<>();
        for (int line = 1; line < lines.size(); line++) {
            if (lines.get(line).isBlank()) continue;
            String[] cells = lines.get(line).split(",", -1);
            if (cells.length != EpochRecord.COLUMNS.length) {
                throw new IllegalArgumentException(file + " line " + (line + 1) + ": " + cells.length + " cells, expected "
                        + EpochRecord.COLUMNS.length);
            }
            double[] v = new double[cells.length];
            for (int i = 0; i < cells.length; i++) {
                try {
                    v[i] = cells[i].isEmpty() ? Double.NaN : Double.parseDouble(cells[i]);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(file + " line " + (line + 1) + ", column " + EpochRecord.COLUMNS[i]
                            + ": '" + cells[i] + "' is not a number");
                }
            }
            out.add(EpochRecord.fromValues(v));
        }
        return out;
    }
}
