package nnlab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Supplier;
import nnlab.data.DataLoader;
import nnlab.data.Examples;
import nnlab.metrics.EpochRecord;
import nnlab.nn.Dropout;
import nnlab.nn.Linear;
import nnlab.nn.ReLU;
import nnlab.nn.Sequential;
import nnlab.nn.Sigmoid;
import nnlab.nn.Tanh;
import nnlab.optim.Sgd;
import nnlab.random.Rng;
import org.junit.jupiter.api.Test;

public class TrainerTest {
    /** 3 classes in 20-D, sparse like images (half the features are 0), learnable. */
    public static Examples data(long seed, int n) {
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

    /**
     * An empty split is refused by name, not evaluated to a NaN loss and accuracy; fit refuses an empty dev
     * split before it trains, not after an epoch's work.
     */
    @Test
    void emptySplitsAreRefusedByName() {
        Examples none = Examples.classification(new double[0], 0, 20, new int[0]);
        var e = assertThrows(IllegalArgumentException.class, () -> Trainer.evaluate(net(1), none));
        assertTrue(e.getMessage().contains("nothing to evaluate: the split is empty (0 examples of 20 features)"), e.getMessage());

        Sequential model = net(1);
        float[] before = model.parameters().get(0).toFloatArray();
        Examples train = data(2, 64);
        e = assertThrows(IllegalArgumentException.class, () -> new Trainer(1, null, null).fit(model,
                new Sgd(model.parameters(), 0.1), new DataLoader(train, 8, true, new Rng(3)), none));
        assertTrue(e.getMessage().contains("the dev split (evaluated after every epoch) is empty"), e.getMessage());
        assertTrue(java.util.Arrays.equals(before, model.parameters().get(0).toFloatArray()), "fit trained before refusing");
    }

    /** NaN, infinity, and a finite loss that exploded at chance accuracy end a run; a big loss that learns does not. */
    @Test
    void divergenceIsANonFiniteOrExplodedLossAtChance() {
        assertTrue(Trainer.diverged(EpochRecord.of(1).withTrain(Double.NaN, Double.NaN), 10));
        assertTrue(Trainer.diverged(EpochRecord.of(1).withTrain(Double.POSITIVE_INFINITY, 0.1), 10));
        assertTrue(Trainer.diverged(EpochRecord.of(1).withTrain(2.9e30, 0.1), 10), "lr 1e6: 2.9e30 at chance");
        assertTrue(Trainer.diverged(EpochRecord.of(3).withTrain(466_667, 0.11), 10));
        assertTrue(!Trainer.diverged(EpochRecord.of(1).withTrain(466_667, 0.6), 10), "a huge loss that still learns");
        assertTrue(!Trainer.diverged(EpochRecord.of(1).withTrain(200, 0.1), 10), "below 100 ln 10 = 230");
        assertTrue(!Trainer.diverged(EpochRecord.of(1).withTrain(2.3, 0.1), 10), "chance, as at the start");
        // With a learning rate of 10^6 a real run stops in its first epoch as diverged.
        Sequential model = net(2);
        Trainer.Outcome outcome = new Trainer(5, null, null).fit(model, new Sgd(model.parameters(), 1e6),
                new DataLoader(data(1, 300), 10, true, new Rng(4)), data(2, 90));
        assertTrue(outcome.diverged(), "history " + outcome.history().records());
        assertEquals(1, outcome.divergedEpoch());
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
