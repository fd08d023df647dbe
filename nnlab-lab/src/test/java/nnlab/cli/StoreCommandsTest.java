package nnlab.cli;

import static nnlab.cli.CommandLineTest.nnlab;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import nnlab.experiment.store.PostgresStore;
import nnlab.experiment.store.StoreUrl;
import nnlab.experiment.store.TrialResult;
import nnlab.experiment.store.TrialStore;
import nnlab.experiment.store.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sweep commands with a PostgreSQL store and with shards, on the embedded sample, as a user types them. */
class StoreCommandsTest {
    @TempDir
    Path tmp;

    private static final String[] SAMPLE = {"--data", "fashion-mnist-sample", "-epochs", "2", "-hidden_size", "32"};

    private static String[] args(String[] head, String... tail) {
        List<String> all = new ArrayList<>(List.of(head));
        all.addAll(List.of(SAMPLE));
        all.addAll(List.of(tail));
        return all.toArray(String[]::new);
    }

    /** {@code nnlab sweep train mlp} on the sample over {@code grid}, in the store at {@code url} under {@code name}. */
    private static CommandLineTest.Outcome sweepInStore(String grid, String url, String name, int workers, Path out) {
        return nnlab(args(new String[] {"sweep", "train", "mlp", "--grid", grid}, "--store", url, "--name", name,
                "--workers", Integer.toString(workers), "--out", out.toString()));
    }

    @Test
    void aSweepInTheStoreIsRunByLocalWorkersAndReportedFromTheStore() throws Exception {
        String url = TestPostgres.freshDatabase();
        var run = sweepInStore("learning_rate=0.01,0.02,0.03", url, "lr", 2, tmp.resolve("here"));
        assertEquals(0, run.status(), run.out() + run.err());
        assertTrue(run.out().contains("3 added, 0 there before") && run.out().contains("3 trials: 3 finished"), run.out());
        assertFalse(run.out().contains(StoreUrl.parse(url).password()), "the password is never printed");
        assertTrue(Files.exists(tmp.resolve("here/summary.csv")) && Files.exists(tmp.resolve("here/report.html")));
        // Again: nothing added, nothing run, the same report.
        var again = sweepInStore("learning_rate=0.01,0.02,0.03", url, "lr", 1, tmp.resolve("here"));
        assertEquals(0, again.status(), again.err());
        assertTrue(again.out().contains("0 added, 3 there before") && !again.out().contains("trial 1/3"), again.out());

        var report = nnlab("report", "--store", url, "--sweep", "lr", "--out", tmp.resolve("report").toString());
        assertEquals(0, report.status(), report.err());
        List<String> summary = Files.readAllLines(tmp.resolve("report/summary.csv"));
        assertEquals(4, summary.size(), String.join("\n", summary));
        assertTrue(summary.get(0).startsWith("trial,learning_rate,status,final_dev_acc") && summary.get(0).endsWith(",worker,attempts"), summary.get(0));
        assertTrue(summary.stream().skip(1).allMatch(l -> l.contains(",finished,")), String.join("\n", summary));
        assertTrue(Files.exists(tmp.resolve("report/plots/dev_acc-learning_rate.png")));

        // A worker with nothing left to do says so and exits 0.
        var idle = nnlab("worker", "--store", url, "--out", tmp.resolve("idle").toString());
        assertEquals(0, idle.status(), idle.err());
        assertTrue(idle.out().contains("nothing to do"), idle.out());
    }

