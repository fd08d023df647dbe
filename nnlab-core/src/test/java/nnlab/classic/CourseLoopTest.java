package nnlab.classic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import nnlab.data.CourseData;
import nnlab.data.Examples;
import nnlab.metrics.EpochRecord;
import nnlab.random.RandomState;
import org.junit.jupiter.api.Test;

class CourseLoopTest {
    /** Records the order it is trained in, and predicts class 0. */
    private static final class Recorder implements Classifier {
        final List<int[]> orders = new ArrayList<>();

        @Override
        public double trainEpoch(Examples train, int[] order) {
            orders.add(order.clone());
            return orders.size();
        }

        @Override
        public int predictClass(double[] x, int offset) {
            return 0;
        }
    }

    private static CourseData tiny(int n) {
        double[] x = new double[n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
            labels[i] = i % 2;
        }
        Examples examples = Examples.classification(x, n, 1, labels);
        return new CourseData("tiny", examples, examples, examples, 2);
    }

    @Test
    void shufflesCumulativelyAfterTheModelHasDrawnItsWeights() {
        int n = 10;
        Recorder recorder = new Recorder();
        List<EpochRecord> seen = new ArrayList<>();
        new CourseLoop(tiny(n), 3).run(random -> {
            random.normal(0.1, 0.1, 7);  // as an MLP's initialisation would
            return recorder;
        }, seen::add);

        // numpy: np.random.seed(42); np.random.normal(0.1, 0.1, 7); then X = X[perm] every epoch
        RandomState numpy = new RandomState(42);
        numpy.normal(0.1, 0.1, 7);
        int[] rows = ClassicModel.identityOrder(n);
        for (int epoch = 0; epoch < 3; epoch++) {
            int[] perm = numpy.permutation(n);
            int[] shuffled = new int[n];
            for (int i = 0; i < n; i++) shuffled[i] = rows[perm[i]];
            rows = shuffled;
            assertArrayEquals(rows, recorder.orders.get(epoch), "epoch " + (epoch + 1));
        }
        assertEquals(3, seen.size());
        assertEquals(2, seen.get(1).epoch());
        assertEquals(2.0 / n, seen.get(1).trainLoss(), "the model's epoch loss (2 in epoch 2), a mean over its 10 examples");
        assertEquals(0.5, seen.get(1).devAccuracy(), "class 0 is right for half the rows");
        assertTrue(Double.isNaN(seen.get(1).distanceToAnalytic()));
    }

    @Test
    void theCoursesFirstPermutationIsNumpys() {
        assertArrayEquals(new int[] {8, 1, 5, 0, 7, 2, 9, 4, 3, 6}, new RandomState(42).permutation(10));
    }

    @Test
    void linearRegressionRecordsRmseAndDistance() {
        Examples all = GeneratedData.linearLike(11).examples().withBias();
        CourseData data = new CourseData("linear", all.select(GeneratedData.range(0, 250)), null,
                all.select(GeneratedData.range(250, 300)), 0);
        CourseLoop.Run run = new CourseLoop(data, 3).run(random -> new LinearRegression(13, 0.001), record -> {});
        assertArrayEquals(LinearRegression.closedForm(data.train()), run.analyticSolution());
        EpochRecord last = run.epochs().get(2);
        LinearRegression model = (LinearRegression) run.model();
        assertEquals(model.distanceTo(run.analyticSolution()), last.distanceToAnalytic());
        assertEquals(model.rootMeanSquaredError(data.test()), last.testLoss());
        assertEquals(model.rootMeanSquaredError(data.train()), last.trainLoss(), 1e-12);
        assertTrue(Double.isNaN(last.trainAccuracy()) && Double.isNaN(last.devAccuracy()));
        assertTrue(run.epochs().get(0).distanceToAnalytic() > last.distanceToAnalytic());
    }

    @Test
    void refusesAModelOfTheWrongKind() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> new CourseLoop(tiny(4), 1).run(random -> new LinearRegression(1, 0.1), record -> {}));
        assertTrue(error.getMessage().contains("regressor"), error.getMessage());
    }
}
