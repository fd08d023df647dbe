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
     * Loads a CSV dataset.
     *
     * @param classes the dataset's number of classes when known, or 0 to count them
     */
    static CourseData load(Path file, String name, int classes) {
        String f = file.toString();
        Table table = Csv.read(file);
        List<String> columns = table.columns();
        List<String> labelColumns = LABEL_COLUMNS.stream().filter(columns::contains).toList();
        if (labelColumns.size() != 1) {
            throw new DataFileException(f, (labelColumns.isEmpty() ? "has no label column" : "has several label columns "
                    + labelColumns) + " (its columns are " + columns + ")", "Follow the convention: " + CONVENTION);
        }
        if (!columns.contains(SPLIT_COLUMN)) {
            throw new DataFileException(f, "has no '" + SPLIT_COLUMN + "' column (its columns are " + columns + ")",
                    "Add one to say where each row goes; " + CONVENTION);
        }
        String labelColumn = labelColumns.getFirst();
        boolean classification = labelColumn.equals("label");
        int labelIndex = table.columnIndex(labelColumn);
        int splitIndex = table.columnIndex(SPLIT_COLUMN);
        List<Integer> featureIndices = new ArrayList<>();
        for (int c = 0; c < columns.size(); c++) if (c != labelIndex && c != splitIndex) featureIndices.add(c);

        List<List<Integer>> splits = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        double[][] rows = table.rows();
        for (int r = 0; r < rows.length; r++) {
            double split = rows[r][splitIndex];
            if (split != 0 && split != 1 && split != 2) {
                throw new DataFileException(f, "data row " + (r + 1) + " has split " + split
                        + ", but the split column holds 0 (train), 1 (dev) or 2 (test)", "Fix that row's split");
            }
            splits.get((int) split).add(r);
        }
        String[] splitNames = {"train (split 0)", "dev (split 1)", "test (split 2)"};
        for (int s : new int[] {0, 2}) {
            if (splits.get(s).isEmpty()) {
                throw new DataFileException(f, "has no " + splitNames[s] + " rows among its " + rows.length,
                        "Mark some rows with split " + s + "; " + CONVENTION);
            }
        }
        Examples[] examples = new Examples[3];
        for (int s = 0; s < 3; s++) {
            if (splits.get(s).isEmpty()) continue;
            examples[s] = examples(rows, splits.get(s), featureIndices, labelIndex, classification, f, labelColumn, classes);
        }
        return ExampleArrays.courseData(name, f, examples[0], examples[1], examples[2], classes);
    }

    /** The examples of one split; {@code rowNumbers} are positions among the data rows, from 0. */
    private static Examples examples(double[][] rows, List<Integer> rowNumbers, List<Integer> featureIndices,
                                     int labelIndex, boolean classification, String file, String labelColumn, int classes) {
        int n = rowNumbers.size();
        int d = featureIndices.size();
        double[] x = new double[n * d];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double[] row = rows[rowNumbers.get(i)];
            for (int j = 0; j < d; j++) x[i * d + j] = row[featureIndices.get(j)];
            y[i] = row[labelIndex];
        }
        NdArray column = NdArray.ofDoubles(y, n);
        if (!classification) return Examples.regression(x, n, d, ExampleArrays.targets(column, file, labelColumn, "the rows", n));
        int[] labels = ExampleArrays.labels(column, file, labelColumn,
                i -> "the " + labelColumn + " of data row " + (rowNumbers.get(i) + 1), "the rows", n, classes);
        return Examples.classification(x, n, d, labels);
    }
}
