package nnlab.train.fused;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import nnlab.data.DataLoader;
import nnlab.data.Examples;
import nnlab.metrics.EpochRecord;
import nnlab.nn.Dropout;
import nnlab.nn.Linear;
import nnlab.nn.Module;
import nnlab.nn.Parameter;
import nnlab.nn.ReLU;
import nnlab.nn.Sequential;
import nnlab.nn.Sigmoid;
import nnlab.nn.Tanh;
import nnlab.optim.Adam;
import nnlab.optim.Optimizer;
import nnlab.optim.Sgd;
import nnlab.random.Rng;
import nnlab.tensor.Tensor;
import nnlab.train.Criterion;
import nnlab.train.Step;
import nnlab.train.Trainer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Every fused step against the graph step it stands in for: the same model, optimiser, data and
 * seeds trained both ways must end with the same parameters and record the same training loss and
 * accuracy, apart only by the order of float sums — for every optimiser × batch size {1, 7, 64} ×
 * activation × depth {1, 2, 3} hidden layers, with and without weight decay and dropout.
 */
class FusedStepsTest {
    /** TrainerTest's data: 3 classes in 20-D, sparse like images. */
    static Examples data(long seed, int n) {
        return nnlab.train.TrainerTest.data(seed, n);
    }

    static Sequential net(long seed, String activation, int hidden, double dropout) {
        Rng rng = new Rng(seed);
        List<Module> layers = new ArrayList<>();
        int[] widths = {20, 16, 12, 8};
        for (int l = 0; l < hidden; l++) {
            layers.add(new Linear(widths[l], widths[l + 1], rng));
            layers.add(switch (activation) {
                case "relu" -> new ReLU();
                case "tanh" -> new Tanh();
                default -> new Sigmoid();
            });
            if (dropout > 0) layers.add(new Dropout(dropout, rng.split()));
        }
        layers.add(new Linear(widths[hidden], 3, rng));
        return new Sequential(layers);
    }

    /** An optimiser of the given kind and weight decay, by name (shown in a failure). */
    record Kind(String name, java.util.function.BiFunction<List<Parameter>, Double, Optimizer> make) {
        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * Momentum 0.9 runs at lr 0.01: at 0.05 its effective step (lr / (1 − μ) = 0.5) makes batch-1
     * training chaotic, and both paths' rounding then grows into different trajectories.
     */
    static final List<Kind> OPTIMIZERS = List.of(
            new Kind("sgd", (ps, wd) -> new Sgd(ps, 0.05, 0, wd)),
            new Kind("sgd momentum 0.9", (ps, wd) -> new Sgd(ps, 0.01, 0.9, wd)),
            new Kind("sgd momentum 0.5 dampening 0.3", (ps, wd) -> new Sgd(ps, 0.05, 0.5, 0.3, wd, false)),
            new Kind("sgd nesterov 0.9", (ps, wd) -> new Sgd(ps, 0.01, 0.9, 0, wd, true)),
            new Kind("adam", (ps, wd) -> new Adam(ps, 0.01, wd)),
            new Kind("adamw", (ps, wd) -> Adam.adamW(ps, 0.01, wd)));

    static Stream<Arguments> optimizersAndBatches() {
        return OPTIMIZERS.stream().flatMap(k -> Stream.of(1, 7, 64).map(b -> Arguments.of(k, b)));
    }

    record Trained(Map<String, Tensor> state, List<EpochRecord> history, Step.Plan plan) {}

    static Trained train(boolean fused, Supplier<Sequential> model, Function<List<Parameter>, Optimizer> optimizer, int batch) {
        Sequential m = model.get();
        Optimizer opt = optimizer.apply(m.parameters());
        DataLoader loader = new DataLoader(data(1, 150), batch, true, new Rng(9));
        Trainer trainer = new Trainer(2, null, null).withFusedSteps(fused);
        Step.Plan plan = trainer.plan(m, opt, loader);
        Trainer.Outcome outcome = trainer.fit(m, plan, loader, data(2, 60));
        return new Trained(m.stateDict(), outcome.history().records(), plan);
    }

