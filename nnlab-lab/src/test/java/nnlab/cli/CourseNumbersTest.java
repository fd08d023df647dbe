package nnlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import nnlab.experiment.RunDirectory;
import nnlab.metrics.EpochRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The numpy track through the command line against numbers numpy computed with the course's own loop
 * (seed 42, cumulative np.random.permutation, the course's split): exact for the perceptron, to the
 * printed digits for linear regression (COURSE.md §2.1).
 */
class CourseNumbersTest {

    @Test
    void thePerceptronGivesNumpysAccuraciesEpochByEpoch(@TempDir Path dir) {
        assertTrue(Files.isDirectory(Path.of("/usr/share/datasets/fashion-mnist")),
                "needs Debian's dataset-fashion-mnist (scripts/setup installs it)");
        var o = CommandLineTest.nnlab("classic", "perceptron", "-epochs", "3", "--out", dir.toString());
        assertEquals(0, o.status(), o.err());
        List<EpochRecord> r = RunDirectory.readMetrics(dir);
        // numpy 1.24, the course's hw1-q3.py loop on Fashion-MNIST split by RandomState(42).permutation(60000).
        double[] dev = {0.7957, 0.7416, 0.8173}, test = {0.7848, 0.7336, 0.811}, train = {0.801, 0.75048, 0.83018};
        for (int e = 0; e < 3; e++) {
            assertEquals(dev[e], r.get(e).devAccuracy(), 0, "dev accuracy, epoch " + (e + 1));
            assertEquals(test[e], r.get(e).testAccuracy(), 0, "test accuracy, epoch " + (e + 1));
            assertEquals(train[e], r.get(e).trainAccuracy(), 0, "train accuracy, epoch " + (e + 1));
        }
        assertTrue(o.out().contains("Final test acc: 0.8110"), o.out());
    }

    @Test
    void linearRegressionOnAmesFallsTowardsTheClosedFormAsNumpysDoes(@TempDir Path dir) {
        var o = CommandLineTest.nnlab("classic", "linear_regression", "--out", dir.toString());
        assertEquals(0, o.status(), o.err());
        List<EpochRecord> r = RunDirectory.readMetrics(dir);
        assertEquals(150, r.size());
        int[] epochs = {1, 10, 50, 100, 150};
        double[] testRmse = {0.7269, 0.2855, 0.1978, 0.2175, 0.2382};
        for (int i = 0; i < epochs.length; i++) {
            assertEquals(testRmse[i], r.get(epochs[i] - 1).testLoss(), 5e-5, "test RMSE, epoch " + epochs[i]);
        }
        assertEquals(2.88, r.get(0).distanceToAnalytic(), 0.005);
        assertEquals(1.45, r.get(149).distanceToAnalytic(), 0.005);
        for (int e = 1; e < 150; e++) assertTrue(r.get(e).distanceToAnalytic() < r.get(e - 1).distanceToAnalytic());
        Map<String, Object> result = RunDirectory.readResult(dir);
        assertEquals(0.0964, (double) result.get("closed_form_train_rmse"), 5e-5);
        assertEquals(0.3310, (double) result.get("closed_form_test_rmse"), 5e-5);
        assertTrue(Files.exists(dir.resolve("dist_to_analytic.png")));
    }

    @Test
    void aRegressionModelOnClassificationDataIsRefusedClearly() {
        var o = CommandLineTest.nnlab("classic", "linear_regression", "--data", "fashion-mnist-sample", "--out",
                System.getProperty("java.io.tmpdir") + "/nnlab-refused");
        assertEquals(1, o.status());
        assertTrue(o.err().contains("regression dataset such as ames"), o.err());
    }
}
