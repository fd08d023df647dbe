package nnlab.experiment;

import java.util.List;

/**
 * Every question of an edition's Homework 1 handout, in the handout's numbering, with what answers it
 * in nnlab's report: the written answer (formula, reasoning), the numerical checks whose output is the
 * evidence ({@code nnlab check}), the experiments ({@link Homework.Step}s) whose figures answer it, and
 * the course's reference results for them where any are known.
 *
 * <p>The numbering and wording follow the handouts: 2021-22 from its text (seeds/003), 2024-25 from
 * the official homework1.pdf (COURSE.md §1.3), 2023-24 from a group's answers that follow it
 * (seeds/004). The reference results are COURSE.md §3's, each with the source it names; the Ames
 * figures are COURSE.md §2.1's numpy replay of the skeleton's loop (no group's numbers survive as text).
 */
public final class HomeworkQuestions {
    private HomeworkQuestions() {}

    /**
     * One question of the handout.
     *
     * @param number     "Q1.1", "Q2.2(a)": the handout's numbering
     * @param asks       what it asks, in a line
     * @param answer     the written answer: formula and reasoning, or what the figures below show
     * @param checks     {@code nnlab check} arguments whose output is the numerical evidence
     * @param shown      the experiments whose figures answer it
     * @param references the course's reference figures for those experiments
     */
    public record Question(String number, String asks, String answer, List<String> checks, List<Shown> shown,
                           List<Reference> references) {
        /** Whether the question is answered by experiments (its heading then says what ran). */
        public boolean experimental() {
            return !shown.isEmpty();
        }
    }

    /**
     * Trials of a homework step shown under a question.
     *
     * @param step   the step's id (its folder)
     * @param trials the trials' names ("learning_rate=0.01", "base"); empty for all of them
     * @param charts the charts of each shown trial ({@code loss}, {@code accuracy}, {@code weight_norm},
     *               {@code dist_to_analytic}) and, for {@code sweep}, the step's overlays; {@code parameters}
     *               adds a table column of each trial's trainable parameters; none: table only.
     *               Of a tuned step with every trial shown, the charts are the best trial's.
     * @param label  what the rows are, when not the question's own experiment ("from Q4.2: the default")
     */
    public record Shown(String step, List<String> trials, List<String> charts, String label) {}

    /**
     * A figure of the course's reference runs, beside nnlab's for the same trial.
     *
     * @param step   the step's id
     * @param trial  the trial's name; null for a step's only trial
     * @param metric {@code test_acc}, {@code dev_acc}, {@code train_acc}, {@code test_rmse},
     *               {@code train_rmse} or {@code distance}
     * @param epoch  the epoch the figure is from (the homework's last, for a final figure)
     * @param value  the figure
     * @param source where it was published (COURSE.md names the repository and file)
     */
    public record Reference(String step, String trial, String metric, int epoch, double value, String source) {}

    /** The questions of an edition's Homework 1 or 2. */
    public static List<Question> of(int homework, String edition) {
        if (homework == 2) {
            if (!Homework.EDITIONS.contains(edition)) {
                throw new IllegalArgumentException("unknown edition '" + edition + "'; known: " + Homework.EDITIONS);
            }
            return homework2();
        }
        return of(edition);
    }

    /**
     * Homework 2's CNN questions as the 2023-24 hw2-q2.py sets them (COURSE.md §4); other editions'
     * images reach the same network (its channels and sizes follow the data).
     */
    private static List<Question> homework2() {
        return List.of(
                new Question("Q2.1", "Train the CNN with max pooling; tune the learning rate; plot the training loss and the "
                        + "validation accuracy; report the test accuracy",
                        "conv(1→8, 3×3, padding 1) – ReLU – max-pool 2 – conv(8→16, 3×3) – ReLU – max-pool 2 – 576→320 – ReLU – "
                                + "dropout 0.7 – 320→120 – ReLU – 120→classes – log-softmax, trained with NLL by SGD at batch 8 "
                                + "for 20 epochs. The best learning rate is chosen by the final validation accuracy; its curves and "
                                + "test accuracy are below, with the first layer's learned filters and one test image's feature maps.",
                        List.of(), List.of(all("q2-1-cnn", "loss", "accuracy", "filters", "feature_maps", "sweep", "parameters")), List.of()),
                new Question("Q2.2", "Train the CNN without max pooling (both convolutions with stride 2); compare",
                        "With stride 2 and no pooling the maps shrink as fast (28 → 14 → 6), so the first affine layer sees "
                                + "the same 16×6×6 = 576 values; what differs is how: a stride-2 convolution keeps every other "
                                + "position whatever it holds, where max pooling keeps the strongest response of each 2×2 window, "
                                + "which is what makes the features tolerant to small shifts of the garment. The rows compare both "
                                + "networks at each learning rate.",
                        List.of(), List.of(all("q2-2-no-maxpool", "loss", "accuracy", "filters", "feature_maps", "parameters"),
                        rowsOf("q2-1-cnn", "from Q2.1: with max pooling", "parameters")), List.of()),
                new Question("Q2.3", "How many trainable parameters does each network have? Why do they perform differently?",
                        "Counted by nnlab as PyTorch's sum of p.numel() over the parameters (each run records it): conv 1 has "
                                + "8·(1·9) + 8 = 80 (3 input channels: 224), conv 2 has 16·(8·9) + 16 = 1,168, the affine layers "
                                + "576·320 + 320, 320·120 + 120 and 120·classes + classes: 225,618 with 10 classes and 1 channel. "
                                + "Pooling has no parameters and stride does not change a kernel's size, so both networks have the "
                                + "same count (the table's last column); their accuracies differ only through what the layers keep "
                                + "of each map (Q2.2).",
                        List.of(), List.of(rowsOf("q2-1-cnn", "with max pooling", "parameters"), rowsOf("q2-2-no-maxpool", "without max pooling", "parameters")),
                        List.of()));
    }

