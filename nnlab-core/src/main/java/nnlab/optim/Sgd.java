package nnlab.optim;

import java.util.List;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import nnlab.nn.Parameter;

/**
 * Stochastic gradient descent with optional momentum, dampening, Nesterov momentum and weight decay,
 * with exactly the semantics of PyTorch's {@code torch.optim.SGD}:
 * <pre>
 *   g ← ∇θ + λ·θ                                  (weight decay λ)
 *   if μ ≠ 0:  b ← g on the first step, else b ← μ·b + (1 − τ)·g      (momentum μ, dampening τ)
 *              g ← g + μ·b if nesterov, else g ← b
 *   θ ← θ − lr·g
 * </pre>
 * A float32 momentum buffer that decays below float's normal range is set to zero
 * ({@link Optimizer#flushSubnormal}), as under PyTorch's {@code torch.set_flush_denormal(True)}.
 */
public final class Sgd extends Optimizer {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private final double momentum;
    private final double dampening;
    private final double weightDecay;
    private final boolean nesterov;

    public Sgd(List<Parameter> parameters, double learningRate) {
        this(parameters, learningRate, 0, 0, 0, false);
    }

    public Sgd(List<Parameter> parameters, double learningRate, double momentum, double weightDecay) {
        this(parameters, learningRate, momentum, 0, weightDecay, false);
    }

    public Sgd(List<Parameter> parameters, double learningRate, double momentum, double dampening,
               double weightDecay, boolean nesterov) {
        super(parameters, learningRate);
        requireNonNegative("momentum value", momentum);
        requireNonNegative("weight_decay value", weightDecay);
        if (!Double.isFinite(dampening)) throw new IllegalArgumentException("Invalid dampening value: " + dampening);
        if (nesterov && (momentum <= 0 || dampening != 0)) {
            throw new IllegalArgumentException("Nesterov momentum requires a momentum and zero dampening (momentum="
                    + momentum + ", dampening=" + dampening + ")");
        }
        this.momentum = momentum;
        this.dampening = dampening;
        this.weightDecay = weightDecay;
        this.nesterov = nesterov;
    }

    /** p's float32 momentum buffer (the live array), or null before its first step; for tests. */
    float[] momentumBuffer(Parameter p) {
        return ((Rule) pieces(p)).buffer;
    }

    /** A float64 parameter's momentum buffer. */
    private static final class Buffer64 {
        double[] values;
    }

    @Override
    protected void update(Parameter p) {
        if (p.dtype() == nnlab.tensor.DType.FLOAT32) {
            super.update(p);
            return;
        }
        // The class comment's rule in float64; Rule below is the same rule in float32.
        double[] theta = p.doubleData(), grad = p.grad().doubleData();
        double lr = learningRate();
        int n = p.size();
        Buffer64 buffer = momentum == 0 ? null : state(p, Buffer64::new);
        boolean first = buffer != null && buffer.values == null;
        if (first) buffer.values = new double[n];
        for (int i = 0; i < n; i++) {
            double g = grad[i] + weightDecay * theta[i];
            if (buffer != null) {
                double b = first ? g : momentum * buffer.values[i] + (1 - dampening) * g;
                buffer.values[i] = b;
                g = nesterov ? g + momentum * b : b;
            }
            theta[i] -= lr * g;
        }
    }

    @Override
    public Pieces pieces(Parameter p) {
        requireFloat32(p, "SGD");
        return state(p, () -> new Rule(p.floatData()));
    }

    /**
     * The class comment's rule in float32 on pieces of one parameter, in SIMD lanes that round as the
     * scalar tail does (no fused multiply-add). Without momentum it keeps no state, and a piece whose
     * gradient scale is 0 is left as it is when there is no weight decay: the fused batch-1 step passes
     * the rows of units switched off by ReLU or dropout that way, at no cost.
     */
    private final class Rule implements Pieces {
        private final float[] theta;
        private float[] buffer;
        /**
         * zero[c]: the momentum buffer's chunk c (elements [c·L, c·L + L), L the vector length) is known
         * to be all 0. A piece with a zero gradient and no weight decay leaves such a chunk, and its
         * parameters, exactly as they are (b ← μ·0, θ ← θ − lr·0), so it is skipped: the rows of units
         * that have been switched off for a while (dead ReLUs) cost nothing, as they do in plain SGD.
         */
        private boolean[] zero;
        private int step;