    /**
     * A worker's job ends when every trial has, however they ended: exit 0 with a failed trial (here one
     * another machine failed) counted in its last line. A diverged trial's exploded epoch reaches the
     * store with its other epochs, as it reaches metrics.csv.
     */
    @Test
    void aWorkerExitsZeroOnceEveryTrialHasEndedAndTheStoreHasADivergedTrialsLastEpoch() throws Exception {
        String url = TestPostgres.freshDatabase();
        var enqueue = sweepInStore("learning_rate=0.01,1e6,0.02", url, "ends", 0, tmp.resolve("enqueue"));
        assertEquals(0, enqueue.status(), enqueue.out() + enqueue.err());
        try (PostgresStore elsewhere = PostgresStore.attach(StoreUrl.parse(url), "ends", java.time.Duration.ofSeconds(30), tmp.resolve("elsewhere"))) {
            TrialStore.Claim first = elsewhere.claim("another-machine").orElseThrow();
            assertTrue(elsewhere.finish(first, TrialResult.failed("out of memory on another machine")));
        }
        var worker = nnlab("worker", "--store", url, "--sweep", "ends", "--out", tmp.resolve("w").toString());
        assertEquals(0, worker.status(), worker.out() + worker.err());
        assertTrue(worker.out().contains("3 trials: 1 failed, 1 diverged, 1 finished") && worker.out().contains("to retry the failed ones"), worker.out());

        StoreUrl store = StoreUrl.parse(url);
        int trainedEpochs;
        try (Connection c = DriverManager.getConnection(store.jdbc(), store.properties()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT e.epoch, e.train_loss FROM nnlab_epochs e JOIN nnlab_trials t USING (sweep, idx) "
                     + "WHERE t.status = 'diverged' ORDER BY e.epoch")) {
            List<Double> losses = new ArrayList<>();
            while (rs.next()) losses.add(rs.getDouble(2));
            trainedEpochs = losses.size();
            assertFalse(losses.isEmpty(), "the diverged trial's epochs are in the store");
            double last = losses.get(losses.size() - 1);
            assertTrue(Double.isNaN(last) || Double.isInfinite(last) || last > 100, "the exploded epoch is the last stored: " + losses);
        }
        Path metrics;
        try (var found = Files.walk(tmp.resolve("w"))) {
            metrics = found.filter(p -> p.endsWith("metrics.csv") && p.toString().contains("1e6")).findFirst().orElseThrow();
        }
        assertEquals(Files.readAllLines(metrics).size() - 1, trainedEpochs, "metrics.csv and the store hold the same epochs");
    }

    @Test
    void aWorkersFolderIsItsSweepsAloneAndNamesAreSafeFolderNames() throws Exception {
        String url = TestPostgres.freshDatabase();
        Path shared = tmp.resolve("shared");
        var first = sweepInStore("learning_rate=0.01,0.02", url, "one", 1, shared);
        assertEquals(0, first.status(), first.out() + first.err());
        List<String> before;
        try (var files = Files.walk(shared)) {
            before = files.map(Path::toString).sorted().toList();
        }
        var second = sweepInStore("learning_rate=0.03,0.04", url, "two", 1, shared);
        assertEquals(1, second.status());
        assertTrue(second.err().contains("holds the trials or report of sweep one") && second.err().contains("nothing was changed"),
                second.err());
        var report = nnlab("report", "--store", url, "--sweep", "two", "--out", shared.toString());
        assertEquals(1, report.status());
        try (var files = Files.walk(shared)) {
            assertEquals(before, files.map(Path::toString).sorted().toList(), "another sweep's worker or report touched the folder");
        }
        // Its own sweep's report may go there.
        assertEquals(0, nnlab("report", "--store", url, "--sweep", "one", "--out", shared.toString()).status());
        for (String bad : new String[] {"../escape", "/tmp/abs", "a b", "a'b", ""}) {
            var o = nnlab("sweep", "train", "mlp", "--grid", "learning_rate=0.1,0.2", "--store", url, "--name", bad, "--workers", "0");
            assertEquals(2, o.status(), bad);
        }
    }

    @Test
    void conflictingSearchOptionsAndAShardWithoutTrialsAreSaidSo() {
        var empty = nnlab(args(new String[] {"sweep", "train", "mlp", "--grid", "learning_rate=0.1,0.01"}, "--shard", "3/3", "--out",
                tmp.resolve("empty").toString()));
        assertEquals(0, empty.status(), empty.err());
        assertTrue(empty.out().contains("shard 3/3 has no trials (the sweep has 2); nothing to do"), empty.out());
        assertFalse(Files.exists(tmp.resolve("empty")));
        String[][] refused = {
            {"sweep", "train", "mlp", "--random", "3", "--range", "learning_rate=0.01..0.1", "--grid", "learning_rate=0.1,0.2"},
            {"sweep", "train", "mlp", "--random", "3", "--range", "learning_rate=0.01..0.1", "--one-at-a-time"},
            {"sweep", "train", "mlp", "--grid", "learning_rate=0.1,0.2", "--lease-seconds", "30"},
            {"sweep", "train", "mlp", "--grid", "learning_rate=0.1,0.2", "--workers", "2", "--parallel", "2"}};
        for (String[] argv : refused) {
            var o = nnlab(argv);
            assertEquals(2, o.status(), String.join(" ", argv) + ": " + o.err());
            assertEquals(1, o.err().lines().count(), o.err());
        }
        var few = nnlab("sweep", "classic", "perceptron", "--data", "fashion-mnist-sample", "-epochs", "1", "--random", "5", "--grid",
                "learning_rate=0.5,1", "--out", tmp.resolve("few").toString());
        assertEquals(0, few.status(), few.err());
        assertTrue(few.err().contains("5 draws gave 2 distinct trials"), few.err());
    }

