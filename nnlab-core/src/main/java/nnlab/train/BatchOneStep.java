package nnlab.train;

import java.util.ArrayList;
import java.util.List;
import nnlab.nn.Dropout;
import nnlab.nn.Linear;
import nnlab.nn.Module;
import nnlab.nn.ReLU;
import nnlab.nn.Sequential;
import nnlab.nn.Sigmoid;
import nnlab.nn.Tanh;
import nnlab.optim.Optimizer;
import nnlab.optim.Sgd;
import nnlab.tensor.DType;
import nnlab.tensor.kernel.Blas1;

/**
 * The batch-1 SGD step of a feed-forward classifier, fused: forward, cross-entropy, backward and the
 * update in one pass over each weight row, with no graph, no gradient tensors and no allocation.
 * It computes what the generic path computes (zeroGrad, forward, CrossEntropyLoss, backward, Sgd.step)
 * for {@code Sequential(Linear, act, [Dropout], …, Linear)} in float32 with plain SGD (weight decay
 * allowed, no momentum), drawing dropout masks from the Dropout modules' own generators in the same
 * order; only the summation order of some sums differs. The weight gradient gᵢ·xᵀ of a row is never
 * stored: the row is updated in place, W[i] ← (1 − lr·λ)·W[i] − lr·gᵢ·x, and skipped when gᵢ = 0 (a
 * unit switched off by ReLU or dropout) and λ = 0. Parameters' {@code grad} are not filled.
 */
final class BatchOneStep {
    private enum Activation { RELU, TANH, SIGMOID }

    private final Module model;
    private final Sgd sgd;
    private final List<float[]> weights = new ArrayList<>();
    private final List<float[]> biases = new ArrayList<>();
    private final List<Activation> activations = new ArrayList<>();
    private final List<Dropout> dropouts = new ArrayList<>();
    private final int[] sizes;
    private final float[][] activated;  // input of each layer (activated[0] = x), after dropout
    private final float[][] beforeDropout;  // act(z) of each hidden layer
    private final float[][] masks;
    private final float[][] grads;      // d loss / d pre-activation of each layer

    private BatchOneStep(Module model, Sgd sgd, List<Linear> linears) {
        this.model = model;
        this.sgd = sgd;
        sizes = new int[linears.size() + 1];
        sizes[0] = linears.get(0).inFeatures();
        for (int l = 0; l < linears.size(); l++) {
            weights.add(linears.get(l).weight().floatData());
            biases.add(linears.get(l).bias().floatData());
            sizes[l + 1] = linears.get(l).outFeatures();
        }
        activated = new float[linears.size()][];
        beforeDropout = new float[linears.size()][];
        masks = new float[linears.size()][];
        grads = new float[linears.size()][];
        for (int l = 0; l < linears.size(); l++) {
            activated[l] = new float[sizes[l]];
            beforeDropout[l] = new float[sizes[l + 1]];
            masks[l] = new float[sizes[l + 1]];
            grads[l] = new float[sizes[l + 1]];
        }
    }

