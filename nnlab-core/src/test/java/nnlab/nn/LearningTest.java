package nnlab.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import nnlab.optim.Adam;
import nnlab.optim.Optimizer;
import nnlab.optim.Sgd;
import nnlab.random.Rng;
import nnlab.tensor.Autograd;
import nnlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Seeded learning tests with explicit thresholds, on data made here; each runs in well under a second. */
class LearningTest {

    private static double accuracy(Module model, Tensor x, int[] y) {
        model.eval();
        try (var s = Autograd.noGrad()) {
            int[] predicted = model.forward(x).argmax(1);
            int correct = 0;
            for (int i = 0; i < y.length; i++) if (predicted[i] == y[i]) correct++;
            return (double) correct / y.length;
        } finally {
            model.train();
        }
    }

    @Test
    void anMlpLearnsXor() {
        Rng rng = new Rng(0);
        Tensor x = Tensor.of(new float[] {0, 0, 0, 1, 1, 0, 1, 1}, 4, 2);
        int[] y = {0, 1, 1, 0};
        Sequential mlp = new Sequential(new Linear(2, 8, rng), new Tanh(), new Linear(8, 2, rng));
        Optimizer opt = new Adam(mlp.parameters(), 0.05);
        CrossEntropyLoss loss = new CrossEntropyLoss();
        double last = Double.NaN;
        for (int step = 0; step < 300; step++) {
            opt.zeroGrad();
            Tensor l = loss.forward(mlp.forward(x), y);
            l.backward();
            opt.step();
            last = l.item();
        }
        assertEquals(1.0, accuracy(mlp, x, y));
        assertTrue(last < 0.05, "final XOR loss " + last);
    }

    /** Three Gaussian blobs in 2-D around (0, 3), (3, −2) and (−3, −2), σ = 1: separable to about 99%. */
    private static Tensor blobs(Rng rng, int perClass, int[] labels) {
        double[][] centres = {{0, 3}, {3, -2}, {-3, -2}};
        float[] x = new float[3 * perClass * 2];
        for (int i = 0; i < 3 * perClass; i++) {
            int c = i % 3;
            labels[i] = c;
            x[2 * i] = (float) (centres[c][0] + rng.nextGaussian());
            x[2 * i + 1] = (float) (centres[c][1] + rng.nextGaussian());
        }
        return Tensor.of(x, 3 * perClass, 2);
    }

    @Test
    void anMlpWithDropoutSeparatesThreeBlobs() {
        Rng rng = new Rng(42);
        int[] trainY = new int[300], testY = new int[300];
        Tensor trainX = blobs(rng, 100, trainY), testX = blobs(rng, 100, testY);
        Sequential mlp = new Sequential(new Linear(2, 16, rng), new ReLU(), new Dropout(0.1, rng.split()),
                new Linear(16, 3, rng));
        Optimizer opt = new Sgd(mlp.parameters(), 0.1, 0.9, 1e-4);
        CrossEntropyLoss loss = new CrossEntropyLoss();
        for (int epoch = 0; epoch < 30; epoch++) {
            int[] order = rng.permutation(300);
            for (int start = 0; start < 300; start += 20) {
                int[] batch = java.util.Arrays.copyOfRange(order, start, start + 20);
                int[] by = new int[batch.length];
                for (int i = 0; i < batch.length; i++) by[i] = trainY[batch[i]];
                opt.zeroGrad();
                loss.forward(mlp.forward(trainX.indexSelect(batch)), by).backward();
                opt.step();
            }
        }
        double acc = accuracy(mlp, testX, testY);
        assertTrue(acc >= 0.95, "blobs test accuracy " + acc);
    }
}