    @Test
    void badStoresGetOneLineEach() throws Exception {
        var noUrl = nnlab("sweep", "train", "mlp", "--grid", "learning_rate=0.1,0.2", "--store", "mysql://h/db", "--name", "x");
        assertEquals(2, noUrl.status());
        assertTrue(noUrl.err().contains("postgresql://HOST"), noUrl.err());
        var noName = nnlab("sweep", "train", "mlp", "--grid", "learning_rate=0.1,0.2", "--store", "postgresql://h/db");
        assertEquals(2, noName.status());
        assertTrue(noName.err().contains("--store needs --name"), noName.err());
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        var down = nnlab("worker", "--store", "postgresql://127.0.0.1:" + closed + "/db?user=u&password=secret");
        assertEquals(1, down.status());
        assertEquals(1, down.err().lines().count(), down.err());
        assertTrue(down.err().contains("cannot reach PostgreSQL at 127.0.0.1:" + closed) && !down.err().contains("secret"), down.err());
        var unknown = nnlab("worker", "--store", TestPostgres.freshDatabase(), "--sweep", "nope", "--out", tmp.resolve("nope").toString());
        assertEquals(1, unknown.status());
        assertTrue(unknown.err().contains("holds no sweep named 'nope'"), unknown.err());
        assertFalse(Files.exists(tmp.resolve("nope")), "no folder is taken for a sweep that does not exist");
    }

    @Test
    void shardsRunDisjointTrialsAndReportMergesThem() throws Exception {
        String[] sweep = {"sweep", "train", "mlp", "--grid", "learning_rate=0.01,0.02,0.03,0.04,0.05"};
        for (int i = 1; i <= 2; i++) {
            var shard = nnlab(args(sweep, "--shard", i + "/2", "--parallel", "1", "--out", tmp.resolve("s" + i).toString()));
            assertEquals(0, shard.status(), shard.out() + shard.err());
            assertTrue(shard.out().contains((i == 1 ? 3 : 2) + " trials of train mlp (shard " + i + "/2 of a sweep of 5)"), shard.out());
        }
        try (var a = Files.list(tmp.resolve("s1/trials")); var b = Files.list(tmp.resolve("s2/trials"))) {
            assertEquals(List.of("01-learning_rate=0.01", "03-learning_rate=0.03", "05-learning_rate=0.05"),
                    a.map(p -> p.getFileName().toString()).sorted().toList());
            assertEquals(List.of("02-learning_rate=0.02", "04-learning_rate=0.04"), b.map(p -> p.getFileName().toString()).sorted().toList());
        }
        var merged = nnlab("report", tmp.resolve("s1").toString(), tmp.resolve("s2").toString(), "--out", tmp.resolve("all").toString());
        assertEquals(0, merged.status(), merged.err());
        assertTrue(merged.out().contains("5 trials: 5 finished"), merged.out());
        assertEquals(6, Files.readAllLines(tmp.resolve("all/summary.csv")).size());
        // A shard of another sweep is not merged.
        var other = nnlab(args(new String[] {"sweep", "train", "mlp", "--grid", "learning_rate=0.5,0.6"}, "--shard", "1/2", "--out",
                tmp.resolve("o").toString()));
        assertEquals(0, other.status(), other.err());
        var refused = nnlab("report", tmp.resolve("s1").toString(), tmp.resolve("o").toString(), "--out", tmp.resolve("bad").toString());
        assertEquals(1, refused.status());
        assertTrue(refused.err().contains("holds another sweep"), refused.err());
    }

    @Test
    void aRandomSearchDrawsTheSameTrialsFromTheSameSeed() throws Exception {
        String[] head = {"sweep", "classic", "perceptron", "--data", "fashion-mnist-sample", "-epochs", "1", "--random", "4",
            "--range", "learning_rate=0.001..1:log", "--search-seed", "7", "--parallel", "1"};
        List<String> outs = new ArrayList<>(List.of(head));
        outs.addAll(List.of("--out", tmp.resolve("r1").toString()));
        var first = nnlab(outs.toArray(String[]::new));
        assertEquals(0, first.status(), first.out() + first.err());
        outs.set(outs.size() - 1, tmp.resolve("r2").toString());
        var second = nnlab(outs.toArray(String[]::new));
        assertEquals(0, second.status(), second.err());
        List<String> a = Files.readAllLines(tmp.resolve("r1/summary.csv")), b = Files.readAllLines(tmp.resolve("r2/summary.csv"));
        assertEquals(5, a.size(), String.join("\n", a));
        List<String> rates = a.stream().skip(1).map(l -> l.split(",")[1]).toList();
        assertEquals(rates, b.stream().skip(1).map(l -> l.split(",")[1]).toList(), "the same seed draws the same learning rates");
        for (String r : rates) {
            double v = Double.parseDouble(r);
            assertTrue(v >= 0.001 && v <= 1, r);
        }
        assertEquals(4, rates.stream().distinct().count(), rates.toString());
        var noRandom = nnlab("sweep", "train", "mlp", "--range", "learning_rate=0.001..0.1:log");
        assertEquals(2, noRandom.status());
        assertTrue(noRandom.err().contains("add --random K"), noRandom.err());
        var badRange = nnlab("sweep", "train", "mlp", "--random", "3", "--range", "learning_rate=0.1..0.01");
        assertEquals(2, badRange.status());
        assertTrue(badRange.err().contains("low end must be below the high end"), badRange.err());
    }

