package nnlab.theory;

import java.nio.file.Path;
import java.util.Map;
import java.util.random.RandomGenerator;
import nnlab.data.Examples;
import nnlab.data.NdArray;
import nnlab.data.Npz;
import nnlab.nn.Linear;
import nnlab.nn.Module;
import nnlab.nn.Sequential;
import nnlab.optim.Adam;
import nnlab.tensor.Autograd;
import nnlab.tensor.DType;
import nnlab.tensor.Derivatives.Comparison;
import nnlab.tensor.Shape;
import nnlab.tensor.Tensor;

/**
 * The network with the quadratic activation g(z) = z(1 − z) (2024-25 homework, question 3): one hidden
 * layer h = g(W·x + b) with W ∈ ℝ^{K×D}, b ∈ ℝ^K, and the output ŷ = vᵀh + v₀; Θ = (W, b, v, v₀).
 *
 * <p><b>Features.</b> With zⱼ = wⱼᵀx + bⱼ, g(zⱼ) = zⱼ − zⱼ² and
 * (wⱼᵀx)² = Σ_d w_{jd}² x_d² + 2 Σ_{d&lt;e} w_{jd} w_{je} x_d x_e, so
 * <pre>
 *   hⱼ = (bⱼ − bⱼ²) + Σ_d (1 − 2bⱼ) w_{jd} x_d − Σ_d w_{jd}² x_d² − Σ_{d&lt;e} 2 w_{jd} w_{je} x_d x_e.
 * </pre>
 * Each hⱼ is linear in the features, fixed and independent of Θ,
 * <pre>
 *   φ(x) = (1, x₁, …, x_D, x₁², …, x_D², x₁x₂, x₁x₃, …, x₁x_D, x₂x₃, …, x_{D−1}x_D),
 * </pre>
 * of size 1 + D + D + D(D−1)/2 = (D+1)(D+2)/2: h = A_Θ·φ(x), where row j of A_Θ is
 * (bⱼ − bⱼ², (1 − 2bⱼ)wⱼ, −w_{jd}² for each d, −2 w_{jd} w_{je} for each d &lt; e), in φ's order.
 *
 * <p><b>A linear model in disguise.</b> ŷ = vᵀA_Θφ(x) + v₀ = c_Θᵀφ(x) with c_Θ = A_Θᵀv + v₀e₁ (e₁
 * picks φ's constant 1). The map Θ ↦ c_Θ is not linear, but the prediction is linear in c_Θ.
 *
 * <p><b>Closed form.</b> So the squared loss ½Σₙ(c_Θᵀφ(xₙ) − yₙ)² = ½‖Φc_Θ − y‖², Φ the N × P matrix
 * of rows φ(xₙ)ᵀ, is at least min_c ½‖Φc − y‖², a linear least-squares problem with the global
 * solution ĉ = (ΦᵀΦ)⁺Φᵀy (the pseudo-inverse handles repeated features: xᵢ² = xᵢ for 0/1 inputs).
 * Whatever gradient descent on Θ reaches, its loss is ≥ the closed form's. The check measures both.
 */
public final class QuadraticNetwork {
    /** c_Θᵀφ(x) and the network agree to rounding, relative to the predictions' size. */
    public static final double IDENTITY_TOLERANCE = 1e-12;
    /** Eigenvalues of ΦᵀΦ below this fraction of the largest are treated as 0 in the pseudo-inverse. */
    public static final double RANK_CUTOFF = 1e-12;

    private QuadraticNetwork() {}

    /** P = (D+1)(D+2)/2. */
    public static int featureCount(int inputs) {
        return (inputs + 1) * (inputs + 2) / 2;
    }

    /** φ(x) in the order of the class comment. */
    public static double[] features(double[] x) {
        int d = x.length;
        double[] phi = new double[featureCount(d)];
        phi[0] = 1;
        for (int i = 0; i < d; i++) {
            phi[1 + i] = x[i];
            phi[1 + d + i] = x[i] * x[i];
        }
        int k = 1 + 2 * d;
        for (int i = 0; i < d; i++) for (int j = i + 1; j < d; j++) phi[k++] = x[i] * x[j];
        return phi;
    }

    /** A_Θ (K × P) from W (K × D) and b (K), so that g(W·x + b) = A_Θ·φ(x). */
    public static double[][] matrixA(double[][] w, double[] b) {
        int d = w[0].length;
        double[][] a = new double[w.length][featureCount(d)];
        for (int j = 0; j < w.length; j++) {
            a[j][0] = b[j] - b[j] * b[j];
            for (int i = 0; i < d; i++) {
                a[j][1 + i] = (1 - 2 * b[j]) * w[j][i];
                a[j][1 + d + i] = -w[j][i] * w[j][i];
            }
            int k = 1 + 2 * d;
            for (int i = 0; i < d; i++) for (int i2 = i + 1; i2 < d; i2++) a[j][k++] = -2 * w[j][i] * w[j][i2];
        }
        return a;
    }

