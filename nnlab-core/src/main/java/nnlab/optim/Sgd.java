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

    private static final class Buffer {
        double[] values;
    }

    @Override
    protected void update(Parameter p) {
        double lr = learningRate();
        int n = p.size();
        if (momentum == 0 && p.dtype() == nnlab.tensor.DType.FLOAT32) {
            // The course's default (plain SGD, float32) runs every step: keep it a tight loop.
            float[] theta = p.floatData(), grad = p.grad().floatData();
            float step = (float) lr, decay = (float) weightDecay;
            for (int i = 0; i < n; i++) theta[i] -= step * (grad[i] + decay * theta[i]);
            return;
        }
        Buffer buffer = state(p, Buffer::new);
        boolean first = buffer.values == null && momentum != 0;
        if (first) buffer.values = new double[n];
        for (int i = 0; i < n; i++) {
            double theta = p.getFlat(i);
            double g = p.grad().getFlat(i) + weightDecay * theta;
            if (momentum != 0) {
                double b = first ? g : momentum * buffer.values[i] + (1 - dampening) * g;
                buffer.values[i] = b;
                g = nesterov ? g + momentum * b : b;
            }
            p.setFlat(i, theta - lr * g);
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
