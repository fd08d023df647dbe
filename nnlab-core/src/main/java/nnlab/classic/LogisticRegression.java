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
 * {@code W[k] -= lr * ((p[k] - (y == k)) * x + l2 * W[k])}.
 *
 * <p>With λ = 0 only the weights of nonzero features change, so zeros are skipped; with λ &gt; 0
 * every weight decays on every example. Predictions are {@code argmax W x}, the first index on
 * ties. The bias is a feature (append a column of ones, {@link Examples#withBias()}).
 */
public final class LogisticRegression implements Classifier {
    private final LinearScores scores;
    private final double learningRate;
    private final double l2Penalty;
    private final double[] gradientScale;
    private final SparseRows.Cache sparse = new SparseRows.Cache();

    /**
     * @param learningRate η, the course's {@code -learning_rate} (default 0.001)
     * @param l2Penalty    λ, the course's {@code -l2_penalty} (default 0)
     */
    public LogisticRegression(int features, int classes, double learningRate, double l2Penalty) {
        this.scores = new LinearScores(Checks.positive("features", features), Checks.positive("classes", classes));
        this.learningRate = Checks.learningRate(learningRate);
        this.l2Penalty = Checks.nonNegative("L2 penalty", l2Penalty);
        this.gradientScale = new double[scores.stride];
    }

    @Override
    public void prepare(Examples train) {
        sparse.of(train);
    }

    /** One pass of SGD (see the class comment); returns {@code NaN}, as the course's returns no loss. */
    @Override
    public double trainEpoch(Examples train, int[] order) {
        Checks.features(train, scores.features, "LogisticRegression");
        Checks.classification(train, scores.classes, "LogisticRegression");
        Checks.order(order, train.n());
        SparseRows rows = sparse.of(train);
        int[] labels = train.labels();
        double[] x = l2Penalty == 0 ? null : train.x();  // the dense rows only when every weight decays
        for (int i : order) {
            int from = rows.start[i];
            int to = rows.start[i + 1];
            probabilityErrors(scores.sparse(rows.index, rows.value, from, to), labels[i]);
            if (l2Penalty == 0) {
                scores.descend(gradientScale, learningRate, rows.index, rows.value, from, to);
            } else {
                scores.descend(gradientScale, learningRate, l2Penalty, x, i * scores.features);
            }
        }
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
        return LinearScores.argmax(scores.dense(x, offset), scores.classes);
    }

    /** {@inheritDoc} Rows are scored in parallel, from a sparse copy kept for the next call. */
    @Override
    public int[] predictClasses(Examples examples) {
        Checks.features(examples, scores.features, "LogisticRegression");
        return scores.predict(sparse.of(examples), examples.n());
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