    /** c_Θ = A_Θᵀv + v₀e₁. */
    public static double[] coefficients(double[][] w, double[] b, double[] v, double v0) {
        double[][] a = matrixA(w, b);
        double[] c = new double[a[0].length];
        for (int j = 0; j < a.length; j++) for (int p = 0; p < c.length; p++) c[p] += a[j][p] * v[j];
        c[0] += v0;
        return c;
    }

    /** Θ = (W, b, v, v₀) as plain arrays: W is K × D. */
    public record Parameters(double[][] w, double[] b, double[] v, double v0) {
        public double[] coefficients() {
            return QuadraticNetwork.coefficients(w, b, v, v0);
        }
    }

    /**
     * Question 3.3: parameters Θ with K ≥ D hidden units whose c_Θ is within about ε of a given c,
     * by the procedure below. c's quadratic part is a symmetric D × D matrix Q (Q_dd = c at x_d²,
     * Q_de = Q_ed = half of c at x_dx_e), and c_Θ's is −Σⱼ vⱼwⱼwⱼᵀ; its linear part ℓ (c at x_d) is
     * matched by Σⱼ vⱼ(1 − 2bⱼ)wⱼ, its constant by Σⱼ vⱼ(bⱼ − bⱼ²) + v₀.
     * <ol>
     * <li>Q = Σₖ λₖuₖuₖᵀ (orthogonal eigendecomposition). An eigenvalue with |λₖ| &lt; ε is moved to
     *     ε (by less than 2ε): Q is that close to a non-singular matrix (the hint), and only this step
     *     is inexact.</li>
     * <li>For k = 1..D: wₖ = √|λₖ|·uₖ and vₖ = −sign(λₖ), so −Σₖ vₖwₖwₖᵀ = Σₖ λₖuₖuₖᵀ = Q. The other
     *     K − D units get vⱼ = 0 (they add nothing).</li>
     * <li>The wₖ are a basis (every λₖ ≠ 0): ℓ = Σₖ αₖwₖ with αₖ = uₖᵀℓ/√|λₖ|; vₖ(1 − 2bₖ) = αₖ
     *     gives bₖ = (1 − αₖvₖ)/2 (vₖ = ±1).</li>
     * <li>v₀ = c₁ − Σₖ vₖ(bₖ − bₖ²).</li>
     * </ol>
     */
    public static Parameters parametersFor(double[] c, int inputs, int hidden, double epsilon) {
        int d = inputs;
        if (c.length != featureCount(d)) {
            throw new IllegalArgumentException("c has " + c.length + " entries; D = " + d + " needs (D+1)(D+2)/2 = " + featureCount(d));
        }
        if (hidden < d) throw new IllegalArgumentException("the construction needs K ≥ D hidden units, got K = " + hidden + ", D = " + d);
        if (!(epsilon > 0)) throw new IllegalArgumentException("epsilon must be > 0, got " + epsilon);
        double[][] q = new double[d][d];
        for (int i = 0; i < d; i++) q[i][i] = c[1 + d + i];
        int k = 1 + 2 * d;
        for (int i = 0; i < d; i++) for (int j = i + 1; j < d; j++) q[i][j] = q[j][i] = c[k++] / 2;
        SymmetricEigen eigen = SymmetricEigen.of(q);
        double[][] w = new double[hidden][d];
        double[] b = new double[hidden], v = new double[hidden];
        double v0 = c[0];
        for (int unit = 0; unit < d; unit++) {
            double lambda = eigen.values()[unit];
            // One sign for all of them: a zero eigenvalue comes out as ±1e-17, and mixed signs would
            // add off-diagonal terms to the change of Q.
            if (Math.abs(lambda) < epsilon) lambda = epsilon;
            double[] u = eigen.vector(unit);
            double scale = Math.sqrt(Math.abs(lambda)), alpha = 0;
            for (int i = 0; i < d; i++) {
                w[unit][i] = scale * u[i];
                alpha += u[i] * c[1 + i];
            }
            alpha /= scale;
            v[unit] = lambda > 0 ? -1 : 1;
            b[unit] = (1 - alpha * v[unit]) / 2;
            v0 -= v[unit] * (b[unit] - b[unit] * b[unit]);
        }
        return new Parameters(w, b, v, v0);
    }

    /** g(z) = z(1 − z) elementwise, from tensor operations. */
    public static final class Activation extends Module {
        @Override
        public Tensor forward(Tensor z) {
            return z.sub(z.mul(z));
        }
    }

