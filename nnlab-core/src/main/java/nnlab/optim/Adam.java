package nnlab.optim;

import java.util.List;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import nnlab.nn.Parameter;

/**
 * Adam (Kingma and Ba), and AdamW (Loshchilov and Hutter) when {@code decoupled}, as PyTorch's
 * {@code torch.optim.Adam} and {@code AdamW}. At step t:
 * <pre>
 *   Adam:   g ← ∇θ + λ·θ           AdamW:  θ ← θ·(1 − lr·λ),  g ← ∇θ
 *   m ← β₁·m + (1 − β₁)·g
 *   v ← β₂·v + (1 − β₂)·g²
 *   θ ← θ − lr · (m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε)
 * </pre>
 */
public class Adam extends Optimizer {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final boolean decoupled;

    /** Adam with PyTorch's defaults: β = (0.9, 0.999), ε = 1e-8, no weight decay. */
    public Adam(List<Parameter> parameters, double learningRate) {
        this(parameters, learningRate, 0.9, 0.999, 1e-8, 0, false);
    }

    public Adam(List<Parameter> parameters, double learningRate, double weightDecay) {
        this(parameters, learningRate, 0.9, 0.999, 1e-8, weightDecay, false);
    }

    public Adam(List<Parameter> parameters, double learningRate, double beta1, double beta2, double eps,
                double weightDecay, boolean decoupled) {
        super(parameters, learningRate);
        if (!(beta1 >= 0 && beta1 < 1)) throw new IllegalArgumentException("Invalid beta parameter at index 0: " + beta1);
        if (!(beta2 >= 0 && beta2 < 1)) throw new IllegalArgumentException("Invalid beta parameter at index 1: " + beta2);
        requireNonNegative("epsilon value", eps);
        requireNonNegative("weight_decay value", weightDecay);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.decoupled = decoupled;
    }

    /** AdamW: decoupled weight decay (PyTorch's default λ = 0.01). */
    public static Adam adamW(List<Parameter> parameters, double learningRate, double weightDecay) {
        return new Adam(parameters, learningRate, 0.9, 0.999, 1e-8, weightDecay, true);
    }

    /** Whether this is AdamW (weight decay decoupled from the gradient). */
    public boolean decoupled() {
        return decoupled;
    }

    /** float64 state; float32 parameters keep theirs in their {@link Rule}. */
    private static final class Moments {
        double[] m;
        double[] v;
        int step;
    }

    @Override
    protected void update(Parameter p) {
        if (p.dtype() == nnlab.tensor.DType.FLOAT32) {
            super.update(p); // float32 state, as PyTorch keeps it for float32 parameters
            return;
        }
        int n = p.size();
        Moments s = state(p, Moments::new);
        s.step++;
        double lr = learningRate();
        double correction1 = 1 - Math.pow(beta1, s.step);
        double correction2 = 1 - Math.pow(beta2, s.step);
        if (s.m == null) {
            s.m = new double[n];
            s.v = new double[n];
        }
        double[] theta = p.doubleData(), grad = p.grad().doubleData(), m = s.m, v = s.v;
        for (int i = 0; i < n; i++) {
            double t = theta[i], g = grad[i];
            if (decoupled) t *= 1 - lr * weightDecay;
            else g += weightDecay * t;
            m[i] = beta1 * m[i] + (1 - beta1) * g;
            v[i] = beta2 * v[i] + (1 - beta2) * g * g;
            theta[i] = t - lr * (m[i] / correction1) / (Math.sqrt(v[i] / correction2) + eps);
        }
    }

    @Override
    public Pieces pieces(Parameter p) {
        requireFloat32(p, "Adam");
        return state(p, () -> new Rule(p.floatData()));
    }

    /** A float32 parameter's moments and step count, and Adam's rule applied to pieces of it. */
    private final class Rule implements Pieces {
        private final float[] theta;
        private final float[] m;
        private final float[] v;
        private int step;
        private float c1;
        private float c2;

        private Rule(float[] theta) {
            this.theta = theta;
            this.m = new float[theta.length];
            this.v = new float[theta.length];
        }

        @Override
        public void advance() {
            step++;
            c1 = (float) (1 / (1 - Math.pow(beta1, step)));
            c2 = (float) (1 / (1 - Math.pow(beta2, step)));
        }

