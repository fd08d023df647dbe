package nnlab.classic;

import nnlab.data.Examples;

/**
 * Linear regression, the course's {@code LinearRegression} (hw1-q2.py): weights w start at zero;
 * for each example (x, y), in the order given,
 * <pre>
 *   w += η · (y − w·x) · x
 * </pre>
 * (SGD on ½(y − w·x)²). Also the closed form {@link #closedForm(Examples)} and the distance to it,
 * which the course plots per epoch. The bias is a feature (append a column of ones,
 * {@link Examples#withBias()}).
 */
public final class LinearRegression implements Regressor {
    private final double[] w;
    private final double learningRate;
    private final SparseRows.Cache sparse = new SparseRows.Cache();

    /** @param learningRate η, the course's {@code -learning_rate} (default 0.001) */
    public LinearRegression(int features, double learningRate) {
        this.w = new double[Checks.positive("features", features)];
        this.learningRate = Checks.learningRate(learningRate);
    }

    /** One pass of SGD (see the class comment); returns {@code NaN}, as the course's returns no loss. */
    @Override
    public void prepare(Examples train) {
        sparse.of(train);
    }

    @Override
    public double trainEpoch(Examples train, int[] order) {
        Checks.features(train, w.length, "LinearRegression");
        Checks.regression(train, "LinearRegression");
        Checks.order(order, train.n());
        SparseRows rows = sparse.of(train);
        double[] targets = train.targets();
        for (int i : order) {
            int from = rows.start[i];
            int to = rows.start[i + 1];
            double prediction = 0;
            for (int t = from; t < to; t++) {
                prediction += w[rows.index[t]] * rows.value[t];
            }
            // numpy evaluates lr * (y - y_hat) * x left to right: the scalar first.
            double step = learningRate * (targets[i] - prediction);
            for (int t = from; t < to; t++) {
                w[rows.index[t]] += step * rows.value[t];
            }
        }
        return Double.NaN;
    }

    /** w·x for the example at {@code x[offset .. offset+features)}. */
    @Override
    public double predictValue(double[] x, int offset) {
        double sum = 0;
        for (int j = 0; j < w.length; j++) {
            sum += w[j] * x[offset + j];
        }
        return sum;
    }

    /** ‖w − solution‖, the course's {@code distance(analytic_solution, model.w)}. */
    public double distanceTo(double[] solution) {
        if (solution.length != w.length) {
            throw new IllegalArgumentException("solution has " + solution.length + " weights, the model " + w.length);
        }
        double sum = 0;
        for (int j = 0; j < w.length; j++) {
            double d = solution[j] - w[j];
            sum += d * d;
        }
        return Math.sqrt(sum);
    }

    /** A copy of w. */
    public double[] weights() {
        return w.clone();
    }

    public double learningRate() {
        return learningRate;
    }

    /**
     * The least-squares weights {@code argmin ‖Xw − y‖²} of smallest norm, as
     * {@code np.linalg.lstsq(X, y)} and {@code pinv(X) @ y} give them: they exist even when XᵀX
     * is singular (ames.npz with the bias column has rank 245 of 349). Computed from the
     * eigendecomposition of XᵀX (cyclic Jacobi), inverting only the eigenvalues above
     * {@code features · ε · λ_max}; accurate to about {@code ε · cond(XᵀX)} relative.
     */
    public static double[] closedForm(Examples train) {
        Checks.regression(train, "closedForm");
        return LeastSquares.solve(train, 0);
    }

    /**
     * Ridge regression {@code (XᵀX + ridge·I)⁻¹ Xᵀy}, the form several students used for the
     * course's analytic solution (ridge 1e-4); {@code ridge = 0} is {@link #closedForm(Examples)}.
     */
    public static double[] closedForm(Examples train, double ridge) {
        Checks.regression(train, "closedForm");
        return LeastSquares.solve(train, Checks.nonNegative("ridge", ridge));
    }
}
