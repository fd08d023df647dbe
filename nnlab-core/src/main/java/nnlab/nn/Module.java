package nnlab.nn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nnlab.tensor.Tensor;

/**
 * A piece of a network: parameters and submodules registered explicitly and in order, under names
 * that become dotted paths ({@code layers.0.weight}) in {@link #namedParameters()}, checkpoints and
 * logs. A module is in training mode until {@link #eval()}; the mode reaches every submodule.
 */
public abstract class Module {
    private final Map<String, Parameter> parameters = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;

    /** Computes the output for {@code input}. */
    public abstract Tensor forward(Tensor input);

    /** Registers a parameter under {@code name} and returns it. Names are unique within a module. */
    protected final Parameter registerParameter(String name, Parameter parameter) {
        checkName(name);
        parameters.put(name, parameter);
        return parameter;
    }

    /**
     * Registers a buffer under {@code name} and returns it: state that is saved and loaded with the
     * parameters but not learned by gradients (a batch-norm layer's running statistics). Update it
     * in place, so the registered tensor stays the one that is saved.
     */
    protected final Tensor registerBuffer(String name, Tensor buffer) {
        checkName(name);
        buffers.put(name, buffer);
        return buffer;
    }

    /** Registers a submodule under {@code name} and returns it. */
    protected final <M extends Module> M registerModule(String name, M module) {
        checkName(name);
        children.put(name, module);
        return module;
    }

    private void checkName(String name) {
        if (name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException("a parameter or module name must be non-empty and without dots: '" + name + "'");
        }
        if (parameters.containsKey(name) || buffers.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException("'" + name + "' is already registered in " + getClass().getSimpleName());
        }
    }

    /** Every parameter under its dotted name: this module's own first, then each child's, in registration order. */
    public final Map<String, Parameter> namedParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        collect("", out);
        return out;
    }

    private void collect(String prefix, Map<String, Parameter> out) {
        parameters.forEach((name, p) -> out.put(prefix + name, p));
        children.forEach((name, m) -> m.collect(prefix + name + ".", out));
    }

    /** Every buffer under its dotted name, in the order of {@link #namedParameters()}. */
    public final Map<String, Tensor> namedBuffers() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collectBuffers("", out);
        return out;
    }

    private void collectBuffers(String prefix, Map<String, Tensor> out) {
        buffers.forEach((name, b) -> out.put(prefix + name, b));
        children.forEach((name, m) -> m.collectBuffers(prefix + name + ".", out));
    }

    /** The parameters in the order of {@link #namedParameters()}. */
    public final List<Parameter> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** The direct submodules, in registration order. */
    public final Map<String, Module> children() {
        return java.util.Collections.unmodifiableMap(children);
    }

    /** Training mode (dropout active); returns this. */
    public final Module train() {
        return train(true);
    }

    /** Evaluation mode (dropout is the identity); returns this. */
    public final Module eval() {
        return train(false);
    }

    public final Module train(boolean mode) {
        training = mode;
        children.values().forEach(m -> m.train(mode));
        return this;
    }

    public final boolean isTraining() {
        return training;
    }

    /**
     * Whether this module and its children keep no tensor computed in a training step past the step
     * (no output or intermediate stored in a field), so that the trainer may reuse the step's storage
     * in the next step ({@link nnlab.tensor.Workspace}). True of nnlab's own layers; a module of one's
     * own is assumed to keep some unless it overrides this to say it keeps none.
     */
    public boolean keepsNoStepTensors() {
        if (!getClass().getPackageName().equals(Module.class.getPackageName())) return false;
        for (Module child : children.values()) if (!child.keepsNoStepTensors()) return false;
        return true;
    }

    /** Zeroes every parameter's gradient. */
    public final void zeroGrad() {
        for (Parameter p : parameters()) p.zeroGrad();
    }

    /** Number of learnable values (PyTorch's {@code sum(p.numel() for p in model.parameters())}). */
    public final long numParameters() {
        long n = 0;
        for (Parameter p : parameters()) n += p.size();
        return n;
    }

    /**
     * Copies of the parameters' and buffers' values under their dotted names (what a checkpoint
     * stores): each module's parameters, then its buffers, then its children's, as PyTorch orders them.
     */
    public final Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collectState("", out);
        return out;
    }

    private void collectState(String prefix, Map<String, Tensor> out) {
        parameters.forEach((name, p) -> out.put(prefix + name, p.detach().copy()));
        buffers.forEach((name, b) -> out.put(prefix + name, b.copy()));
        children.forEach((name, m) -> m.collectState(prefix + name + ".", out));
    }

    /** The tensors {@link #stateDict()} saves, by name, not copied. */
    private Map<String, Tensor> stateTensors() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collectStateTensors("", out);
        return out;
    }

    private void collectStateTensors(String prefix, Map<String, Tensor> out) {
        parameters.forEach((name, p) -> out.put(prefix + name, p));
        buffers.forEach((name, b) -> out.put(prefix + name, b));
        children.forEach((name, m) -> m.collectStateTensors(prefix + name + ".", out));
    }

    /**
     * Loads values saved by {@link #stateDict()}: every parameter and buffer must be present with its shape, and no
     * extra entries are allowed, so a checkpoint of another architecture fails loudly.
     */
    public final void loadStateDict(Map<String, Tensor> state) {
        Map<String, Tensor> own = stateTensors();
        for (String name : state.keySet()) {
            if (!own.containsKey(name)) {
                throw new IllegalArgumentException("unexpected entry '" + name + "' in the state; this model has " + own.keySet());
            }
        }
        own.forEach((name, p) -> {
            Tensor value = state.get(name);
            if (value == null) throw new IllegalArgumentException("missing entry '" + name + "' in the state");
            if (!value.shape().equals(p.shape())) {
                throw new IllegalArgumentException("entry '" + name + "' has shape " + value.shape() + ", the model's is " + p.shape());
            }
            p.copyFrom(value);
        });
    }

    /** The settings shown after the module's name in {@link #toString()}, e.g. {@code in_features=784}. */
    protected String extraRepr() {
        return "";
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(getClass().getSimpleName()).append('(').append(extraRepr());
        if (!children.isEmpty()) {
            sb.append('\n');
            children.forEach((name, m) -> sb.append("  (").append(name).append("): ")
                    .append(m.toString().replace("\n", "\n  ")).append('\n'));
        }
        return sb.append(')').toString();
    }
}