        @Override
        public void update(int from, int count, float scale, float[] src, int srcFrom) {
            checkPiece(step, from, count, theta.length, srcFrom, src.length);
            updateRange(theta, m, v, from, count, scale, src, srcFrom, c1, c2);
        }
    }

    /**
     * Adam's float32 rule on {@code [from, from + count)}, element by element as the class comment
     * reads, except that moments which fall below float's normal range are set to zero, as PyTorch
     * does under {@code torch.set_flush_denormal(True)}. Why: a weight whose input is zero for a
     * while (a border pixel) has its first moment decay by β₁ every step into the subnormal range,
     * where every arithmetic operation takes a microcode assist some hundred times slower: that made
     * Adam at batch 1 on Fashion-MNIST 20× slower than it should be. What it changes is below
     * rounding: a subnormal m moves θ by less than 10⁻³⁰, and a subnormal v is swamped by ε in
     * √v̂ + ε.
     */
    private void updateRange(float[] theta, float[] m, float[] v, int from, int count, float scale, float[] src,
                             int srcFrom, float c1, float c2) {
        double lr = learningRate();
        float b1 = (float) beta1, b2 = (float) beta2;
        float step = (float) lr, decay = (float) weightDecay, e = (float) eps, shrink = (float) (1 - lr * weightDecay);
        float keep1 = 1 - b1, keep2 = 1 - b2;
        int i = 0;
        if (scale == 0f && (decoupled ? shrink == 1f : decay == 0f)) {
            // A zero gradient and no decay (a fused step's row of a unit switched off by ReLU or dropout):
            // the general loop with g = 0, minus the loads and products that change nothing.
            for (int bound = F.loopBound(count); i < bound; i += F.length()) {
                int at = from + i;
                FloatVector mi = flushSubnormals(FloatVector.fromArray(F, m, at).mul(b1));
                FloatVector vi = flushSubnormals(FloatVector.fromArray(F, v, at).mul(b2));
                mi.intoArray(m, at);
                vi.intoArray(v, at);
                FloatVector.fromArray(F, theta, at).sub(mi.mul(c1).mul(step).div(vi.mul(c2).sqrt().add(e))).intoArray(theta, at);
            }
        } else if (decoupled ? shrink == 1f : decay == 0f) {
            // No decay: the general loop without θ's term in g.
            for (int bound = F.loopBound(count); i < bound; i += F.length()) {
                int at = from + i;
                FloatVector g = FloatVector.fromArray(F, src, srcFrom + i).mul(scale);
                FloatVector mi = flushSubnormals(FloatVector.fromArray(F, m, at).mul(b1).add(g.mul(keep1)));
                FloatVector vi = flushSubnormals(FloatVector.fromArray(F, v, at).mul(b2).add(g.mul(keep2).mul(g)));
                mi.intoArray(m, at);
                vi.intoArray(v, at);
                FloatVector.fromArray(F, theta, at).sub(mi.mul(c1).mul(step).div(vi.mul(c2).sqrt().add(e))).intoArray(theta, at);
            }
        }
        for (int bound = F.loopBound(count); i < bound; i += F.length()) {
            int at = from + i;
            FloatVector t = FloatVector.fromArray(F, theta, at);
            FloatVector g = FloatVector.fromArray(F, src, srcFrom + i).mul(scale);
            if (decoupled) t = t.mul(shrink);
            else g = g.add(t.mul(decay));
            FloatVector mi = flushSubnormals(FloatVector.fromArray(F, m, at).mul(b1).add(g.mul(keep1)));
            FloatVector vi = flushSubnormals(FloatVector.fromArray(F, v, at).mul(b2).add(g.mul(keep2).mul(g)));
            mi.intoArray(m, at);
            vi.intoArray(v, at);
            t.sub(mi.mul(c1).mul(step).div(vi.mul(c2).sqrt().add(e))).intoArray(theta, at);
        }
        for (; i < count; i++) {
            int at = from + i;
            float t = theta[at], g = scale * src[srcFrom + i];
            if (decoupled) t *= shrink;
            else g += decay * t;
            m[at] = Optimizer.flushSubnormal(b1 * m[at] + keep1 * g);
            v[at] = Optimizer.flushSubnormal(b2 * v[at] + keep2 * g * g);
            theta[at] = t - step * (m[at] * c1) / ((float) Math.sqrt(v[at] * c2) + e);
        }
    }

    /** p's float32 first moment m (the live array); for tests. */
    float[] firstMoment(Parameter p) {
        return ((Rule) pieces(p)).m;
    }

}
