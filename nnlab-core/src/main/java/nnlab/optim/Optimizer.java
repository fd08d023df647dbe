package nnlab.optim;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import nnlab.nn.Parameter;

/**
 * Updates parameters from their gradients. Per-parameter state (momentum buffers, moment estimates)
 * is kept in a map keyed by the parameter itself, created on its first step.
 *
 * <p>An optimiser states its float32 rule once, as {@link Pieces}: the graph path's {@link #step()}
 * applies it to a whole gradient, and a fused training step, which never stores whole gradients,
 * applies the same rule (same state, same rounding) piece by piece.
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

    /**
     * Updates one parameter in place from its gradient. This default applies {@link #pieces} to the
     * whole float32 gradient; an optimiser without a piecewise rule, or for float64, overrides it.
     */
    protected void update(Parameter p) {
        Pieces rule = pieces(p);
        if (rule == null) throw new UnsupportedOperationException(getClass().getSimpleName() + " has no update for " + p.dtype());
        rule.advance();
        rule.update(0, p.size(), 1f, p.grad().floatData(), 0);
    }

    /**
     * The float32 update rule of p with its state, applied piece by piece; the same object on every
     * call. Null when this optimiser has no piecewise rule (only {@link #step()} can update p then,
     * and training takes the graph path).
     *
     * @throws IllegalArgumentException if p is not float32
     */
    public Pieces pieces(Parameter p) {
        return null;
    }

    /**
     * One parameter's update, piece by piece, for a caller that never stores the parameter's whole
     * gradient (a fused training step computes it one weight row or one product at a time):
     * {@link #advance()} once per step, then {@link #update} over pieces that together cover the
     * parameter once. Shares the parameter's state with {@link Optimizer#step()}, so the two mix.
     */
    public interface Pieces {
        /** Starts a step (advances the step count that bias corrections and first steps read). */
        void advance();

        /**
         * Updates the elements {@code [from, from + count)} of the parameter, whose gradient there is
         * {@code scale · src[srcFrom + i]} (a row of an outer product g·xᵀ, or a plain gradient with
         * scale 1), at the step set by the last {@link #advance()}.
         */
        void update(int from, int count, float scale, float[] src, int srcFrom);

        /**
         * For a rule without state whose step is θ ← shrink·θ − step·g (plain SGD), those two factors,
         * so that a caller may fold the update into the product that forms g; null for a rule with state.
         */
        default Linear linear() {
            return null;
        }
    }

    /** θ ← shrink·θ − step·g: see {@link Pieces#linear()}. */
    public record Linear(float shrink, float step) {}

    /** Checks a piece's bounds and that a step was started, with the values in the message. */
    static void checkPiece(int step, int from, int count, int length, int srcFrom, int srcLength) {
        if (step == 0) throw new IllegalStateException("call advance() before updating pieces of the parameter");
        java.util.Objects.checkFromIndexSize(from, count, length);
        java.util.Objects.checkFromIndexSize(srcFrom, count, srcLength);
    }

    static void requireFloat32(Parameter p, String optimizer) {
        if (p.dtype() != nnlab.tensor.DType.FLOAT32) {
            throw new IllegalArgumentException("piecewise " + optimizer + " updates are for float32 parameters, got " + p.dtype());
        }
    }

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

    /** {@link #flushSubnormal} lane by lane. */
    static FloatVector flushSubnormals(FloatVector x) {
        return x.blend(0f, x.abs().compare(VectorOperators.LT, Float.MIN_NORMAL));
    }

    static void requireNonNegative(String what, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("Invalid " + what + ": " + value + " (must be a finite number >= 0)");
        }
    }
}