    public static List<Question> of(String edition) {
        return switch (edition) {
            case "2021" -> edition2021();
            case "2023" -> edition2023();
            case "2024" -> edition2024();
            default -> throw new IllegalArgumentException("unknown edition '" + edition + "'; known: " + Homework.EDITIONS);
        };
    }

    private static Question derivation(String number, String asks, String answer, String... checks) {
        return new Question(number, asks, answer, List.of(checks), List.of(), List.of());
    }

    private static Shown all(String step, String... charts) {
        return new Shown(step, List.of(), List.of(charts), null);
    }

    private static Shown some(String step, List<String> trials, String... charts) {
        return new Shown(step, trials, List.of(charts), null);
    }

    private static Shown rowsOf(String step, String label, String... charts) {
        return new Shown(step, List.of(), List.of(charts), label);
    }

    private static Reference ref(String step, String trial, String metric, int epoch, double value, String source) {
        return new Reference(step, trial, metric, epoch, value, source);
    }

    private static final String MLP_EXPRESSIVENESS = "A perceptron or logistic regression scores each class by a linear "
            + "function of the pixels, so its decision boundaries are hyperplanes: it cannot represent a class that "
            + "depends on a combination of pixels (XOR-like: this region bright only when that one is dark), nor "
            + "build features that do not move with a small shift of the garment. A hidden layer computes features "
            + "h = g(Wx + b) and the output is linear in them; with a non-linear g those features bend the boundaries "
            + "(with enough units, any continuous function on a bounded set). With a linear g, h = Wx + b is affine "
            + "in x and so is vᵀh + c = (Wᵀv)ᵀx + (vᵀb + c): the network is a linear model again, and the extra "
            + "layer buys nothing. The check below shows all three on XOR; the table compares the linear models with "
            + "the MLP on this run's data.";

    // ---- 2021-22: Fashion-MNIST and Ames (seeds/003) ----------------------------------------------

