package nnlab.train.fused;

import java.util.Arrays;
import nnlab.data.DataLoader;
import nnlab.nn.Dropout;
import nnlab.nn.Linear;
import nnlab.nn.Module;
import nnlab.optim.Optimizer;
import nnlab.tensor.kernel.Blas1;
import nnlab.train.Step;

/**
 * The batch-1 step of a feed-forward classifier, fused: forward, cross-entropy, backward and the
 * update in one pass over each weight row, with no graph, no gradient tensors and no allocation.
 * It computes what the graph step computes (zeroGrad, forward, CrossEntropyLoss, backward, optimiser
 * step), drawing dropout masks from the Dropout modules' own generators in the same order; only the
 * summation order of some sums differs. The weight gradient gᵢ·xᵀ of a row is never stored: each row
 * goes through the optimiser's own rule ({@link Optimizer.Pieces#update}) with gradient scale gᵢ and
 * source x, which for plain SGD without weight decay leaves the rows of units switched off by ReLU or
 * dropout (gᵢ = 0) untouched at no cost. Parameters' {@code grad} are not filled.
 */
final class BatchOneStep implements Step {
    private final Module model;
    private final FeedForward net;
    private final float[] x;
    private final int[] labels;
    private final Optimizer.Pieces[] weightRules, biasRules;
    private final float[][] weights;
    private final float[][] biases;
    private final int[] sizes;
    private final float[][] activated;      // input of each layer after dropout (layer 0 reads x in place)
    private final float[][] beforeDropout;  // act(z) of each hidden layer
    private final float[][] masks;
    private final float[][] grads;          // d loss / d pre-activation of each layer
    private int correct;
    private final double[] exps;            // softmax scratch

    BatchOneStep(Module model, FeedForward net, DataLoader train) {
        this.model = model;
        this.net = net;
        this.x = train.featureData();
        this.labels = train.examples().labels();
        int layers = net.layers();
        sizes = new int[layers + 1];
        for (int l = 0; l <= layers; l++) sizes[l] = net.size(l);
        weights = new float[layers][];
        biases = new float[layers][];
        weightRules = new Optimizer.Pieces[layers];
        biasRules = new Optimizer.Pieces[layers];
        for (int l = 0; l < layers; l++) {
            Linear linear = net.linears().get(l);
            weights[l] = linear.weight().floatData();
            biases[l] = linear.bias().floatData();
            weightRules[l] = net.optimizer().pieces(linear.weight());
            biasRules[l] = net.optimizer().pieces(linear.bias());
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
    public double run(int[] order, int from, int to) {
        int row = order[from];
        return step(row * sizes[0], labels[row]);
    }

    /**
     * One step on the example whose features are x[offset .. offset + inFeatures) and whose class is
     * {@code label}; returns the loss before the update.
     */
    private double step(int offset, int label) {
        int layers = weights.length;
        float[] logits = null;
        for (int l = 0; l < layers; l++) {
            float[] w = weights[l], b = biases[l], in = l == 0 ? x : activated[l];
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
                    Arrays.fill(masks[l], 1f);
                }
            } else {
                logits = out;
            }
        }
        int classes = sizes[layers];
        correct = FeedForward.argmax(logits, 0, 1, classes) == label ? 1 : 0;
        double loss = FeedForward.softmaxCrossEntropy(logits, 0, 1, classes, label, exps);
        if (!Double.isFinite(loss)) return loss;

        for (int l = 0; l < layers; l++) {
            weightRules[l].advance();
            biasRules[l].advance();
        }
        for (int l = layers - 1; l >= 0; l--) {
            float[] w = weights[l], in = l == 0 ? x : activated[l], g = grads[l];
            int n = sizes[l], m = sizes[l + 1], inOff = l == 0 ? offset : 0;
            if (l > 0) {
                // Gradient for the layer below, through its dropout and activation, before W changes.
                float[] below = grads[l - 1];
                Arrays.fill(below, 0f);
                for (int j = 0; j < m; j++) if (g[j] != 0f) Blas1.scaleAdd(1f, below, 0, g[j], w, j * n, n);
                float[] act = beforeDropout[l - 1], mask = masks[l - 1];
                FeedForward.Activation a = net.activations().get(l - 1);
                for (int i = 0; i < n; i++) below[i] *= mask[i] * a.derivative(act[i]);
            }
            Optimizer.Pieces rule = weightRules[l];
            for (int j = 0; j < m; j++) rule.update(j * n, n, g[j], in, inOff);
            biasRules[l].update(0, m, 1f, g, 0);
        }
        return loss;
    }
}
