package nnlab.optim;

import java.util.List;
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

    private static final class Moments {
        float[] m;
        float[] v;
        double[] m64;
        double[] v64;
        int step;
    }

    @Override
    protected void update(Parameter p) {
        int n = p.size();
        Moments s = state(p, Moments::new);
        s.step++;
        double lr = learningRate();
        double correction1 = 1 - Math.pow(beta1, s.step);
        double correction2 = 1 - Math.pow(beta2, s.step);
        if (p.dtype() == nnlab.tensor.DType.FLOAT32) {
            // float32 state, as PyTorch keeps it for float32 parameters; a tight loop over the raw arrays.
            if (s.m == null) {
                s.m = new float[n];
                s.v = new float[n];
            }
            float[] theta = p.floatData(), grad = p.grad().floatData(), m = s.m, v = s.v;
            float b1 = (float) beta1, b2 = (float) beta2, c1 = (float) (1 / correction1), c2 = (float) (1 / correction2);
            float step = (float) lr, decay = (float) weightDecay, e = (float) eps, shrink = (float) (1 - lr * weightDecay);
            for (int i = 0; i < n; i++) {
                float t = theta[i], g = grad[i];
                if (decoupled) t *= shrink;
                else g += decay * t;
                m[i] = b1 * m[i] + (1 - b1) * g;
                v[i] = b2 * v[i] + (1 - b2) * g * g;
                theta[i] = t - step * (m[i] * c1) / ((float) Math.sqrt(v[i] * c2) + e);
            }
            return;
        }
        if (s.m64 == null) {
            s.m64 = new double[n];
            s.v64 = new double[n];
        }
        double[] theta = p.doubleData(), grad = p.grad().doubleData(), m = s.m64, v = s.v64;
        for (int i = 0; i < n; i++) {
            double t = theta[i], g = grad[i];
            if (decoupled) t *= 1 - lr * weightDecay;
            else g += weightDecay * t;
            m[i] = beta1 * m[i] + (1 - beta1) * g;
            v[i] = beta2 * v[i] + (1 - beta2) * g * g;
            theta[i] = t - lr * (m[i] / correction1) / (Math.sqrt(v[i] / correction2) + eps);
        }
    }
}
