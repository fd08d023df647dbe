package nnlab.classic;

import nnlab.data.Examples;

/**
 * Multi-class perceptron, the course's {@code Perceptron}: weights {@code W} (classes × features)
 * start at zero; for each example x with label y, in the order given,
 * <pre>
 *   ŷ = argmax_k (W x)_k          (first index on ties, as np.argmax)
 *   if ŷ ≠ y:  W[y] += x,  W[ŷ] −= x
 * </pre>
 * Exact: with pixels k/256 every score and weight is a small multiple of 2<sup>−16</sup>, so
 * float64 holds them exactly whatever the summation order, and the results equal numpy's digit
 * for digit. The bias is a feature (append a column of ones, {@link Examples#withBias()}).
 */
public final class Perceptron implements Classifier {
    private final LinearScores scores;
    private final SparseRows.Cache sparse = new SparseRows.Cache();

    /** A perceptron with zero weights for examples of {@code features} values (the bias included). */
    public Perceptron(int features, int classes) {
        this.scores = new LinearScores(Checks.positive("features", features), Checks.positive("classes", classes));
    }

    @Override
    public void prepare(Examples train) {
        sparse.of(train);
    }

    /** One pass of mistake-driven updates (see the class comment); returns {@code NaN} (no loss). */
    @Override
    public double trainEpoch(Examples train, int[] order) {
        Checks.features(train, scores.features, "Perceptron");
        Checks.classification(train, scores.classes, "Perceptron");
        Checks.order(order, train.n());
        SparseRows rows = sparse.of(train);
        int[] labels = train.labels();
        for (int i : order) {
            int from = rows.start[i];
            int to = rows.start[i + 1];
            int predicted = LinearScores.argmax(scores.sparse(rows.index, rows.value, from, to), scores.classes);
            int label = labels[i];
            if (predicted != label) {
                scores.move(label, predicted, rows.index, rows.value, from, to);
            }
        }
        return Double.NaN;
    }

    @Override
    public int predictClass(double[] x, int offset) {
        return LinearScores.argmax(scores.dense(x, offset), scores.classes);
    }

    /** {@inheritDoc} Rows are scored in parallel, from a sparse copy kept for the next call. */
    @Override
    public int[] predictClasses(Examples examples) {
        Checks.features(examples, scores.features, "Perceptron");
        return scores.predict(sparse.of(examples), examples.n());
    }

    /** A copy of W, classes × features, row-major (numpy's layout). */
    public double[] weights() {
        return scores.weights();
    }

    public int features() {
        return scores.features;
    }

    public int classes() {
        return scores.classes;
    }
}