    /** The float64 network D → K → 1: Linear, g, Linear (PyTorch's default initialisation). */
    public static Sequential network(int inputs, int hidden, RandomGenerator rng) {
        return new Sequential(new Linear(inputs, hidden, true, DType.FLOAT64, rng), new Activation(),
                new Linear(hidden, 1, true, DType.FLOAT64, rng));
    }

    /** c_Θ of a network made by {@link #network}, read from its two Linear layers. */
    public static double[] coefficients(Sequential network) {
        Linear first = (Linear) network.get(0), second = (Linear) network.get(2);
        return coefficients(rows(first.weight()), first.bias().toDoubleArray(), second.weight().toDoubleArray(),
                second.bias().item());
    }

    private static double[][] rows(Tensor matrix) {
        double[][] out = new double[matrix.dim(0)][matrix.dim(1)];
        for (int i = 0; i < out.length; i++) for (int j = 0; j < out[i].length; j++) out[i][j] = matrix.get(i, j);
        return out;
    }

    /** The network's predictions on every row of x versus c_Θᵀφ(x). */
    public static Comparison identityError(Sequential network, Examples x) {
        double[] c = coefficients(network);
        double[] viaFeatures = new double[x.n()];
        for (int n = 0; n < x.n(); n++) viaFeatures[n] = Samples.dot(c, features(row(x, n)));
        try (var scope = Autograd.noGrad()) {
            double[] viaNetwork = network.forward(inputs(x)).toDoubleArray();
            return Comparison.of(viaNetwork, viaFeatures);
        }
    }

    /** ŷ = c_Θᵀφ(x) at {@code points} x ~ N(0, I) for a random network with weights ~ N(0, 1). */
    public static Comparison identityAtRandom(RandomGenerator rng, int inputs, int hidden, int points) {
        Sequential network = network(inputs, hidden, rng);
        for (Tensor p : network.parameters()) for (int i = 0; i < p.size(); i++) p.setFlat(i, rng.nextGaussian());
        double[] x = Samples.gaussian(rng, points * inputs, 1);
        return identityError(network, Examples.regression(x, points, inputs, new double[points]));
    }

    /** ĉ and its training loss: the global minimum over c, found as (ΦᵀΦ)⁺Φᵀy. */
    public record LeastSquares(double[] coefficients, int rank, double trainingMse) {}

    public static LeastSquares leastSquares(Examples data) {
        int p = featureCount(data.features());
        double[][] gram = new double[p][p];
        double[] rhs = new double[p];
        for (int n = 0; n < data.n(); n++) {
            double[] phi = features(row(data, n));
            for (int i = 0; i < p; i++) {
                rhs[i] += phi[i] * data.targets()[n];
                for (int j = i; j < p; j++) gram[i][j] += phi[i] * phi[j];
            }
        }
        for (int i = 0; i < p; i++) for (int j = 0; j < i; j++) gram[i][j] = gram[j][i];
        SymmetricEigen eigen = SymmetricEigen.of(gram);
        double[] values = eigen.values(), c = new double[p];
        int rank = 0;
        for (int k = 0; k < p; k++) { // c = Σ_k (u_kᵀΦᵀy / λ_k) u_k over the λ_k kept
            if (values[k] <= RANK_CUTOFF * eigen.largest()) continue;
            rank++;
            double[] u = eigen.vector(k);
            double coefficient = Samples.dot(u, rhs) / values[k];
            for (int i = 0; i < p; i++) c[i] += coefficient * u[i];
        }
        double sse = 0;
        for (int n = 0; n < data.n(); n++) {
            double r = Samples.dot(c, features(row(data, n))) - data.targets()[n];
            sse += r * r;
        }
        return new LeastSquares(c, rank, sse / data.n());
    }

    /** A gradient-trained network: its loss before and after, and c_Θᵀφ(x) versus it on the data. */
    public record Descent(int hidden, int steps, double learningRate, double initialMse, double trainingMse,
                          Comparison identityError) {}

    /**
     * Full-batch gradient descent on Θ with Adam's step (plain steps diverge easily: the activation
     * is quadratic, so the loss is quartic in W), minimising the mean squared error.
     */
    public static Descent gradientDescent(Examples data, int hidden, int steps, double learningRate, RandomGenerator rng) {
        Sequential network = network(data.features(), hidden, rng);
        Adam optimizer = new Adam(network.parameters(), learningRate);
        Tensor x = inputs(data), y = Tensor.of(data.targets(), data.n(), 1);
        double initial = Double.NaN;
        for (int step = 0; step < steps; step++) {
            optimizer.zeroGrad();
            Tensor loss = network.forward(x).sub(y).pow(2).mean();
            if (step == 0) initial = loss.item();
            loss.backward();
            optimizer.step();
        }
        double mse;
        try (var scope = Autograd.noGrad()) {
            mse = network.forward(x).sub(y).pow(2).mean().item();
        }
        return new Descent(hidden, steps, learningRate, initial, mse, identityError(network, data));
    }

