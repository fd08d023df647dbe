package nnlab.optim;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import nnlab.nn.Parameter;

/**
 * Updates parameters from their gradients. Per-parameter state (momentum buffers, moment estimates)
 * is kept in a map keyed by the parameter itself, created on its first step.
 */
public abstract class Optimizer {
    private final List<Parameter> parameters;
    private final Map<Parameter, Object> state = new IdentityHashMap<>();
    private double learningRate;

    protected Optimizer(List<Parameter> parameters, double learningRate) {
        if (parameters.isEmpty()) throw new IllegalArgumentException("optimizer got an empty parameter list");
        requireNonNegative("learning rate", learningRate);
        this.parameters = new ArrayList<>(parameters);
        this.learningRate = learningRate;
    }

    /** Applies one update to every parameter that has a gradient. */
    public final void step() {
        for (Parameter p : parameters) {
            if (p.grad() != null) update(p);
        }
    }

    /** Updates one parameter in place from its gradient. */
    protected abstract void update(Parameter p);

    /** Zeroes every parameter's gradient. */
    public final void zeroGrad() {
        for (Parameter p : parameters) p.zeroGrad();
    }

    public final double learningRate() {
        return learningRate;
    }

    /** Sets the learning rate (what a schedule does between steps). */
    public final void setLearningRate(double learningRate) {
        requireNonNegative("learning rate", learningRate);
        this.learningRate = learningRate;
    }

    public final List<Parameter> parameters() {
        return List.copyOf(parameters);
    }

    /** The state of parameter p, made by {@code initial} on first use. */
    @SuppressWarnings("unchecked")
    protected final <S> S state(Parameter p, Supplier<S> initial) {
        return (S) state.computeIfAbsent(p, k -> initial.get());
    }

    /**
     * 0 for a subnormal value (|x| &lt; 2⁻¹²⁶), else x: what float32 optimiser state (momentum
     * buffers, Adam's moments) goes through, as under PyTorch's {@code torch.set_flush_denormal(True)}.
     * State that decays geometrically while its gradient is zero (the weights of an image's border
     * pixels) would otherwise sit in the subnormal range, where every operation takes a microcode
     * assist some hundred times slower; what it changes is far below the parameters' rounding.
     */
    static float flushSubnormal(float x) {
        return Math.abs(x) < Float.MIN_NORMAL ? 0f : x;
    }

    static void requireNonNegative(String what, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("Invalid " + what + ": " + value + " (must be a finite number >= 0)");
        }
    }
}
