package nnlab.train;

import java.util.Arrays;
import nnlab.data.DataLoader;
import nnlab.nn.Reduction;
import nnlab.nn.Module;
import nnlab.optim.Optimizer;
import nnlab.tensor.Tensor;

/**
 * The step that works for every model: {@code optimizer.zeroGrad(); loss = criterion(model(x), y);
 * loss.backward(); optimizer.step()}, through the autograd graph.
 */
public final class GraphStep implements Step {
    private final Module model;
    private final Optimizer optimizer;
    private final DataLoader train;
    private final Trainer.Criterion criterion;
    private int correct;

    public GraphStep(Module model, Optimizer optimizer, DataLoader train) {
        this.model = model;
        this.optimizer = optimizer;
        this.train = train;
        this.criterion = Trainer.criterion(model, Reduction.MEAN);
    }

    @Override
    public double run(int[] order, int from, int to) {
        DataLoader.Batch batch = train.batch(Arrays.copyOfRange(order, from, to));
        optimizer.zeroGrad();
        Tensor logits = model.forward(batch.x());
        Tensor loss = criterion.loss(logits, batch.labels());
        double value = loss.item();
        int[] predicted = logits.argmax(1);
        correct = 0;
        for (int i = 0; i < predicted.length; i++) if (predicted[i] == batch.labels()[i]) correct++;
        if (!Double.isFinite(value)) return value;
        loss.backward();
        optimizer.step();
        return value;
    }

    @Override
    public int correct() {
        return correct;
    }
}