    /**
     * The whole question on one data set: the identity at random Θ, the closed form, and gradient
     * descent; passes when both identities hold and the closed form's loss is not above descent's.
     */
    public record Result(String dataName, int examples, int inputs, Comparison randomIdentity, LeastSquares closedForm,
                         Descent descent) {
        public int featureCount() {
            return QuadraticNetwork.featureCount(inputs);
        }

        public boolean identityPassed() {
            return randomIdentity.maxRelError() <= IDENTITY_TOLERANCE
                    && descent.identityError().maxRelError() <= IDENTITY_TOLERANCE;
        }

        /** ĉ's loss ≤ descent's, allowing rounding (1e-9 relative). */
        public boolean closedFormPassed() {
            return closedForm.trainingMse() <= descent.trainingMse() * (1 + 1e-9) + 1e-15;
        }

        public boolean passed() {
            return identityPassed() && closedFormPassed();
        }
    }

    public static Result check(String dataName, Examples data, int hidden, int steps, double learningRate,
                               RandomGenerator rng) {
        Comparison identity = identityAtRandom(rng, data.features(), hidden, 100);
        return new Result(dataName, data.n(), data.features(), identity, leastSquares(data),
                gradientDescent(data, hidden, steps, learningRate, rng));
    }

    /**
     * N examples x ~ N(0, I_D) with y = sin(2x₁) + x₂·x_D − ½x₁² + 0.1·noise: mostly, but not
     * exactly, quadratic.
     */
    public static Examples generated(RandomGenerator rng, int examples, int inputs) {
        if (inputs < 2) throw new IllegalArgumentException("the generated data needs at least 2 inputs, got " + inputs);
        double[] x = Samples.gaussian(rng, examples * inputs, 1), y = new double[examples];
        for (int n = 0; n < examples; n++) {
            double x1 = x[n * inputs], x2 = x[n * inputs + 1], xd = x[n * inputs + inputs - 1];
            y[n] = Math.sin(2 * x1) + x2 * xd - 0.5 * x1 * x1 + 0.1 * rng.nextGaussian();
        }
        return Examples.regression(x, examples, inputs, y);
    }

    /**
     * The first {@code features} columns of a regression training set named {@code name} (as
     * {@link #fromNpz} keeps them): the network fits real-valued targets, so class labels are refused.
     */
    public static Examples firstFeatures(Examples train, String name, int features) {
        if (train.isClassification()) {
            throw new IllegalArgumentException(name + " is a classification dataset (" + train.classes() + " classes); the "
                    + "quadratic network fits real-valued targets: give a regression dataset, such as ames");
        }
        int n = train.n(), all = train.features();
        if (features < 1 || features > all) {
            throw new IllegalArgumentException("features must be 1.." + all + " for " + name + ", got " + features);
        }
        double[] kept = new double[n * features];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < features; j++) kept[i * features + j] = train.x(i * all + j);
        }
        return Examples.regression(kept, n, features, train.targets());
    }

    /**
     * The training part of a course {@code .npz} (keys {@code Xtrain}, {@code ytrain}), keeping the first
     * {@code features} columns: P = (D+1)(D+2)/2 grows fast (the 348 Ames features would give 61,075).
     */
    public static Examples fromNpz(Path file, int features) {
        Map<String, NdArray> arrays = Npz.read(file);
        NdArray x = arrays.get("Xtrain"), y = arrays.get("ytrain");
        if (x == null || y == null || x.ndim() != 2) {
            throw new IllegalArgumentException(file + " needs a 2-d Xtrain and a ytrain (it holds " + arrays.keySet() + ")");
        }
        int n = x.shape()[0], all = x.shape()[1];
        if (features < 1 || features > all) {
            throw new IllegalArgumentException("features must be 1.." + all + " for " + file + ", got " + features);
        }
        double[] full = x.toDoubles(), kept = new double[n * features], targets = y.toDoubles();
        if (targets.length != n) throw new IllegalArgumentException(file + ": " + n + " rows in Xtrain but " + targets.length + " targets");
        for (int i = 0; i < n; i++) System.arraycopy(full, i * all, kept, i * features, features);
        return Examples.regression(kept, n, features, targets);
    }

    private static double[] row(Examples data, int n) {
        double[] r = new double[data.features()];
        System.arraycopy(data.x(), n * data.features(), r, 0, r.length);
        return r;
    }

    private static Tensor inputs(Examples data) {
        return Tensor.wrap(data.x(), Shape.of(data.n(), data.features()));
    }
}
