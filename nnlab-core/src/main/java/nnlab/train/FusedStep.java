package nnlab.train;

import nnlab.data.Examples;
import nnlab.nn.Module;
import nnlab.optim.Optimizer;

/**
 * A whole training step of a plain feed-forward classifier (forward, cross-entropy, backward, update
 * by plain SGD, or by Adam at batch 1) without the graph: the same computation as the generic path,
 * in fewer passes over memory.
 */
interface FusedStep {
    /**
     * One step on the examples {@code order[from..to)} of the row-major features {@code x} (one row
     * per example) with their {@code labels}; returns the mean loss before the update.
     */
    double step(float[] x, int[] order, int from, int to, int[] labels);

    /**
     * How many examples of the last step the model classified right before its update (with dropout
     * on, as the loss): the running training accuracy, at no extra cost. -1 when not tracked.
     */
    default int correct() {
        return -1;
    }

    /**
     * The fused step for this model, optimiser and batch size, or null when the generic path must run.
     * The examples are checked once here (width, label range), since the fused step reads them raw.
     */
    static FusedStep forModel(Module model, Optimizer optimizer, Examples train, int batchSize) {
        FeedForward net = FeedForward.of(model, optimizer);
        // Adam is fused at batch 1 only, where the graph's overhead dominates a step.
        if (net == null || (net.adam() != null && batchSize != 1)) return null;
        if (train.features() != net.size(0)) {
            throw new IllegalArgumentException("the model takes " + net.size(0) + " features, the training examples have "
                    + train.features());
        }
        int classes = net.size(net.layers());
        for (int i = 0; i < train.n(); i++) {
            int y = train.labels()[i];
            if (y < 0 || y >= classes) {
                throw new IndexOutOfBoundsException("label " + y + " of training example " + i + " is out of range for "
                        + classes + " classes (0.." + (classes - 1) + ")");
            }
        }
        return batchSize == 1 ? new BatchOneStep(model, net) : new BatchedStep(model, net, batchSize);
    }
}
