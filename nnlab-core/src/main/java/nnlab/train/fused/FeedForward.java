package nnlab.train.fused;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import nnlab.nn.Dropout;
import nnlab.nn.Linear;
import nnlab.nn.Module;
import nnlab.nn.ReLU;
import nnlab.nn.Sequential;
import nnlab.nn.Sigmoid;
import nnlab.nn.Tanh;
import nnlab.optim.Optimizer;
import nnlab.tensor.DType;
import nnlab.tensor.kernel.Elementwise;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * A plain feed-forward classifier as the fused training steps see it: {@code Sequential(Linear, act,
 * [Dropout], …, Linear)} in float32 with biases, every parameter updated by an optimiser with a
 * piecewise rule. {@link #recognise} finds that form, or says why a model is not of it.
 */
record FeedForward(List<Linear> linears, List<Activation> activations, List<Dropout> dropouts, Optimizer optimizer) {

    /** The hidden activations the fused steps know, with their derivative read off their output. */
    enum Activation {
        RELU, TANH, SIGMOID;

        private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

        void apply(float[] h, int from, int to) {
            switch (this) {
                case RELU -> { for (int j = from; j < to; j++) h[j] = Math.max(h[j], 0f); }
                case TANH -> { for (int j = from; j < to; j++) h[j] = (float) Math.tanh(h[j]); }
                case SIGMOID -> { for (int j = from; j < to; j++) h[j] = (float) Elementwise.sigmoid(h[j]); }
            }
        }

        /** back[i] = act′(z) read off h[i] = act(z), for i < n. One loop per activation, so each vectorises. */
        void derivative(float[] h, float[] back, int n) {
            switch (this) {
                case RELU -> {
                    Arrays.fill(back, 0, n, 1f);
                    reluDropout(h, back, n);
                }
                case TANH -> { for (int i = 0; i < n; i++) back[i] = 1f - h[i] * h[i]; }
                case SIGMOID -> { for (int i = 0; i < n; i++) back[i] = h[i] * (1f - h[i]); }
            }
        }

        /**
         * Dropout on h = act(z) with the mask held in back, for i < n: h[i] ← h[i]·mask[i], and
         * back[i] ← mask[i]·act′(z[i]), the factor the backward pass multiplies its gradient by.
         */
        void dropoutAndDerivative(float[] h, float[] back, int n) {
            switch (this) {
                case RELU -> reluDropout(h, back, n);
                case TANH -> {
                    for (int i = 0; i < n; i++) {
                        float v = h[i], mk = back[i];
                        h[i] = v * mk;
                        back[i] = mk * (1f - v * v);
                    }
                }
                case SIGMOID -> {
                    for (int i = 0; i < n; i++) {
                        float v = h[i], mk = back[i];
                        h[i] = v * mk;
                        back[i] = mk * (v * (1f - v));
                    }
                }
            }
        }

        /**
         * ReLU's case of {@link #dropoutAndDerivative} with vector compares and blends: as a scalar loop
         * "v > 0 ? mask : 0" is a branch that mispredicts on about half the units.
         */
        private static void reluDropout(float[] h, float[] back, int n) {
            int i = 0;
            for (int top = S.loopBound(n); i < top; i += S.length()) {
                FloatVector v = FloatVector.fromArray(S, h, i), mk = FloatVector.fromArray(S, back, i);
                v.mul(mk).intoArray(h, i);
                FloatVector.zero(S).blend(mk, v.compare(VectorOperators.GT, 0f)).intoArray(back, i);
            }
            for (; i < n; i++) {
                float v = h[i], mk = back[i];
                h[i] = v * mk;
                back[i] = v > 0f ? mk : 0f;
            }
        }

        /** act′(z), from act(z). */
        float derivative(float act) {
            return switch (this) {
                case RELU -> act > 0f ? 1f : 0f;
                case TANH -> 1f - act * act;
                case SIGMOID -> act * (1f - act);
            };
        }
    }

    /** A recognised network, or null and the reason the model is not one. */
    record Recognition(FeedForward net, String whyNot) {
        static Recognition no(String why) {
            return new Recognition(null, why);
        }
    }

    static Recognition recognise(Module model, Optimizer optimizer) {
        if (!(model instanceof Sequential seq)) {
            return Recognition.no("the model is a " + model.getClass().getSimpleName() + ", not a Sequential the fused steps know");
        }
        List<Linear> linears = new ArrayList<>();
        List<Activation> acts = new ArrayList<>();
        List<Dropout> drops = new ArrayList<>();
        int i = 0;
        while (i < seq.size()) {
            if (!(seq.get(i) instanceof Linear linear)) return unknownLayer(seq, i, "a Linear layer");
            if (linear.bias() == null) return Recognition.no("layer " + i + " (Linear) has no bias");
            if (linear.weight().dtype() != DType.FLOAT32) return Recognition.no("layer " + i + " (Linear) is " + linear.weight().dtype());
            if (!linears.isEmpty() && linear.inFeatures() != linears.get(linears.size() - 1).outFeatures()) {
                return Recognition.no("layer " + i + " (Linear) takes " + linear.inFeatures() + " features, the layer before gives "
                        + linears.get(linears.size() - 1).outFeatures());
            }
            linears.add(linear);
            i++;
            if (i == seq.size()) break;
            Activation a = switch (seq.get(i)) {
                case ReLU r -> Activation.RELU;
                case Tanh t -> Activation.TANH;
                case Sigmoid s -> Activation.SIGMOID;
                default -> null;
            };
            if (a == null) return unknownLayer(seq, i, "an activation (ReLU, Tanh, Sigmoid)");
            acts.add(a);
            i++;
            Dropout d = i < seq.size() && seq.get(i) instanceof Dropout dropout ? dropout : null;
            drops.add(d);
            if (d != null) i++;
        }
        if (acts.size() != linears.size() - 1) return Recognition.no("the model ends in an activation, not a Linear layer");
        // Every parameter must be one the optimiser updates, or a fused step would change what it should not.
        List<nnlab.nn.Parameter> updated = optimizer.parameters();
        if (!updated.containsAll(model.parameters()) || updated.size() != model.parameters().size()) {
            return Recognition.no("the optimiser does not update exactly the model's parameters");
        }
        for (nnlab.nn.Parameter p : model.parameters()) {
            if (optimizer.pieces(p) == null) {
                return Recognition.no(optimizer.getClass().getSimpleName() + " has no piecewise rule (Optimizer.pieces)");
            }
        }
        return new Recognition(new FeedForward(List.copyOf(linears), List.copyOf(acts),
                java.util.Collections.unmodifiableList(drops), optimizer), null);
    }

    private static Recognition unknownLayer(Sequential seq, int i, String expected) {
        return Recognition.no("layer " + i + " (" + seq.get(i).getClass().getSimpleName() + ") is not one the fused steps know ("
                + expected + " expected there)");
    }

    int layers() {
        return linears.size();
    }

    /** Units entering layer l (l = layers() gives the classes). */
    int size(int l) {
        return l == 0 ? linears.get(0).inFeatures() : linears.get(l - 1).outFeatures();
    }

    /** The dropout after hidden layer l when it is active now, else null. */
    Dropout activeDropout(int l, Module model) {
        Dropout d = dropouts.get(l);
        return d != null && model.isTraining() && d.p() > 0 ? d : null;
    }

    /** Index of the first largest logit z[offset + k·stride], k &lt; classes (np.argmax's tie rule). */
    static int argmax(float[] z, int offset, int stride, int classes) {
        int best = 0;
        for (int k = 1; k < classes; k++) if (z[offset + k * stride] > z[offset + best * stride]) best = k;
        return best;
    }

    /**
     * Softmax cross-entropy of one example's logits z[offset + k·stride]: returns
     * log Σ exp(z − max) − (z_y − max), computed stably, and overwrites the logits with its gradient
     * softmax(z) − e_y. {@code exps} is scratch of at least {@code classes} values.
     */
    static double softmaxCrossEntropy(float[] z, int offset, int stride, int classes, int label, double[] exps) {
        float max = z[offset + argmax(z, offset, stride, classes) * stride];
        double sum = 0;
        for (int k = 0; k < classes; k++) sum += exps[k] = Math.exp(z[offset + k * stride] - max);
        double loss = Math.log(sum) - (z[offset + label * stride] - max);
        for (int k = 0; k < classes; k++) z[offset + k * stride] = (float) (exps[k] / sum);
        z[offset + label * stride] -= 1f;
        return loss;
    }
}
