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
 * for digit. On such data (every value a multiple of 1/256 in [−1, 1], checked once per training
 * set) an epoch scores two examples per pass over W and, when the first one moves W, adds
 * ±x₁·x₂ to the second's two affected scores: exactly what scoring it afterwards would give. The
 * bias is a feature (append a column of ones, {@link Examples#withBias()}).
 */
public final class Perceptron implements Classifier {
    private final LinearScores scores;
    private final LinearScores.Row row;
    private final LinearScores.Row nextRow;
    private final double[] z;
    private final double[] nextZ;
    /** The last training set checked by {@link LinearScores#isExact}, and the answer. */
    private Examples checked;
    private boolean checkedExact;
    /** Keeps {@link Examples#touch}'s reads alive. */
    @SuppressWarnings("unused")
    private int sink;

    /** A perceptron with zero weights for examples of {@code features} values (the bias included). */
    public Perceptron(int features, int classes) {
        this.scores = new LinearScores(Checks.positive("features", features), Checks.positive("classes", classes));
        this.row = scores.newRow();
        this.nextRow = scores.newRow();
        this.z = new double[classes];
        this.nextZ = new double[classes];
    }

    /** One pass of mistake-driven updates (see the class comment); returns {@code NaN} (no loss). */
    @Override
    public double trainEpoch(Examples train, int[] order) {
        Checks.features(train, scores.features, "Perceptron");
        Checks.classification(train, scores.classes, "Perceptron");
        Checks.order(order, train.n());
        int[] labels = train.labels();
        int touched = 0;
        int n = order.length;
        boolean pairs = exact(train);
        for (int t = 0; t < n; t++) {
            if (t + LinearScores.AHEAD < n) touched += train.touch(order[t + LinearScores.AHEAD]);
            int i = order[t];
            int label = labels[i];
            if (pairs && t + 1 < n) {
                // Two examples scored in one pass over W; if the first one moves W, the second's
                // scores move by exactly ±x₁·x₂ in the two classes it touched.
                if (t + 1 + LinearScores.AHEAD < n) touched += train.touch(order[t + 1 + LinearScores.AHEAD]);
                int j = order[t + 1];
                scores.pairScores(row.of(train, i), nextRow.of(train, j), z, nextZ);
                int predicted = LinearScores.argmax(z, scores.classes);
                if (predicted != label) {
                    scores.move(label, predicted, row);
                    double overlap = scores.dot(row, nextRow);
                    nextZ[label] += overlap;
                    nextZ[predicted] -= overlap;
                }
                int next = LinearScores.argmax(nextZ, scores.classes);
                if (next != labels[j]) scores.move(labels[j], next, nextRow);
                t++;
                continue;
            }
            int predicted = LinearScores.argmax(scores.scores(row.of(train, i), z), scores.classes);
            if (predicted != label) {
                scores.move(label, predicted, row);
            }
        }
        sink = touched;
        return Double.NaN;
    }

    /** Whether {@code train} is exact data (checked once per training set, by identity). */
    private boolean exact(Examples train) {
        if (train != checked) {
            checkedExact = LinearScores.isExact(train);
            checked = train;
        }
        return checkedExact;
    }

    @Override
    public int predictClass(double[] x, int offset) {
        return LinearScores.argmax(scores.scores(row.of(x, offset), z), scores.classes);
    }

    /** {@inheritDoc} Rows are scored in parallel. */
    @Override
    public int[] predictClasses(Examples examples) {
        Checks.features(examples, scores.features, "Perceptron");
        return scores.predict(examples);
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
