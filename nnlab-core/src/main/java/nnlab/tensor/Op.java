package nnlab.tensor;

/**
 * One differentiable primitive: {@link #forward} computes the output from the inputs and saves what
 * {@link #backward} needs; {@link #backward} turns the gradient of the output into gradients of the
 * inputs. A fresh instance serves each call, so saved state never leaks between calls.
 *
 * <p>Both run with gradient tracking off: they may use tensor methods freely without growing the graph.
 */
public abstract class Op {
    private Tensor[] inputs;

    /** Computes the output. Must not modify the inputs. */
    protected abstract Tensor forward(Tensor... inputs);

    /**
     * Gradients of the loss with respect to each input, given the gradient with respect to the output;
     * an entry may be null where {@link #needsGrad(int)} is false.
     */
    protected abstract Tensor[] backward(Tensor gradOutput);

    /** Whether input i takes part in differentiation (so backward may skip its gradient). */
    protected final boolean needsGrad(int i) {
        return inputs != null && inputs[i].requiresGrad();
    }

    /**
     * For a backward that can write input i's gradient straight into its {@code grad} (a leaf, such as
     * a layer's weight): calls {@code writer} with the leaf's gradient storage and whether to add to
     * it, and returns true; backward then returns null for input i, and the engine adds nothing more.
     * Returns false, without calling it, when input i is not a leaf that requires grad (backward then
     * returns its gradient as usual). This saves allocating a weight-sized gradient each step and the
     * pass that adds it into the leaf's.
     */
    protected final boolean writeLeafGradient(int i, Tensor.GradientWriter writer) {
        Tensor t = inputs[i];
        if (!t.isLeaf() || !t.requiresGrad()) return false;
        t.writeGrad(writer);
        return true;
    }

    /**
     * Whether the call being made will be recorded in the graph (so backward may follow): forward may
     * skip saving what backward needs when it will not (evaluation, {@link Autograd#noGrad()}).
     */
    protected final boolean recorded() {
        return recorded;
    }

    private boolean recorded;

    /** Runs the op and, when gradients are being tracked and an input requires them, records it in the graph. */
    public final Tensor apply(Tensor... inputs) {
        boolean track = Autograd.isEnabled() && anyRequiresGrad(inputs);
        recorded = track;
        Tensor out;
        try (var scope = Autograd.noGrad()) {
            out = forward(inputs);
        }
        if (track) {
            this.inputs = inputs;
            out.attach(this);
        }
        return out;
    }

    /** The inputs this op was applied to, when it was recorded in a graph (else null). */
    public final Tensor[] inputs() {
        return inputs;
    }

    final Tensor[] runBackward(Tensor gradOutput) {
        return backward(gradOutput);
    }

    /** The name used in graphs and error messages. */
    public String name() {
        return getClass().getSimpleName();
    }

    private static boolean anyRequiresGrad(Tensor[] inputs) {
        for (Tensor t : inputs) if (t.requiresGrad()) return true;
        return false;
    }
}
