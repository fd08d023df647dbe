package nnlab.experiment;

import nnlab.experiment.store.FolderStore;
import nnlab.experiment.store.Summary;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import nnlab.data.CourseData;
import nnlab.data.Examples;
import nnlab.metrics.EpochRecord;
import nnlab.nn.Sequential;
import nnlab.random.Rng;
import nnlab.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainRunTest {
    /** Four Gaussian blobs in 10-D (means ±1.5 on two axes, σ = 1): the best possible accuracy is Φ(1.5)² ≈ 0.87. */
    static CourseData blobs(long seed) {
        Rng rng = new Rng(seed);
        return new CourseData("blobs", make(rng, 400), make(rng, 200), make(rng, 200), 4);
    }

    private static Examples make(Rng rng, int n) {
        int d = 10;
        double[] x = new double[n * d];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 4;
            for (int j = 0; j < d; j++) x[i * d + j] = rng.nextGaussian();
            x[i * d] += (y[i] & 1) == 0 ? -1.5 : 1.5;
            x[i * d + 1] += (y[i] & 2) == 0 ? -1.5 : 1.5;
        }
        return Examples.classification(x, n, d, y);
    }

    static TrainConfig config(String... keyValues) {
        Map<String, String> m = new HashMap<>(Map.of("epochs", "5", "batch_size", "16", "learning_rate", "0.05",
                "hidden_size", "32", "data", "blobs"));
        for (int i = 0; i < keyValues.length; i += 2) m.put(keyValues[i], keyValues[i + 1]);
        return TrainConfig.from(m);
    }

    /**
     * best.npz holds, after every epoch, the parameters of the best epoch so far (a killed run keeps
     * it), and the step the run took is recorded in result.json.
     */
    @Test
    void theBestCheckpointIsWrittenAsSoonAsDevAccuracyImproves(@TempDir Path dir) {
        java.util.List<String> seen = new java.util.ArrayList<>();
        double[] best = {Double.NEGATIVE_INFINITY};
        Map<String, Object> result = TrainRun.run(config("epochs", "4"), blobs(2), dir, new TrainRun.Output() {
            @Override
            public void onEpoch(EpochRecord record) {
                assertTrue(Files.exists(dir.resolve("best.npz")), "no best.npz after epoch " + record.epoch());
                if (record.devAccuracy() > best[0]) {
                    best[0] = record.devAccuracy();
                    seen.add(checksum(dir.resolve("best.npz")));
                } else {
                    assertEquals(seen.get(seen.size() - 1), checksum(dir.resolve("best.npz")), "rewritten without improving");
                }
            }
        });
        assertTrue(seen.size() >= 2, "dev accuracy improved only " + seen.size() + " times: the test shows nothing");
        assertEquals(seen.size(), new java.util.HashSet<>(seen).size(), "each improvement writes a new checkpoint");
        assertTrue(String.valueOf(result.get("step")).startsWith("fused mini-batch step"), String.valueOf(result.get("step")));
    }

    /**
     * An epoch is in metrics.csv only once its checkpoint is saved: a run killed between the two writes
     * (seen in a kill -9 probe) listed epoch 1 with no best.npz, and evaluate said the run had ended
     * before its first epoch. The run goes on in a thread while this one watches the folder; the model
     * is large enough that writing its checkpoint takes a while.
     */
    @Test
    void anEpochIsRecordedOnlyOnceItsCheckpointIsSaved(@TempDir Path dir) throws Exception {
        Thread run = new Thread(() -> TrainRun.run(config("epochs", "1", "hidden_size", "20000"), blobs(2), dir, new TrainRun.Output() {}));
        run.start();
        Path metrics = dir.resolve("metrics.csv");
        while (run.isAlive() && !Files.exists(metrics)) Thread.onSpinWait();
        boolean checkpointFirst = Files.exists(dir.resolve("best.npz"));
        run.join();
        assertTrue(Files.exists(metrics), "the run ended without metrics.csv");
        assertTrue(checkpointFirst, "metrics.csv listed epoch 1 before best.npz was written");
    }

    private static String checksum(Path file) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A run holds its folder for its whole life: a second run there is refused while the first runs, then allowed. */
    @Test
    void aSecondRunOnTheSameFolderIsRefusedWhileTheFirstRuns(@TempDir Path dir) {
        try (RunDirectory first = RunDirectory.open(dir)) {
            var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                    () -> TrainRun.run(config("epochs", "1"), blobs(1), dir, new TrainRun.Output() {}));
            assertTrue(e.getMessage().contains(dir.toString()) && e.getMessage().contains("another run that is still running"),
                    e.getMessage());
            assertTrue(!Files.exists(dir.resolve("metrics.csv")), "the refused run wrote into the folder");
        }
        assertEquals("finished", TrainRun.run(config("epochs", "1"), blobs(1), dir, new TrainRun.Output() {}).get("status"));
    }

    /** The temporary files of a run killed mid-write are gone after the next run in its folder; the user's stay. */
    @Test
    void strayTemporaryFilesOfAKilledRunAreRemovedByTheNextRun(@TempDir Path dir) throws Exception {
        TrainRun.run(config("epochs", "1"), blobs(1), dir, new TrainRun.Output() {});
        Files.delete(dir.resolve("result.json")); // a killed run: config and metrics, no result, and a write cut short
        Path stray = Files.writeString(dir.resolve(".metrics.csv.4242-7.tmp"), "epoch,train_loss\n1,0.");
        TrainRun.run(config("epochs", "1"), blobs(1), dir, new TrainRun.Output() {});
        assertTrue(!Files.exists(stray), "the killed run's temporary file is still there");
        try (var files = Files.list(dir)) {
            assertEquals(List.of(), files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")).toList());
        }
    }

    @Test
    void aRunLeavesItsFilesAndLearns(@TempDir Path dir) {
        Map<String, Object> result = TrainRun.run(config(), blobs(1), dir, new TrainRun.Output() {});
        assertEquals("finished", result.get("status"));
        assertTrue((double) result.get("final_test_acc") >= 0.80, "test accuracy " + result.get("final_test_acc"));
        for (String f : List.of("config.json", "metrics.csv", "result.json", "best.npz")) {
            assertTrue(Files.exists(dir.resolve(f)), f);
        }
        List<EpochRecord> records = RunDirectory.readMetrics(dir);
        assertEquals(5, records.size());
        assertTrue(records.get(4).trainLoss() < records.get(0).trainLoss());
        assertTrue(records.get(4).trainAccuracy() > 0.6 && records.get(4).trainAccuracy() <= 1, "running train accuracy "
                + records.get(4).trainAccuracy());
        Map<String, Object> config = RunDirectory.readConfig(dir);
        assertEquals("mlp", config.get("model"));
        assertEquals(0.05, config.get("learning_rate"));
        Map<?, ?> provenance = (Map<?, ?>) config.get("provenance");
        assertEquals(400, ((Map<?, ?>) provenance.get("data")).get("train"));
        Map<String, Object> stored = RunDirectory.readResult(dir);
        assertEquals(result.get("final_test_acc"), stored.get("final_test_acc"));
        assertTrue(stored.containsKey("train_seconds"));
    }

    @Test
    void theCheckpointRoundTripsThroughNpz(@TempDir Path dir) {
        TrainConfig c = config("early_stopping", "2", "epochs", "6");
        CourseData data = blobs(2);
        TrainRun.run(c, data, dir, new TrainRun.Output() {});
        Sequential restored = Models.build(c, 10, 4, new Rng(999));
        restored.loadStateDict(Checkpoints.load(dir.resolve("best.npz")));
        double accuracy = Trainer.evaluate(restored, data.dev()).accuracy();
        Map<String, Object> result = RunDirectory.readResult(dir);
        assertEquals((double) result.get("best_dev_acc"), accuracy, 1e-12);
        assertArrayEquals(new Object[] {"0.weight", "0.bias", "3.weight", "3.bias"},
                Checkpoints.load(dir.resolve("best.npz")).keySet().toArray());
    }

    @Test
    void aDivergingRunEndsCleanlyAndSaysWhen(@TempDir Path dir) {
        Map<String, Object> result = TrainRun.run(config("learning_rate", "1e12", "init", "normal"), blobs(3), dir,
                new TrainRun.Output() {});
        assertEquals("diverged", result.get("status"));
        assertEquals(1, result.get("diverged_epoch"));
        assertNull(result.get("final_test_acc"));
        Map<String, Object> stored = RunDirectory.readResult(dir);
        assertEquals("diverged", stored.get("status"));
        assertTrue(Double.isNaN(RunDirectory.readMetrics(dir).get(0).trainLoss())
                || Double.isInfinite(RunDirectory.readMetrics(dir).get(0).trainLoss()));
    }

    @Test
    void parallelTrialsGiveTheSameResultsAsOneAtATime(@TempDir Path dir) {
        CourseData data = blobs(5);
        Map<String, Object> spec = new java.util.LinkedHashMap<>();
        Map<String, String> base = new java.util.LinkedHashMap<>(config().toFlat());
        spec.put("base", base);
        spec.put("grid", Map.of("learning_rate", List.of("0.01", "0.05", "0.1")));
        spec.put("one_at_a_time", false);
        Sweep.TrialRunner runner = (settings, trialDir) -> TrainRun.run(TrainConfig.from(settings), data, trialDir,
                new TrainRun.Output() {});
        List<Sweep.Trial> trials = Sweep.trials(spec);
        Summary.Outcome serial = FolderStore.run(dir.resolve("serial"), spec, trials, 1, runner, line -> {});
        Summary.Outcome parallel = FolderStore.run(dir.resolve("parallel"), spec, trials, 3, runner, line -> {});
        for (int i = 0; i < trials.size(); i++) {
            assertEquals(serial.rows().get(i).finalTestAcc(), parallel.rows().get(i).finalTestAcc());
            double[] a = RunDirectory.readMetrics(Sweep.trialDir(dir.resolve("serial"), i, trials.get(i))).stream()
                    .mapToDouble(r -> r.devLoss() + r.trainLoss()).toArray();
            double[] b = RunDirectory.readMetrics(Sweep.trialDir(dir.resolve("parallel"), i, trials.get(i))).stream()
                    .mapToDouble(r -> r.devLoss() + r.trainLoss()).toArray();
            org.junit.jupiter.api.Assertions.assertArrayEquals(a, b, 0.0, "train and dev loss per epoch, trial " + trials.get(i).name());
        }
    }

    /**
     * 12×12 one-channel images, 4 classes: a bright 3×3 square in one of the four quadrants (class =
     * quadrant) over uniform noise. A convolution and pooling see it at once; chance is 0.25.
     */
    static CourseData quadrants(long seed) {
        Rng rng = new Rng(seed);
        java.util.function.IntFunction<Examples> make = n -> {
            double[] x = new double[n * 144];
            int[] y = new int[n];
            for (int i = 0; i < n; i++) {
                y[i] = i % 4;
                for (int p = 0; p < 144; p++) x[i * 144 + p] = 0.3 * rng.nextDouble();
                int top = (y[i] / 2) * 6 + 1 + rng.nextInt(3), left = (y[i] % 2) * 6 + 1 + rng.nextInt(3);
                for (int r = 0; r < 3; r++) for (int c = 0; c < 3; c++) x[i * 144 + (top + r) * 12 + left + c] = 1;
            }
            return Examples.classification(x, n, 144, y).withImageShape(new nnlab.data.ImageShape(1, 12, 12, false));
        };
        return new CourseData("quadrants", make.apply(400), make.apply(100), make.apply(100), 4);
    }

    /**
     * The homework's CNN trains on images, records its parameter count, and leaves the feature maps
     * of a test image and a report with the filters and the maps drawn.
     */
    @Test
    void theCnnLearnsImagesAndItsReportDrawsFiltersAndFeatureMaps(@TempDir Path dir) {
        TrainConfig c = TrainConfig.from(Map.of("model", "cnn", "epochs", "4", "learning_rate", "0.05", "dropout", "0.2",
                "data", "quadrants"));
        assertEquals(8, c.batchSize()); // the second homework's default
        Map<String, Object> result = TrainRun.run(c, quadrants(3), dir, new TrainRun.Output() {});
        assertTrue((double) result.get("final_test_acc") >= 0.9, "test accuracy " + result.get("final_test_acc"));
        // conv 1→8 (80), conv 8→16 (1,168), 16·2·2 = 64 → 320 (20,800), 320 → 120 (38,520), 120 → 4 (484)
        assertEquals(80L + 1_168 + 20_800 + 38_520 + 484, ((Number) result.get("parameters")).longValue());
        assertTrue(String.valueOf(result.get("step")).startsWith("graph"), String.valueOf(result.get("step")));
        Map<String, nnlab.tensor.Tensor> maps = Checkpoints.load(dir.resolve(FeatureMaps.FILE));
        assertArrayEquals(new int[] {1, 12, 12}, maps.get("image").dims());
        assertArrayEquals(new int[] {8, 12, 12}, maps.get("conv1").dims());
        assertArrayEquals(new int[] {16, 4, 4}, maps.get("conv2").dims());
        List<Path> pictures = nnlab.report.RunReport.render(dir);
        assertTrue(pictures.contains(dir.resolve("filters.png")) && pictures.contains(dir.resolve("feature_maps.png")), pictures.toString());
        // The stored configuration is the cnn's own: no MLP shape settings, and it reads back as the same run.
        Map<String, Object> stored = RunDirectory.readConfig(dir);
        assertTrue(stored.containsKey("no_maxpool") && !stored.containsKey("hidden_size"), stored.toString());
    }

    @Test
    void settingsOfAnotherModelAreRefused() {
        var hidden = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> TrainConfig.from(Map.of("model", "cnn", "hidden_size", "100")));
        assertTrue(hidden.getMessage().contains("-hidden_size is a setting of the mlp"), hidden.getMessage());
        var pooling = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> TrainConfig.from(Map.of("model", "mlp", "no_maxpool", "true")));
        assertTrue(pooling.getMessage().contains("-no_maxpool is a setting of the cnn"), pooling.getMessage());
        var rows = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> TrainRun.run(TrainConfig.from(Map.of("model", "cnn", "data", "blobs")), blobs(1), Path.of("unused"),
                        new TrainRun.Output() {}));
        assertTrue(rows.getMessage().contains("not images"), rows.getMessage());
    }
}
