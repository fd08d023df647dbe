package nnlab.train.fused;

import java.util.Arrays;
import nnlab.data.DataLoader;
import nnlab.nn.Dropout;
import nnlab.nn.Linear;
import nnlab.nn.Module;
import nnlab.optim.Optimizer;
import nnlab.tensor.kernel.Blas1;
import nnlab.tensor.kernel.Gemm;
import nnlab.tensor.kernel.Parallel;
import nnlab.train.Step;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The mini-batch step of a feed-forward classifier, fused: per layer one matrix product forward
 * (bias, activation and dropout applied in the same pass over the output) and two backward, with no
 * graph and no allocation. The update is the optimiser's own rule ({@link Optimizer.Pieces}): a rule
 * without state (plain SGD, θ ← s·θ − η·g) is folded into the weight-gradient product, which then
 * accumulates straight into W, W ← s·W − (η / B)·gᵀ·X, and the gradient is never stored; any other
 * rule (momentum, Adam) gets the mean gradient of each weight matrix in a buffer kept across steps.
 * Dropout masks come from the Dropout modules' own generators in the graph step's order, drawn a
 * block of examples at a time and gathered into feature-major order; forward keeps only mask·act′ per
 * unit, the one factor backward needs.
 */
final class BatchedStep implements Step {
    private final Module model;
    private final FeedForward net;
    private final float[] x;
    private final int[] labels;
    private final Optimizer.Pieces[] weightRules, biasRules;
    private final float[][] weightGrads; // per layer, for a rule with state (no linear form): the mean gradient [m, n]
    private final float[][] biasGrads;
    private final int[] sizes;
    private final int batch;
    private final float[][] inputs;     // the input of each layer after the first (whose rows stay in x): size(l) × B
    private final int[] rowStarts;      // where each example of the batch starts in x
    /** Per hidden layer, feature-major: d out / d z = dropout mask · act′(z), the backward factor. */
    private final float[][] backFactors;
    private final float[][] grads;      // size(l+1) × B: d loss / d pre-activation, then scaled by −η/B or 1/B
    private final float[] scratch;      // a block of MASK_ROWS examples' dropout masks as drawn, example-major
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Examples per block of drawn dropout masks: one vector gather transposes a unit's column of the block. */
    private static final int MASK_ROWS = S.length();
    private final int[] gather = new int[MASK_ROWS]; // r·m: where example r's unit sits in the drawn block
    private final double[] exps;        // one example's e^(logit − max)
    private static final VectorSpecies<Integer> LANES = S.withLanes(int.class);
    private final float[] blockMax = new float[S.length()], blockSum = new float[S.length()];
    private final int[] blockBest = new int[S.length()], blockLabel = new int[S.length()];
    private final Dropout[] drops;      // per hidden layer, its dropout when active in this step, else null
    private int correct;
    private int currentBatch;           // examples in this step (the last of an epoch may be short)

    BatchedStep(Module model, FeedForward net, DataLoader train) {
        this.model = model;
        this.net = net;
        this.x = train.featureData();
        this.labels = train.examples().labels();
        this.batch = Math.min(train.batchSize(), train.size()); // no batch holds more than the examples there are
        int layers = net.layers();
        sizes = new int[layers + 1];
        for (int l = 0; l <= layers; l++) sizes[l] = net.size(l);
        weightRules = new Optimizer.Pieces[layers];
        biasRules = new Optimizer.Pieces[layers];
        weightGrads = new float[layers][];
        biasGrads = new float[layers][];
        for (int l = 0; l < layers; l++) {
            Linear linear = net.linears().get(l);
            weightRules[l] = net.optimizer().pieces(linear.weight());
            biasRules[l] = net.optimizer().pieces(linear.bias());
            if (weightRules[l].linear() == null) {
                weightGrads[l] = new float[sizes[l] * sizes[l + 1]];
                biasGrads[l] = new float[sizes[l + 1]];
            }
        }
        inputs = new float[layers][];
        backFactors = new float[layers][];
        grads = new float[layers][];
        for (int l = 0; l < layers; l++) {
            if (l > 0) inputs[l] = new float[batch * sizes[l]];
            backFactors[l] = new float[batch * sizes[l + 1]];
            grads[l] = new float[batch * sizes[l + 1]];
        }
        int widest = 0;
        for (int l = 1; l < layers; l++) widest = Math.max(widest, sizes[l]);
        scratch = new float[MASK_ROWS * widest];
        exps = new double[sizes[layers]];
        drops = new Dropout[layers];
        rowStarts = new int[batch];
    }

