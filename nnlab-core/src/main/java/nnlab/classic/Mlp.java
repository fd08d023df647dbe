package nnlab.classic;

import java.util.Arrays;
import java.util.stream.IntStream;
import nnlab.data.Examples;
import nnlab.random.RandomState;

/**
 * Multi-layer perceptron with hand-written backpropagation, the course's {@code MLP}
 * (classification, hw1-q1/q3) and {@code NeuralRegression} ({@code nn}, hw1-q2).
 *
 * <p>Layers l = 1..L with weights W_l (out × in) and biases b_l, activation f (ReLU or tanh) on
 * every hidden layer and none on the output:
 * <pre>
 *   h_0 = x,   z_l = W_l h_{l−1} + b_l,   h_l = f(z_l) (l &lt; L),   output z_L
 *   classification:  loss = −log softmax(z_L)_y,  g_L = softmax(z_L) − e_y
 *   regression:      loss = ½ (z_L − y)²,         g_L = z_L − y          (one output)
 *   g_{l−1} = (W_lᵀ g_l) ⊙ f′(z_{l−1}),   f′ = [z &gt; 0] (ReLU) or 1 − h² (tanh)
 *   SGD, per example, every layer from the old weights:  W_l −= (η g_l) h_{l−1}ᵀ,  b_l −= η g_l
 * </pre>
 * The update rounds as numpy's {@code W -= np.outer(lr * g, h); b -= lr * g}; the softmax loss
 * is computed as {@code log Σ exp(z − max z) − (z_y − max z)}. The regression loss ½(ŷ − y)² is
 * the one whose gradient is the course's {@code grad_z2 = z2 − y} (and the linear model's update
 * {@code w += lr (y − ŷ) x}).
 *
 * <p>{@link #initializeNormal} draws the weights as the course does; {@link #trainEpoch} returns
 * the sum of the per-example losses ({@link CourseLoop} records their mean). Zero features and zero
 * hidden units are skipped, which changes no result.
 *
 * <p>Agreement with numpy is to rounding only, and rounding differences grow: with the course's
 * N(0.1, 0.1²) weights the first logits on Fashion-MNIST are in the hundreds, and a numpy run and
 * this one are bit-identical for the first 67 examples, 1e-9 apart after 200, visibly apart
 * after 400 (epoch figures then agree roughly, as two numpy builds with different BLAS would).
 * On small well-scaled problems they agree to 1e-15 over whole runs (see the tests).
 */
public final class Mlp implements Classifier, Regressor {
    /** Rows per task when predicting many examples in parallel. */
    private static final int ROWS_PER_TASK = 512;
    /** The course's N(μ, σ²) initialisation of the weights: μ = 0.1 ... */
    public static final double COURSE_INITIAL_MEAN = 0.1;
    /** ... and σ = 0.1 ({@code np.random.normal(0.1, 0.1, shape)}). */
    public static final double COURSE_INITIAL_STANDARD_DEVIATION = 0.1;

    /** Activation of the hidden layers. */
    public enum Activation { RELU, TANH }

    /** What the output means, and its loss. */
    public enum Loss {
        /** Class scores, loss −log softmax(z)_y. */
        SOFTMAX_CROSS_ENTROPY,
        /** One real value, loss ½(ŷ − y)². */
        SQUARED_ERROR
    }

    /**
     * Per-layer gradients of a summed loss, in numpy's layout.
     *
     * @param loss    Σ of the per-example losses
     * @param weights {@code weights[l]}: ∂loss/∂W_{l+1}, out × in, row-major
     * @param biases  {@code biases[l]}: ∂loss/∂b_{l+1}
     */
    public record Gradients(double loss, double[][] weights, double[][] biases) {}

    private final int[] sizes;
    private final Activation activation;
    private final Loss loss;
    private final double learningRate;
    /**
     * W_{l+1} stored by input: {@code weights[l][j][i]} is the weight from input j to output i, so
     * a nonzero input is one axpy over its own row. Separate rows (not one array with offsets)
     * are what lets the JIT vectorise the axpy: it cannot prove {@code y[i] += a·x[from + i]}
     * free of aliasing, but {@code y[i] += a·x[i]} is safe either way.
     */
    private final double[][][] weights;
    private final double[][] biases;
    private final SparseRows.Cache sparse = new SparseRows.Cache();
    /** The scratch of the training pass and of single predictions (parallel predictions make their own). */
    private final Pass pass;