    /** The fused step for this model and optimiser, or null when they are not of the supported form. */
    static BatchOneStep forModel(Module model, Optimizer optimizer) {
        if (!(model instanceof Sequential seq) || !(optimizer instanceof Sgd sgd) || sgd.momentum() != 0) return null;
        List<Linear> linears = new ArrayList<>();
        List<Activation> acts = new ArrayList<>();
        List<Dropout> drops = new ArrayList<>();
        int i = 0;
        while (i < seq.size()) {
            if (!(seq.get(i) instanceof Linear linear) || linear.bias() == null || linear.weight().dtype() != DType.FLOAT32) {
                return null;
            }
            if (!linears.isEmpty() && linear.inFeatures() != linears.get(linears.size() - 1).outFeatures()) return null;
            linears.add(linear);
            i++;
            if (i == seq.size()) break;
            Activation a = switch (seq.get(i)) {
                case ReLU r -> Activation.RELU;
                case Tanh t -> Activation.TANH;
                case Sigmoid s -> Activation.SIGMOID;
                default -> null;
            };
            if (a == null) return null;
            acts.add(a);
            i++;
            Dropout d = i < seq.size() && seq.get(i) instanceof Dropout dropout ? dropout : null;
            drops.add(d);
            if (d != null) i++;
        }
        if (acts.size() != linears.size() - 1) return null;
        // Every parameter must be one the optimiser updates, or the fused step would change what it should not.
        if (!sgd.parameters().containsAll(model.parameters()) || sgd.parameters().size() != model.parameters().size()) return null;
        BatchOneStep step = new BatchOneStep(model, sgd, linears);
        step.activations.addAll(acts);
        step.dropouts.addAll(drops);
        return step;
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
                activate(activations.get(l), out, m);
                System.arraycopy(out, 0, beforeDropout[l], 0, m);
                Dropout d = dropouts.get(l);
                if (d != null && model.isTraining() && d.p() > 0) {
                    d.sampleMask(masks[l]);
                    for (int j = 0; j < m; j++) out[j] *= masks[l][j];
                } else {
                    java.util.Arrays.fill(masks[l], 1f);
                }
            } else {
                logits = out;
            }
        }
        // Softmax cross-entropy: loss = log Σ exp(z − max) − (z_y − max); d loss / dz = softmax(z) − e_y.
        int classes = sizes[layers];
        float max = Float.NEGATIVE_INFINITY;
        for (int k = 0; k < classes; k++) max = Math.max(max, logits[k]);
        double sum = 0;
        for (int k = 0; k < classes; k++) sum += Math.exp(logits[k] - max);
        double loss = Math.log(sum) - (logits[label] - max);
        for (int k = 0; k < classes; k++) logits[k] = (float) (Math.exp(logits[k] - max) / sum);
        logits[label] -= 1f;

        float lr = (float) sgd.learningRate();
        float decay = 1f - lr * (float) sgd.weightDecay();
        for (int l = layers - 1; l >= 0; l--) {
            float[] w = weights.get(l), b = biases.get(l), in = l == 0 ? x : activated[l], g = grads[l];
            int n = sizes[l], m = sizes[l + 1], inOff = l == 0 ? offset : 0;
            if (l > 0) {
                // Gradient for the layer below, through its dropout and activation, before W changes.
                float[] below = grads[l - 1];
                java.util.Arrays.fill(below, 0f);
                for (int j = 0; j < m; j++) if (g[j] != 0f) Blas1.scaleAdd(1f, below, 0, g[j], w, j * n, n);
                float[] act = beforeDropout[l - 1], mask = masks[l - 1];
                Activation a = activations.get(l - 1);
                for (int i = 0; i < n; i++) below[i] *= mask[i] * derivative(a, act[i]);
            }
            for (int j = 0; j < m; j++) {
                float gj = g[j];
                if (gj != 0f || decay != 1f) Blas1.scaleAdd(decay, w, j * n, -lr * gj, in, inOff, n);
                b[j] = decay * b[j] - lr * gj;
            }
        }
        return loss;
    }

    private static void activate(Activation a, float[] h, int m) {
        switch (a) {
            case RELU -> { for (int j = 0; j < m; j++) h[j] = Math.max(h[j], 0f); }
            case TANH -> { for (int j = 0; j < m; j++) h[j] = (float) Math.tanh(h[j]); }
            case SIGMOID -> { for (int j = 0; j < m; j++) h[j] = (float) nnlab.tensor.kernel.Elementwise.sigmoid(h[j]); }
        }
    }

    /** act′(z), read off the activation's output act(z). */
    private static float derivative(Activation a, float act) {
        return switch (a) {
            case RELU -> act > 0f ? 1f : 0f;
            case TANH -> 1f - act * act;
            case SIGMOID -> act * (1f - act);
        };
    }
}