    private static List<Question> edition2021() {
        String ames = "COURSE.md §2.1: the skeleton's loop replayed with numpy (seed 42, lr 0.001)";
        String cata = "catasofia/Deep-Learning Homework1/images_q4_2/*/final_acc";
        String seed000 = "seeds/000 (a 2021-22 group's report)";
        return List.of(
                derivation("Q1.1", "The sigmoid's derivative: σ′(z) = σ(z)(1 − σ(z))",
                        "σ(z) = (1 + e^−z)^−1, so σ′(z) = e^−z / (1 + e^−z)² = [1 / (1 + e^−z)] · [e^−z / (1 + e^−z)] = "
                                + "σ(z)(1 − σ(z)), because 1 − σ(z) = e^−z / (1 + e^−z).", "sigmoid"),
                derivation("Q1.2", "The binary logistic loss: L′(z; +1) and L″(z; +1); convex in z",
                        "For y = +1, L(z) = −log σ(z), so L′(z) = −σ′(z)/σ(z) = −(1 − σ(z)) = σ(z) − 1 and "
                                + "L″(z) = σ′(z) = σ(z)(1 − σ(z)) > 0 for every z (each factor is in (0, 1)). A twice "
                                + "differentiable function with a positive second derivative everywhere is (strictly) "
                                + "convex. For y = −1, L = −log(1 − σ(z)), L′ = σ(z), and L″ is the same.", "logistic-loss"),
                derivation("Q1.3", "The Jacobian of softmax",
                        "With p = softmax(z), ∂p_j/∂z_k = p_j(δ_jk − p_k): p_j(1 − p_j) on the diagonal, −p_j·p_k off it. "
                                + "In matrix form J = diag(p) − ppᵀ, a symmetric K × K matrix.", "softmax-jacobian"),
                derivation("Q1.4", "The multinomial logistic loss: gradient and Hessian in z; convex in z",
                        "L(z; y = j) = −z_j + log Σ_k exp(z_k), so ∇L = softmax(z) − e_j = p − e_j and ∇²L = J = "
                                + "diag(p) − ppᵀ (Q1.3). For any v, vᵀ(diag(p) − ppᵀ)v = Σ_k p_k v_k² − (Σ_k p_k v_k)², "
                                + "the variance of v under p, which is ≥ 0: the Hessian is positive semi-definite "
                                + "everywhere, so L is convex in z. Not strictly: along 1 = (1, …, 1) it is flat "
                                + "(softmax(z + t·1) = softmax(z)), the zero eigenvalue the check finds.", "multinomial-loss"),
                derivation("Q1.5", "Convex in (W, b) when z = Wφ(x) + b; and when z is not linear in the parameters?",
                        "z = Wφ(x) + b is affine in θ = (W, b): z = Aθ + c for a matrix A made of φ(x)'s entries. L(·; y) "
                                + "is convex in z (Q1.4), and a convex function of an affine map is convex (the hint), "
                                + "so each example's loss is convex in θ, and so is their sum: every local minimum of "
                                + "the training loss is a global one. This does not hold in general: once z is not "
                                + "affine in the parameters (a hidden layer, z = V·g(Wx + b)), the loss need not be "
                                + "convex, and the check finds a point where a one-hidden-layer network's Hessian has a "
                                + "negative eigenvalue, and two parameter vectors whose midpoint has a higher loss than "
                                + "their average.", "linear-convexity", "mlp-nonconvexity"),
                derivation("Q2.1", "The squared error loss ½‖z − y‖² with z = Wᵀφ(x) + b is convex in (W, b)",
                        "In z, ∇L = z − y and ∇²L = I, positive definite: L is convex in z. z = Wᵀφ(x) + b is affine in "
                                + "(W, b), so L is convex in (W, b) (a convex function of an affine map); directly, its "
                                + "Hessian in θ is JᵀJ with J = ∂z/∂θ, and vᵀJᵀJv = ‖Jv‖² ≥ 0.", "linear-convexity"),
                new Question("Q2.2(a)", "Linear regression on Ames: SGD, lr 0.001, 150 epochs; train and test "
                        + "performance per epoch, and the distance to the analytic solution",
                        "The training RMSE keeps falling as SGD moves the 349 weights towards the least-squares fit of "
                                + "the 1,465 training houses. The test RMSE falls at first, while the weights pick up what "
                                + "generalises, then rises as they fit what is particular to the training set: the model "
                                + "overfits (the analytic least-squares weights show it most: their train RMSE is far "
                                + "below their test RMSE). XᵀX is singular (rank 245 of 349), so the least-squares "
                                + "solution is not unique; nnlab's analytic solution is the minimum-norm one, and SGD "
                                + "from zero approaches it slowly along the directions the data barely constrain.",
                        List.of(), List.of(all("q2a-linear-regression", "loss", "dist_to_analytic")),
                        List.of(ref("q2a-linear-regression", null, "test_rmse", 1, 0.7269, ames),
                                ref("q2a-linear-regression", null, "test_rmse", 10, 0.2855, ames),
                                ref("q2a-linear-regression", null, "test_rmse", 50, 0.1978, ames),
                                ref("q2a-linear-regression", null, "test_rmse", 100, 0.2175, ames),
                                ref("q2a-linear-regression", null, "test_rmse", 150, 0.2382, ames),
                                ref("q2a-linear-regression", null, "train_rmse", 150, 0.1105, ames),
                                ref("q2a-linear-regression", null, "distance", 1, 2.88, ames + "; to the λ = 1e-4 ridge weights, 2 decimals"),
                                ref("q2a-linear-regression", null, "distance", 150, 1.45, ames + "; to the λ = 1e-4 ridge weights, 2 decimals"))),
                new Question("Q2.2(b)", "A one-hidden-layer network (150 ReLU units, N(0.1, 0.1²) weights), SGD lr 0.001, "
                        + "150 epochs: train and test performance, compared with the linear model",
                        "The table puts the network beside the linear model of Q2.2(a). The network has about 52,000 "
                                + "parameters for 1,465 houses and fits the training set more closely; the gap between "
                                + "its train and test RMSE, against the linear model's, is the comparison the question "
                                + "asks for.",
                        List.of(), List.of(all("q2b-neural-regression", "loss"), rowsOf("q2a-linear-regression", "linear model (Q2.2(a))")),
                        List.of()),
                new Question("Q3.1(a)", "The perceptron, 20 epochs: validation and test accuracy per epoch",
                        "The perceptron updates only on mistakes, by a whole example and with no step size, so its "
                                + "accuracy jumps from epoch to epoch rather than settling.",
                        List.of(), List.of(all("q3a-perceptron", "accuracy")), List.of()),
                new Question("Q3.1(b)", "Logistic regression, SGD lr 0.001, no regularisation, 20 epochs: validation and "
                        + "test accuracy per epoch",
                        "Each step moves the weights by lr·(p − e_y)xᵀ, small when the model is already confident and "
                                + "right, so the curves are smoother than the perceptron's.",
                        List.of(), List.of(all("q3b-logistic-regression", "accuracy")), List.of()),
                new Question("Q3.2(a)", "Why are multi-layer perceptrons with non-linear activations more expressive than "
                        + "the perceptron, and what limits do they overcome here? And with a linear activation?",
                        MLP_EXPRESSIVENESS, List.of("mlp-expressiveness"),
                        List.of(rowsOf("q3a-perceptron", "perceptron (Q3.1(a))"),
                                rowsOf("q3b-logistic-regression", "logistic regression (Q3.1(b))"),
                                rowsOf("q3c-mlp", "MLP (Q3.2(b))")), List.of()),
                new Question("Q3.2(b)", "A multi-layer perceptron with one hidden layer (200 ReLU units), hand-written "
                        + "backpropagation, SGD lr 0.001, N(0.1, 0.1²) weights",
                        "The loss plotted is the mean cross-entropy per training example over each epoch (each computed "
                                + "before that example's update).",
                        List.of(), List.of(all("q3c-mlp", "accuracy", "loss")), List.of()),
                new Question("Q4.1", "Logistic regression with an autodiff toolkit, batch 1, 20 epochs, learning rate "
                        + "tuned on validation over {0.001, 0.01, 0.1}: the best, its training loss and validation "
                        + "accuracy per epoch, its final test accuracy",
                        "The best learning rate is the one with the highest final validation accuracy; its curves follow, "
                                + "then every trial's validation accuracy overlaid.",
                        List.of(), List.of(all("q4-1-logistic-regression", "loss", "accuracy", "sweep")),
                        List.of(ref("q4-1-logistic-regression", "learning_rate=0.001", "test_acc", 20, 0.8402,
                                        "catasofia/Deep-Learning Homework1/images_q4_1/final_acc; seeds/000 (identical)"),
                                ref("q4-1-logistic-regression", "learning_rate=0.01", "test_acc", 20, 0.7944,
                                        "catasofia/Deep-Learning Homework1/images_q4_1/final_acc; seeds/000 (identical)"),
                                ref("q4-1-logistic-regression", "learning_rate=0.1", "test_acc", 20, 0.7500,
                                        "catasofia/Deep-Learning Homework1/images_q4_1/final_acc; seeds/000 (identical)"))),
                new Question("Q4.2", "A feed-forward network with dropout, Table 1's defaults (20 epochs, lr 0.01, 200 "
                        + "hidden units, dropout 0.3, batch 1, ReLU, SGD), each hyperparameter tuned alone: the best "
                        + "setting, its curves, its final test accuracy",
                        "Each row changes one hyperparameter of the default ('base'); the best is the highest final "
                                + "validation accuracy. Training accuracy is the running accuracy over each epoch's "
                                + "batches as they train, with dropout on.",
                        List.of(), List.of(all("q4-2-ffn", "loss", "accuracy", "sweep")),
                        List.of(ref("q4-2-ffn", "base", "test_acc", 20, 0.8709, cata),
                                ref("q4-2-ffn", "learning_rate=0.001", "test_acc", 20, 0.8772, cata),
                                ref("q4-2-ffn", "learning_rate=0.1", "test_acc", 20, 0.1589, cata),
                                ref("q4-2-ffn", "hidden_size=100", "test_acc", 20, 0.8627, cata),
                                ref("q4-2-ffn", "dropout=0.5", "test_acc", 20, 0.8606, cata),
                                ref("q4-2-ffn", "activation=tanh", "test_acc", 20, 0.8565, cata),
                                ref("q4-2-ffn", "optimizer=adam", "test_acc", 20, 0.3249, cata),
                                ref("q4-2-ffn", "base", "test_acc", 20, 0.8284, seed000),
                                ref("q4-2-ffn", "learning_rate=0.001", "test_acc", 20, 0.8324, seed000),
                                ref("q4-2-ffn", "learning_rate=0.1", "test_acc", 20, 0.2552, seed000),
                                ref("q4-2-ffn", "dropout=0.5", "test_acc", 20, 0.8114, seed000),
                                ref("q4-2-ffn", "activation=tanh", "test_acc", 20, 0.8207, seed000),
                                ref("q4-2-ffn", "optimizer=adam", "test_acc", 20, 0.1579, seed000))),
                new Question("Q4.3", "Table 1's defaults with 2 and 3 hidden layers: the best configuration, its curves, "
                        + "its final test accuracy",
                        "The default (one hidden layer, from Q4.2) is shown beside the deeper models; the best is chosen "
                                + "on validation accuracy among the deeper ones, as the handout asks.",
                        List.of(), List.of(all("q4-3-depth", "loss", "accuracy"),
                                new Shown("q4-2-ffn", List.of("base"), List.of(), "default, 1 hidden layer (Q4.2)")),
                        List.of(ref("q4-3-depth", "layers=2", "test_acc", 20, 0.8612, cata),
                                ref("q4-3-depth", "layers=3", "test_acc", 20, 0.8673, cata),
                                ref("q4-3-depth", "layers=2", "test_acc", 20, 0.8576, seed000),
                                ref("q4-3-depth", "layers=3", "test_acc", 20, 0.8573, seed000),
                                ref("q4-2-ffn", "base", "test_acc", 20, 0.8709, cata))));
    }