    private Mlp(int inFeatures, int[] hiddenSizes, int outFeatures, Activation activation, Loss loss,
                double learningRate) {
        int layers = hiddenSizes.length + 1;
        sizes = new int[layers + 1];
        sizes[0] = Checks.positive("inFeatures", inFeatures);
        for (int l = 0; l < hiddenSizes.length; l++) {
            sizes[l + 1] = Checks.positive("hidden size " + l, hiddenSizes[l]);
        }
        sizes[layers] = outFeatures;
        this.activation = java.util.Objects.requireNonNull(activation, "activation");
        this.loss = loss;
        this.learningRate = Checks.learningRate(learningRate);
        weights = new double[layers][][];
        biases = new double[layers][];
        for (int l = 0; l < layers; l++) {
            weights[l] = new double[sizes[l]][sizes[l + 1]];
            biases[l] = new double[sizes[l + 1]];
        }
        pass = new Pass();
    }

    /**
     * A classifier: {@code inFeatures} inputs (no bias column), the given hidden layers, one score
     * per class, softmax cross-entropy. Weights and biases start at zero: call
     * {@link #initializeNormal} (the course) or {@link #setLayer}.
     *
     * @param hiddenSizes units per hidden layer, e.g. {@code {200}} (the course's default) or {@code {200, 100}}
     * @param learningRate η, the course's {@code -learning_rate} (default 0.001)
     */
    public static Mlp classifier(int inFeatures, int[] hiddenSizes, int classes, Activation activation,
                                 double learningRate) {
        return new Mlp(inFeatures, hiddenSizes, Checks.positive("classes", classes), activation,
                Loss.SOFTMAX_CROSS_ENTROPY, learningRate);
    }

    /**
     * A regressor with one output and the loss ½(ŷ − y)², the course's {@code nn} model
     * (one hidden layer of 150 ReLU units by default). Weights start at zero, as for
     * {@link #classifier}.
     */
    public static Mlp regressor(int inFeatures, int[] hiddenSizes, Activation activation, double learningRate) {
        return new Mlp(inFeatures, hiddenSizes, 1, activation, Loss.SQUARED_ERROR, learningRate);
    }

    /**
     * Draws every weight from N(mean, standardDeviation²) and sets every bias to zero, exactly as
     * numpy does for
     * <pre>
     *   W = [np.random.normal(mean, std, (sizes[l+1], sizes[l])) for l in range(layers)]
     * </pre>
     * i.e. W_1 (hidden_1 × inFeatures) first, then W_2, ..., the output layer's last, each
     * filled row by row; the biases draw nothing. With the same {@link RandomState} state the
     * weights equal numpy's (to an ulp on one normal in about 3000, see
     * {@link RandomState#standardNormal()}).
     *
     * @return this
     */
    public Mlp initializeNormal(RandomState random, double mean, double standardDeviation) {
        for (int l = 0; l < layers(); l++) {
            double[] outByIn = random.normal(mean, standardDeviation, Math.multiplyExact(sizes[l], sizes[l + 1]));
            setLayer(l, outByIn, new double[sizes[l + 1]]);
        }
        return this;
    }

    /** Number of weight layers: hidden layers + 1. */
    public int layers() {
        return weights.length;
    }

    /** Inputs of layer {@code layer} (0-based: layer 0 is the course's W1). */
    public int inputsOf(int layer) {
        return sizes[checkLayer(layer)];
    }

    /** Outputs of layer {@code layer}. */
    public int outputsOf(int layer) {
        return sizes[checkLayer(layer) + 1];
    }

    public Activation activation() {
        return activation;
    }

    public Loss loss() {
        return loss;
    }

    public double learningRate() {
        return learningRate;
    }

    /** A copy of layer {@code layer}'s weights, out × in, row-major (numpy's {@code W[layer]}). */
    public double[] weights(int layer) {
        checkLayer(layer);
        int in = sizes[layer];
        int out = sizes[layer + 1];
        double[] outByIn = new double[in * out];
        for (int j = 0; j < in; j++) {
            for (int i = 0; i < out; i++) outByIn[i * in + j] = weights[layer][j][i];
        }
        return outByIn;
    }

    /** A copy of layer {@code layer}'s biases. */
    public double[] biases(int layer) {
        return biases[checkLayer(layer)].clone();
    }

