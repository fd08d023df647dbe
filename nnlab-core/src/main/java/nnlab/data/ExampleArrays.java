package nnlab.data;

import java.util.Arrays;
import java.util.function.IntFunction;

/**
 * Turns arrays read from a data file into {@link Examples}, checking what the file readers cannot:
 * dimensions, matching row counts, labels that are class numbers. Every failure is a
 * {@link DataFileException} naming the file and the array.
 */
final class ExampleArrays {
    private ExampleArrays() {
    }

    /**
     * The number of rows (examples) of a feature array, after checking its number of dimensions.
     *
     * @param expected how the layout stores the array, for the message ("one row of features per example")
     */
    static int rows(NdArray array, String file, String key, int minDims, int maxDims, String expected) {
        return rows(array.shape(), file, key, minDims, maxDims, expected);
    }

    /** {@link #rows(NdArray, String, String, int, int, String)} for an array of this shape. */
    static int rows(int[] shape, String file, String key, int minDims, int maxDims, String expected) {
        int ndim = shape.length;
        if (ndim < minDims || ndim > maxDims) {
            throw new DataFileException(file, key + " has shape " + Arrays.toString(shape) + " (" + ndim
                    + " dimensions), but " + expected, "Check that the file holds this layout, or save it again");
        }
        return shape[0];
    }

    /**
     * The examples {@code rows[0], rows[1], ...} of a feature array of shape (n, d1, d2, ...), or all
     * in order when {@code rows} is null: each becomes a row of d1·d2·... values in C order (numpy's
     * {@code reshape(n, -1)}), each multiplied by {@code scale}. Unsigned bytes (images) stay bytes,
     * taking an eighth of the memory of their float64 values ({@link Examples#ofBytes}); any other
     * dtype becomes float64, converting only the selected rows.
     *
     * @param labels  class of each selected example, or null for regression
     * @param targets target of each selected example, or null for classification
     */
    static Examples examples(NdArray array, int[] rows, double scale, int[] labels, double[] targets) {
        int d = featuresPerRow(array);
        int n = rows != null ? rows.length : array.shape()[0];
        if (array.dtype().equals("u1")) {
            byte[] all = (byte[]) array.data();
            byte[] out = all;
            if (rows != null) {
                out = new byte[n * d];
                for (int i = 0; i < n; i++) System.arraycopy(all, rows[i] * d, out, i * d, d);
            }
            return Examples.ofBytes(out, scale, n, d, labels, targets);
        }
        double[] all = array.toDoubles();
        double[] out = all;
        if (rows != null) {
            out = new double[n * d];
            for (int i = 0; i < n; i++) System.arraycopy(all, rows[i] * d, out, i * d, d);
        }
        if (scale != 1) for (int i = 0; i < out.length; i++) out[i] *= scale;
        return labels != null ? Examples.classification(out, n, d, labels) : Examples.regression(out, n, d, targets);
    }

    /** Values per example of an array of shape (n, ...). */
    static int featuresPerRow(NdArray array) {
        int[] shape = array.shape();
        int d = 1;
        for (int k = 1; k < shape.length; k++) d *= shape[k];
        return d;
    }

    /**
     * Class labels from an array of shape (n) or (n, 1) (numpy's {@code squeeze}), which must be
     * whole numbers from 0 and, when {@code classes > 0}, below {@code classes}.
     *
     * @param rowsOf the array the labels belong to, for messages ("train_images")
     */
    static int[] labels(NdArray y, String file, String key, String rowsOf, int rows, int classes) {
        return labels(y, file, key, i -> key + "[" + i + "]", rowsOf, rows, classes);
    }

    /** As {@link #labels(NdArray, String, String, String, int, int)}, naming label i as {@code element.apply(i)}. */
    static int[] labels(NdArray y, String file, String key, IntFunction<String> element, String rowsOf, int rows,
                        int classes) {
        checkColumn(y, file, key, rowsOf, rows);
        int[] labels = new int[rows];
        for (int i = 0; i < rows; i++) {
            double value = y.getDouble(i);
            if (value != Math.rint(value) || Math.abs(value) > Integer.MAX_VALUE) {
                throw new DataFileException(file, element.apply(i) + " is " + value + ", but labels must be class numbers 0, 1, 2, ...",
                        "Store the labels as whole numbers (regression targets belong in a float 'y' or 'target')");
            }
            labels[i] = (int) value;
            if (labels[i] < 0) {
                throw new DataFileException(file, element.apply(i) + " is " + labels[i]
                        + ", but labels must be class numbers 0, 1, 2, ...", "Renumber the classes from 0");
            }
            if (classes > 0 && labels[i] >= classes) {
                throw new DataFileException(file, element.apply(i) + " is " + labels[i] + ", but this dataset has "
                        + classes + " classes (labels 0 to " + (classes - 1) + ")",
                        "Check that the file is the right one for this dataset");
            }
        }
        return labels;
    }

    /** Regression targets from an array of shape (n) or (n, 1) (numpy's {@code reshape(-1)}). */
    static double[] targets(NdArray y, String file, String key, String rowsOf, int rows) {
        checkColumn(y, file, key, rowsOf, rows);
        return y.toDoubles();
    }

