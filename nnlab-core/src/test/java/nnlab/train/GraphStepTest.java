package nnlab.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import nnlab.data.DataLoader;
import nnlab.data.Examples;
import nnlab.data.ImageShape;
import nnlab.nn.BatchNorm2d;
import nnlab.nn.Conv2d;
import nnlab.nn.Dropout;
import nnlab.nn.Flatten;
import nnlab.nn.Linear;
import nnlab.nn.LogSoftmax;
import nnlab.nn.MaxPool2d;
import nnlab.nn.Module;
import nnlab.nn.ReLU;
import nnlab.nn.Sequential;
import nnlab.optim.Sgd;
import nnlab.random.Rng;
import nnlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The graph step computes the same bits whether its tensors' storage is reused from step to step or allocated anew. */
class GraphStepTest {
    /** A small CNN with every layer the course's uses, and batch norm; wide enough that its tensors come from the workspace. */
    static Sequential cnn(long seed) {
        Rng rng = new Rng(seed);
        return new Sequential(new Conv2d(1, 8, 3, 1, 1, rng), new BatchNorm2d(8), new ReLU(), new MaxPool2d(2),
                new Conv2d(8, 16, 3, 1, 0, rng), new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(16 * 2 * 2, 32, rng),
                new ReLU(), new Dropout(0.3, rng), new Linear(32, 3, rng), new LogSoftmax(1));
    }

    static Examples images(long seed, int n) {
        Rng rng = new Rng(seed);
        float[][] rows = new float[n][12 * 12];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = rng.nextInt(3);
            for (int j = 0; j < rows[i].length; j++) rows[i][j] = (float) (rng.nextGaussian() + (j % 12 < 4 * labels[i] + 4 ? 1 : 0));
        }
        return Examples.classification(rows, labels).withImageShape(new ImageShape(1, 12, 12, false)).asImages();
    }

    private record Run(Map<String, Tensor> state, List<Double> losses, boolean reused) {}

    private static Run train(boolean reuse) {
        Sequential model = cnn(5);
        model.train();
        // 45 images at batch 8: the sixth batch of each epoch has 5, so sizes change at a place and back.
        DataLoader loader = new DataLoader(images(3, 45), 8, true, new Rng(4));
        GraphStep step = new GraphStep(model, new Sgd(model.parameters(), 0.05, 0.9, 1e-3), loader, Criterion.NLL, reuse);
        List<Double> losses = new ArrayList<>();
        int[] order = new int[45];
        for (int epoch = 0; epoch < 3; epoch++) {
            for (int i = 0; i < order.length; i++) order[i] = (i * 7 + epoch * 11) % order.length;
            for (int from = 0; from < order.length; from += 8) losses.add(step.run(order, from, Math.min(order.length, from + 8)));
        }
        return new Run(model.stateDict(), losses, step.reusesStorage());
    }

    @Test
    void reusingTheStepsStorageChangesNoBit() {
        Run reused = train(true), fresh = train(false);
        assertTrue(reused.reused());
        assertFalse(fresh.reused());
        assertEquals(fresh.losses(), reused.losses());
        for (String name : fresh.state().keySet()) {
            assertArrayEquals(fresh.state().get(name).toFloatArray(), reused.state().get(name).toFloatArray(), name);
        }
    }

    /** Evaluation in chunks (64 first, then sized by the model's largest tensor), reusing storage, equals one pass over all. */
    @Test
    void evaluationInChunksEqualsOnePassOverEveryExample() {
        Sequential model = cnn(7);
        Examples examples = images(8, 200);
        Trainer.Evaluation chunked = Trainer.evaluate(model, examples, Criterion.NLL);
        model.eval();
        double loss;
        int correct = 0;
        try (var scope = nnlab.tensor.Autograd.noGrad()) {
            int[] all = new int[examples.n()];
            for (int i = 0; i < all.length; i++) all[i] = i;
            DataLoader.Batch batch = new DataLoader(examples, all.length, false, null).batch(all);
            Tensor out = model.forward(batch.x());
            loss = Criterion.NLL.loss(out, batch.labels(), nnlab.nn.Reduction.MEAN).item();
            int[] predicted = out.argmax(1);
            for (int i = 0; i < predicted.length; i++) if (predicted[i] == batch.labels()[i]) correct++;
        }
        assertEquals(loss, chunked.loss(), 1e-5);
        assertEquals((double) correct / examples.n(), chunked.accuracy());
    }

    /** A loop of one's own that evaluates inside its own workspace step: the evaluation allocates, and agrees. */
    @Test
    void evaluationInsideAnOpenStepWorksAndAgrees() {
        Sequential model = cnn(7);
        Examples examples = images(8, 150);
        Trainer.Evaluation outside = Trainer.evaluate(model, examples, Criterion.NLL);
        try (var step = new nnlab.tensor.Workspace().step()) {
            Trainer.Evaluation inside = Trainer.evaluate(model, examples, Criterion.NLL);
            assertEquals(outside.loss(), inside.loss(), 1e-6);
            assertEquals(outside.accuracy(), inside.accuracy());
        }
    }

    /** NLL of scores would train on a wrong loss in silence: it is refused, while a diverged (NaN) row is left to the trainer. */
    @Test
    void nllRefusesOutputsThatAreNotLogProbabilities() {
        Tensor scores = Tensor.of(new float[] {2f, 0.5f, -1f, 0f, 0f, 0f}, 2, 3);
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Criterion.NLL.loss(scores, new int[] {0, 1}, nnlab.nn.Reduction.MEAN));
        assertTrue(e.getMessage().contains("row 0") && e.getMessage().contains("CROSS_ENTROPY"), e.getMessage());
        Tensor logProbabilities = scores.logSoftmax(1);
        assertEquals(Criterion.CROSS_ENTROPY.loss(scores, new int[] {0, 1}, nnlab.nn.Reduction.MEAN).item(),
                Criterion.NLL.loss(logProbabilities, new int[] {0, 1}, nnlab.nn.Reduction.MEAN).item(), 1e-6);
        Tensor diverged = Tensor.of(new float[] {Float.NaN, 0f, 0f}, 1, 3);
        assertTrue(Double.isNaN(Criterion.NLL.loss(diverged, new int[] {0}, nnlab.nn.Reduction.MEAN).item()));
    }

    @Test
    void onlyModelsMadeOfNnlabsOwnLayersReuseStorage() {
        assertTrue(cnn(1).keepsNoStepTensors());
        Module own = new Module() {
            @Override
            public Tensor forward(Tensor input) {
                return input.relu();
            }
        };
        assertFalse(own.keepsNoStepTensors());
        assertFalse(new Sequential(new Linear(4, 4, new Rng(1)), own).keepsNoStepTensors());
        Module declared = new Module() {
            @Override
            public Tensor forward(Tensor input) {
                return input.relu();
            }

            @Override
            public boolean keepsNoStepTensors() {
                return true;
            }
        };
        assertTrue(new Sequential(new Linear(4, 4, new Rng(1)), declared).keepsNoStepTensors());
    }
}
