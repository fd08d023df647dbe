import java.util.Arrays;
import nnlab.data.DataLoader;
import nnlab.data.Examples;
import nnlab.nn.CrossEntropyLoss;
import nnlab.nn.Linear;
import nnlab.nn.ReLU;
import nnlab.nn.Sequential;
import nnlab.optim.Adam;
import nnlab.random.Rng;
import nnlab.tensor.Autograd;
import nnlab.tensor.Tensor;

/** Learns on which of three rings a point of the plane lies: data from arrays, a training loop, a test. */
public class Rings {
    public static void main(String[] args) {
        Rng rng = new Rng(7);
        int n = 3000;
        float[][] points = new float[n][2];
        int[] ring = new int[n];
        for (int i = 0; i < n; i++) {
            ring[i] = i % 3;
            double radius = 1 + ring[i] + 0.2 * rng.nextGaussian(), angle = 2 * Math.PI * rng.nextDouble();
            points[i][0] = (float) (radius * Math.cos(angle));
            points[i][1] = (float) (radius * Math.sin(angle));
        }
        Examples train = Examples.classification(Arrays.copyOfRange(points, 0, 2400), Arrays.copyOfRange(ring, 0, 2400));
        float[][] testPoints = Arrays.copyOfRange(points, 2400, n);
        int[] testRing = Arrays.copyOfRange(ring, 2400, n);

        Sequential model = new Sequential(new Linear(2, 32, rng), new ReLU(), new Linear(32, 32, rng), new ReLU(),
                new Linear(32, 3, rng));
        Adam optimizer = new Adam(model.parameters(), 0.01);
        CrossEntropyLoss criterion = new CrossEntropyLoss();
        DataLoader loader = new DataLoader(train, 32, true, rng.split());
        for (int epoch = 1; epoch <= 20; epoch++) {
            double sum = 0;
            for (DataLoader.Batch batch : loader.epoch()) {
                optimizer.zeroGrad();
                Tensor loss = criterion.forward(model.forward(batch.x()), batch.labels());
                loss.backward();
                optimizer.step();
                sum += loss.item();
            }
            if (epoch % 5 == 0) System.out.printf("epoch %d  train loss %.4f%n", epoch, sum / loader.batches());
        }

        model.eval();
        try (var noGrad = Autograd.noGrad()) {
            int[] predicted = model.forward(Tensor.of(testPoints)).argmax(1);
            int right = 0;
            for (int i = 0; i < predicted.length; i++) if (predicted[i] == testRing[i]) right++;
            System.out.printf("test accuracy %.3f%n", right / (double) predicted.length);
        }
    }
}
