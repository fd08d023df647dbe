package nnlab.classic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import nnlab.data.CourseData;
import nnlab.metrics.EpochRecord;
import nnlab.random.RandomState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The course's loop and models against make_fixtures.py's numpy implementation of them, epoch by
 * epoch, on the same generated data: the perceptron exactly, the others to 1e-9 relative (their
 * sums run in another order than BLAS's).
 */
class CourseLoopNumpyTest {
    private static final CourseFixtures FIXTURES = CourseFixtures.load();
    private static final double RELATIVE = 1e-9;

    @Test
    void generatedDataIsNumpys() {
        for (String name : List.of("fashion_like", "fashion_like_10")) {
            CourseFixtures.Line line = FIXTURES.data.get(name);
            GeneratedData.Raw images = GeneratedData.fashionLike(Long.parseLong(line.get("seed")),
                    Integer.parseInt(line.get("classes")));
            assertEquals(Long.parseLong(line.get("checksum")), GeneratedData.checksum(images.values()), name + " pixels");
            assertEquals(Long.parseLong(line.get("label_checksum")), GeneratedData.checksum(images.labels()), name + " labels");
            assertEquals(Long.parseLong(line.get("zeros")), Arrays.stream(images.values()).filter(v -> v == 0).count());
        }

        GeneratedData.Raw linear = GeneratedData.linearLike(11);
        CourseFixtures.Line line = FIXTURES.data.get("linear_like");
        assertEquals(Long.parseLong(line.get("checksum")), GeneratedData.checksum(linear.values()), "features");
        assertEquals(Long.parseLong(line.get("target_checksum")), GeneratedData.checksum(linear.targets256()), "targets");

        GeneratedData.Raw deficient = GeneratedData.rankDeficient(5);
        line = FIXTURES.data.get("rank_deficient");
        assertEquals(Long.parseLong(line.get("checksum")), GeneratedData.checksum(deficient.values()), "design");
        assertEquals(Long.parseLong(line.get("target_checksum")), GeneratedData.checksum(deficient.targets256()), "targets");
    }

    static Stream<String> runs() {
        return FIXTURES.runs.keySet().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runs")
    void epochByEpochAsNumpy(String name) {
        CourseFixtures.Run run = FIXTURES.runs.get(name);
        CourseFixtures.Line config = run.config();
        String model = config.get("model");
        boolean linear = model.equals("perceptron") || model.endsWith("regression");
        CourseData data = data(config.get("data"));
        if (linear) data = data.withBias();
        int epochs = Integer.parseInt(config.get("epochs"));
        assertEquals(epochs, run.epochs().size(), "fixture epochs");

        List<EpochRecord> records = new CourseLoop(data, epochs).run(newModel(config, data), record -> {}).epochs();

        for (int e = 0; e < epochs; e++) {
            CourseFixtures.Line expected = run.epochs().get(e);
            EpochRecord actual = records.get(e);
            String where = name + " epoch " + (e + 1);
            assertEquals(expected.epoch(), actual.epoch(), where);
            if (expected.has("train_acc")) {
                // Accuracies are counts / n: equal predictions give equal doubles.
                assertEquals(expected.number("train_acc"), actual.trainAccuracy(), where + " train accuracy");
                assertEquals(expected.number("dev_acc"), actual.devAccuracy(), where + " dev accuracy");
                assertEquals(expected.number("test_acc"), actual.testAccuracy(), where + " test accuracy");
            }
            // make_fixtures.py's train_epoch returns the epoch's sum; the loop records the mean per example.
            if (expected.has("loss")) assertClose(expected.number("loss") / data.train().n(), actual.trainLoss(), where + " loss");
            if (expected.has("weight_norm")) {
                assertClose(expected.number("weight_norm"), actual.weightNorm(), where + " weight norm");
            }
            if (expected.has("train_rmse")) {
                assertClose(expected.number("train_rmse"), actual.trainLoss(), where + " train RMSE");
                assertClose(expected.number("test_rmse"), actual.testLoss(), where + " test RMSE");
            }
            if (expected.has("distance")) {
                assertClose(expected.number("distance"), actual.distanceToAnalytic(), where + " distance to analytic");
            }
        }
    }

    @Test
    void closedFormIsNumpysMinimumNormAndRidgeSolution() {
        var design = GeneratedData.rankDeficient(5).examples();
        assertEquals(6, Integer.parseInt(FIXTURES.data.get("rank_deficient").get("rank")));
        double[] minimumNorm = LinearRegression.closedForm(design);
        double[] ridge = LinearRegression.closedForm(design, FIXTURES.solves.get("ridge").number("ridge"));
        assertArrayClose(weights("min_norm"), minimumNorm, 1e-10, "np.linalg.lstsq");
        assertArrayClose(weights("ridge"), ridge, 1e-10, "np.linalg.solve(XᵀX + 1e-4 I, Xᵀy)");
    }

    private static double[] weights(String solve) {
        return Arrays.stream(FIXTURES.solves.get(solve).get("w").split(",")).mapToDouble(Double::parseDouble).toArray();
    }

    private static CourseData data(String name) {
        return switch (name) {
            case "fashion_like", "fashion_like_10" -> {
                CourseFixtures.Line line = FIXTURES.data.get(name);
                int classes = Integer.parseInt(line.get("classes"));
                yield GeneratedData.split(name, GeneratedData.fashionLike(Long.parseLong(line.get("seed")), classes).examples(),
                        classes);
            }
            case "linear_like" -> GeneratedData.split(name, GeneratedData.linearLike(11).examples(), 0);
            default -> throw new IllegalStateException("unknown fixture data " + name);
        };
    }

    private static Function<RandomState, ClassicModel> newModel(CourseFixtures.Line config, CourseData data) {
        int features = data.train().features();
        return switch (config.get("model")) {
            case "perceptron" -> random -> new Perceptron(features, data.classes());
            case "logistic_regression" -> random -> new LogisticRegression(features, data.classes(),
                    config.number("learning_rate"), config.number("l2_penalty"));
            case "linear_regression" -> random -> new LinearRegression(features, config.number("learning_rate"));
            case "mlp", "nn" -> random -> {
                int[] hidden = Arrays.stream(config.get("hidden").split(",")).mapToInt(Integer::parseInt).toArray();
                Mlp.Activation activation = Mlp.Activation.valueOf(config.get("activation").toUpperCase());
                double learningRate = config.number("learning_rate");
                Mlp mlp = config.get("model").equals("nn")
                        ? Mlp.regressor(features, hidden, activation, learningRate)
                        : Mlp.classifier(features, hidden, data.classes(), activation, learningRate);
                return mlp.initializeNormal(random, Mlp.COURSE_INITIAL_MEAN, Mlp.COURSE_INITIAL_STANDARD_DEVIATION);
            };
            default -> throw new IllegalStateException("unknown fixture model " + config.get("model"));
        };
    }

    private static void assertClose(double expected, double actual, String what) {
        assertTrue(Math.abs(expected - actual) <= RELATIVE * Math.abs(expected),
                () -> what + ": numpy " + expected + ", nnlab " + actual + " (relative difference "
                        + Math.abs(expected - actual) / Math.abs(expected) + ")");
    }

    static void assertArrayClose(double[] expected, double[] actual, double tolerance, String what) {
        assertEquals(expected.length, actual.length, what + " length");
        for (int i = 0; i < expected.length; i++) {
            int index = i;
            assertTrue(Math.abs(expected[i] - actual[i]) <= tolerance * Math.max(1, Math.abs(expected[i])),
                    () -> what + "[" + index + "]: expected " + expected[index] + ", got " + actual[index]
                            + "\nexpected " + Arrays.toString(expected) + "\nactual   " + Arrays.toString(actual));
        }
    }
}