    /** Replaces layer {@code layer}'s weights (out × in, row-major) and biases. */
    public void setLayer(int layer, double[] outByIn, double[] newBiases) {
        checkLayer(layer);
        int in = sizes[layer];
        int out = sizes[layer + 1];
        if (outByIn.length != in * out || newBiases.length != out) {
            throw new IllegalArgumentException("layer " + layer + " is " + out + " × " + in + " with " + out
                    + " biases, got " + outByIn.length + " weights and " + newBiases.length + " biases");
        }
        for (int i = 0; i < out; i++) {
            for (int j = 0; j < in; j++) weights[layer][j][i] = outByIn[i * in + j];
        }
        System.arraycopy(newBiases, 0, biases[layer], 0, out);
    }

    /**
     * One pass of per-example SGD (see the class comment) in the given order.
     *
     * @return the sum of the per-example losses, each computed before its update (divide by the
     *         number of examples for the mean, which {@link CourseLoop} records)
     */
    @Override
    public void prepare(Examples train) {
        sparse.of(train);
    }

    @Override
    public double trainEpoch(Examples train, int[] order) {
        checkExamples(train);
        Checks.order(order, train.n());
        SparseRows rows = sparse.of(train);
        double total = 0;
        for (int i : order) {
            total += pass.forwardAndBackward(rows, train, i, null);
        }
        return total;
    }

    /** Σ of the per-example losses over {@code examples}; the weights are not changed. */
    public double loss(Examples examples) {
        checkExamples(examples);
        double total = 0;
        for (int i = 0; i < examples.n(); i++) {
            pass.forwardDense(examples.x(), i * examples.features());
            total += pass.outputLoss(examples, i);
        }
        return total;
    }

    /**
     * The gradients of {@link #loss(Examples)} (Σ over the examples) by backpropagation, the
     * weights unchanged: for one example it is exactly what an SGD step subtracts, divided by η.
     */
    public Gradients gradients(Examples examples) {
        checkExamples(examples);
        double[][] weightSums = new double[layers()][];
        double[][] biasSums = new double[layers()][];
        for (int l = 0; l < layers(); l++) {
            weightSums[l] = new double[sizes[l] * sizes[l + 1]];
            biasSums[l] = new double[biases[l].length];
        }
        SparseRows rows = SparseRows.of(examples);
        double total = 0;
        Gradients sums = new Gradients(0, weightSums, biasSums);
        for (int i = 0; i < examples.n(); i++) {
            total += pass.forwardAndBackward(rows, examples, i, sums);
        }
        double[][] outByIn = new double[layers()][];
        for (int l = 0; l < layers(); l++) {
            int in = sizes[l];
            int out = sizes[l + 1];
            outByIn[l] = new double[in * out];
            for (int j = 0; j < in; j++) {
                for (int i = 0; i < out; i++) outByIn[l][i * in + j] = weightSums[l][j * out + i];
            }
        }
        return new Gradients(total, outByIn, biasSums);
    }

    /** argmax of the output scores, the first index on ties. */
    @Override
    public int predictClass(double[] x, int offset) {
        if (loss != Loss.SOFTMAX_CROSS_ENTROPY) {
            throw new IllegalStateException("this MLP is a regressor: use predictValue");
        }
        return LinearScores.argmax(pass.forwardDense(x, offset));
    }

    /** The output of a regressor. */
    @Override
    public double predictValue(double[] x, int offset) {
        if (loss != Loss.SQUARED_ERROR) {
            throw new IllegalStateException("this MLP is a classifier: use predictClass");
        }
        return pass.forwardDense(x, offset)[0];
    }

    /** {@inheritDoc} Rows are computed in parallel, from a sparse copy kept for the next call. */
    @Override
    public int[] predictClasses(Examples examples) {
        if (loss != Loss.SOFTMAX_CROSS_ENTROPY) {
            throw new IllegalStateException("this MLP is a regressor: use predictValues");
        }
        int[] predicted = new int[examples.n()];
        forEachRow(examples, (output, i) -> predicted[i] = LinearScores.argmax(output));
        return predicted;
    }

    /** {@inheritDoc} Rows are computed in parallel, from a sparse copy kept for the next call. */
    @Override
    public double[] predictValues(Examples examples) {
        if (loss != Loss.SQUARED_ERROR) {
            throw new IllegalStateException("this MLP is a classifier: use predictClasses");
        }
        double[] predicted = new double[examples.n()];
        forEachRow(examples, (output, i) -> predicted[i] = output[0]);
        return predicted;
    }

