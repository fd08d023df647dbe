package nnlab.data;

/**
 * A set of examples as the classic models and the loaders see them: features in one row-major
 * float64 array (row i is {@code x[i*features .. (i+1)*features)}), and either class labels or
 * regression targets.
 *
 * @param x        n × features values, row-major
 * @param n        number of examples
 * @param features values per example
 * @param labels   class of each example (0-based), or null for regression
 * @param targets  target of each example, or null for classification
 */
public record Examples(double[] x, int n, int features, int[] labels, double[] targets) {
    public Examples {
        if ((long) n * features != x.length) {
            throw new IllegalArgumentException(x.length + " feature values do not make " + n + " examples of "
                    + features + " features");
        }
        if ((labels == null) == (targets == null)) {
            throw new IllegalArgumentException("examples need either labels (classification) or targets (regression)");
        }
        int count = labels != null ? labels.length : targets.length;
        if (count != n) {
            throw new IllegalArgumentException(n + " examples but " + count + (labels != null ? " labels" : " targets"));
        }
    }

    /** Classification examples. */
    public static Examples classification(double[] x, int n, int features, int[] labels) {
        return new Examples(x, n, features, labels, null);
    }

    /** Regression examples. */
    public static Examples regression(double[] x, int n, int features, double[] targets) {
        return new Examples(x, n, features, null, targets);
    }

    public boolean isClassification() {
        return labels != null;
    }

    /** The same examples with a constant 1 appended to every row (the bias feature of the linear models). */
    public Examples withBias() {
        double[] out = new double[n * (features + 1)];
        for (int i = 0; i < n; i++) {
            System.arraycopy(x, i * features, out, i * (features + 1), features);
            out[i * (features + 1) + features] = 1;
        }
        return new Examples(out, n, features + 1, labels, targets);
    }

    /** The examples at the given positions, in that order (features copied). */
    public Examples select(int[] rows) {
        double[] out = new double[rows.length * features];
        int[] l = labels == null ? null : new int[rows.length];
        double[] t = targets == null ? null : new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(x, rows[i] * features, out, i * features, features);
            if (l != null) l[i] = labels[rows[i]];
            if (t != null) t[i] = targets[rows[i]];
        }
        return new Examples(out, rows.length, features, l, t);
    }

    /** The first {@code count} examples (or all, when there are fewer). */
    public Examples head(int count) {
        int k = Math.min(count, n);
        int[] rows = new int[k];
        for (int i = 0; i < k; i++) rows[i] = i;
        return select(rows);
    }

    /** Number of classes: one more than the largest label (0 for regression). */
    public int classes() {
        int max = -1;
        if (labels != null) for (int l : labels) max = Math.max(max, l);
        return max + 1;
    }
}
