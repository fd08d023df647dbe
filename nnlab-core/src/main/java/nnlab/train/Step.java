package nnlab.train;

/**
 * One training step on a batch of examples: forward, loss, backward and the optimiser's update.
 * {@link Trainer#fit} runs one per batch; which implementation runs is chosen once per run
 * ({@link Plan}): the {@link GraphStep}, which works for any model, or a fused step
 * ({@code nnlab.train.fused}) for the models it recognises, which computes the same without a graph.
 */
public interface Step {
    /**
     * One step on the training examples {@code order[from..to)} (indices into the training set);
     * returns their mean loss before the update. A loss that is not finite is returned without
     * updating the model.
     */
    double run(int[] order, int from, int to);

    /**
     * How many examples of the last step the model classified right before its update (dropout on,
     * as for the loss): the running training accuracy, at no extra cost.
     */
    int correct();

    /**
     * The step a run takes and why, in words for the console and {@code result.json}, e.g.
     * "fused mini-batch step (SGD with momentum)" or "graph: layer 2 (Conv2d) is not one the fused
     * steps know".
     */
    record Plan(Step step, String description) {
        public Plan {
            java.util.Objects.requireNonNull(step, "step");
            java.util.Objects.requireNonNull(description, "description");
        }

        /** Whether a fused step runs (false: the graph step). */
        public boolean fused() {
            return !(step instanceof GraphStep);
        }
    }
}
