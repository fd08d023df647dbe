package nnlab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import nnlab.data.DataLoader;
import nnlab.data.Examples;
import nnlab.metrics.EpochRecord;
import nnlab.nn.Dropout;
import nnlab.nn.Linear;
import nnlab.nn.Module;
import nnlab.nn.ReLU;
import nnlab.nn.Sequential;
import nnlab.nn.Sigmoid;
import nnlab.nn.Tanh;
import nnlab.optim.Adam;
import nnlab.optim.Sgd;
import nnlab.random.Rng;
import nnlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

class TrainerTest {
    /** 3 classes in 20-D, sparse like images (half the features are 0), learnable. */
    static Examples data(long seed, int n) {
        Rng rng = new Rng(seed);
        int d = 20;
        double[] x = new double[n * d];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 3;
            for (int j = 0; j < d; j++) {
                if (rng.nextBoolean()) x[i * d + j] = Math.max(0, rng.nextGaussian() * 0.5 + (j % 3 == y[i] ? 1 : 0));
            }
        }
        return Examples.classification(x, n, d, y);
    }

    static Sequential net(long seed) {
        Rng rng = new Rng(seed);
        return new Sequential(new Linear(20, 16, rng), new ReLU(), new Dropout(0.3, rng.split()),
                new Linear(16, 12, rng), new Tanh(), new Linear(12, 8, rng), new Sigmoid(), new Dropout(0.2, rng.split()),
                new Linear(8, 3, rng));
    }

    private static Map<String, Tensor> train(boolean fused, double weightDecay, int batchSize) {
        return train(fused, batchSize, model -> new Sgd(model.parameters(), 0.05, 0, weightDecay));
    }

    private static Map<String, Tensor> train(boolean fused, int batchSize,
                                             java.util.function.Function<Sequential, nnlab.optim.Optimizer> optimizer) {
        Sequential model = net(5);
        Trainer trainer = new Trainer(3, null, null).withFusedSteps(fused);
        trainer.fit(model, optimizer.apply(model), new DataLoader(data(1, 300), batchSize, true, new Rng(9)), data(2, 90));
        return model.stateDict();
    }

    private static double largestDifference(Map<String, Tensor> a, Map<String, Tensor> b) {
        double worst = 0;
        for (String name : b.keySet()) {
            float[] x = a.get(name).toFloatArray(), y = b.get(name).toFloatArray();
            for (int i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(x[i] - y[i]));
        }
        return worst;
    }

    @Test
    void theFusedAdamStepComputesWhatTheGraphComputes() {
        java.util.List<java.util.function.Function<Sequential, nnlab.optim.Optimizer>> optimizers = java.util.List.of(
                m -> new Adam(m.parameters(), 0.01),
                m -> new Adam(m.parameters(), 0.01, 1e-3),
                m -> Adam.adamW(m.parameters(), 0.01, 0.01));
        for (int k = 0; k < optimizers.size(); k++) {
            double worst = largestDifference(train(true, 1, optimizers.get(k)), train(false, 1, optimizers.get(k)));
            // Apart only by float summation order in the forward and backward sums.
            assertTrue(worst < 2e-4, "largest parameter difference " + worst + " with Adam variant " + k);
            assertTrue(worst > 0, "the fused path did not run");
        }
    }

    @Test
    void theFusedStepsComputeWhatTheGraphComputes() {
        for (int batchSize : new int[] {1, 7, 64}) for (double weightDecay : new double[] {0, 1e-3}) {
            Map<String, Tensor> fused = train(true, weightDecay, batchSize), generic = train(false, weightDecay, batchSize);
            double worst = 0;
            for (String name : generic.keySet()) {
                float[] a = fused.get(name).toFloatArray(), b = generic.get(name).toFloatArray();
                for (int i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
            }
            // Apart only by float summation order.
            assertTrue(worst < 2e-4, "largest parameter difference " + worst + " with weight decay " + weightDecay
                    + ", batch " + batchSize);
            assertTrue(worst > 0 || batchSize > 1, "the fused path did not run");
        }
    }

    @Test
    void theFusedStepsRecordTheGraphsTrainingLossAndAccuracy() {
        // Batch 64 and 100 take BatchedStep's softmax a block of examples at a time (float exponentials),
        // batch 7 one example at a time; the last batch of each epoch is a shorter tail.
        for (int batchSize : new int[] {1, 7, 64, 100}) {
            List<EpochRecord> fused = history(true, batchSize), generic = history(false, batchSize);
            for (int e = 0; e < generic.size(); e++) {
                EpochRecord f = fused.get(e), g = generic.get(e);
                assertEquals(g.trainLoss(), f.trainLoss(), 1e-4 * g.trainLoss(), "train loss, epoch " + e + ", batch " + batchSize);
                assertEquals(g.trainAccuracy(), f.trainAccuracy(), 1e-9, "train accuracy, epoch " + e + ", batch " + batchSize);
            }
        }
    }

    private static List<EpochRecord> history(boolean fused, int batchSize) {
        Sequential model = net(5);
        Trainer trainer = new Trainer(3, null, null).withFusedSteps(fused);
        return trainer.fit(model, new Sgd(model.parameters(), 0.05), new DataLoader(data(1, 300), batchSize, true, new Rng(9)),
                data(2, 90)).history().records();
    }

    @Test
    void theFusedStepIsUsedOnlyWhereItApplies() {
        Sequential model = net(1);
        assertNotNull(FusedStep.forModel(model, new Sgd(model.parameters(), 0.1), data(1, 10), 1));
        assertNotNull(FusedStep.forModel(model, new Sgd(model.parameters(), 0.1), data(1, 10), 64));
        assertNull(FusedStep.forModel(model, new Sgd(model.parameters(), 0.1, 0.9, 0), data(1, 10), 1), "momentum");
        assertNotNull(FusedStep.forModel(model, new Adam(model.parameters(), 0.1), data(1, 10), 1), "adam at batch 1");
        assertNull(FusedStep.forModel(model, new Adam(model.parameters(), 0.1), data(1, 10), 64), "adam at batch 64");
        assertNull(FusedStep.forModel(model, new Sgd(model.parameters().subList(0, 2), 0.1), data(1, 10), 1), "frozen layers");
        Module odd = new Sequential(new Linear(20, 3, new Rng(1)), new ReLU());
        assertNull(FusedStep.forModel(odd, new Sgd(odd.parameters(), 0.1), data(1, 10), 1), "ends in an activation");
    }

    @Test
    void theFusedStepRefusesLabelsOutOfRangeByName() {
        Sequential model = net(1);
        Examples bad = Examples.classification(new double[20 * 2], 2, 20, new int[] {0, 7});
        var e = org.junit.jupiter.api.Assertions.assertThrows(IndexOutOfBoundsException.class,
                () -> FusedStep.forModel(model, new Sgd(model.parameters(), 0.1), bad, 1));
        assertTrue(e.getMessage().contains("label 7") && e.getMessage().contains("3 classes"), e.getMessage());
    }

    @Test
    void earlyStoppingRestoresTheBestModelNotTheLast() {
        Supplier<Sequential> make = () -> net(3);
        Sequential model = make.get();
        // A learning rate that first helps, then wrecks the model, so the last epoch is not the best.
        Sgd sgd = new Sgd(model.parameters(), 0.05);
        Trainer trainer = new Trainer(30, 3, new Trainer.Listener() {
            @Override
            public void onEpoch(EpochRecord record) {
                if (record.epoch() == 4) sgd.setLearningRate(3);
            }
        });
        Examples dev = data(2, 90);
        Trainer.Outcome outcome = trainer.fit(model, sgd, new DataLoader(data(1, 300), 10, true, new Rng(4)), dev);
        assertTrue(outcome.stoppedEarly(), "early stopping should end this run");
        double restored = Trainer.evaluate(model, dev).accuracy();
        assertEquals(outcome.best().devAccuracy(), restored, 1e-12);
        assertTrue(outcome.best().devAccuracy() > outcome.history().last().devAccuracy(), "the last epoch is worse");
        List<EpochRecord> records = outcome.history().records();
        assertEquals(outcome.best().epoch() + 3, records.get(records.size() - 1).epoch());
    }
}