    private interface OutputConsumer {
        void accept(double[] output, int row);
    }

    /** Runs the forward pass of every row, in parallel blocks with one {@link Pass} each. */
    private void forEachRow(Examples examples, OutputConsumer consumer) {
        Checks.features(examples, sizes[0], "Mlp");
        SparseRows rows = sparse.of(examples);
        int n = examples.n();
        int tasks = (n + ROWS_PER_TASK - 1) / ROWS_PER_TASK;
        IntStream.range(0, tasks).parallel().forEach(task -> {
            Pass own = new Pass();
            for (int i = task * ROWS_PER_TASK, end = Math.min(n, i + ROWS_PER_TASK); i < end; i++) {
                consumer.accept(own.forwardSparse(rows, i), i);
            }
        });
    }

    /**
     * One forward/backward pass's scratch (pre-activations, activations, gradients) and the code
     * that runs it on the model's weights; one per thread.
     */
    private final class Pass {
        private final double[][] preActivations = new double[layers()][];
        private final double[][] hidden = new double[layers() - 1][];
        private final double[][] gradients = new double[layers()][];
        private final double[][] scaledGradients = new double[layers()][];

        Pass() {
            for (int l = 0; l < layers(); l++) {
                preActivations[l] = new double[sizes[l + 1]];
                gradients[l] = new double[sizes[l + 1]];
                scaledGradients[l] = new double[sizes[l + 1]];
                if (l < layers() - 1) hidden[l] = new double[sizes[l + 1]];
            }
        }

        // ---------------------------------------------------------------- forward

        /** Forward pass for example {@code i} of the sparse rows; returns the output z_L (scratch). */
        private double[] forwardSparse(SparseRows rows, int i) {
            double[] z = preActivations[0];
            double[][] w = weights[0];
            Arrays.fill(z, 0);
            for (int t = rows.start[i]; t < rows.start[i + 1]; t++) {
                axpy(rows.value[t], w[rows.index[t]], z);
            }
            return forwardFromFirstSums();
        }

        /** Forward pass for the example at {@code x[offset ..]}; returns the output z_L (scratch). */
        private double[] forwardDense(double[] x, int offset) {
            double[] z = preActivations[0];
            double[][] w = weights[0];
            Arrays.fill(z, 0);
            for (int j = 0; j < sizes[0]; j++) {
                double v = x[offset + j];
                if (v != 0) axpy(v, w[j], z);
            }
            return forwardFromFirstSums();
        }

        /** Given z_1 = W_1 x (no bias yet), adds b_1 and runs the remaining layers. */
        private double[] forwardFromFirstSums() {
            for (int l = 0; ; l++) {
                double[] z = preActivations[l];
                double[] b = biases[l];
                for (int i = 0; i < z.length; i++) z[i] += b[i];
                if (l == layers() - 1) return z;
                activate(z, hidden[l]);
                double[] next = preActivations[l + 1];
                double[][] w = weights[l + 1];
                Arrays.fill(next, 0);
                double[] h = hidden[l];
                for (int j = 0; j < h.length; j++) {
                    if (h[j] != 0) axpy(h[j], w[j], next);
                }
            }
        }

        private void activate(double[] z, double[] h) {
            if (activation == Activation.RELU) {
                for (int i = 0; i < z.length; i++) h[i] = Math.max(z[i], 0);
            } else {
                for (int i = 0; i < z.length; i++) h[i] = Math.tanh(z[i]);
            }
        }

        /** y += a · x (same lengths). */
        private static void axpy(double a, double[] x, double[] y) {
            for (int i = 0; i < y.length; i++) y[i] += a * x[i];
        }

        // ---------------------------------------------------------------- loss and backward

        /** The loss of example i from the output in preActivations; leaves ∂loss/∂z_L in gradients[L−1]. */
        private double outputLoss(Examples examples, int i) {
            double[] z = preActivations[layers() - 1];
            double[] g = gradients[layers() - 1];
            if (loss == Loss.SQUARED_ERROR) {
                double error = z[0] - examples.targets()[i];
                g[0] = error;
                return 0.5 * (error * error);
            }
            int label = examples.labels()[i];
            double max = z[0];
            for (double v : z) max = Math.max(max, v);
            double sum = 0;
            for (int k = 0; k < z.length; k++) {
                g[k] = Math.exp(z[k] - max);
                sum += g[k];
            }
            for (int k = 0; k < z.length; k++) g[k] /= sum;
            g[label] -= 1;
            return Math.log(sum) - (z[label] - max);
        }

