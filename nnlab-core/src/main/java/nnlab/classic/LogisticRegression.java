package nnlab.classic;

import nnlab.data.Examples;

/**
 * Multinomial logistic regression trained by per-example SGD, the course's
 * {@code LogisticRegression}: weights {@code W} (classes × features) start at zero; for each
 * example x with label y, in the order given,
 * <pre>
 *   p = softmax(W x)                      (computed as exp(z − max z) / Σ exp(z − max z))
 *   W[k] −= η · ((p_k − [k = y]) · x + λ · W[k])    for every class k
 * </pre>
 * with learning rate η and L2 penalty λ. That is SGD on the cross-entropy plus (λ/2)‖W‖²_F:
 * the 2024-25 course's convention, where {@code -l2_penalty} adds {@code λ·W} to the gradient
 * of every example (not λ/n, not 2λ). Elementwise the update rounds as numpy's
 * {@code W[k] -= lr * ((p[k] - (y == k)) * x + l2 * W[k])}, and without a penalty as the NumPy
 * reference script's {@code W -= np.outer(lr * (p - onehot(y)), x)}.
 *
 * <p>With λ = 0 each example's step is fused with the next example's scores, one pass over W per
 * example ({@link LinearScores#descendAndScore}); with λ &gt; 0 every weight decays on every
 * example. Predictions are {@code argmax W x}, the first index on ties. The bias is a feature
 * (append a column of ones, {@link Examples#withBias()}).
 */
public final class LogisticRegression implements Classifier {
    private final LinearScores scores;
    private final double learningRate;
    private final double l2Penalty;
    private final double[] gradientScale;
    private final LinearScores.Row row;
    private final LinearScores.Row nextRow;
    private final double[] z;
    /** Keeps {@link Examples#touch}'s reads alive. */
    @SuppressWarnings("unused")
    private int sink;

    /**
     * @param learningRate η, the course's {@code -learning_rate} (default 0.001)
     * @param l2Penalty    λ, the course's {@code -l2_penalty} (default 0)
     */
    public LogisticRegression(int features, int classes, double learningRate, double l2Penalty) {
        this.scores = new LinearScores(Checks.positive("features", features), Checks.positive("classes", classes));
        this.learningRate = Checks.learningRate(learningRate);
        this.l2Penalty = Checks.nonNegative("L2 penalty", l2Penalty);
        this.gradientScale = new double[classes];
        this.row = scores.newRow();
        this.nextRow = scores.newRow();
        this.z = new double[classes];
    }

    /** One pass of SGD (see the class comment); returns {@code NaN}, as the course's returns no loss. */
    @Override
    public double trainEpoch(Examples train, int[] order) {
        Checks.features(train, scores.features, "LogisticRegression");
        Checks.classification(train, scores.classes, "LogisticRegression");
        Checks.order(order, train.n());
        int[] labels = train.labels();
        int n = order.length;
        if (n == 0) return Double.NaN;
        LinearScores.Row current = row, next = nextRow;
        scores.scores(current.of(train, order[0]), z);
        int touched = 0;
        for (int t = 0; t < n; t++) {
            if (t + LinearScores.AHEAD < n) touched += train.touch(order[t + LinearScores.AHEAD]);
            probabilityErrors(z, labels[order[t]]);
            if (l2Penalty != 0) {
                scores.descend(gradientScale, learningRate, l2Penalty, current);
                if (t + 1 < n) scores.scores(current.of(train, order[t + 1]), z);
            } else if (t + 1 < n) {
                // This example's step and the next one's scores in one pass over W.
                scores.descendAndScore(gradientScale, learningRate, current, next.of(train, order[t + 1]), z);
                LinearScores.Row swap = current;
                current = next;
                next = swap;
            } else {
                scores.descend(gradientScale, learningRate, current);
            }
        }
        sink = touched;
        return Double.NaN;
    }

    /** gradientScale = softmax(z) − e_y, the gradient of the cross-entropy with respect to z. */
    private void probabilityErrors(double[] z, int label) {
        int classes = scores.classes;
        double max = z[0];
        for (int k = 1; k < classes; k++) max = Math.max(max, z[k]);
        double sum = 0;
        for (int k = 0; k < classes; k++) {
            gradientScale[k] = Math.exp(z[k] - max);
            sum += gradientScale[k];
        }
        for (int k = 0; k < classes; k++) {
            gradientScale[k] = gradientScale[k] / sum - (k == label ? 1 : 0);
        }
    }

    @Override
    public int predictClass(double[] x, int offset) {
        return LinearScores.argmax(scores.scores(row.of(x, offset), z), scores.classes);
    }

    /** {@inheritDoc} Rows are scored in parallel. */
    @Override
    public int[] predictClasses(Examples examples) {
        Checks.features(examples, scores.features, "LogisticRegression");
        return scores.predict(examples);
    }

    /** ‖W‖_F, which the 2024-25 course prints and plots every epoch. */
    @Override
    public double weightNorm() {
        return scores.frobeniusNorm();
    }

    /** A copy of W, classes × features, row-major (numpy's layout). */
    public double[] weights() {
        return scores.weights();
    }

    public double learningRate() {
        return learningRate;
    }

    public double l2Penalty() {
        return l2Penalty;
    }
}
