package nnlab.cli;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import nnlab.data.Examples;
import nnlab.random.Rng;
import nnlab.tensor.Derivatives.Comparison;
import nnlab.theory.LinearModelConvexity;
import nnlab.theory.LogisticLoss;
import nnlab.theory.MlpExpressiveness;
import nnlab.theory.MlpNonConvexity;
import nnlab.theory.MultinomialLoss;
import nnlab.theory.QuadraticNetwork;
import nnlab.theory.RangeFunction;
import nnlab.theory.SecondOrder;
import nnlab.theory.SigmoidDerivative;
import nnlab.theory.SoftmaxJacobian;

/**
 * {@code nnlab check NAME|all}: the homework's pen-and-paper answers verified numerically (the checks
 * live in {@code nnlab.theory}). Each line states what it verifies, the numbers, and PASS or FAIL; the
 * exit status is 1 if any line failed. {@code nnlab hw1} puts each check's output under the questions
 * it answers ({@link #evidence}).
 */
final class CheckCommand {
    private static final int POINTS = 4;
    /** The most input features quadratic-network takes from a dataset: P = (D+1)(D+2)/2 = 1,176 quadratic features. */
    private static final int MAX_FEATURES = 47;

    private final PrintStream out;
    private final long seed;
    private int passed;
    private int failed;

    /** The checks, in the order 'all' runs them. */
    static final List<String> NAMES = List.of("sigmoid", "softmax-jacobian", "logistic-loss", "multinomial-loss",
            "linear-convexity", "mlp-nonconvexity", "mlp-expressiveness", "range-function", "quadratic-network");

    /** A check's printed lines and whether every one passed. */
    record Evidence(String command, String text, boolean passed) {}