    private static void checkColumn(NdArray y, String file, String key, String rowsOf, int rows) {
        int[] shape = y.shape();
        boolean column = shape.length == 1 || (shape.length == 2 && shape[1] == 1);
        if (!column) {
            throw new DataFileException(file, key + " has shape " + Arrays.toString(shape)
                    + ", but labels or targets need shape (n) or (n, 1): one value per example",
                    "Check that the file holds this layout, or save it again");
        }
        if (shape[0] != rows) {
            throw new DataFileException(file, key + " has " + shape[0] + " values, but " + rowsOf + " has " + rows
                    + " examples", "The arrays do not belong together: save them again from the same examples");
        }
    }

    /**
     * The splits as one {@link CourseData}, after checking that they have the same number of
     * features and are all classification or all regression.
     *
     * @param classes the dataset's number of classes when known (labels were checked against it),
     *                or 0 to count one more than the largest label; ignored for regression
     */
    static CourseData courseData(String name, String file, Examples train, Examples dev, Examples test, int classes) {
        String[] splitNames = {"train", "dev", "test"};
        Examples[] splits = {train, dev, test};
        for (int s = 1; s < splits.length; s++) {
            Examples split = splits[s];
            if (split == null) continue;
            if (split.features() != train.features()) {
                throw new DataFileException(file, "the " + splitNames[s] + " examples have " + split.features()
                        + " features but the train examples have " + train.features(),
                        "Every split must hold examples of the same shape: save the file again");
            }
            if (split.isClassification() != train.isClassification()) {
                throw new DataFileException(file, "the train examples have " + kind(train) + " but the "
                        + splitNames[s] + " examples have " + kind(split),
                        "Store every split's labels with the same dtype: integers for classes, floats for regression");
            }
        }
        for (int s = 0; s < splits.length; s++) if (splits[s] != null) checkValues(file, splitNames[s], splits[s]);
        int count = 0;
        if (train.isClassification()) {
            count = classes > 0 ? classes : Math.max(train.classes(), Math.max(test.classes(), dev == null ? 0 : dev.classes()));
            checkClasses(file, splits, splitNames, count);
        }
        return new CourseData(name, train, dev, test, count);
    }

    /** A split must hold examples, and its features and targets must be numbers (not NaN or infinite). */
    private static void checkValues(String file, String split, Examples examples) {
        if (examples.features() == 0) {
            throw new DataFileException(file, "the examples have no features (no feature columns or arrays)",
                    "Save the file again with at least one feature per example");
        }
        if (examples.n() == 0) {
            throw new DataFileException(file, "the " + split + " split is empty (0 examples)", "Save the file again with examples in every split");
        }
        long bad = examples.firstNonFinite();
        if (bad >= 0) {
            throw new DataFileException(file, "feature " + (bad % examples.features()) + " of " + split + " example "
                    + (bad / examples.features()) + " is " + examples.x((int) bad),
                    "Every feature must be a finite number: remove or fill in the missing values and save the file again");
        }
        if (!examples.isClassification()) {
            double[] t = examples.targets();
            for (int i = 0; i < t.length; i++) {
                if (!Double.isFinite(t[i])) {
                    throw new DataFileException(file, "the target of " + split + " example " + i + " is " + t[i],
                            "Every target must be a finite number: remove or fill in the missing values and save the file again");
                }
            }
        }
    }

    /**
     * A classification dataset needs two classes or more, and labels 0 … C − 1 that are mostly used:
     * one label far above the others (1,000,000 among 0, 1, 2) would otherwise build a model of a
     * million classes.
     */
    private static void checkClasses(String file, Examples[] splits, String[] splitNames, int classes) {
        Examples train = splits[0];
        java.util.BitSet inTrain = new java.util.BitSet();
        for (int y : train.labels()) inTrain.set(y);
        if (inTrain.cardinality() < 2) {
            throw new DataFileException(file, "the train examples have one class only (label " + train.labels()[0] + ")",
                    "A classifier needs examples of two classes or more: check the label column");
        }
        java.util.BitSet used = new java.util.BitSet();
        int topSplit = 0, topIndex = 0;
        for (int s = 0; s < splits.length; s++) {
            if (splits[s] == null) continue;
            int[] labels = splits[s].labels();
            for (int i = 0; i < labels.length; i++) {
                used.set(labels[i]);
                if (labels[i] > splits[topSplit].labels()[topIndex]) {
                    topSplit = s;
                    topIndex = i;
                }
            }
        }
        if (classes > 100 && classes > 2 * used.cardinality()) {
            throw new DataFileException(file, "label " + splits[topSplit].labels()[topIndex] + " (" + splitNames[topSplit] + " example "
                    + topIndex + ") is far above the others: " + used.cardinality() + " different labels are used, which would make "
                    + "a model of " + classes + " classes", "Labels must be the classes numbered 0, 1, 2, …: renumber them and save the file again");
        }
    }

    private static String kind(Examples examples) {
        return examples.isClassification() ? "class labels (integers)" : "regression targets (floats)";
    }
}
