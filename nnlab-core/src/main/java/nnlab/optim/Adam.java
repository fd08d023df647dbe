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
        double[] m;
        double[] v;
        int step;
    }

    @Override
    protected void update(Parameter p) {
        int n = p.size();
        Moments s = state(p, Moments::new);
        if (s.m == null) {
            s.m = new double[n];
            s.v = new double[n];
        }
        s.step++;
        double lr = learningRate();
        double correction1 = 1 - Math.pow(beta1, s.step);
        double correction2 = 1 - Math.pow(beta2, s.step);
        for (int i = 0; i < n; i++) {
            double theta = p.getFlat(i);
            double g = p.grad().getFlat(i);
            if (decoupled) theta *= 1 - lr * weightDecay;
            else g += weightDecay * theta;
            s.m[i] = beta1 * s.m[i] + (1 - beta1) * g;
            s.v[i] = beta2 * s.v[i] + (1 - beta2) * g * g;
            double denominator = Math.sqrt(s.v[i] / correction2) + eps;
            p.setFlat(i, theta - lr * (s.m[i] / correction1) / denominator);
        }
    }
}