        private Rule(float[] theta) {
            this.theta = theta;
        }

        @Override
        public void advance() {
            step++;
            if (momentum != 0 && buffer == null) {
                buffer = new float[theta.length];
                zero = new boolean[(theta.length + F.length() - 1) / F.length()];
            }
        }

        @Override
        public Linear linear() {
            return momentum != 0 ? null
                    : new Linear((float) (1 - learningRate() * weightDecay), (float) learningRate());
        }

        @Override
        public void update(int from, int count, float scale, float[] src, int srcFrom) {
            checkPiece(step, from, count, theta.length, srcFrom, src.length);
            float lr = (float) learningRate(), decay = (float) weightDecay;
            if (momentum == 0) {
                if (scale == 0f && decay == 0f) return;
                int i = 0;
                for (int bound = F.loopBound(count); i < bound; i += F.length()) {
                    FloatVector t = FloatVector.fromArray(F, theta, from + i);
                    FloatVector g = FloatVector.fromArray(F, src, srcFrom + i).mul(scale).add(t.mul(decay));
                    t.sub(g.mul(lr)).intoArray(theta, from + i);
                }
                for (; i < count; i++) theta[from + i] -= lr * (scale * src[srcFrom + i] + decay * theta[from + i]);
                return;
            }
            float mu = (float) momentum, keep = (float) (1 - dampening);
            boolean first = step == 1;
            float[] b = buffer;
            int i = 0;
            if (scale == 0f && decay == 0f && !first && !nesterov) {
                // A zero gradient and no decay (a fused step's row of a unit switched off by ReLU or dropout):
                // the loop below with g = 0, minus the loads and products that change nothing, and minus
                // the chunks whose buffer is known to be 0 (on pieces that start on a chunk).
                boolean aligned = from % F.length() == 0;
                for (int bound = F.loopBound(count); i < bound; i += F.length()) {
                    int at = from + i;
                    if (aligned && zero[at / F.length()]) continue;
                    FloatVector bi = flushSubnormals(FloatVector.fromArray(F, b, at).mul(mu));
                    bi.intoArray(b, at);
                    FloatVector.fromArray(F, theta, at).sub(bi.mul(lr)).intoArray(theta, at);
                    if (aligned) zero[at / F.length()] = !bi.compare(VectorOperators.NE, 0f).anyTrue();
                }
                for (; i < count; i++) {
                    int at = from + i;
                    b[at] = flushSubnormal(mu * b[at]);
                    theta[at] -= lr * b[at];
                }
                return;
            }
            // Any other piece may make its chunks of the buffer nonzero.
            java.util.Arrays.fill(zero, from / F.length(), (from + count + F.length() - 1) / F.length(), false);
            if (decay == 0f && !first && !nesterov) {
                for (int bound = F.loopBound(count); i < bound; i += F.length()) {
                    int at = from + i;
                    FloatVector g = FloatVector.fromArray(F, src, srcFrom + i).mul(scale);
                    FloatVector bi = flushSubnormals(FloatVector.fromArray(F, b, at).mul(mu).add(g.mul(keep)));
                    bi.intoArray(b, at);
                    FloatVector.fromArray(F, theta, at).sub(bi.mul(lr)).intoArray(theta, at);
                }
            }
            for (int bound = F.loopBound(count); i < bound; i += F.length()) {
                int at = from + i;
                FloatVector t = FloatVector.fromArray(F, theta, at);
                FloatVector g = FloatVector.fromArray(F, src, srcFrom + i).mul(scale).add(t.mul(decay));
                FloatVector bi = first ? g : flushSubnormals(FloatVector.fromArray(F, b, at).mul(mu).add(g.mul(keep)));
                bi.intoArray(b, at);
                t.sub((nesterov ? g.add(bi.mul(mu)) : bi).mul(lr)).intoArray(theta, at);
            }
            for (; i < count; i++) {
                int at = from + i;
                float g = scale * src[srcFrom + i] + decay * theta[at];
                b[at] = first ? g : flushSubnormal(mu * b[at] + keep * g);
                theta[at] -= lr * (nesterov ? g + mu * b[at] : b[at]);
            }
        }
    }

    public double momentum() {
        return momentum;
    }

    public double dampening() {
        return dampening;
    }

    public boolean nesterov() {
        return nesterov;
    }

    public double weightDecay() {
        return weightDecay;
    }
}
