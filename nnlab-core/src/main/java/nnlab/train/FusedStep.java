package nnlab.train;

import nnlab.nn.Module;
import nnlab.optim.Optimizer;

/**
 * A whole SGD step of a plain feed-forward classifier (forward, cross-entropy, backward, update)
 * without the graph: the same computation as the generic path, in fewer passes over memory.
 */
interface FusedStep {
    /**
     * One step on the examples {@code order[from..to)} of the row-major features {@code x} (one row
     * per example) with their {@code labels}; returns the mean loss before the update.
     */
    double step(float[] x, int[] order, int from, int to, int[] labels);

    /** The fused step for this model, optimiser and batch size, or null when the generic path must run. */
    static FusedStep forModel(Module model, Optimizer optimizer, int batchSize) {
        FeedForward net = FeedForward.of(model, optimizer);
        if (net == null) return null;
        return batchSize == 1 ? new BatchOneStep(model, net) : new BatchedStep(model, net, batchSize);
    }
}