    /**
     * Runs {@code nnlab check} with the given arguments (e.g. "range-function --dim 6 --a -2 --b 2") in
     * this process and keeps what it prints: the homework report shows it under the questions it answers.
     */
    static Evidence evidence(String arguments, java.util.function.Function<String, nnlab.data.CourseData> datasets) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        PrintStream captured = new PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8);
        int status = run(Args.parse(arguments.trim().split("\\s+"), java.util.Set.of()), captured, datasets);
        return new Evidence("nnlab check " + arguments, bytes.toString(java.nio.charset.StandardCharsets.UTF_8).strip(), status == 0);
    }

    private CheckCommand(PrintStream out, long seed) {
        this.out = out;
        this.seed = seed;
    }

    static int run(Args args, PrintStream out, java.util.function.Function<String, nnlab.data.CourseData> datasets) {
        List<String> names = args.positional();
        Map<String, Runnable> checks = new LinkedHashMap<>();
        String usage = "name one check: nnlab check " + String.join("|", NAMES)
                + "|all [--seed N] [--dim D --a A --b B] [--data NAME|PATH --features F]";
        if (names.size() != 1) throw new Args.UsageException(usage);
        String name = names.get(0);
        boolean all = name.equals("all");
        CheckCommand c = new CheckCommand(out, args.integer("seed", 42));
        checks.put("sigmoid", c::sigmoid);
        checks.put("softmax-jacobian", c::softmaxJacobian);
        checks.put("logistic-loss", c::logisticLoss);
        checks.put("multinomial-loss", c::multinomialLoss);
        checks.put("linear-convexity", c::linearConvexity);
        checks.put("mlp-nonconvexity", c::mlpNonConvexity);
        checks.put("mlp-expressiveness", c::mlpExpressiveness);
        if (all || name.equals("range-function")) {
            double a = args.number("a", -1), b = args.number("b", 1);
            if (!Double.isFinite(a) || !Double.isFinite(b)) {
                throw new Args.UsageException("--a and --b must be finite numbers, got --a " + a + " --b " + b);
            }
            // The library takes an empty range (f = −1 everywhere); typed on the command line it is a slip.
            if (a > b) {
                throw new Args.UsageException("--a " + a + " is above --b " + b + ": the range A ≤ Σx ≤ B is empty (f = −1 "
                        + "everywhere); swap them: --a " + b + " --b " + a);
            }
            RangeFunction f = Args.checked(() -> new RangeFunction(args.integer("dim", 2), a, b));
            checks.put("range-function", () -> c.rangeFunction(f));
        }
        boolean quadratic = all || name.equals("quadratic-network");
        String data = quadratic ? args.string("data", null, "data_path") : null;
        int features = quadratic ? args.integer("features", 16) : 0;
        if (features > MAX_FEATURES) {
            // --features 348 (all of ames) ran 40 s and ran out of memory: P = 61,075, a matrix of 30 GB.
            throw new Args.UsageException(String.format("--features %d gives P = %,d quadratic features; the closed form "
                    + "diagonalises a P × P matrix, whose time grows as P³ (D = 45, P = 1,081 takes about two minutes): use "
                    + "--features %d or fewer", features, (features + 1L) * (features + 2) / 2, MAX_FEATURES));
        }
        if (!all && !checks.containsKey(name) && !name.equals("quadratic-network")) {
            throw new Args.UsageException("unknown check '" + name + "'; " + usage);
        }
        args.rejectUnknown("check " + name);
        if (quadratic) {
            // Loaded before any check runs, so that a dataset nnlab cannot find fails first, not after pages of checks.
            Examples examples = data == null ? null : Args.checked(() -> QuadraticNetwork.firstFeatures(
                    datasets.apply(data).train(), data, features));
            String what = data + ", the training set's first " + features + " features";
            checks.put("quadratic-network", () -> c.quadraticNetwork(examples, what));
        }
        checks.forEach((key, check) -> {
            if (all || key.equals(name)) check.run();
        });
        out.printf(Locale.ROOT, "%nsummary: %d PASS, %d FAIL%n", c.passed, c.failed);
        return c.failed == 0 ? 0 : 1;
    }

    private Rng rng(int stream) {
        return new Rng(seed * 1_000_003L + stream);
    }

    // ---- calculus -------------------------------------------------------------------------------

    private void sigmoid() {
        SigmoidDerivative.Result r = SigmoidDerivative.check(rng(1), POINTS);
        title("sigmoid", "σ′(z) = σ(z)(1 − σ(z)), σ(z) = 1/(1 + e^−z)");
        table("z", "formula", "autograd", "numerical");
        for (int i = 0; i < r.z().length; i++) row(fmt(r.z()[i]), r.formula()[i], r.autograd()[i], r.numerical()[i]);
        verdict("autograd vs formula: " + error(r.autogradError(), SigmoidDerivative.AUTOGRAD_TOLERANCE), r.autogradPassed());
        verdict("numerical vs formula: " + error(r.numericalError(), SigmoidDerivative.NUMERICAL_TOLERANCE),
                r.numericalPassed());
    }

    private void softmaxJacobian() {
        SoftmaxJacobian.Result r = SoftmaxJacobian.check(rng(2), 4, 3);
        title("softmax-jacobian", "∂pⱼ/∂zₖ = pⱼ[j = k] − pⱼpₖ, i.e. J = diag(p) − ppᵀ, p = softmax(z), K = 4");
        table("entry", "formula", "autograd", "numerical");
        for (SoftmaxJacobian.Point p : r.points()) {
            out.println("  at z = " + vector(p.z()));
            for (int[] e : new int[][] {{0, 0}, {0, 1}}) {
                row("J[" + e[0] + "," + e[1] + "]", p.formula().get(e[0], e[1]), p.autograd().get(e[0], e[1]),
                        p.numerical().get(e[0], e[1]));
            }
        }
        verdict("autograd vs formula, all entries: " + error(r.autogradError(), SoftmaxJacobian.AUTOGRAD_TOLERANCE),
                r.autogradPassed());
        verdict("numerical vs formula, all entries: " + error(r.numericalError(), SoftmaxJacobian.NUMERICAL_TOLERANCE),
                r.numericalPassed());
    }

    private void logisticLoss() {
        LogisticLoss.Result r = LogisticLoss.check(rng(3), POINTS);
        title("logistic-loss", "L(z; y) = −(1+y)/2·log σ(z) − (1−y)/2·log(1 − σ(z)), y = ±1");
        out.println("  L′(z) = σ(z) − (1+y)/2,  L″(z) = σ(z)(1 − σ(z)) > 0");
        table("z, y", "formula", "autograd", "numerical");
        for (int i = 0; i < r.labels().length; i++) {
            SecondOrder.Point p = r.derivatives().points().get(i);
            String at = fmt(p.at()[0]) + ", " + (r.labels()[i] > 0 ? "+1" : "−1");
            row("L′ " + at, p.gradientFormula().item(), p.gradientAutograd().item(), p.gradientNumerical().item());
            row("L″ " + at, p.hessianFormula().item(), p.hessianAutograd().item(), p.hessianNumerical().item());
        }
        secondOrderVerdicts(r.derivatives(), "L′", "L″", "convex in z");
    }

    private void multinomialLoss() {
        MultinomialLoss.Result r = MultinomialLoss.check(rng(4), 4, 3);
        title("multinomial-loss", "L(z; y) = −log softmax(z)_y, K = 4");
        out.println("  ∇L = p − e_y,  ∇²L = diag(p) − ppᵀ (PSD: vᵀ∇²Lv = Var_p(v) ≥ 0; null direction 1)");
        table("z, y", "formula", "autograd", "numerical");
        for (int i = 0; i < r.labels().length; i++) {
            SecondOrder.Point p = r.derivatives().points().get(i);
            out.println("  at z = " + vector(p.at()) + ", y = " + r.labels()[i] + ": Hessian eigenvalues "
                    + vector(p.formulaEigen().values(), "%.3g"));
            row("∂L/∂z₀", p.gradientFormula().getFlat(0), p.gradientAutograd().getFlat(0), p.gradientNumerical().getFlat(0));
            row("∂²L/∂z₀∂z₁", p.hessianFormula().get(0, 1), p.hessianAutograd().get(0, 1), p.hessianNumerical().get(0, 1));
        }
        secondOrderVerdicts(r.derivatives(), "gradient", "Hessian", "convex in z");
        verdict(String.format(Locale.ROOT, "null direction: |λmin| = %.1e, |⟨v_min, 1/√K⟩| = %.12f, λ₂ ≥ %.4f > 0",
                r.largestNullEigenvalue(), r.worstNullAlignment(), r.smallestSecondEigenvalue()), r.nullDirectionPassed());
    }

    /** Questions 1.5 and 2.1 (2021-22): in the parameters θ = (W, b) of a linear model, both losses stay convex. */
    private void linearConvexity() {
        title("linear-convexity", "L(Wx + b; y), θ = (W, b): squared loss ½‖z − y‖² and logistic loss, convex in z, "
                + "composed with an affine map");
        out.println("  Hessian in θ: (1/N)Σ JₙᵀH_zJₙ with Jₙ = ∂zₙ/∂θ (3 random θ each)");
        for (LinearModelConvexity.Loss loss : LinearModelConvexity.Loss.values()) {
            LinearModelConvexity.Result r = LinearModelConvexity.check(loss, rng(5 + loss.ordinal()), 3);
            SecondOrder.Result d = r.derivatives();
            String name = loss == LinearModelConvexity.Loss.SQUARED ? "squared loss ½‖z − y‖²" : "logistic loss";
            verdict(String.format(Locale.ROOT, "%s, %d parameters: Hessian errors %.1e (autograd), %.1e (numerical)",
                    name, d.points().get(0).at().length, d.hessianAutogradError().maxAbsError(),
                    d.hessianNumericalError().maxAbsError()), d.gradientPassed() && d.hessianPassed());
            verdict(String.format(Locale.ROOT, "%s convex in (W, b): smallest eigenvalue %s", name,
                    eigenvalues(d)), d.convexPassed());
        }
    }

    /** Question 1.5 (2021-22), second half: once z is not affine in the parameters, convexity is lost. */
    private void mlpNonConvexity() {
        MlpNonConvexity.Result m = MlpNonConvexity.check(rng(7));
        title("mlp-nonconvexity", "one-hidden-layer MLP ŷ = vᵀtanh(Wx + b) + c, squared loss, 13 parameters: not convex");
        verdict(String.format(Locale.ROOT, "negative curvature at random θ no. %d: λmin = %.4f (autograd), %.4f "
                        + "(numerical), second difference along v_min %.4f", m.trials(), m.autogradSmallest(),
                m.numericalSmallest(), m.curvatureAlongDirection()), m.negativeCurvaturePassed());
        verdict(String.format(Locale.ROOT, "not convex: a, b = θ ± %.2g·v_min give L((a+b)/2) = %.4f > "
                        + "(L(a) + L(b))/2 = %.4f", m.step(), m.lossMidpoint(), (m.lossA() + m.lossB()) / 2),
                m.midpointGap() > 0);
    }

    private void secondOrderVerdicts(SecondOrder.Result d, String gradient, String hessian, String convexity) {
        verdict(gradient + ": autograd " + error(d.gradientAutogradError(), SecondOrder.GRADIENT_AUTOGRAD_TOLERANCE)
                + ", numerical " + error(d.gradientNumericalError(), SecondOrder.GRADIENT_NUMERICAL_TOLERANCE),
                d.gradientPassed());
        verdict(hessian + ": autograd " + error(d.hessianAutogradError(), SecondOrder.HESSIAN_AUTOGRAD_TOLERANCE)
                + ", numerical " + error(d.hessianNumericalError(), SecondOrder.HESSIAN_NUMERICAL_TOLERANCE),
                d.hessianPassed());
        verdict(convexity + ": smallest Hessian eigenvalue " + eigenvalues(d), d.convexPassed());
    }

    private static String eigenvalues(SecondOrder.Result d) {
        return String.format(Locale.ROOT, "%.3g (formula), %.3g (autograd), %.3g (numerical) ≥ −tol",
                d.smallestFormulaEigenvalue(), d.smallestAutogradEigenvalue(), d.smallestNumericalEigenvalue());
    }

    // ---- networks -------------------------------------------------------------------------------

    /** Question 3.2(a) (2021-22), 1.2(a) (2023-24): a perceptron, a ReLU MLP and a linear-activation MLP on XOR. */
    private void mlpExpressiveness() {
        MlpExpressiveness.Result r = MlpExpressiveness.check(rng(11));
        title("mlp-expressiveness", "XOR on {−1, +1}²: f(x) = +1 if x₁ ≠ x₂ else −1 (not linearly separable)");
        verdict(String.format(Locale.ROOT, "perceptron sign(wᵀx + b), %d epochs: best accuracy %.4f < 1 (no line separates XOR)",
                r.perceptron().epochs(), r.perceptron().bestAccuracy()), r.perceptronFails());
        verdict(String.format(Locale.ROOT, "hand-built ReLU MLP h = relu(−1 − Σx), relu(Σx − 1); ŷ = sign(½ − 2(h₁ + h₂)): "
                + "exact on %d/%d points", r.handBuilt().correct(), r.handBuilt().points()), r.handBuilt().exact());
        out.printf(Locale.ROOT, "  one hidden layer of %d units, the same random start, %d gradient steps on the logistic loss (lr %s):%n",
                MlpExpressiveness.HIDDEN, MlpExpressiveness.STEPS, MlpExpressiveness.LEARNING_RATE);
        MlpExpressiveness.Trained relu = r.relu(), linear = r.linear();
        verdict(String.format(Locale.ROOT, "ReLU activation learns it: accuracy %.4f, loss %.4f → %.4f", relu.accuracy(),
                relu.initialLoss(), relu.finalLoss()), r.mlpComputesIt());
        verdict(String.format(Locale.ROOT, "linear activation g(z) = z does not: accuracy %.4f < 1, loss %.4f → %.4f "
                        + "(log 2 = %.4f: no linear model does better on XOR)", linear.accuracy(), linear.initialLoss(),
                linear.finalLoss(), Math.log(2)), linear.accuracy() < 1);
        MlpExpressiveness.Collapse c = r.collapse();
        verdict(String.format(Locale.ROOT, "it is a linear model: vᵀ(Wx + b) + c = (Wᵀv)ᵀx + (vᵀb + c) = %sᵀx + %.3g, "
                        + "max difference %.1e on %d points (tolerance %.0e)", vector(c.weights(), "%.3g"), c.bias(), c.maxDifference(),
                c.points(), MlpExpressiveness.COLLAPSE_TOLERANCE), c.maxDifference() <= MlpExpressiveness.COLLAPSE_TOLERANCE);
    }

    private void rangeFunction(RangeFunction f) {
        RangeFunction.Result r = f.check(100, 10, rng(8));
        int d = f.dimension();
        title("range-function", String.format(Locale.ROOT, "f(x) = +1 if %s ≤ Σxᵢ ≤ %s else −1 on {−1, +1}^%d (%d points)",
                fmt(f.lower()), fmt(f.upper()), d, 1 << d));
        StringJoiner labels = new StringJoiner(" ");
        for (int s = -d; s <= d; s += 2) labels.add(s + ":" + (s >= f.lower() && s <= f.upper() ? "+" : "−"));
        out.println("  label by attainable sum: " + labels + (r.separable() ? " (one sign change: linearly separable)"
                : " (more than one sign change: not linearly separable)"));
        RangeFunction.PerceptronResult p = r.perceptron();
        verdict(String.format(Locale.ROOT, "perceptron on all %d points, epochs run: %d, best accuracy %.4f (%s)",
                1 << d, p.epochs(), p.bestAccuracy(), r.separable() ? "separable: should reach 1" : "should stay below 1"),
                r.perceptronPassed());
        out.println(String.format(Locale.ROOT, "  thresholds in the gaps between sums: t_lo = %s, t_hi = %s; "
                + "inputs perturbed by up to ε = 1/(2D) = %.4g", fmt(f.lowerThreshold()), fmt(f.upperThreshold()), f.epsilon()));
        network("sign: h = sign(Σx − t_lo), sign(t_hi − Σx); ŷ = sign(h₁ + h₂ − 1)", r.sign());
        network("ReLU: h = relu(t_lo − Σx), relu(Σx − t_hi); ŷ = sign(½ − 2(h₁ + h₂))", r.relu());
    }

    private void network(String formula, RangeFunction.NetworkCheck c) {
        out.println("  " + formula);
        verdict(String.format(Locale.ROOT, "exact on %d/%d points; on %d/%d perturbed points; least margin %.3f",
                c.correct(), c.points(), c.perturbedCorrect(), c.perturbedPoints(), c.smallestMargin()), c.passed());
    }

    /** {@code given}: a dataset's examples (named {@code givenName}), or null for generated ones. */
    private void quadraticNetwork(Examples given, String givenName) {
        Examples data = given == null ? QuadraticNetwork.generated(rng(9), 300, 4) : given;
        String name = given == null ? "generated: y = sin(2x₁) + x₂x_D − ½x₁² + noise, x ~ N(0, I)" : givenName;
        QuadraticNetwork.Result r = QuadraticNetwork.check(name, data, 8, 2000, 0.01, rng(10));
        title("quadratic-network", "g(z) = z(1 − z): ŷ = vᵀg(Wx + b) + v₀ = c_Θᵀφ(x), c_Θ = A_Θᵀv + v₀e₁");
        out.printf(Locale.ROOT, "  φ(x) = (1, x₁..x_D, x₁²..x_D², xᵢxⱼ for i < j): P = (D+1)(D+2)/2 = %d for D = %d%n",
                r.featureCount(), r.inputs());
        out.printf(Locale.ROOT, "  data: %s; %d examples%n", r.dataName(), r.examples());
        verdict("network vs c_Θᵀφ(x), random Θ, 100 random x: " + relative(r.randomIdentity()),
                r.randomIdentity().maxRelError() <= QuadraticNetwork.IDENTITY_TOLERANCE);
        QuadraticNetwork.Descent gd = r.descent();
        verdict("network vs c_Θᵀφ(x), trained Θ, training x: " + relative(gd.identityError()),
                gd.identityError().maxRelError() <= QuadraticNetwork.IDENTITY_TOLERANCE);
        out.printf(Locale.ROOT, "  closed form ĉ = (ΦᵀΦ)⁺Φᵀy (rank %d of %d): training MSE %.6f%n",
                r.closedForm().rank(), r.featureCount(), r.closedForm().trainingMse());
        out.printf(Locale.ROOT, "  gradient descent on Θ (K = %d, %d full-batch Adam steps, lr %s): training MSE %.6f "
                + "(from %.4f)%n", gd.hidden(), gd.steps(), gd.learningRate(), gd.trainingMse(), gd.initialMse());
        verdict(String.format(Locale.ROOT, "closed form ≤ gradient descent: %.6f ≤ %.6f (difference %.1e)",
                r.closedForm().trainingMse(), gd.trainingMse(), gd.trainingMse() - r.closedForm().trainingMse()),
                r.closedFormPassed());
        reparametrisation(r.inputs());
    }

    /** Question 3.3 (2024-25): for K ≥ D, Θ built from any c (QuadraticNetwork.parametersFor) gives c_Θ within ε of c. */
    private void reparametrisation(int d) {
        out.printf(Locale.ROOT, "  Θ from c (K ≥ D): Q = Σλₖuₖuₖᵀ, wₖ = √|λₖ|uₖ, vₖ = −sign λₖ, bₖ = (1 − αₖvₖ)/2, "
                + "v₀ = c₁ − Σvₖ(bₖ − bₖ²)%n");
        Rng rng = rng(12);
        for (int k : new int[] {d, d + 3}) {
            double[] c = new double[QuadraticNetwork.featureCount(d)];
            for (int i = 0; i < c.length; i++) c[i] = rng.nextGaussian();
            double error = maxDifference(QuadraticNetwork.parametersFor(c, d, k, 1e-9).coefficients(), c);
            verdict(String.format(Locale.ROOT, "random c ~ N(0, I), D = %d, K = %d: max |c_Θ − c| = %.1e (tolerance 1e-10)",
                    d, k, error), error <= 1e-10);
        }
        double[] c = new double[QuadraticNetwork.featureCount(d)];
        for (int i = 0; i <= d; i++) c[i] = rng.nextGaussian();
        c[1 + d] = 1;  // Q = diag(1, 0, …, 0): singular, the case the hint is for
        for (double eps : new double[] {1e-3, 1e-6}) {
            double error = maxDifference(QuadraticNetwork.parametersFor(c, d, d, eps).coefficients(), c);
            verdict(String.format(Locale.ROOT, "singular Q (rank 1 of %d), ε = %.0e: max |c_Θ − c| = %.1e ≤ ε", d, eps, error),
                    error <= eps * (1 + 1e-9));
        }
    }

    private static double maxDifference(double[] a, double[] b) {
        double worst = 0;
        for (int i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
        return worst;
    }

    // ---- formatting -----------------------------------------------------------------------------

    private void title(String name, String formula) {
        out.printf("%ncheck %s (seed %d)%n  %s%n", name, seed, formula);
    }

    private void table(String first, String... columns) {
        StringBuilder sb = new StringBuilder(String.format("  %-16s", first));
        for (String c : columns) sb.append(String.format("%15s", c));
        out.println(sb);
    }

    private void row(String first, double... values) {
        StringBuilder sb = new StringBuilder(String.format("  %-16s", first));
        for (double v : values) sb.append(String.format(Locale.ROOT, "%15.10f", v));
        out.println(sb);
    }

    private void verdict(String text, boolean ok) {
        if (ok) passed++;
        else failed++;
        out.printf("  %-4s %s%n", ok ? "PASS" : "FAIL", text);
    }

    private static String error(Comparison c, double tolerance) {
        return String.format(Locale.ROOT, "max abs error %.1e (tolerance %.0e)", c.maxAbsError(), tolerance);
    }

    private static String relative(Comparison c) {
        return String.format(Locale.ROOT, "max rel error %.1e (tolerance %.0e)", c.maxRelError(), QuadraticNetwork.IDENTITY_TOLERANCE);
    }

    private static String vector(double[] v) {
        return vector(v, "%.3f");
    }

    private static String vector(double[] v, String format) {
        StringJoiner j = new StringJoiner(", ", "(", ")");
        for (double x : v) j.add(String.format(Locale.ROOT, format, x));
        return j.toString();
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.4g", v);
    }
}
