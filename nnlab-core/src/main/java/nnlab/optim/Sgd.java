package nnlab.optim;

import java.util.List;
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

    /** p's float32 momentum buffer (the live array), or null before its first float32 step; for tests. */
    float[] momentumBuffer(Parameter p) {
        return state(p, Buffer::new).values;
    }

    private static final class Buffer {
        float[] values;
        double[] values64;
    }

    @Override
    protected void update(Parameter p) {
        int n = p.size();
        if (p.dtype() == nnlab.tensor.DType.FLOAT32) {
            float[] theta = p.floatData(), grad = p.grad().floatData();
            float step = (float) learningRate(), decay = (float) weightDecay;
            if (momentum == 0) {
                // The course's default (plain SGD, float32) runs every step: keep it a tight loop.
                for (int i = 0; i < n; i++) theta[i] -= step * (grad[i] + decay * theta[i]);
                return;
            }
            Buffer buffer = state(p, Buffer::new);
            boolean first = buffer.values == null;
            if (first) buffer.values = new float[n];
            float[] b = buffer.values;
            float mu = (float) momentum, keep = (float) (1 - dampening);
            for (int i = 0; i < n; i++) {
                float g = grad[i] + decay * theta[i];
                b[i] = first ? g : flushSubnormal(mu * b[i] + keep * g);
                theta[i] -= step * (nesterov ? g + mu * b[i] : b[i]);
            }
            return;
        }
        double[] theta = p.doubleData(), grad = p.grad().doubleData();
        double lr = learningRate();
        Buffer buffer = momentum == 0 ? null : state(p, Buffer::new);
        boolean first = buffer != null && buffer.values64 == null;
        if (first) buffer.values64 = new double[n];
        for (int i = 0; i < n; i++) {
            double g = grad[i] + weightDecay * theta[i];
            if (buffer != null) {
                double b = first ? g : momentum * buffer.values64[i] + (1 - dampening) * g;
                buffer.values64[i] = b;
                g = nesterov ? g + momentum * b : b;
            }
            theta[i] -= lr * g;
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
