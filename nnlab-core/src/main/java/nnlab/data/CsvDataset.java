package nnlab.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A numeric CSV file (see {@link Csv}) holding a whole dataset, one example per row.
 *
 * <p>The convention:
 * <ul>
 *   <li>a column {@code label} holds class numbers 0, 1, 2, ... (classification), <em>or</em> a
 *       column {@code y} or {@code target} holds regression targets; exactly one of the three;</li>
 *   <li>a column {@code split} says where each row goes: 0 train, 1 dev, 2 test. Train and test
 *       must have rows; dev may have none (as ames has no dev split);</li>
 *   <li>every other column is a feature, in file order, loaded as it is (no scaling).</li>
 * </ul>
 * For example {@code split,label,x1,x2} then {@code 0,1,0.5,-2}. Rows keep their file order
 * within each split.
 */
final class CsvDataset {
    /** The label columns: {@code label} means classification, {@code y} and {@code target} regression. */
    private static final List<String> LABEL_COLUMNS = List.of("label", "y", "target");
    static final String SPLIT_COLUMN = "split";
    private static final String CONVENTION = "a nnlab CSV dataset has a column 'label' (class numbers 0, 1, ...) "
            + "or 'y' or 'target' (regression targets), a column 'split' (0 train, 1 dev, 2 test) "
            + "and any number of feature columns";

    private CsvDataset() {
    }

    /**
     * Loads a CSV dataset, streaming: each row's features go straight into its split's chunks, so the
     * file is held once, as the numbers it keeps, and each split's arrays are then built chunk by
     * chunk (the largest split last): the peak is about the data plus the train split's features,
     * under twice the data. (Reading a table of rows first held it twice over, more for few columns:
     * an array per row costs its header and a reference on top of the numbers.)
     *
     * @param classes the dataset's number of classes when known, or 0 to count them
     */
    static CourseData load(Path file, String name, int classes) {
        String f = file.toString();
        Splits splits = new Splits(f);
        Csv.read(file, splits);
        String[] splitNames = {"train (split 0)", "dev (split 1)", "test (split 2)"};
        if (splits.dataRows == 0) {
            throw new DataFileException(f, "is empty: it has no rows of examples below its header", "Fill it with examples; " + CONVENTION);
        }
        for (int s : new int[] {0, 2}) {
            if (splits.rows[s].size() == 0) {
                throw new DataFileException(f, "has no " + splitNames[s] + " rows among its " + splits.dataRows,
                        "Mark some rows with split " + s + "; " + CONVENTION);
            }
        }
        Examples[] examples = new Examples[3];
        for (int s : new int[] {1, 2, 0}) {
            if (splits.rows[s].size() > 0) examples[s] = splits.examples(s, classes);
        }
        return ExampleArrays.courseData(name, f, examples[0], examples[1], examples[2], classes);
    }

    /** The rows of a CSV dataset as they stream in, sorted by split into growing chunks. */
    private static final class Splits implements Csv.Rows {
        private final String file;
        private String labelColumn;
        private boolean classification;
        private int labelIndex, splitIndex;
        private int[] featureIndices;
        /** Per split (0 train, 1 dev, 2 test): features row by row, the label column, and each row's data-row number. */
        private final Chunks[] x = {new Chunks(), new Chunks(), new Chunks()};
        private final Chunks[] y = {new Chunks(), new Chunks(), new Chunks()};
        private final Chunks[] rows = {new Chunks(), new Chunks(), new Chunks()};
        private int dataRows;

        Splits(String file) {
            this.file = file;
        }

        @Override
        public void header(List<String> columns) {
            List<String> labelColumns = LABEL_COLUMNS.stream().filter(columns::contains).toList();
            if (labelColumns.size() != 1) {
                throw new DataFileException(file, (labelColumns.isEmpty() ? "has no label column" : "has several label columns "
                        + labelColumns) + " (its columns are " + columns + ")", "Follow the convention: " + CONVENTION);
            }
            if (!columns.contains(SPLIT_COLUMN)) {
                throw new DataFileException(file, "has no '" + SPLIT_COLUMN + "' column (its columns are " + columns + ")",
                        "Add one to say where each row goes; " + CONVENTION);
            }
            labelColumn = labelColumns.getFirst();
            classification = labelColumn.equals("label");
            labelIndex = columns.indexOf(labelColumn);
            splitIndex = columns.indexOf(SPLIT_COLUMN);
            List<Integer> features = new ArrayList<>();
            for (int c = 0; c < columns.size(); c++) if (c != labelIndex && c != splitIndex) features.add(c);
            featureIndices = features.stream().mapToInt(Integer::intValue).toArray();
        }

        @Override
        public void row(double[] values, int lineNumber) {
            double split = values[splitIndex];
            if (split != 0 && split != 1 && split != 2) {
                throw new DataFileException(file, "data row " + (dataRows + 1) + " has split " + split
                        + ", but the split column holds 0 (train), 1 (dev) or 2 (test)", "Fix that row's split");
            }
            int s = (int) split;
            for (int j : featureIndices) x[s].add(values[j], file);
            y[s].add(values[labelIndex], file);
            rows[s].add(dataRows, file);
            dataRows++;
        }

        /** Split {@code s}'s examples; its chunks are released as they are copied out. */
        Examples examples(int s, int classes) {
            int n = (int) rows[s].size(), d = featureIndices.length;
            double[] features = x[s].toArray();
            double[] rowNumbers = rows[s].toArray();
            NdArray column = NdArray.ofDoubles(y[s].toArray(), n);
            if (!classification) return Examples.regression(features, n, d, ExampleArrays.targets(column, file, labelColumn, "the rows", n));
            int[] labels = ExampleArrays.labels(column, file, labelColumn,
                    i -> "the " + labelColumn + " of data row " + ((long) rowNumbers[i] + 1), "the rows", n, classes);
            return Examples.classification(features, n, d, labels);
        }
    }

    /**
     * Numbers appended one at a time into fixed-size chunks: growing never copies what is held (a
     * doubling array holds its old and new copies at once), and the chunks are let go one by one as
     * {@link #toArray} copies them out.
     */
    private static final class Chunks {
        private static final int CHUNK = 1 << 16;
        /** The most elements a Java array holds, with the headroom the JVM keeps. */
        private static final long MAX = Integer.MAX_VALUE - 8;
        private final List<double[]> chunks = new ArrayList<>();
        private long size;

        void add(double value, String file) {
            int at = (int) (size % CHUNK);
            if (at == 0) {
                if (size == MAX - MAX % CHUNK) {
                    throw new DataFileException(file, "holds more than " + size + " values in one split, more than a Java array "
                            + "holds", "Split the data into several files, or keep fewer features");
                }
                chunks.add(new double[CHUNK]);
            }
            chunks.getLast()[at] = value;
            size++;
        }

        long size() {
            return size;
        }

        double[] toArray() {
            double[] out = new double[(int) size];
            for (int c = 0; c < chunks.size(); c++) {
                double[] chunk = chunks.set(c, null);
                System.arraycopy(chunk, 0, out, c * CHUNK, (int) Math.min(CHUNK, size - (long) c * CHUNK));
            }
            chunks.clear();
            return out;
        }
    }
}
