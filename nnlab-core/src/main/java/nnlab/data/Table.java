package nnlab.data;

import java.util.List;

/**
 * A numeric table as read from a CSV file: column names and rows of numbers.
 *
 * @param columns the column names, from the header row, in file order
 * @param rows    one array per data row, each with one value per column; not copied
 */
public record Table(List<String> columns, double[][] rows) {

    /** Checks that every row has one value per column. */
    public Table {
        columns = List.copyOf(columns);
        for (int r = 0; r < rows.length; r++) {
            if (rows[r].length != columns.size()) {
                throw new IllegalArgumentException("row " + r + " has " + rows[r].length + " values, but there are "
                        + columns.size() + " columns " + columns);
            }
        }
    }

    public int rowCount() {
        return rows.length;
    }

    public int columnCount() {
        return columns.size();
    }

    /** The position of a column, from 0. */
    public int columnIndex(String name) {
        int index = columns.indexOf(name);
        if (index < 0) throw new IllegalArgumentException("no column '" + name + "'; the columns are " + columns);
        return index;
    }

    /** One column's values, top to bottom, as a new array. */
    public double[] column(String name) {
        int c = columnIndex(name);
        double[] values = new double[rows.length];
        for (int r = 0; r < rows.length; r++) values[r] = rows[r][c];
        return values;
    }

    /** The values as an f8 array of shape [rowCount, columnCount], one row per example as models expect. */
    public NdArray toNdArray() {
        int width = columns.size();
        double[] data = new double[rows.length * width];
        for (int r = 0; r < rows.length; r++) System.arraycopy(rows[r], 0, data, r * width, width);
        return NdArray.ofDoubles(data, rows.length, width);
    }
}