    // ---- 2023-24: OCTMNIST (seeds/004) ---------------------------------------------------------------

    private static List<Question> edition2023() {
        String dev = "devandrepascoa/ist-meic-apdei-15 (stdout logs)";
        String s004 = "seeds/004 (a 2023-24 group's report)";
        return List.of(
                new Question("Q1.1(a)", "The perceptron, 20 epochs: train and validation accuracy per epoch, test accuracy",
                        "Every figure of this run is exact in float64: with the course's seed and shuffles nnlab "
                                + "reproduces numpy's perceptron to the last digit (COURSE.md §3), so on the real data the "
                                + "reference row below must match exactly.",
                        List.of(), List.of(all("q1-1a-perceptron", "accuracy")),
                        List.of(ref("q1-1a-perceptron", null, "test_acc", 20, 0.3422, dev + "; rahqueu; goncalo-aroeira; " + s004),
                                ref("q1-1a-perceptron", null, "train_acc", 20, 0.4654, dev),
                                ref("q1-1a-perceptron", null, "dev_acc", 20, 0.4610, dev))),
                new Question("Q1.1(b)", "Logistic regression, 50 epochs, lr 0.01 and 0.001: accuracies per epoch, test accuracy",
                        "The larger step moves faster but overshoots: its curves oscillate, and the smaller one ends "
                                + "higher (on the course's data and here, compare the two rows).",
                        List.of(), List.of(all("q1-1b-logistic-regression", "accuracy", "sweep")),
                        List.of(ref("q1-1b-logistic-regression", "learning_rate=0.001", "test_acc", 50, 0.5936, dev + "; rahqueu; " + s004),
                                ref("q1-1b-logistic-regression", "learning_rate=0.001", "train_acc", 50, 0.6625, dev),
                                ref("q1-1b-logistic-regression", "learning_rate=0.001", "dev_acc", 50, 0.6639, dev),
                                ref("q1-1b-logistic-regression", "learning_rate=0.01", "test_acc", 50, 0.5784, dev + "; rahqueu; " + s004))),
                new Question("Q1.2(a)", "Claim: logistic regression is less expressive than a multi-layer perceptron with "
                        + "ReLU activations, but easier to train. True?",
                        "True on both counts. Expressiveness: " + MLP_EXPRESSIVENESS.replace("garment", "scan")
                                + " Training: logistic regression's loss is convex in its parameters (a convex loss of an "
                                + "affine map), so gradient descent with a suitable step reaches a global minimum from "
                                + "anywhere; an MLP's loss is not convex (negative curvature below), so it can stall in "
                                + "poor regions and depends on its initialisation and step size.",
                        List.of("mlp-expressiveness", "linear-convexity", "mlp-nonconvexity"),
                        List.of(rowsOf("q1-1b-logistic-regression", "logistic regression (Q1.1(b))"),
                                rowsOf("q1-2b-mlp", "MLP (Q1.2(b))")), List.of()),
                new Question("Q1.2(b)", "The MLP: one hidden layer of 200 ReLU units, hand-written backpropagation, lr 0.001, "
                        + "20 epochs: accuracies and training loss per epoch, test accuracy",
                        "The loss plotted is the mean cross-entropy per training example over each epoch. MLP results "
                                + "depend on each group's implementation (summation order, how the loss is reported): "
                                + "the references below differ among themselves by 0.015.",
                        List.of(), List.of(all("q1-2b-mlp", "accuracy", "loss")),
                        List.of(ref("q1-2b-mlp", null, "test_acc", 20, 0.7656, dev),
                                ref("q1-2b-mlp", null, "test_acc", 20, 0.7524, "rahqueu/deep-learning-hw1-2023-2024"),
                                ref("q1-2b-mlp", null, "test_acc", 20, 0.7505, s004),
                                ref("q1-2b-mlp", null, "test_acc", 20, 0.7675, "goncalo-aroeira/ap-hw1"))),
                new Question("Q2.1", "Logistic regression with an autodiff toolkit, batch 16, 20 epochs, lr tuned over "
                        + "{0.001, 0.01, 0.1}: the best, its loss and validation accuracy curves, its test accuracy",
                        "The best learning rate is the one with the highest final validation accuracy.",
                        List.of(), List.of(all("q2-1-logistic-regression", "loss", "accuracy", "sweep")),
                        List.of(ref("q2-1-logistic-regression", "learning_rate=0.001", "test_acc", 20, 0.6503, dev),
                                ref("q2-1-logistic-regression", "learning_rate=0.01", "test_acc", 20, 0.6200, dev + "; " + s004),
                                ref("q2-1-logistic-regression", "learning_rate=0.1", "test_acc", 20, 0.5577, dev))),
                new Question("Q2.2(a)", "The default feed-forward network with batch 16 and 1024: performance and training time",
                        "A larger batch makes fewer, less noisy updates per epoch: each epoch is faster (see the seconds "
                                + "column) but, at the same learning rate and number of epochs, the model moves less "
                                + "and ends lower.",
                        List.of(), List.of(all("q2-2a-batch", "loss", "accuracy", "sweep")),
                        List.of(ref("q2-2a-batch", "batch_size=16", "test_acc", 20, 0.7883, dev),
                                ref("q2-2a-batch", "batch_size=16", "test_acc", 20, 0.7675, s004),
                                ref("q2-2a-batch", "batch_size=1024", "test_acc", 20, 0.7259, dev))),
                new Question("Q2.2(b)", "The default network with learning rates 1, 0.1, 0.01 and 0.001: the best and the worst",
                        "Too large a step (1) overshoots and the loss does not settle; too small ones (0.01, 0.001) have "
                                + "not converged in 20 epochs.",
                        List.of(), List.of(all("q2-2b-learning-rate", "loss", "accuracy", "sweep")),
                        List.of(ref("q2-2b-learning-rate", "learning_rate=1", "test_acc", 20, 0.4726, dev),
                                ref("q2-2b-learning-rate", "learning_rate=0.1", "test_acc", 20, 0.7883, dev),
                                ref("q2-2b-learning-rate", "learning_rate=0.01", "test_acc", 20, 0.7656, dev),
                                ref("q2-2b-learning-rate", "learning_rate=0.001", "test_acc", 20, 0.7089, dev))),
                new Question("Q2.2(c)", "Batch 256, 150 epochs: the default, L2 0.0001, dropout 0.2: overfitting and its remedies",
                        "Without regularisation the training loss keeps falling while the validation loss stops "
                                + "falling and turns up: overfitting. L2 pulls the weights towards zero at every step; "
                                + "dropout trains on random sub-networks, so no unit can rely on another being there.",
                        List.of(), List.of(all("q2-2c-regularisation", "loss", "accuracy", "sweep")),
                        List.of(ref("q2-2c-regularisation", "base", "test_acc", 150, 0.7656, dev),
                                ref("q2-2c-regularisation", "l2_decay=0.0001", "test_acc", 150, 0.7713, dev),
                                ref("q2-2c-regularisation", "dropout=0.2", "test_acc", 150, 0.7940, dev),
                                ref("q2-2c-regularisation", "dropout=0.2", "test_acc", 150, 0.7825, s004))),
                derivation("Q3.1(a)", "f(x) = +1 if A ≤ Σxᵢ ≤ B else −1 on {−1, +1}^D cannot in general be computed by a "
                                + "single perceptron",
                        "A counterexample: D = 2, A = −1, B = 1 is XOR: (1, −1) and (−1, 1) are +1, (1, 1) and (−1, −1) are "
                                + "−1. A separating (w, b) would need w₁ − w₂ + b > 0 and −w₁ + w₂ + b > 0, so b > 0, "
                                + "and w₁ + w₂ + b < 0 and −w₁ − w₂ + b < 0, so b < 0: impossible. In general f depends on "
                                + "the sum alone, and it is linearly separable exactly when its labels over the attainable "
                                + "sums change sign at most once (the check prints them).", "range-function"),
                derivation("Q3.1(b)", "A network with one hidden layer of two sign units that computes f, robust to "
                                + "infinitesimal perturbations of the input",
                        "h₁ = sign(Σx − t_lo) says the sum is above the lower bound, h₂ = sign(t_hi − Σx) below the upper "
                                + "one, and ŷ = sign(h₁ + h₂ − 1) is their AND. Putting the thresholds in the gaps between "
                                + "attainable sums (t_lo = lo − 1, t_hi = hi + 1, sums having D's parity) keeps every input "
                                + "at distance ≥ 1 from both: inputs moved by up to ε = 1/(2D) each move the sum by at most "
                                + "½, and every answer stays the same. The check runs it for a general case (D = 6, "
                                + "A = −2, B = 2) on all 64 points and perturbed copies of them.",
                        "range-function --dim 6 --a -2 --b 2"),
                derivation("Q3.1(c)", "The same with ReLU hidden units",
                        "h₁ = relu(t_lo − Σx) and h₂ = relu(Σx − t_hi) measure how far the sum is below or above the range "
                                + "(both 0 inside it, at least ½ outside it after any perturbation up to ε); ŷ = "
                                + "sign(½ − 2(h₁ + h₂)) is +1 exactly when both are 0. Same general case as (b), checked "
                                + "on every point and perturbed copies.",
                        "range-function --dim 6 --a -2 --b 2"));
    }

