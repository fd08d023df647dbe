package nnlab.train;

import java.util.Arrays;
import nnlab.data.DataLoader;
import nnlab.metrics.Metrics;
import nnlab.nn.Reduction;
import nnlab.nn.Module;
import nnlab.optim.Optimizer;
import nnlab.tensor.Tensor;
import nnlab.tensor.Workspace;

/**
 * The step that works for every model: {@code optimizer.zeroGrad(); loss = criterion(model(x), y);
 * loss.backward(); optimizer.step()}, through the autograd graph.
 */
public final class GraphStep implements Step {
    private final Module model;
    private final Optimizer optimizer;
    private final DataLoader train;
    private final Criterion criterion;
    /** Where the step's activations and gradients live from step to step; null for a model that may keep them. */
    private final Workspace workspace;
    private int correct;

    public GraphStep(Module model, Optimizer optimizer, DataLoader train, Criterion criterion) {
        // -Dnnlab.reuseStorage=false allocates every training step's tensors anew (to measure what reusing gains;
        // evaluation still reuses storage from chunk to chunk).
        this(model, optimizer, train, criterion, Boolean.parseBoolean(System.getProperty("nnlab.reuseStorage", "true")));
    }

    /** @param reuseStorage whether to reuse the step's storage from step to step where the model allows it */
    GraphStep(Module model, Optimizer optimizer, DataLoader train, Criterion criterion, boolean reuseStorage) {
        this.model = model;
        this.optimizer = optimizer;
        this.train = train;
        this.criterion = criterion;
        this.workspace = reuseStorage && model.keepsNoStepTensors() ? new Workspace() : null;
    }

    /** Whether the step reuses its tensors' storage from step to step (the model keeps none of them). */
    public boolean reusesStorage() {
        return workspace != null;
    }

    @Override
    public double run(int[] order, int from, int to) {
        optimizer.zeroGrad();
        double value;
        // The optimiser's step is outside: its state (momentum, Adam's moments) lasts from step to step.
        try (var step = workspace == null ? null : workspace.step()) {
            DataLoader.Batch batch = train.batch(Arrays.copyOfRange(order, from, to));
            Tensor logits = model.forward(batch.x());
            Tensor loss = criterion.loss(logits, batch.labels(), Reduction.MEAN);
            value = loss.item();
            correct = Metrics.correct(logits.argmax(1), batch.labels());
            if (!Double.isFinite(value)) return value;
            loss.backward();
        }
        optimizer.step();
        return value;
    }

    @Override
    public int correct() {
        return correct;
    }
}