    @ParameterizedTest(name = "{0}, batch {1}")
    @MethodSource("optimizersAndBatches")
    void everyFusedStepComputesWhatTheGraphComputes(Kind kind, int batch) {
        List<String> failures = new ArrayList<>();
        for (String activation : List.of("relu", "tanh", "sigmoid")) {
            for (int hidden = 1; hidden <= 3; hidden++) {
                for (double weightDecay : new double[] {0, 1e-3}) {
                    for (double dropout : new double[] {0, 0.3}) {
                        int h = hidden;
                        Supplier<Sequential> model = () -> net(5, activation, h, dropout);
                        Function<List<Parameter>, Optimizer> optimizer = ps -> kind.make().apply(ps, weightDecay);
                        Trained fused = train(true, model, optimizer, batch), graph = train(false, model, optimizer, batch);
                        String where = activation + ", " + hidden + " hidden, weight decay " + weightDecay + ", dropout " + dropout;
                        assertTrue(fused.plan().fused(), "no fused step for " + where + ": " + fused.plan().description());
                        assertFalse(graph.plan().fused());
                        double worst = largestDifference(fused.state(), graph.state());
                        // Apart only by float summation order; a step that skipped a layer, the bias, the decay or a
                        // moment's bias correction is off by orders of magnitude more.
                        if (!(worst < 1e-4)) failures.add(where + ": largest parameter difference " + worst);
                        for (int e = 0; e < graph.history().size(); e++) {
                            EpochRecord f = fused.history().get(e), g = graph.history().get(e);
                            if (Math.abs(f.trainLoss() - g.trainLoss()) > 1e-4 * g.trainLoss()
                                    || f.trainAccuracy() != g.trainAccuracy()) {
                                failures.add(where + ", epoch " + (e + 1) + ": train loss " + f.trainLoss() + " vs "
                                        + g.trainLoss() + ", accuracy " + f.trainAccuracy() + " vs " + g.trainAccuracy());
                            }
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), failures, kind + ", batch " + batch);
    }

    static double largestDifference(Map<String, Tensor> a, Map<String, Tensor> b) {
        double worst = 0;
        for (String name : b.keySet()) {
            float[] x = a.get(name).toFloatArray(), y = b.get(name).toFloatArray();
            for (int i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(x[i] - y[i]));
        }
        return worst;
    }

    /** Logistic regression (no hidden layer) is the depth-0 case of the same steps. */
    @Test
    void logisticRegressionRunsFusedToo() {
        for (Kind kind : OPTIMIZERS) for (int batch : new int[] {1, 7, 64}) {
            Supplier<Sequential> model = () -> new Sequential(new Linear(20, 3, new Rng(4)));
            Function<List<Parameter>, Optimizer> optimizer = ps -> kind.make().apply(ps, 1e-3);
            Trained fused = train(true, model, optimizer, batch), graph = train(false, model, optimizer, batch);
            assertTrue(fused.plan().fused(), fused.plan().description());
            double worst = largestDifference(fused.state(), graph.state());
            assertTrue(worst < 1e-4, kind + ", batch " + batch + ": largest parameter difference " + worst);
        }
    }

    @Test
    void aModelNoFusedStepKnowsTakesTheGraphStepAndSaysWhy() {
        Examples train = data(1, 10);
        DataLoader loader = new DataLoader(train, 1, true, new Rng(1));
        Sequential net = net(1, "relu", 2, 0.3);
        Step.Plan fused = FusedSteps.plan(net, new Sgd(net.parameters(), 0.1, 0.9, 0), loader, Criterion.CROSS_ENTROPY);
        assertTrue(fused.fused());
        assertEquals("fused batch-1 step (SGD with momentum, 2 hidden layers)", fused.description());
        assertEquals("fused mini-batch step (Adam, 2 hidden layers)",
                FusedSteps.plan(net, new Adam(net.parameters(), 0.1), new DataLoader(train, 64, true, new Rng(1)), Criterion.CROSS_ENTROPY).description());

        Module odd = new Sequential(new Linear(20, 3, new Rng(1)), new ReLU());
        Step.Plan graph = FusedSteps.plan(odd, new Sgd(odd.parameters(), 0.1), loader, Criterion.CROSS_ENTROPY);
        assertFalse(graph.fused());
        assertEquals("graph: the model ends in an activation, not a Linear layer", graph.description());

        Module custom = new Sequential(new Linear(20, 8, new Rng(1)), new Module() {
            @Override
            public Tensor forward(Tensor x) {
                return x.mul(x);
            }
        }, new Linear(8, 3, new Rng(2)));
        String why = FusedSteps.plan(custom, new Sgd(custom.parameters(), 0.1), loader, Criterion.CROSS_ENTROPY).description();
        assertTrue(why.startsWith("graph: layer 1 (") && why.contains("is not one the fused steps know"), why);

        String frozen = FusedSteps.plan(net, new Sgd(net.parameters().subList(0, 2), 0.1), loader, Criterion.CROSS_ENTROPY).description();
        assertEquals("graph: the optimiser does not update exactly the model's parameters", frozen);

        Optimizer own = new Optimizer(net.parameters(), 0.1) {
            @Override
            protected void update(Parameter p) {}
        };
        assertEquals("graph: " + own.getClass().getSimpleName() + " has no piecewise rule (Optimizer.pieces)",
                FusedSteps.plan(net, own, loader, Criterion.CROSS_ENTROPY).description());
        assertEquals("graph: fused steps turned off",
                new Trainer(1, null, null).withFusedSteps(false).plan(net, new Sgd(net.parameters(), 0.1), loader).description());
        // The fused steps compute softmax cross-entropy: a run told its outputs are log-probabilities takes the graph.
        Step.Plan nll = new Trainer(1, null, null).withCriterion(Criterion.NLL).plan(net, new Sgd(net.parameters(), 0.1), loader);
        assertFalse(nll.fused());
        assertEquals("graph: the fused steps compute cross-entropy of scores, and this run's loss is NLL", nll.description());
    }

    @Test
    void labelsOutOfRangeAreRefusedByName() {
        Sequential model = net(1, "relu", 1, 0);
        Examples bad = Examples.classification(new double[20 * 2], 2, 20, new int[] {0, 7});
        var e = assertThrows(IndexOutOfBoundsException.class,
                () -> FusedSteps.plan(model, new Sgd(model.parameters(), 0.1), new DataLoader(bad, 1, false, null), Criterion.CROSS_ENTROPY));
        assertTrue(e.getMessage().contains("label 7") && e.getMessage().contains("3 classes"), e.getMessage());
    }
}