    // ---- 2024-25: Intel landscapes (homework1.pdf; seeds/001) ---------------------------------------

    private static List<Question> edition2024() {
        String s001 = "seeds/001 (a 2024-25 group's report)";
        String sueco = "sueco2003/Deep-Learning-24-25 ";
        return List.of(
                new Question("Q1.1(a)", "The perceptron, 100 epochs: train, validation and test accuracy; train and "
                        + "validation accuracy per epoch",
                        "nnlab reproduces numpy's perceptron to the last digit (COURSE.md §3): on the course's data the "
                                + "reference below must match exactly.",
                        List.of(), List.of(all("q1-1-perceptron", "accuracy")),
                        List.of(ref("q1-1-perceptron", null, "test_acc", 100, 0.37433333333333335,
                                sueco + "Q1-perceptron-results.txt; " + s001))),
                new Question("Q1.2(a)", "Logistic regression without ℓ2, lr 0.001, 100 epochs",
                        "The row and curves of the run without a penalty (l2_penalty 0).",
                        List.of(), List.of(some("q1-2-logistic-regression", List.of("l2_penalty=0"), "accuracy")),
                        List.of(ref("q1-2-logistic-regression", "l2_penalty=0", "test_acc", 100, 0.45966666666666667,
                                sueco + "Homework 1/Q1-logistic_regression-results.txt; " + s001))),
                new Question("Q1.2(b)", "With ℓ2 regularisation 0.01: final test accuracy, train and validation accuracy "
                        + "per epoch, compared with (a)",
                        "The penalty keeps the weights from growing to fit the training set: training accuracy ends lower, "
                                + "and the gap between training and validation accuracy is smaller than without it.",
                        List.of(), List.of(some("q1-2-logistic-regression", List.of("l2_penalty=0.01"), "accuracy"),
                                new Shown("q1-2-logistic-regression", List.of("l2_penalty=0"), List.of(), "without ℓ2 (Q1.2(a))")),
                        List.of(ref("q1-2-logistic-regression", "l2_penalty=0.01", "test_acc", 100, 0.5053333333333333,
                                sueco + "cQ1-logistic_regression-results.txt; " + s001))),
                new Question("Q1.2(c)", "The ℓ2 (Frobenius) norm of the weights per epoch, without and with regularisation",
                        "Without a penalty nothing stops the norm from growing while the loss can still fall (the data "
                                + "keep pushing scores apart); with it, the pull λW balances the data's gradient and the "
                                + "norm levels off.",
                        List.of(), List.of(some("q1-2-logistic-regression", List.of("l2_penalty=0", "l2_penalty=0.01"), "weight_norm")),
                        List.of()),
                new Question("Q1.2(d)", "How would the weights differ at the end of training with ℓ1 instead of ℓ2?",
                        "ℓ1's (sub)gradient λ·sign(W) pulls every weight towards zero by the same amount at each step, "
                                + "so a weight whose data gradient is smaller than that ends at exactly zero: a sparse W "
                                + "that keeps few pixels (feature selection). ℓ2's pull λW is proportional to the weight, "
                                + "so weights shrink but rarely reach zero: a dense W of smaller norm, spread over "
                                + "correlated pixels. The handout asks for no ℓ1 run, and nnlab shows none.",
                        List.of(), List.of(), List.of()),
                new Question("Q1.3(a)", "The MLP: 100 ReLU units, hand-written backpropagation, SGD lr 0.001, 20 epochs: "
                        + "test accuracy, training loss and accuracies per epoch",
                        "The loss plotted is the mean cross-entropy per training example over each epoch. MLP results "
                                + "depend on each group's implementation: the two references below differ by 0.09.",
                        List.of(), List.of(all("q1-3-mlp", "accuracy", "loss")),
                        List.of(ref("q1-3-mlp", null, "test_acc", 20, 0.5443, s001),
                                ref("q1-3-mlp", null, "test_acc", 20, 0.4573, sueco + "(another run)"))),
                new Question("Q2.1", "Logistic regression with an autodiff toolkit, batch 32, ℓ2 0.01, 100 epochs, lr over "
                        + "{0.00001, 0.001, 0.1}: the best by validation accuracy, its test and validation accuracy, the "
                        + "training and validation losses of each",
                        "A tiny step barely moves in 100 epochs; a large one makes the losses jump; the best is the "
                                + "highest final validation accuracy.",
                        List.of(), List.of(all("q2-1-logistic-regression", "loss", "accuracy", "sweep")),
                        List.of(ref("q2-1-logistic-regression", "learning_rate=0.001", "dev_acc", 100, 0.52,
                                s001 + ": \"reaching around 0.52\" (validation, read from its plot)"))),
                new Question("Q2.2(a)", "The default network (Table 1: 200 epochs, lr 0.002, 200 units, 2 layers, dropout "
                        + "0.3, batch 64) and batch 512: losses, test and validation accuracy, time",
                        "Batch 512 makes 8 times fewer updates per epoch: each epoch is faster (see the seconds column), "
                                + "but in the same 200 epochs the model moves less and ends lower.",
                        List.of(), List.of(all("q2-2a-batch", "loss", "accuracy", "sweep")),
                        List.of(ref("q2-2a-batch", "batch_size=64", "test_acc", 200, 0.6080, s001),
                                ref("q2-2a-batch", "batch_size=64", "dev_acc", 200, 0.6090, s001),
                                ref("q2-2a-batch", "batch_size=512", "test_acc", 200, 0.5190, s001),
                                ref("q2-2a-batch", "batch_size=512", "dev_acc", 200, 0.5028, s001))),
                new Question("Q2.2(b)", "Dropout 0.01, 0.25 and 0.5: validation and test accuracy, losses",
                        "Little dropout leaves the network free to overfit; a lot slows its training; the validation "
                                + "accuracies show where the balance lies.",
                        List.of(), List.of(all("q2-2b-dropout", "loss", "accuracy", "sweep")),
                        List.of(ref("q2-2b-dropout", "dropout=0.01", "test_acc", 200, 0.5763, s001),
                                ref("q2-2b-dropout", "dropout=0.25", "test_acc", 200, 0.6063, s001),
                                ref("q2-2b-dropout", "dropout=0.5", "test_acc", 200, 0.5950, s001),
                                ref("q2-2b-dropout", "dropout=0.01", "dev_acc", 200, 0.5762, s001),
                                ref("q2-2b-dropout", "dropout=0.25", "dev_acc", 200, 0.6068, s001),
                                ref("q2-2b-dropout", "dropout=0.5", "dev_acc", 200, 0.5990, s001))),
                new Question("Q2.2(c)", "Batch 1024 with momentum 0 and 0.9: losses, test and validation accuracy",
                        "At batch 1024 there are few updates per epoch; momentum accumulates them along directions that "
                                + "agree from step to step, so each goes further, and the network trains much faster.",
                        List.of(), List.of(all("q2-2c-momentum", "loss", "accuracy", "sweep")),
                        List.of(ref("q2-2c-momentum", "momentum=0.0", "test_acc", 200, 0.4887, s001),
                                ref("q2-2c-momentum", "momentum=0.9", "test_acc", 200, 0.6010, s001),
                                ref("q2-2c-momentum", "momentum=0.0", "dev_acc", 200, 0.4701, s001),
                                ref("q2-2c-momentum", "momentum=0.9", "dev_acc", 200, 0.5997, s001))),
                derivation("Q3.1", "With g(z) = z(1 − z): h = A_Θφ(x) for a feature map φ independent of Θ; φ and A_Θ",
                        "With zⱼ = wⱼᵀx + bⱼ, hⱼ = zⱼ − zⱼ² = (bⱼ − bⱼ²) + Σ_d (1 − 2bⱼ)w_{jd}x_d − Σ_d w_{jd}²x_d² − "
                                + "Σ_{d<e} 2w_{jd}w_{je}x_dx_e. So φ(x) = (1, x₁, …, x_D, x₁², …, x_D², x₁x₂, …, x_{D−1}x_D), "
                                + "of size 1 + 2D + D(D−1)/2 = (D+1)(D+2)/2, and row j of A_Θ is (bⱼ − bⱼ², (1 − 2bⱼ)wⱼᵀ, "
                                + "−w_{jd}² for each d, −2w_{jd}w_{je} for each d < e). The check compares the network "
                                + "with A_Θφ(x) at random Θ and x.", "quadratic-network"),
                derivation("Q3.2", "ŷ = c_Θᵀφ(x): c_Θ; is the model linear in Θ?",
                        "ŷ = vᵀh + v₀ = vᵀA_Θφ(x) + v₀ = c_Θᵀφ(x) with c_Θ = A_Θᵀv + v₀e₁ (φ₁ = 1). The prediction is "
                                + "linear in c_Θ, but c_Θ is not linear in Θ (it has products such as vⱼw_{jd}w_{je}): "
                                + "the model is not linear in its original parameters.", "quadratic-network"),
                derivation("Q3.3", "For K ≥ D, any c is c_Θ for some Θ up to ε: a procedure to obtain Θ from c",
                        "c's quadratic part is a symmetric D × D matrix Q (diagonal: the x_d² entries; off it: half the "
                                + "x_dx_e entries), and c_Θ's is −Σⱼ vⱼwⱼwⱼᵀ. Decompose Q = Σₖ λₖuₖuₖᵀ (orthogonal, D "
                                + "terms); move any |λₖ| < ε to ε (Q is ε-close to a non-singular matrix); set wₖ = "
                                + "√|λₖ|uₖ and vₖ = −sign(λₖ) for k ≤ D, and vⱼ = 0 for the other K − D units. The linear "
                                + "part ℓ must equal Σₖ vₖ(1 − 2bₖ)wₖ; the wₖ are a basis, ℓ = Σₖ αₖwₖ with αₖ = "
                                + "uₖᵀℓ/√|λₖ|, so bₖ = (1 − αₖvₖ)/2. Finally v₀ = c₁ − Σₖ vₖ(bₖ − bₖ²). The check builds "
                                + "Θ this way for random c and for a singular Q.", "quadratic-network"),
                derivation("Q3.4", "A closed form for the least-squares ĉ; why is this problem special?",
                        "With Φ the N × P matrix of rows φ(xₙ)ᵀ, L(c) = (1/2N)‖Φc − y‖², a linear least-squares problem: "
                                + "with rank(Φ) = P, ĉ = (ΦᵀΦ)⁻¹Φᵀy, the global minimum (and by Q3.3 some Θ reaches it up "
                                + "to ε). For feed-forward networks global minimisation is usually intractable: the loss "
                                + "is not convex in the parameters (Q1.5 of 2021-22 shows it). What is special here is "
                                + "the quadratic activation: the network is a linear model in fixed features φ(x), so "
                                + "the non-convex problem in Θ has the convex problem in c underneath. The check "
                                + "compares the closed form with gradient descent on Θ.", "quadratic-network"));
    }
}
