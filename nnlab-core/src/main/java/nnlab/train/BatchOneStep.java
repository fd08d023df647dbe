package nnlab.train;

import java.util.ArrayList;
import java.util.List;
import nnlab.nn.Dropout;
import nnlab.nn.Linear;
import nnlab.nn.Module;
import nnlab.optim.Adam;
import nnlab.optim.Sgd;
import nnlab.tensor.kernel.Blas1;

/**
 * The batch-1 step of a feed-forward classifier, fused: forward, cross-entropy, backward and the
 * update in one pass over each weight row, with no graph, no gradient tensors and no allocation.
 * It computes what the generic path computes (zeroGrad, forward, CrossEntropyLoss, backward,
 * optimiser step) for {@code Sequential(Linear, act, [Dropout], …, Linear)} in float32, drawing
 * dropout masks from the Dropout modules' own generators in the same order; only the summation order
 * of some sums differs. The weight gradient gᵢ·xᵀ of a row is never stored. With plain SGD (weight
 * decay allowed, no momentum) the row is updated in place, W[i] ← (1 − lr·λ)·W[i] − lr·gᵢ·x, and
 * skipped when gᵢ = 0 (a unit switched off by ReLU or dropout) and λ = 0. With Adam or AdamW each
 * row goes through {@link Adam.Pieces#update} with the gradient
 * gᵢ·x, the optimiser's own rule and state (every row, as Adam moves weights whose gradient is zero).
 * Parameters' {@code grad} are not filled.
 */
final class BatchOneStep implements FusedStep {
    private final Module model;
    private final FeedForward net;
    private final Sgd sgd;        // one of sgd and adam is set
    private final Adam adam;
    private final List<Adam.Pieces> weightSteps = new ArrayList<>(), biasSteps = new ArrayList<>();
    private final List<float[]> weights = new ArrayList<>();
    private final List<float[]> biases = new ArrayList<>();
    private final int[] sizes;
    private final float[][] activated;      // input of each layer after dropout (layer 0 reads x in place)
    private final float[][] beforeDropout;  // act(z) of each hidden layer
    private final float[][] masks;
    private final float[][] grads;          // d loss / d pre-activation of each layer
    private int correct;
    private final double[] exps;            // softmax scratch

    BatchOneStep(Module model, FeedForward net) {
        this.model = model;
        this.net = net;
        this.sgd = net.sgd();
        this.adam = net.adam();
        int layers = net.layers();
        sizes = new int[layers + 1];
        for (int l = 0; l <= layers; l++) sizes[l] = net.size(l);
        for (Linear linear : net.linears()) {
            weights.add(linear.weight().floatData());
            biases.add(linear.bias().floatData());
            if (adam != null) {
                weightSteps.add(adam.pieces(linear.weight()));
                biasSteps.add(adam.pieces(linear.bias()));
            }
        }
        activated = new float[layers][];
        beforeDropout = new float[layers][];
        masks = new float[layers][];
        grads = new float[layers][];
        exps = new double[sizes[layers]];
        for (int l = 0; l < layers; l++) {
            activated[l] = new float[sizes[l]];
            beforeDropout[l] = new float[sizes[l + 1]];
            masks[l] = new float[sizes[l + 1]];
            grads[l] = new float[sizes[l + 1]];
        }
    }

    @Override
    public int correct() {
        return correct;
    }

    @Override
    public double step(float[] x, int[] order, int from, int to, int[] labels) {
        int row = order[from];
        return step(x, row * sizes[0], labels[row]);
    }

    /**
     * One SGD step on the example whose features are x[offset .. offset + inFeatures) and whose class
     * is {@code label}; returns the loss before the update.
     */
    double step(float[] x, int offset, int label) {
        int layers = weights.size();
        float[] logits = null;
        for (int l = 0; l < layers; l++) {
            float[] w = weights.get(l), b = biases.get(l), in = l == 0 ? x : activated[l];
            int n = sizes[l], m = sizes[l + 1], inOff = l == 0 ? offset : 0;
            float[] out = l + 1 < layers ? activated[l + 1] : grads[l];
            for (int j = 0; j < m; j++) out[j] = b[j] + Blas1.dot(w, j * n, in, inOff, n);
            if (l + 1 < layers) {
                net.activations().get(l).apply(out, 0, m);
                System.arraycopy(out, 0, beforeDropout[l], 0, m);
                Dropout d = net.activeDropout(l, model);
                if (d != null) {
                    d.sampleMask(masks[l]);
                    for (int j = 0; j < m; j++) out[j] *= masks[l][j];
                } else {
                    java.util.Arrays.fill(masks[l], 1f);
                }
            } else {
                logits = out;
            }
        }
        int classes = sizes[layers];
        correct = FeedForward.argmax(logits, 0, 1, classes) == label ? 1 : 0;
        double loss = FeedForward.softmaxCrossEntropy(logits, 0, 1, classes, label, exps);

        if (adam != null) {
            for (Adam.Pieces p : weightSteps) p.advance();
            for (Adam.Pieces p : biasSteps) p.advance();
        }
        float lr = sgd == null ? 0f : (float) sgd.learningRate();
        float decay = sgd == null ? 1f : 1f - lr * (float) sgd.weightDecay();
        for (int l = layers - 1; l >= 0; l--) {
            float[] w = weights.get(l), b = biases.get(l), in = l == 0 ? x : activated[l], g = grads[l];
            int n = sizes[l], m = sizes[l + 1], inOff = l == 0 ? offset : 0;
            if (l > 0) {
                // Gradient for the layer below, through its dropout and activation, before W changes.
                float[] below = grads[l - 1];
                java.util.Arrays.fill(below, 0f);
                for (int j = 0; j < m; j++) if (g[j] != 0f) Blas1.scaleAdd(1f, below, 0, g[j], w, j * n, n);
                float[] act = beforeDropout[l - 1], mask = masks[l - 1];
                FeedForward.Activation a = net.activations().get(l - 1);
                for (int i = 0; i < n; i++) below[i] *= mask[i] * a.derivative(act[i]);
            }
            if (adam != null) {
                Adam.Pieces weight = weightSteps.get(l);
                for (int j = 0; j < m; j++) weight.update(j * n, n, g[j], in, inOff);
                biasSteps.get(l).update(0, m, 1f, g, 0);
                continue;
            }
            for (int j = 0; j < m; j++) {
                float gj = g[j];
                if (gj != 0f || decay != 1f) Blas1.scaleAdd(decay, w, j * n, -lr * gj, in, inOff, n);
                b[j] = decay * b[j] - lr * gj;
            }
        }
        return loss;
    }
}
