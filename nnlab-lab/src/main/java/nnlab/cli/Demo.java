package nnlab.cli;

import java.io.PrintStream;
import nnlab.nn.CrossEntropyLoss;
import nnlab.nn.Linear;
import nnlab.nn.ReLU;
import nnlab.nn.Sequential;
import nnlab.optim.Sgd;
import nnlab.random.Rng;
import nnlab.tensor.Autograd;
import nnlab.tensor.Tensor;

/**
 * {@code nnlab demo}: a small network learns a generated 3-arm spiral in a few seconds, with nothing
 * to download. Shows the library's shape in a dozen lines.
 */
final class Demo {
    private Demo() {}

    static int run(Args args, PrintStream out) {
        int epochs = args.integer("epochs", 30);
        long seed = args.integer("seed", 42);
        args.rejectUnknown("demo");
        args.rejectPositional("demo");
        if (epochs < 1) throw new Args.UsageException("-epochs must be at least 1, got " + epochs);
        Rng rng = new Rng(seed);
        int n = 600;
        int[] labels = new int[n];
        Tensor x = spiral(rng, n, labels);
        Sequential model = new Sequential(new Linear(2, 64, rng), new ReLU(), new Linear(64, 64, rng), new ReLU(),
                new Linear(64, 3, rng));
        Sgd optimizer = new Sgd(model.parameters(), 0.1, 0.9, 0);
        CrossEntropyLoss loss = new CrossEntropyLoss();
        out.println("nnlab demo: a 2-64-64-3 MLP on a generated 3-arm spiral (" + n + " points), SGD lr 0.1, momentum 0.9");
        double accuracy = 0;
        for (int epoch = 1; epoch <= epochs; epoch++) {
            int[] order = rng.permutation(n);
            double total = 0;
            for (int start = 0; start < n; start += 32) {
                int[] batch = java.util.Arrays.copyOfRange(order, start, Math.min(n, start + 32));
                int[] y = new int[batch.length];
                for (int i = 0; i < batch.length; i++) y[i] = labels[batch[i]];
                optimizer.zeroGrad();
                Tensor l = loss.forward(model.forward(x.indexSelect(batch)), y);
                l.backward();
                optimizer.step();
                total += l.item() * batch.length;
            }
            try (var s = Autograd.noGrad()) {
                int[] predicted = model.forward(x).argmax(1);
                int correct = 0;
                for (int i = 0; i < n; i++) if (predicted[i] == labels[i]) correct++;
                accuracy = (double) correct / n;
            }
            out.printf("epoch %2d  train loss %.4f  train acc %.4f%n", epoch, total / n, accuracy);
        }
        out.printf("Final train acc: %.4f%n", accuracy);
        return 0;
    }

    /** Three interleaved spiral arms with a little noise: not linearly separable, easy for an MLP. */
    static Tensor spiral(Rng rng, int n, int[] labels) {
        float[] x = new float[2 * n];
        for (int i = 0; i < n; i++) {
            int arm = i % 3;
            double r = (double) (i / 3) / (n / 3);
            double angle = 4 * r + arm * 2 * Math.PI / 3 + 0.2 * rng.nextGaussian();
            x[2 * i] = (float) (r * Math.cos(angle));
            x[2 * i + 1] = (float) (r * Math.sin(angle));
            labels[i] = arm;
        }
        return Tensor.of(x, n, 2);
    }
}