    /**
     * out[m, n] (+)= g[m, B] · inᵀ for layer l, whose input is, for the first layer, the examples'
     * rows where they lie in x.
     */
    private void weightProduct(int l, float[] g, float[] out, boolean accumulate) {
        int m = sizes[l + 1], n = sizes[l], b = currentBatch;
        if (l == 0) Gemm.sgemmRows(false, false, m, n, b, g, 0, x, rowStarts, out, 0, accumulate);
        else Gemm.sgemm(false, true, m, n, b, g, 0, inputs[l], 0, out, 0, accumulate);
    }

    /** g[from:from+len] ← scale·g, returning the sum of the scaled values. */
    private static float scaleAndSum(float[] g, int from, int len, float scale) {
        FloatVector acc = FloatVector.zero(S);
        int i = from, end = from + len;
        for (int top = from + S.loopBound(len); i < top; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, g, i).mul(scale);
            v.intoArray(g, i);
            acc = acc.add(v);
        }
        float sum = Blas1.sumLanes(acc);
        for (; i < end; i++) sum += g[i] *= scale;
        return sum;
    }

    /**
     * Starts drawing the masks of the active dropouts of a batch of b on a helper thread, each into its
     * layer's backFactors (feature-major), or returns null when no dropout is active. The generic path
     * draws one mask for the [B, m] activation, example by example: drawn in that order a block of
     * examples at a time, and transposed. Only the helper touches scratch and gather until the join.
     */
    private Parallel.Task startMasks(int b) {
        boolean any = false;
        for (int l = 0; l + 1 < net.layers(); l++) any |= (drops[l] = net.activeDropout(l, model)) != null;
        if (!any) return null;
        return Parallel.fork(() -> {
            for (int l = 0; l + 1 < net.layers(); l++) {
                if (drops[l] != null) drawMask(drops[l], backFactors[l], sizes[l + 1], b);
            }
        });
    }

    private void drawMask(Dropout drop, float[] back, int m, int b) {
        for (int r = 0; r < MASK_ROWS; r++) gather[r] = r * m;
        for (int r0 = 0; r0 < b; r0 += MASK_ROWS) {
            int rows0 = Math.min(MASK_ROWS, b - r0);
            drop.sampleMask(scratch, 0, rows0 * m);
            if (rows0 == MASK_ROWS) {
                for (int j = 0; j < m; j++) FloatVector.fromArray(S, scratch, j, gather, 0).intoArray(back, j * b + r0);
            } else {
                for (int j = 0; j < m; j++) {
                    for (int r = 0, src = j, dst = j * b + r0; r < rows0; r++, src += m, dst++) back[dst] = scratch[src];
                }
            }
        }
    }

    /**
     * Softmax cross-entropy of the S.length() examples from r0, one per lane, logits feature-major
     * g[k·b + r]: counts the correct predictions (the first largest logit, as FeedForward.argmax),
     * returns the sum of their losses, and overwrites the logits with softmax − onehot, as
     * FeedForward.softmaxCrossEntropy does one example at a time, but with the exponentials and the
     * normalisation in float (Blas1.exp, whose bits do not depend on the JIT; the loss's logarithm stays double).
     */
    private double softmaxBlock(float[] g, int b, int r0, int classes, int[] order, int from) {
        FloatVector max = FloatVector.fromArray(S, g, r0);
        IntVector best = IntVector.zero(LANES);
        for (int k = 1; k < classes; k++) {
            FloatVector z = FloatVector.fromArray(S, g, k * b + r0);
            VectorMask<Float> above = z.compare(VectorOperators.GT, max);
            max = max.blend(z, above);
            best = best.blend(k, above.cast(LANES));
        }
        max.intoArray(blockMax, 0);
        best.intoArray(blockBest, 0);
        double loss = 0;
        for (int i = 0; i < S.length(); i++) {
            int y = blockLabel[i] = labels[order[from + r0 + i]];
            if (blockBest[i] == y) correct++;
            loss -= g[y * b + r0 + i] - blockMax[i];
        }
        FloatVector sum = FloatVector.zero(S);
        for (int k = 0; k < classes; k++) {
            FloatVector e = Blas1.exp(FloatVector.fromArray(S, g, k * b + r0).sub(max));
            e.intoArray(g, k * b + r0);
            sum = sum.add(e);
        }
        sum.intoArray(blockSum, 0);
        for (int i = 0; i < S.length(); i++) loss += Math.log(blockSum[i]);
        FloatVector inverse = FloatVector.broadcast(S, 1f).div(sum);
        for (int k = 0; k < classes; k++) FloatVector.fromArray(S, g, k * b + r0).mul(inverse).intoArray(g, k * b + r0);
        for (int i = 0; i < S.length(); i++) g[blockLabel[i] * b + r0 + i] -= 1f;
        return loss;
    }

    @Override
    public int correct() {
        return correct;
    }

    @Override
    public double run(int[] order, int from, int to) {
        int b = currentBatch = to - from, layers = net.layers(), d = sizes[0];
        // The first layer's products read the examples' rows where they lie in x (no gathered copy);
        // every later activation is kept feature-major ([units, B], one column per example), so no
        // product ever has to transpose a weight matrix. The dropout masks do not depend on the data:
        // a helper thread draws them meanwhile.
        Parallel.Task masks = startMasks(b);
        for (int r = 0; r < b; r++) rowStarts[r] = order[from + r] * d;
        for (int l = 0; l < layers; l++) {
            int n = sizes[l], m = sizes[l + 1];
            float[] w = net.linears().get(l).weight().floatData(), bias = net.linears().get(l).bias().floatData();
            float[] out = l + 1 < layers ? inputs[l + 1] : grads[l];
            for (int j = 0; j < m; j++) Arrays.fill(out, j * b, (j + 1) * b, bias[j]);
            // out[m, B] += W[m, n] · in[n, B]; the first layer reads the examples' rows where they lie: W · Xᵀ.
            if (l == 0) Gemm.sgemmRows(false, true, m, b, n, w, 0, x, rowStarts, out, 0, true);
            else Gemm.sgemm(false, false, m, b, n, w, 0, inputs[l], 0, out, 0, true);
            if (l + 1 < layers) {
                FeedForward.Activation act = net.activations().get(l);
                act.apply(out, 0, b * m);
                float[] back = backFactors[l];
                if (drops[l] != null) {
                    if (masks != null) {
                        masks.join();
                        masks = null;
                    }
                    act.dropoutAndDerivative(out, back, b * m);
                } else {
                    act.derivative(out, back, b * m);
                }
            }
        }
        // Mean softmax cross-entropy; d loss / d logits = (softmax − onehot) / B, the 1/B applied layer by layer below.
        int classes = sizes[layers];
        float[] g = grads[layers - 1];
        double loss = 0;
        correct = 0;
        int r = 0;
        for (; r + S.length() <= b; r += S.length()) loss += softmaxBlock(g, b, r, classes, order, from);
        for (; r < b; r++) {
            int y = labels[order[from + r]];
            if (FeedForward.argmax(g, r, b, classes) == y) correct++;
            loss += FeedForward.softmaxCrossEntropy(g, r, b, classes, y, exps);
        }
        if (!Double.isFinite(loss)) return loss / b;
        for (int l = 0; l < layers; l++) {
            weightRules[l].advance();
            biasRules[l].advance();
        }
        for (int l = layers - 1; l >= 0; l--) {
            int n = sizes[l], m = sizes[l + 1];
            float[] w = net.linears().get(l).weight().floatData(), bias = net.linears().get(l).bias().floatData();
            float[] gl = grads[l];
            if (l > 0) {
                // below[n, B] = Wᵀ · g, through the lower layer's dropout and activation, before W changes.
                float[] below = grads[l - 1];
                Gemm.sgemm(true, false, n, b, m, w, 0, gl, 0, below, 0, false);
                float[] back = backFactors[l - 1];
                for (int i = 0; i < b * n; i++) below[i] *= back[i];
            }
            Optimizer.Linear rule = weightRules[l].linear();
            if (rule != null) {
                // W[m, n] ← s·W + (−η/B)·g[m, B] · inᵀ, with g scaled in place; each unit's bias step is Σ_r g.
                if (rule.shrink() != 1f) {
                    for (int i = 0; i < w.length; i++) w[i] *= rule.shrink();
                    for (int j = 0; j < m; j++) bias[j] *= rule.shrink();
                }
                float scale = -rule.step() / b;
                for (int j = 0; j < m; j++) bias[j] += scaleAndSum(gl, j * b, b, scale);
                weightProduct(l, gl, w, true);
            } else {
                // The mean gradient, then the optimiser's rule on it: G[m, n] = (1/B)·g · inᵀ.
                float[] gradW = weightGrads[l], gradB = biasGrads[l];
                for (int j = 0; j < m; j++) gradB[j] = scaleAndSum(gl, j * b, b, 1f / b);
                weightProduct(l, gl, gradW, false);
                weightRules[l].update(0, m * n, 1f, gradW, 0);
                biasRules[l].update(0, m, 1f, gradB, 0);
            }
        }
        return loss / b;
    }
}
