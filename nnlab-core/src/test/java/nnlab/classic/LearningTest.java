package nnlab.classic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import nnlab.data.Examples;
import nnlab.random.RandomState;
import org.junit.jupiter.api.Test;

/** Every model learns what it should on data generated here, with explicit thresholds. */
class LearningTest {
    private static final double[][] THREE_BLOBS = {{0, 3}, {3, -2}, {-3, -2}};
    /** XOR: classes 0 at (±2, ±2) same sign, 1 at opposite signs; no line separates them. */
    private static final double[][] XOR_CORNERS = {{2, 2}, {-2, -2}, {2, -2}, {-2, 2}};

    @Test
    void perceptronSeparatesLinearlySeparableBlobsPerfectly() {
        RandomState random = new RandomState(1);
        Examples train = GeneratedData.blobs(random, THREE_BLOBS, 100, 0.5).withBias();
        Examples test = GeneratedData.blobs(random, THREE_BLOBS, 100, 0.5).withBias();
        Perceptron perceptron = new Perceptron(3, 3);
        for (int epoch = 0; epoch < 20; epoch++) perceptron.trainEpoch(train);
        assertEquals(1.0, perceptron.accuracy(train), "a separable training set is learnt without error");
        assertTrue(perceptron.accuracy(test) >= 0.99, "test accuracy " + perceptron.accuracy(test));
        double[] before = perceptron.weights();
        perceptron.trainEpoch(train);
        assertEquals(java.util.Arrays.toString(before), java.util.Arrays.toString(perceptron.weights()),
                "no mistakes, no updates");
    }

    @Test
    void logisticRegressionLearnsOverlappingBlobsAndL2ShrinksTheWeights() {
        RandomState random = new RandomState(2);
        Examples train = GeneratedData.blobs(random, THREE_BLOBS, 200, 1.5).withBias();
        Examples dev = GeneratedData.blobs(random, THREE_BLOBS, 200, 1.5).withBias();
        LogisticRegression plain = new LogisticRegression(3, 3, 0.01, 0);
        LogisticRegression penalised = new LogisticRegression(3, 3, 0.01, 0.1);
        for (int epoch = 0; epoch < 10; epoch++) {
            plain.trainEpoch(train);
            penalised.trainEpoch(train);
        }
        assertTrue(plain.accuracy(dev) >= 0.9, "dev accuracy " + plain.accuracy(dev));
        assertTrue(penalised.accuracy(dev) >= 0.88, "dev accuracy with L2 " + penalised.accuracy(dev));
        assertTrue(penalised.weightNorm() < 0.7 * plain.weightNorm(),
                "L2 0.1 norm " + penalised.weightNorm() + " vs none " + plain.weightNorm());
    }

    @Test
    void mlpLearnsXorWhichNoLinearModelCan() {
        RandomState random = new RandomState(3);
        Examples corners = GeneratedData.blobs(random, XOR_CORNERS, 100, 0.5);
        Examples train = xorLabels(corners);
        Examples test = xorLabels(GeneratedData.blobs(random, XOR_CORNERS, 100, 0.5));
        for (Mlp.Activation activation : Mlp.Activation.values()) {
            Mlp mlp = Mlp.classifier(2, new int[] {16}, 2, activation, 0.05)
                    .initializeNormal(new RandomState(4), 0, 0.5);
            double first = mlp.trainEpoch(train);
            double last = first;
            for (int epoch = 1; epoch < 30; epoch++) last = mlp.trainEpoch(train);
            assertTrue(last < 0.2 * first, activation + ": epoch loss " + first + " → " + last);
            assertTrue(mlp.accuracy(test) >= 0.97, activation + ": test accuracy " + mlp.accuracy(test));
        }
        LogisticRegression linear = new LogisticRegression(3, 2, 0.05, 0);
        for (int epoch = 0; epoch < 30; epoch++) linear.trainEpoch(train.withBias());
        assertTrue(linear.accuracy(test.withBias()) <= 0.75, "a linear model on XOR: " + linear.accuracy(test.withBias()));
    }

    @Test
    void linearRegressionAndMlpRegressorFitALinearTarget() {
        Examples all = GeneratedData.linearLike(11).examples();  // noise RMSE ≈ 0.29
        Examples train = all.select(GeneratedData.range(0, 250));
        Examples test = all.select(GeneratedData.range(250, 300));
        LinearRegression linear = new LinearRegression(13, 0.002);
        for (int epoch = 0; epoch < 100; epoch++) linear.trainEpoch(train.withBias());
        assertTrue(linear.rootMeanSquaredError(test.withBias()) < 0.35, "linear test RMSE "
                + linear.rootMeanSquaredError(test.withBias()));

        Mlp mlp = Mlp.regressor(12, new int[] {32}, Mlp.Activation.RELU, 0.0005)
                .initializeNormal(new RandomState(5), 0, 0.2);
        for (int epoch = 0; epoch < 100; epoch++) mlp.trainEpoch(train);
        assertTrue(mlp.rootMeanSquaredError(test) < 0.6, "MLP test RMSE " + mlp.rootMeanSquaredError(test));
    }

    private static Examples xorLabels(Examples corners) {
        int[] labels = new int[corners.n()];
        for (int i = 0; i < labels.length; i++) labels[i] = corners.labels()[i] / 2;
        return Examples.classification(corners.x(), corners.n(), corners.features(), labels);
    }
}
