package nnlab.train;

import java.util.Arrays;
import nnlab.nn.Dropout;
import nnlab.nn.Module;
import nnlab.optim.Sgd;
import nnlab.tensor.kernel.Gemm;

/**
 * The mini-batch SGD step of a feed-forward classifier, fused: per layer one matrix product forward
 * (bias, activation and dropout applied in the same pass over the output), and backward the weight
 * gradient is never stored — the product gᵀ·X is accumulated straight into W with the step size
 * folded into g: W ← (1 − lr·λ)·W − (lr / B)·gᵀ·X, the update of Sgd on the mean batch loss.
 * Dropout masks come from the Dropout modules' own generators in the generic path's order.
 */
final class BatchedStep implements FusedStep {
    private final Module model;
    private final FeedForward net;
    private final Sgd sgd;
    private final int[] sizes;
    private final int batch;
    private final float[][] inputs;     // the input of each layer: B × d rows for the first, size(l) × B after
    private final float[][] beforeDropout;
    private final float[][] masks;
    private final float[][] grads;      // size(l+1) × B: d loss / d pre-activation, then scaled by −lr/B
    private final float[] scratch;      // a dropout mask as drawn, example-major
    private int correct;

    BatchedStep(Module model, FeedForward net, int batch) {
        this.model = model;
        this.net = net;
        this.sgd = net.sgd();
        this.batch = batch;
        int layers = net.layers();
        sizes = new int[layers + 1];
        for (int l = 0; l <= layers; l++) sizes[l] = net.size(l);
        inputs = new float[layers][];
        beforeDropout = new float[layers][];
        masks = new float[layers][];
        grads = new float[layers][];
        for (int l = 0; l < layers; l++) {
            inputs[l] = new float[batch * sizes[l]];
            beforeDropout[l] = new float[batch * sizes[l + 1]];
            masks[l] = new float[batch * sizes[l + 1]];
            grads[l] = new float[batch * sizes[l + 1]];
        }
        int widest = 0;
        for (int l = 1; l < layers; l++) widest = Math.max(widest, sizes[l]);
        scratch = new float[batch * widest];
    }

    @Override
    public int correct() {
        return correct;
    }

    @Override
    public double step(float[] x, int[] order, int from, int to, int[] labels) {
        int b = to - from, layers = net.layers(), d = sizes[0];
        // Examples as rows for the first product; every later activation is kept feature-major
        // ([units, B], one column per example), so no product ever has to transpose a weight matrix.
        float[] rows = inputs[0];
        for (int r = 0; r < b; r++) System.arraycopy(x, order[from + r] * d, rows, r * d, d);
        for (int l = 0; l < layers; l++) {
            int n = sizes[l], m = sizes[l + 1];
            float[] w = net.linears().get(l).weight().floatData(), bias = net.linears().get(l).bias().floatData();
            float[] out = l + 1 < layers ? inputs[l + 1] : grads[l];
            for (int j = 0; j < m; j++) Arrays.fill(out, j * b, (j + 1) * b, bias[j]);
            // out[m, B] += W[m, n] · in[n, B]; the first layer reads its input as rows: W · Xᵀ.
            Gemm.sgemm(false, l == 0, m, b, n, w, 0, inputs[l], 0, out, 0, true);
            if (l + 1 < layers) {
                net.activations().get(l).apply(out, 0, b * m);
                System.arraycopy(out, 0, beforeDropout[l], 0, b * m);
                Dropout drop = net.activeDropout(l, model);
                float[] mask = masks[l];
                if (drop != null) {
                    // The generic path draws one mask for the [B, m] activation, example by example.
                    float[] drawn = b * m == scratch.length ? scratch : new float[b * m];
                    drop.sampleMask(drawn);
                    for (int r = 0; r < b; r++) for (int j = 0; j < m; j++) mask[j * b + r] = drawn[r * m + j];
                    for (int i = 0; i < b * m; i++) out[i] *= mask[i];
                } else {
                    Arrays.fill(mask, 0, b * m, 1f);
                }
            }
        }
        // Mean softmax cross-entropy; d loss / d logits = (softmax − onehot) / B, later times −lr for the update.
        int classes = sizes[layers];
        float[] g = grads[layers - 1];
        double loss = 0;
        correct = 0;
        for (int r = 0; r < b; r++) {
            int y = labels[order[from + r]];
            float max = Float.NEGATIVE_INFINITY;
            int predicted = 0;
            for (int k = 0; k < classes; k++) {
                if (g[k * b + r] > max) predicted = k;
                max = Math.max(max, g[k * b + r]);
            }
            if (predicted == y) correct++;
            double sum = 0;
            for (int k = 0; k < classes; k++) sum += Math.exp(g[k * b + r] - max);
            loss += Math.log(sum) - (g[y * b + r] - max);
            for (int k = 0; k < classes; k++) g[k * b + r] = (float) (Math.exp(g[k * b + r] - max) / sum);
            g[y * b + r] -= 1f;
        }
        float lr = (float) sgd.learningRate(), scale = -lr / b;
        float decay = 1f - lr * (float) sgd.weightDecay();
        for (int l = layers - 1; l >= 0; l--) {
            int n = sizes[l], m = sizes[l + 1];
            float[] w = net.linears().get(l).weight().floatData(), bias = net.linears().get(l).bias().floatData();
            float[] gl = grads[l];
            if (l > 0) {
                // below[n, B] = Wᵀ · g, through the lower layer's dropout and activation, before W changes.
                float[] below = grads[l - 1];
                Gemm.sgemm(true, false, n, b, m, w, 0, gl, 0, below, 0, false);
                float[] act = beforeDropout[l - 1], mask = masks[l - 1];
                FeedForward.Activation a = net.activations().get(l - 1);
                for (int i = 0; i < b * n; i++) below[i] *= mask[i] * a.derivative(act[i]);
            }
            for (int i = 0; i < b * m; i++) gl[i] *= scale;
            if (decay != 1f) {
                for (int i = 0; i < w.length; i++) w[i] *= decay;
                for (int j = 0; j < m; j++) bias[j] *= decay;
            }
            for (int j = 0; j < m; j++) {
                float sum = 0f;
                for (int r = 0; r < b; r++) sum += gl[j * b + r];
                bias[j] += sum;
            }
            // W[m, n] += (−lr/B)·g[m, B] · inᵀ: the first layer's input is stored as rows already.
            Gemm.sgemm(false, l != 0, m, n, b, gl, 0, inputs[l], 0, w, 0, true);
        }
        return loss / b;
    }
}