        /**
         * Forward, loss and backward for example i. With {@code sums == null}, applies the SGD step
         * to every layer (from the old weights); otherwise adds the gradients to {@code sums}
         * (input-major weights) and leaves the model unchanged. Returns the example's loss.
         */
        private double forwardAndBackward(SparseRows rows, Examples examples, int i, Gradients sums) {
            forwardSparse(rows, i);
            double exampleLoss = outputLoss(examples, i);
            for (int l = layers() - 1; l >= 0; l--) {
                if (l > 0) backpropagate(l);
                if (sums == null) {
                    step(l, rows, i);
                } else {
                    accumulate(l, rows, i, sums);
                }
            }
            return exampleLoss;
        }

        /** gradients[l−1] = (W_lᵀ g_l) ⊙ f′(z_{l−1}), from the current (not yet updated) W_l. */
        private void backpropagate(int l) {
            double[] g = gradients[l];
            double[][] w = weights[l];
            double[] below = gradients[l - 1];
            double[] h = hidden[l - 1];
            double[] z = preActivations[l - 1];
            for (int j = 0; j < below.length; j++) {
                if (activation == Activation.RELU && !(z[j] > 0)) {
                    below[j] = 0;
                    continue;
                }
                double sum = 0;
                double[] row = w[j];
                for (int i = 0; i < row.length; i++) sum += row[i] * g[i];
                below[j] = activation == Activation.RELU ? sum : sum * (1 - h[j] * h[j]);
            }
        }

        /** W_l −= (η g_l) h_{l−1}ᵀ,  b_l −= η g_l. */
        private void step(int l, SparseRows rows, int i) {
            double[] g = gradients[l];
            double[][] w = weights[l];
            double[] b = biases[l];
            int out = g.length;
            double[] scaled = scaledGradients[l];
            for (int k = 0; k < out; k++) scaled[k] = learningRate * g[k];
            if (l == 0) {
                for (int t = rows.start[i]; t < rows.start[i + 1]; t++) {
                    subtractScaled(rows.value[t], scaled, w[rows.index[t]]);
                }
            } else {
                double[] h = hidden[l - 1];
                for (int j = 0; j < h.length; j++) {
                    if (h[j] != 0) subtractScaled(h[j], scaled, w[j]);
                }
            }
            for (int k = 0; k < out; k++) b[k] -= scaled[k];
        }

        /** row −= scaled · a, numpy's {@code W -= np.outer(lr * g, h)} for one input. */
        private static void subtractScaled(double a, double[] scaled, double[] row) {
            for (int k = 0; k < row.length; k++) row[k] -= scaled[k] * a;
        }

        private void accumulate(int l, SparseRows rows, int i, Gradients sums) {
            double[] g = gradients[l];
            double[] w = sums.weights()[l];
            double[] b = sums.biases()[l];
            int out = g.length;
            if (l == 0) {
                for (int t = rows.start[i]; t < rows.start[i + 1]; t++) {
                    addScaled(rows.value[t], g, w, rows.index[t] * out);
                }
            } else {
                double[] h = hidden[l - 1];
                for (int j = 0; j < h.length; j++) addScaled(h[j], g, w, j * out);
            }
            for (int k = 0; k < out; k++) b[k] += g[k];
        }

        /** y[to .. to + x.length) += a · x (gradients only, not the hot path). */
        private static void addScaled(double a, double[] x, double[] y, int to) {
            for (int k = 0; k < x.length; k++) y[to + k] += a * x[k];
        }
    }

    // ---------------------------------------------------------------- checks

    private int checkLayer(int layer) {
        if (layer < 0 || layer >= layers()) {
            throw new IllegalArgumentException("layer " + layer + " does not exist: this MLP has layers 0.." + (layers() - 1));
        }
        return layer;
    }

    private void checkExamples(Examples examples) {
        Checks.features(examples, sizes[0], "Mlp");
        if (loss == Loss.SOFTMAX_CROSS_ENTROPY) {
            Checks.classification(examples, sizes[layers()], "Mlp classifier");
        } else {
            Checks.regression(examples, "Mlp regressor");
        }
    }
}
