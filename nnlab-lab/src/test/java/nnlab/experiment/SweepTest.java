package nnlab.experiment;

import nnlab.experiment.store.FolderStore;
import nnlab.experiment.store.Summary;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import nnlab.metrics.EpochRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepTest {
    static final Map<String, String> BASE = Map.of("model", "mlp", "learning_rate", "0.01", "dropout", "0.3");
    static final Map<String, List<String>> GRID = grid();

    private static Map<String, List<String>> grid() {
        Map<String, List<String>> g = new LinkedHashMap<>();
        g.put("learning_rate", List.of("0.001", "0.01", "0.1"));
        g.put("dropout", List.of("0.3", "0.5"));
        return g;
    }

    static Map<String, Object> spec(boolean oneAtATime) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("base", new LinkedHashMap<>(new java.util.TreeMap<>(BASE)));
        spec.put("grid", GRID);
        spec.put("one_at_a_time", oneAtATime);
        return spec;
    }

    /** A stand-in trial: a few files, a pause, then a result whose dev accuracy depends on the settings. */
    static Sweep.TrialRunner fake(long pauseMillis, AtomicInteger runs) {
        return (settings, dir) -> {
            runs.incrementAndGet();
            RunDirectory run = new RunDirectory(dir);
            run.addEpoch(EpochRecord.of(1).withTrain(1.0, Double.NaN).withDev(0.9, 0.5));
            try {
                Thread.sleep(pauseMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            double lr = Double.parseDouble(settings.get("learning_rate"));
            Map<String, Object> result = new LinkedHashMap<>();
            if (lr >= 0.1) {
                result.put("status", "diverged");
                result.put("diverged_epoch", 1);
            } else {
                result.put("status", "finished");
                result.put("final_dev_acc", 0.8 + lr + Double.parseDouble(settings.get("dropout")) / 100);
                result.put("final_test_acc", 0.7);
            }
            run.writeResult(result);
            return result;
        };
    }

    /**
     * A regression sweep (Ames: RMSE, no accuracy, no dev split): its report picks the trial of lowest
     * test RMSE, whatever the order, and draws RMSE where a classifier's draws accuracy.
     */
    @Test
    void aRegressionSweepsBestTrialHasTheLowestRmse(@TempDir Path dir) throws Exception {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("kind", "classic");
        spec.put("base", new LinkedHashMap<>(Map.of("model", "linear_regression", "data", "ames")));
        spec.put("grid", Map.of("learning_rate", List.of("0.001", "0.002", "0.003")));
        spec.put("one_at_a_time", false);
        List<Sweep.Trial> trials = Sweep.trials(spec);
        double[] testRmse = {0.30, 0.21, 0.25};
        FolderStore.run(dir, spec, trials, 1, (settings, trialDir) -> {
            int i = List.of("0.001", "0.002", "0.003").indexOf(settings.get("learning_rate"));
            RunDirectory run = new RunDirectory(trialDir);
            for (int e = 1; e <= 3; e++) run.addEpoch(EpochRecord.of(e).withTrain(0.2 / e, Double.NaN).withTest(testRmse[i] * 3 / e, Double.NaN));
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("status", "finished");
            result.put("final_test_rmse", testRmse[i]);
            result.put("final_train_rmse", 0.2 / 3);
            run.writeResult(result);
            return result;
        }, line -> {});
        Summary.Outcome outcome = Summary.of(dir, trials);
        assertEquals(Summary.Criterion.TEST_RMSE, Summary.criterion(outcome.rows()));
        assertEquals(0.21, Summary.best(outcome.rows()).finalTestRmse());
        nnlab.report.SweepReport.render(dir);
        String md = Files.readString(dir.resolve("report.md"));
        assertTrue(md.contains("## Best trial (lowest test RMSE") && md.contains("| final_test_rmse | 0.2100 |"), md);
        assertFalse(md.contains("No trial has finished yet"), md);
        assertFalse(md.toLowerCase().contains("accuracy"), "a regression sweep has no accuracy to show:\n" + md);
        assertTrue(Files.exists(dir.resolve("plots/final_rmse.png")) && Files.exists(dir.resolve("plots/test_rmse-learning_rate.png")));
    }

    @Test
    void oneAtATimeVariesEachSettingAloneAndRunsTheBaseOnce() {
        List<Sweep.Trial> trials = Sweep.trials(new LinkedHashMap<>(BASE), GRID, true);
        assertEquals(List.of("base", "learning_rate=0.001", "learning_rate=0.1", "dropout=0.5"),
                trials.stream().map(Sweep.Trial::name).toList());
        Map<String, List<String>> withBaseValueSpelledDifferently = new LinkedHashMap<>();
        withBaseValueSpelledDifferently.put("dropout", List.of("0.30", "0.2"));
        assertEquals(List.of("base", "dropout=0.2"), Sweep.trials(new LinkedHashMap<>(BASE), withBaseValueSpelledDifferently, true)
                .stream().map(Sweep.Trial::name).toList());
        assertEquals(6, Sweep.trials(new LinkedHashMap<>(BASE), GRID, false).size());
        assertEquals("0.5", Sweep.trials(new LinkedHashMap<>(BASE), GRID, false).get(1).settings().get("dropout"));
    }

    @Test
    void divergedTrialsAreRecordedAndTheBestIsChosenByDevAccuracy(@TempDir Path dir) throws Exception {
        List<Sweep.Trial> trials = Sweep.trials(new LinkedHashMap<>(BASE), GRID, false);
        Summary.Outcome outcome = FolderStore.run(dir, spec(false), trials, 2, fake(0, new AtomicInteger()), line -> {});
        assertEquals(6, outcome.rows().size());
        assertEquals("learning_rate=0.01,dropout=0.5", trials.get(3).name());
        assertEquals("trials/04-learning_rate=0.01,dropout=0.5", outcome.best().trial());
        List<String> summary = Files.readAllLines(dir.resolve("summary.csv"));
        assertEquals(7, summary.size());
        assertTrue(summary.get(0).startsWith("trial,learning_rate,dropout,status,final_dev_acc"), summary.get(0));
        assertEquals(2, summary.stream().filter(l -> l.contains(",diverged,")).count());
    }

    @Test
    void theSameSweepCannotRunTwiceAtOnce(@TempDir Path dir) throws Exception {
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
        Thread first = new Thread(() -> FolderStore.run(dir, spec(true), Sweep.trials(spec(true)), 1, (settings, d) -> {
            started.countDown();
            return fake(300, new AtomicInteger()).run(settings, d);
        }, line -> {}));
        first.start();
        started.await();
        String written = Files.readString(dir.resolve(Sweep.SPEC));
        // Another sweep racing for the folder: refused by the lock before it writes its sweep.json over the first's.
        var e = assertThrows(IllegalStateException.class,
                () -> FolderStore.run(dir, spec(false), Sweep.trials(spec(false)), 1, fake(0, new AtomicInteger()), line -> {}));
        assertTrue(e.getMessage().contains("in use"), e.getMessage());
        assertEquals(written, Files.readString(dir.resolve(Sweep.SPEC)), "the running sweep's sweep.json");
        first.join();
    }

    @Test
    void aGridOfAMillionTrialsIsRefusedWithItsCount() {
        Map<String, List<String>> grid = new java.util.LinkedHashMap<>();
        for (String name : List.of("a", "b", "c")) {
            grid.put(name, java.util.stream.IntStream.range(0, 100).mapToObj(Integer::toString).toList());
        }
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Sweep.trials(Map.of(), grid, false));
        assertTrue(e.getMessage().contains("1000000 trials") && e.getMessage().contains("100 a × 100 b × 100 c"), e.getMessage());
        assertEquals(301, Sweep.trials(Map.of(), grid, true).size(), "one at a time: the base and 300 variations");
    }

    /**
     * A resumed sweep repairs what a kill left: a finished trial without its report is completed, a
     * trial whose result.json is truncated is run again, and an unreadable sweep.json is a clear error.
     */
    @Test
    void aResumeCompletesReportlessTrialsRerunsTruncatedOnesAndExplainsABadSpec(@TempDir Path dir) throws Exception {
        List<Sweep.Trial> trials = Sweep.trials(spec(true));
        AtomicInteger runs = new AtomicInteger();
        FolderStore.run(dir, spec(true), trials, 1, fake(0, runs), line -> {});
        int all = runs.get();
        Path first = Sweep.trialDir(dir, 0, trials.get(0)), second = Sweep.trialDir(dir, 1, trials.get(1));
        Files.writeString(second.resolve("result.json"), "{\"status\": \"fini"); // killed mid-write, by hand
        List<Path> completed = new java.util.ArrayList<>();
        AtomicInteger again = new AtomicInteger();
        Sweep.TrialRunner inner = fake(0, again);
        FolderStore.run(dir, spec(true), trials, 1, new Sweep.TrialRunner() {
            @Override
            public Map<String, Object> run(Map<String, String> settings, Path trialDir) {
                return inner.run(settings, trialDir);
            }

            @Override
            public void complete(Path trialDir) {
                completed.add(trialDir);
            }
        }, line -> {});
        assertEquals(1, again.get(), "only the truncated trial runs again");
        // A result.json without a status (an object emptied by hand, or a status that is no word) is no finished trial either:
        // it was skipped as finished, then counted as failed with the advice to rerun, which skipped it again.
        for (String result : List.of("{}", "{\"status\": 3}")) {
            Files.writeString(second.resolve("result.json"), result);
            AtomicInteger redone = new AtomicInteger();
            FolderStore.run(dir, spec(true), trials, 1, fake(0, redone), line -> {});
            assertEquals(1, redone.get(), "a trial whose result.json is " + result + " runs again");
        }
        assertTrue(completed.contains(first), "the finished trial without report.html was not completed: " + completed);
        assertEquals(all - 1, completed.size(), "every finished trial lacks the fake runner's report");
        Files.writeString(dir.resolve(Sweep.SPEC), "{\"kind\": ");
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> FolderStore.run(dir, spec(true), trials, 1, fake(0, new AtomicInteger()), line -> {}));
        assertTrue(e.getMessage().contains("holds a sweep.json that nnlab did not write there (or that is damaged)"), e.getMessage());
    }

    @Test
    void aDifferentSweepInTheSameFolderIsRefused(@TempDir Path dir) {
        FolderStore.run(dir, spec(true), Sweep.trials(spec(true)), 1, fake(0, new AtomicInteger()), line -> {});
        var e = assertThrows(IllegalArgumentException.class,
                () -> FolderStore.run(dir, spec(false), Sweep.trials(spec(false)), 1, fake(0, new AtomicInteger()), line -> {}));
        // It says which sweep is there ("rerun the same command", which the user just did, looped).
        // And where the two differ: here only in one_at_a_time, which their summaries barely show.
        assertTrue(e.getMessage().contains("holds another sweep (mlp, grid learning_rate=0.001,0.01,0.1 dropout=0.3,0.5 one at a "
                + "time; it differs from this command's in one_at_a_time true there, false here)"), e.getMessage());
        // A sweep.json with mistyped keys is called damaged, not another sweep to resume.
        java.util.Map<String, Object> mistyped = new java.util.LinkedHashMap<>(spec(true));
        mistyped.put("grid", "learning_rate=0.1");
        Json.write(dir.resolve(Sweep.SPEC), mistyped);
        e = assertThrows(IllegalArgumentException.class,
                () -> FolderStore.run(dir, spec(true), Sweep.trials(spec(true)), 1, fake(0, new AtomicInteger()), line -> {}));
        assertTrue(e.getMessage().contains("sweep.json is damaged") && e.getMessage().contains("cannot be resumed"), e.getMessage());
    }

    /**
     * The sweep command always writes the kind (train or classic; both tracks have an mlp), so a stored
     * sweep.json without one is damaged for a resume, not "another sweep" (whose advice, the command
     * that started it, is the one just typed). The report, which does not need the kind, still reads it.
     */
    @Test
    void aSweepJsonThatLostItsKindIsDamagedForAResume(@TempDir Path dir) throws java.io.IOException {
        java.util.Map<String, Object> withKind = new java.util.LinkedHashMap<>(spec(true));
        withKind.put("kind", "train");
        FolderStore.run(dir, withKind, Sweep.trials(withKind), 1, fake(0, new AtomicInteger()), line -> {});
        java.util.Map<String, Object> lost = new java.util.LinkedHashMap<>(withKind);
        lost.remove("kind");
        Json.write(dir.resolve(Sweep.SPEC), lost);
        String stored = Files.readString(dir.resolve(Sweep.SPEC));

        AtomicInteger runs = new AtomicInteger();
        var e = assertThrows(IllegalArgumentException.class,
                () -> FolderStore.run(dir, withKind, Sweep.trials(withKind), 1, fake(0, runs), line -> {}));
        assertTrue(e.getMessage().contains("sweep.json is damaged (its kind (train or classic) is missing), so the sweep in "
                + dir + " cannot be resumed; nothing was changed"), e.getMessage());
        assertFalse(e.getMessage().contains("another sweep"), e.getMessage());
        assertEquals(0, runs.get());
        assertEquals(stored, Files.readString(dir.resolve(Sweep.SPEC)), "nothing was changed");
        assertEquals(lost.get("grid"), Sweep.readSpec(dir).get("grid"), "the report reads it");
    }

    @Test
    void aFailingTrialIsRecordedAndTheOthersRun(@TempDir Path dir) {
        AtomicInteger runs = new AtomicInteger();
        Summary.Outcome outcome = FolderStore.run(dir, spec(true), Sweep.trials(spec(true)), 1, (settings, d) -> {
            if (settings.get("dropout").equals("0.5")) throw new IllegalArgumentException("bad dropout");
            return fake(0, runs).run(settings, d);
        }, line -> {});
        assertEquals("failed", outcome.rows().get(3).status());
        assertEquals(3, runs.get());
        // A failed trial is not finished: the rerun retries it, and only it.
        AtomicInteger again = new AtomicInteger();
        FolderStore.run(dir, spec(true), Sweep.trials(spec(true)), 1, fake(0, again), line -> {});
        assertEquals(1, again.get());
    }

    /** Entry point of the child JVM that the kill test starts and kills. */
    public static void main(String[] args) {
        FolderStore.run(Path.of(args[0]), spec(true), Sweep.trials(spec(true)), 1, fake(400, new AtomicInteger()), line -> {});
    }

    @Test
    void aSweepKilledMidwayResumesWithoutLosingFinishedTrials(@TempDir Path root) throws Exception {
        Path dir = root.resolve("sweep"), log = root.resolve("child.log"); // the log beside the sweep's folder, not in it
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), SweepTest.class.getName(),
                dir.toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        List<Sweep.Trial> trials = Sweep.trials(spec(true));
        Path first = Sweep.trialDir(dir, 0, trials.get(0));
        Path second = Sweep.trialDir(dir, 1, trials.get(1));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!(RunDirectory.isFinished(first) && Files.exists(second.resolve("metrics.csv"))) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        child.destroyForcibly().waitFor();
        assertTrue(RunDirectory.isFinished(first), "the child never finished its first trial: " + Files.readString(log));
        assertFalse(RunDirectory.isFinished(second), "the kill came too late to interrupt the second trial");
        Map<String, byte[]> before = snapshot(first);
        FileTime stamp = Files.getLastModifiedTime(first.resolve("result.json"));

        AtomicInteger runs = new AtomicInteger();
        Summary.Outcome outcome = FolderStore.run(dir, spec(true), trials, 2, fake(0, runs), line -> {});
        assertEquals(trials.size() - 1, runs.get(), "only the unfinished trials run again");
        Map<String, byte[]> after = snapshot(first);
        assertEquals(before.keySet(), after.keySet());
        for (String f : before.keySet()) assertArrayEquals(before.get(f), after.get(f), f);
        assertEquals(stamp, Files.getLastModifiedTime(first.resolve("result.json")));
        assertTrue(outcome.rows().stream().allMatch(r -> !"not run".equals(r.status())));
        try (var files = Files.list(second)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")));
        }
    }

    private static Map<String, byte[]> snapshot(Path dir) throws Exception {
        Map<String, byte[]> out = new LinkedHashMap<>();
        List<File> files = new ArrayList<>(List.of(dir.toFile().listFiles()));
        files.sort(null);
        for (File f : files) out.put(f.getName(), Files.readAllBytes(f.toPath()));
        return out;
    }
}
