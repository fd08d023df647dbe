package nnlab.train.fused;

import nnlab.data.DataLoader;
import nnlab.data.Examples;
import nnlab.nn.Module;
import nnlab.optim.Optimizer;
import nnlab.train.Criterion;
import nnlab.train.GraphStep;
import nnlab.train.Step;

/**
 * Chooses a fused step where one knows the model: a feed-forward classifier ({@link FeedForward})
 * trained by any optimiser with a piecewise rule ({@link Optimizer#pieces}: SGD with or without
 * momentum, Adam, AdamW), at any batch size. The fused steps compute what the {@link GraphStep}
 * computes, without the graph, and update through the optimiser's own rule and state; they differ
 * from it only in the order of some float sums.
 */
public final class FusedSteps {
    private FusedSteps() {}

    /**
     * The fused step for this model, optimiser and data, or the graph step with the reason none
     * applies. The examples are checked once here (width, label range), since a fused step reads
     * them raw.
     */
    public static Step.Plan plan(Module model, Optimizer optimizer, DataLoader train, Criterion criterion) {
        if (criterion != Criterion.CROSS_ENTROPY) {
            return new Step.Plan(new GraphStep(model, optimizer, train, criterion), "graph: the fused steps compute cross-entropy of "
                    + "scores, and this run's loss is " + criterion);
        }
        FeedForward.Recognition r = FeedForward.recognise(model, optimizer);
        if (r.net() == null) return new Step.Plan(new GraphStep(model, optimizer, train, criterion), "graph: " + r.whyNot());
        FeedForward net = r.net();
        check(net, train.examples());
        String what = optimizerName(optimizer) + ", " + (net.layers() - 1) + " hidden layer" + (net.layers() == 2 ? "" : "s");
        return train.batchSize() == 1
                ? new Step.Plan(new BatchOneStep(model, net, train), "fused batch-1 step (" + what + ")")
                : new Step.Plan(new BatchedStep(model, net, train), "fused mini-batch step (" + what + ")");
    }

    private static void check(FeedForward net, Examples train) {
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
    }

    private static String optimizerName(Optimizer optimizer) {
        return switch (optimizer) {
            case nnlab.optim.Sgd s when s.momentum() == 0 -> "SGD";
            case nnlab.optim.Sgd s -> s.nesterov() ? "SGD with Nesterov momentum" : "SGD with momentum";
            case nnlab.optim.Adam a -> a.decoupled() ? "AdamW" : "Adam";
            default -> optimizer.getClass().getSimpleName();
        };
    }
}