    private static final Pattern ENDED = Pattern.compile("^trial (\\d+)/\\d+ .*: (finished|stopped early|diverged)", Pattern.MULTILINE);

    /**
     * Three worker processes on one sweep: one killed with kill -9 in a trial, one stopped with SIGSTOP past
     * its lease and continued. Every trial ends exactly once, the killed one is rerun, the paused worker's
     * late result is refused.
     */
    @Test
    void threeWorkersOneKilledOnePausedEveryTrialEndsExactlyOnce() throws Exception {
        long start = System.nanoTime();
        String url = TestPostgres.freshDatabase();
        StoreUrl store = StoreUrl.parse(url);
        var enqueue = nnlab("sweep", "train", "mlp", "--data", "fashion-mnist-sample", "-epochs", "6", "-hidden_size", "64", "--grid",
                "learning_rate=0.01,0.012,0.014,0.016,0.018,0.02,0.022,0.024", "--store", url, "--name", "kp", "--workers", "0");
        assertEquals(0, enqueue.status(), enqueue.err());
        List<Process> workers = new ArrayList<>();
        List<Path> logs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Path log = tmp.resolve("worker" + i + ".log");
            logs.add(log);
            workers.add(new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "--add-modules", "jdk.incubator.vector",
                    "-Xmx512m", "-cp", System.getProperty("java.class.path"), "nnlab.cli.Main", "worker", "--store", url, "--sweep", "kp",
                    "--lease-seconds", "4", "--out", tmp.resolve("w" + i).toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start());
        }
        Process killed = workers.get(0), paused = workers.get(1);
        int killedTrial = runningTrialOf(store, killed.pid(), 120);
        killed.destroyForcibly(); // SIGKILL
        killed.waitFor();
        int pausedTrial;
        while (true) {
            runningTrialOf(store, paused.pid(), 120);
            signal("STOP", paused.pid());
            // Stopped now: the trial it holds (it may have finished the one just seen between the look and the signal).
            Integer held = heldTrialOf(store, paused.pid());
            if (held != null) {
                pausedTrial = held;
                break;
            }
            signal("CONT", paused.pid());
        }
        try {
            // Past its lease: another worker takes its trial over.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!takenOver(store, pausedTrial, paused.pid())) {
                assertTrue(System.nanoTime() < deadline, "the paused worker's trial was never taken over");
                Thread.sleep(200);
            }
        } finally {
            signal("CONT", paused.pid());
        }
        for (int i = 1; i < 3; i++) {
            assertTrue(workers.get(i).waitFor(300, TimeUnit.SECONDS), "worker " + i + " did not finish");
            assertEquals(0, workers.get(i).exitValue(), Files.readString(logs.get(i)));
        }
        Map<Integer, Integer> ended = new HashMap<>();
        List<Integer> perWorker = new ArrayList<>();
        StringBuilder all = new StringBuilder();
        for (Path log : logs) {
            String text = Files.readString(log, StandardCharsets.UTF_8);
            all.append(log.getFileName()).append(":\n").append(text);
            Matcher m = ENDED.matcher(text);
            int n = 0;
            for (; m.find(); n++) ended.merge(Integer.parseInt(m.group(1)) - 1, 1, Integer::sum);
            perWorker.add(n);
        }
        assertEquals(8, ended.size(), "every trial ended: " + all);
        assertTrue(ended.values().stream().allMatch(n -> n == 1), "a trial's result was recorded twice: " + ended + "\n" + all);
        String pausedLog = Files.readString(logs.get(1));
        assertTrue(pausedLog.contains("trial " + (pausedTrial + 1) + "/8") && (pausedLog.contains("its lease was lost")
                || pausedLog.contains("its result was refused")), "the paused worker's late result is refused:\n" + pausedLog);
        try (Connection c = DriverManager.getConnection(store.jdbc(), store.properties()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT idx, status, attempts, worker FROM nnlab_trials ORDER BY idx")) {
            while (rs.next()) {
                int idx = rs.getInt(1);
                assertEquals("finished", rs.getString(2), "trial " + (idx + 1));
                if (idx == killedTrial) {
                    assertTrue(rs.getInt(3) >= 2, "the killed worker's trial was rerun");
                    assertFalse(rs.getString(4).endsWith(":" + killed.pid()), rs.getString(4));
                }
                if (idx == pausedTrial) assertNotEquals(":" + paused.pid(), rs.getString(4).replaceAll("^[^:]*", ""));
            }
        }
        System.out.printf("kill/pause test: 3 workers, 8 trials of 6 epochs, %.0f s; trial %d killed with its worker (kill -9) and rerun; "
                + "trial %d taken over from the worker stopped past its 4 s lease, which said on waking: %s; each trial ended exactly once "
                + "(ended per worker: %s)%n", (System.nanoTime() - start) / 1e9, killedTrial + 1, pausedTrial + 1,
                pausedLog.lines().filter(l -> l.contains("lease was lost") || l.contains("was refused")).findFirst().orElse("?"),
                perWorker);
    }

    /** A worker told to stop (SIGTERM, as Ctrl-C or a job's time limit) gives its trial back at once, not after its lease. */
    @Test
    void aStoppedWorkerGivesItsTrialBack() throws Exception {
        String url = TestPostgres.freshDatabase();
        StoreUrl store = StoreUrl.parse(url);
        var enqueue = nnlab("sweep", "train", "mlp", "--data", "fashion-mnist-sample", "-epochs", "20", "-hidden_size", "64", "--grid",
                "learning_rate=0.01,0.02", "--store", url, "--name", "term", "--workers", "0");
        assertEquals(0, enqueue.status(), enqueue.err());
        Process worker = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "--add-modules", "jdk.incubator.vector",
                "-Xmx512m", "-cp", System.getProperty("java.class.path"), "nnlab.cli.Main", "worker", "--store", url, "--sweep", "term",
                "--lease-seconds", "600", "--out", tmp.resolve("w").toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("term.log").toFile()).start();
        int held = runningTrialOf(store, worker.pid(), 120);
        worker.destroy(); // SIGTERM
        assertTrue(worker.waitFor(60, TimeUnit.SECONDS));
        try (Connection c = DriverManager.getConnection(store.jdbc(), store.properties()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT status FROM nnlab_trials WHERE idx = " + held)) {
            rs.next();
            assertEquals("queued", rs.getString(1), "the trial waits for another worker, not for a 600 s lease:\n"
                    + Files.readString(tmp.resolve("term.log")));
        }
    }

    /** The trial the worker process {@code pid} holds, once it holds one (waiting up to {@code seconds}). */
    private static int runningTrialOf(StoreUrl store, long pid, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        try (Connection c = DriverManager.getConnection(store.jdbc(), store.properties())) {
            while (System.nanoTime() < deadline) {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                        "SELECT idx FROM nnlab_trials WHERE status = 'running' AND worker LIKE '%:" + pid + "' AND EXISTS (SELECT 1 FROM "
                                + "nnlab_epochs e WHERE e.sweep = nnlab_trials.sweep AND e.idx = nnlab_trials.idx AND e.token = nnlab_trials.token)")) {
                    if (rs.next()) return rs.getInt(1); // mid-trial: at least one epoch recorded, more to come
                }
                Thread.sleep(50);
            }
        }
        throw new AssertionError("worker " + pid + " never ran a trial");
    }

    private static Integer heldTrialOf(StoreUrl store, long pid) throws Exception {
        try (Connection c = DriverManager.getConnection(store.jdbc(), store.properties()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT idx FROM nnlab_trials WHERE status = 'running' AND worker LIKE '%:" + pid + "'")) {
            return rs.next() ? rs.getInt(1) : null;
        }
    }

    private static boolean takenOver(StoreUrl store, int trial, long pid) throws Exception {
        try (Connection c = DriverManager.getConnection(store.jdbc(), store.properties()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT worker, attempts FROM nnlab_trials WHERE idx = " + trial)) {
            rs.next();
            return !rs.getString(1).endsWith(":" + pid) && rs.getInt(2) >= 2;
        }
    }

    private static void signal(String name, long pid) throws Exception {
        assertEquals(0, new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start().waitFor());
    }
}
