package nnlab.experiment.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import nnlab.experiment.Sweep;
import nnlab.metrics.EpochRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PostgreSQL store against a real server: enqueuing, exclusive claims, leases, fencing, pruning, errors. */
class PostgresStoreTest {
    @TempDir
    Path tmp;

    static Map<String, Object> spec(String... learningRates) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("kind", "train");
        spec.put("base", new LinkedHashMap<>(Map.of("model", "mlp", "epochs", "3")));
        spec.put("grid", Map.of("learning_rate", List.of((Object[]) learningRates)));
        spec.put("one_at_a_time", false);
        return spec;
    }

    static PostgresStore enqueue(String url, String name, Map<String, Object> spec, Duration lease, Path out) {
        return PostgresStore.enqueue(StoreUrl.parse(url), name, spec, Sweep.trials(spec), lease, out).store();
    }

    /** A stand-in trial: {@code epochs} epochs whose dev accuracy is the learning rate, each reported as it comes. */
    static Sweep.TrialRunner fake(long millisPerEpoch, Map<String, AtomicInteger> runs) {
        return fake(millisPerEpoch, runs, false);
    }

    /** {@code files}: also leave metrics.csv and result.json in the trial's folder, as a run does (what a folder's sweep reads). */
    static Sweep.TrialRunner fake(long millisPerEpoch, Map<String, AtomicInteger> runs, boolean files) {
        return new Sweep.TrialRunner() {
            @Override
            public Map<String, Object> run(Map<String, String> settings, Path dir) {
                return run(settings, dir, r -> {});
            }

            @Override
            public Map<String, Object> run(Map<String, String> settings, Path dir, Consumer<EpochRecord> onEpoch) {
                double acc = Double.parseDouble(settings.get("learning_rate"));
                int epochs = Integer.parseInt(settings.get("epochs"));
                nnlab.experiment.RunDirectory run = new nnlab.experiment.RunDirectory(dir);
                for (int e = 1; e <= epochs; e++) {
                    if (millisPerEpoch > 0) {
                        try {
                            Thread.sleep(millisPerEpoch);
                        } catch (InterruptedException x) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    EpochRecord record = EpochRecord.of(e).withTrain(1.0 / e, acc).withDev(1.0 / e, acc);
                    if (files) run.addEpoch(record);
                    onEpoch.accept(record);
                }
                runs.computeIfAbsent(settings.get("learning_rate"), k -> new AtomicInteger()).incrementAndGet();
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("status", "finished");
                result.put("final_dev_acc", acc);
                result.put("final_test_acc", acc);
                if (files) run.writeResult(result);
                return result;
            }
        };
    }

    @Test
    void enqueuingTheSameSweepAgainAddsNothingAndAnotherUnderItsNameIsRefused() {
        String url = TestPostgres.freshDatabase();
        StoreUrl store = StoreUrl.parse(url);
        var first = PostgresStore.enqueue(store, "lr", spec("0.1", "0.2", "0.3"), Sweep.trials(spec("0.1", "0.2", "0.3")),
                Duration.ofSeconds(30), tmp);
        assertEquals(3, first.added());
        var again = PostgresStore.enqueue(store, "lr", spec("0.1", "0.2", "0.3"), Sweep.trials(spec("0.1", "0.2", "0.3")),
                Duration.ofSeconds(30), tmp);
        assertEquals(0, again.added());
        assertEquals(3, again.existing());
        var e = assertThrows(IllegalArgumentException.class, () -> enqueue(url, "lr", spec("0.5"), Duration.ofSeconds(30), tmp));
        assertTrue(e.getMessage().contains("holds another sweep named 'lr'") && e.getMessage().contains("learning_rate=0.1,0.2,0.3")
                && e.getMessage().contains("grid learning_rate [0.1, 0.2, 0.3] there, [0.5] here"), e.getMessage());
        assertFalse(e.getMessage().contains("password"), e.getMessage());
        assertEquals(List.of("lr"), PostgresStore.sweeps(store).stream().map(PostgresStore.SweepInfo::name).toList());
        assertEquals(3, PostgresStore.sweeps(store).get(0).queued());
        first.store().close();
        again.store().close();
    }

    @Test
    void aTrialIsClaimedOnceAndAnExpiredLeaseIsTakenOverWithTheLateWorkersWritesRefused() throws Exception {
        String url = TestPostgres.freshDatabase();
        // A's lease is short, B's long: A's runs out while B's holds, whatever the machine's pauses.
        try (PostgresStore a = enqueue(url, "s", spec("0.1", "0.2"), Duration.ofMillis(1500), tmp.resolve("a"));
             PostgresStore b = PostgresStore.attach(StoreUrl.parse(url), "s", Duration.ofSeconds(60), tmp.resolve("b"))) {
            TrialStore.Claim first = a.claim("A").orElseThrow();
            TrialStore.Claim second = b.claim("B").orElseThrow();
            assertNotEquals(first.index(), second.index(), "two workers got the same trial");
            assertTrue(b.claim("B").isEmpty(), "a third claim while both leases hold");
            assertTrue(a.epoch(first, EpochRecord.of(1).withDev(1, 0.5)));
            assertTrue(b.renew(second));
            Thread.sleep(2500); // A's lease runs out
            assertTrue(b.renew(second), "B's lease still holds");
            TrialStore.Claim takeover = b.claim("B").orElseThrow();
            assertEquals(first.index(), takeover.index(), "the expired trial is claimed again");
            assertEquals(2, takeover.attempt());
            assertEquals("A", takeover.takenFrom(), "a takeover names the worker whose lease expired");
            assertEquals(null, second.takenFrom());
            assertNotEquals(first.token(), takeover.token());
            assertTrue(takeover.dir().getFileName().toString().endsWith(".attempt-2"), takeover.dir().toString());
            // The paused worker comes back: its renewal, epochs and result are refused.
            assertFalse(a.renew(first));
            assertFalse(a.epoch(first, EpochRecord.of(2).withDev(1, 0.99)));
            assertFalse(a.finish(first, TrialResult.of(Map.of("status", "finished", "final_dev_acc", 0.99))));
            assertTrue(b.epoch(takeover, EpochRecord.of(1).withDev(1, 0.7)));
            assertTrue(b.finish(takeover, TrialResult.of(Map.of("status", "finished", "final_dev_acc", 0.7))));
            TrialRecord record = b.records().get(first.index());
            assertEquals("finished", record.status());
            assertEquals(0.7, record.result().finalDevAcc());
            assertEquals("B", record.worker());
            assertEquals(List.of(0.7), record.epochs().stream().map(EpochRecord::devAccuracy).toList(), "only the winning attempt's epochs");
            assertEquals(1, b.unfinished());
        }
    }

    @Test
    void aRenewedLeaseHoldsPastItsFirstTerm() throws Exception {
        String url = TestPostgres.freshDatabase();
        try (PostgresStore a = enqueue(url, "s", spec("0.1"), Duration.ofSeconds(2), tmp)) {
            TrialStore.Claim claim = a.claim("A").orElseThrow();
            for (int i = 0; i < 5; i++) {
                Thread.sleep(500);
                assertTrue(a.renew(claim));
            }
            assertTrue(a.claim("B").isEmpty(), "a renewed lease is not taken over");
            assertTrue(a.finish(claim, TrialResult.of(Map.of("status", "finished"))));
            assertTrue(a.finish(claim, TrialResult.of(Map.of("status", "finished"))), "a repeated finish (its reply lost) finds its write");
            assertEquals(0, a.unfinished());
        }
    }

    /** The heartbeat of {@link Workers} keeps trials that run longer than their lease: none is taken over. */
    @Test
    void theHeartbeatKeepsTrialsLongerThanTheirLease() {
        String url = TestPostgres.freshDatabase();
        Map<String, Object> spec = spec("0.1", "0.2", "0.3");
        Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        List<String> lines = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        try (PostgresStore store = enqueue(url, "hb", spec, Duration.ofSeconds(2), tmp)) {
            // 3 epochs of 1.5 s: 4.5 s a trial, more than twice the lease; two threads race for the three trials.
            Workers.run(store, 2, fake(1500, runs), new Workers.Options("w", Duration.ofSeconds(2), Duration.ofMillis(100), false),
                    lines::add);
            assertEquals(3, runs.size());
            assertTrue(runs.values().stream().allMatch(n -> n.get() == 1), runs.toString());
            assertTrue(store.records().stream().allMatch(r -> r.status().equals("finished") && r.attempts() == 1),
                    String.join("\n", lines));
        }
    }

    /**
     * Once the table has statistics, the planner may run a claim's choice of trial once per row of the
     * sweep (a nested loop), and in a new sweep, whose trials lie in their order, each run finds the next trial:
     * a claim must still take one trial. Statistics from before the sweep was added make that plan.
     */
    @Test
    void aClaimTakesOneTrialWhateverPlanTheDatabaseChooses() throws Exception {
        String url = TestPostgres.freshDatabase();
        StoreUrl u = StoreUrl.parse(url);
        enqueue(url, "earlier", spec("0.1", "0.2", "0.3", "0.4"), Duration.ofSeconds(30), tmp).close();
        try (Connection c = DriverManager.getConnection(u.jdbc(), u.properties()); Statement s = c.createStatement()) {
            s.execute("ANALYZE"); // statistics from before the new sweep: its trials are estimated as one row
        }
        try (PostgresStore store = enqueue(url, "plan", spec("0.1", "0.2", "0.3", "0.4"), Duration.ofSeconds(30), tmp)) {
            store.claim("A").orElseThrow();
            store.claim("A").orElseThrow();
            try (Connection c = DriverManager.getConnection(u.jdbc(), u.properties()); Statement s = c.createStatement();
                 var rs = s.executeQuery("SELECT count(*) FILTER (WHERE status = 'running'), max(attempts) FROM nnlab_trials t "
                         + "JOIN nnlab_sweeps w ON w.id = t.sweep WHERE w.name = 'plan'")) {
                rs.next();
                assertEquals(2, rs.getInt(1), "two claims, two running trials");
                assertEquals(1, rs.getInt(2));
            }
        }
    }

    /** The server drops every connection (a restart, an administrator): the worker reconnects, no trial counts as failed. */
    @Test
    void droppedConnectionsAreReconnectedAndNoTrialFails() throws Exception {
        String url = TestPostgres.freshDatabase();
        StoreUrl u = StoreUrl.parse(url);
        Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        List<String> lines = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        try (PostgresStore store = enqueue(url, "drop", spec("0.1", "0.2", "0.3", "0.4"), Duration.ofSeconds(30), tmp)) {
            Thread killer = new Thread(() -> {
                try (Connection c = DriverManager.getConnection(u.jdbc(), u.properties()); Statement s = c.createStatement()) {
                    for (int i = 0; i < 6; i++) {
                        Thread.sleep(400);
                        s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'nnlab' "
                                + "AND pid <> pg_backend_pid() AND datname = current_database()");
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            killer.start();
            Workers.run(store, 2, fake(300, runs), new Workers.Options("w", Duration.ofSeconds(30), Duration.ofMillis(100), false),
                    lines::add);
            killer.join();
            List<TrialRecord> records = store.records();
            assertTrue(records.stream().allMatch(r -> r.status().equals("finished")), records + "\n" + String.join("\n", lines));
        }
    }

    /** A role that may read and write nnlab's tables but not create any works on a store its owner set up; one that may only read, reports. */
    @Test
    void workersAndReportsNeedNoCreatePrivilege() throws Exception {
        String url = TestPostgres.freshDatabase();
        enqueue(url, "owned", spec("0.1", "0.2"), Duration.ofSeconds(30), tmp).close();
        StoreUrl owner = StoreUrl.parse(url);
        String role = "wk_" + ProcessHandle.current().pid() + "_" + System.nanoTime() % 100000;
        try (Connection c = DriverManager.getConnection(owner.jdbc(), owner.properties()); Statement s = c.createStatement()) {
            s.execute("CREATE ROLE " + role + " LOGIN PASSWORD 'pw'");
            s.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC");
            s.execute("GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO " + role);
            s.execute("GRANT USAGE ON SEQUENCE nnlab_tokens TO " + role);
        }
        String as = url.replaceFirst("user=[^&]*", "user=" + role).replaceFirst("password=[^&]*", "password=pw");
        try (PostgresStore store = PostgresStore.attach(StoreUrl.parse(as), "owned", Duration.ofSeconds(30), tmp)) {
            TrialStore.Claim c = store.claim("W").orElseThrow();
            assertTrue(store.epoch(c, EpochRecord.of(1).withDev(1, 0.5)));
            assertTrue(store.finish(c, TrialResult.of(Map.of("status", "finished"))));
            assertEquals(2, store.records().size());
        }
    }

    /** The password from ~/.pgpass (PGPASSFILE), against the real server. */
    @Test
    void thePasswordFileIsUsedToConnect() throws Exception {
        String url = TestPostgres.freshDatabase();
        StoreUrl full = StoreUrl.parse(url);
        java.nio.file.Path pass = tmp.resolve("pgpass");
        java.nio.file.Files.writeString(pass, full.host() + ":" + full.port() + ":*:" + full.user() + ":" + full.password() + "\n");
        java.nio.file.Files.setPosixFilePermissions(pass, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        String withoutPassword = url.replaceFirst("&?password=[^&]*", "");
        StoreUrl fromFile = StoreUrl.parse(withoutPassword, Map.of("PGPASSFILE", pass.toString()), tmp);
        assertEquals(List.of(), PostgresStore.sweeps(fromFile));
    }

    @Test
    void failedTrialsGoBackInTheQueueWhenTheSweepIsEnqueuedAgain() {
        String url = TestPostgres.freshDatabase();
        try (PostgresStore a = enqueue(url, "s", spec("0.1", "0.2"), Duration.ofSeconds(30), tmp)) {
            TrialStore.Claim c = a.claim("A").orElseThrow();
            assertTrue(a.finish(c, TrialResult.failed("boom")));
            TrialStore.Claim d = a.claim("A").orElseThrow();
            assertTrue(a.finish(d, TrialResult.of(Map.of("status", "finished"))));
            assertEquals(0, a.unfinished());
            var again = PostgresStore.enqueue(StoreUrl.parse(url), "s", spec("0.1", "0.2"), Sweep.trials(spec("0.1", "0.2")),
                    Duration.ofSeconds(30), tmp);
            assertEquals(1, again.retried());
            assertEquals(0, again.added());
            assertEquals(c.index(), again.store().claim("A").orElseThrow().index());
            again.store().close();
        }
    }

    @Test
    void aThousandTrialsClaimedBySixteenThreadsRunOnceEach() {
        String url = TestPostgres.freshDatabase();
        String[] rates = new String[1000];
        for (int i = 0; i < rates.length; i++) rates[i] = String.valueOf(i + 1);
        Map<String, Object> spec = spec(rates);
        ((Map<String, Object>) spec.get("base")).put("epochs", "1");
        Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        List<String> lines = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        long start = System.nanoTime();
        try (PostgresStore store = enqueue(url, "big", spec, Duration.ofSeconds(30), tmp)) {
            long enqueued = System.nanoTime();
            Workers.run(store, 16, fake(0, runs), new Workers.Options("w", Duration.ofSeconds(30), Duration.ofMillis(50), false),
                    lines::add);
            double seconds = (System.nanoTime() - enqueued) / 1e9;
            System.out.printf("1,000 trials by 16 threads: enqueued in %.2f s, claimed, run and finished in %.2f s (%.0f trials/s)%n",
                    (enqueued - start) / 1e9, seconds, 1000 / seconds);
            assertEquals(1000, runs.size(), "every trial ran");
            assertTrue(runs.values().stream().allMatch(n -> n.get() == 1), "a trial ran twice");
            List<TrialRecord> records = store.records();
            assertEquals(1000, records.stream().filter(r -> r.status().equals("finished")).count());
            assertEquals(1000, records.stream().filter(r -> r.epochs().size() == 1).count());
            long workers = records.stream().map(TrialRecord::worker).distinct().count();
            assertTrue(workers > 1, "the trials were spread over the threads: " + workers);
            assertEquals(1000, lines.stream().filter(l -> l.endsWith(": started")).count());
            assertEquals(1000, lines.stream().filter(l -> l.contains(": finished")).count());
        }
    }

    @Test
    void medianPruningStopsTrialsBelowTheFinishedOnesMedian() {
        String url = TestPostgres.freshDatabase();
        Map<String, Object> spec = spec("0.9", "0.8", "0.85", "0.95", "0.7", "0.1", "0.99");
        Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        List<String> lines = new java.util.ArrayList<>();
        try (PostgresStore store = enqueue(url, "prune", spec, Duration.ofSeconds(30), tmp)) {
            Workers.run(store, 1, fake(0, runs), new Workers.Options("w", Duration.ofSeconds(30), Duration.ofMillis(50), true), lines::add);
            List<TrialRecord> records = store.records();
            // The first five finish (nothing to compare with); 0.1 is below their median 0.85 after epoch 1; 0.99 is not.
            assertEquals(List.of("finished", "finished", "finished", "finished", "finished", "pruned", "finished"),
                    records.stream().map(TrialRecord::status).toList(), String.join("\n", lines));
            assertEquals(1, ((Number) records.get(5).result().all().get("pruned_epoch")).intValue());
            assertEquals(0.85, ((Number) records.get(5).result().all().get("pruned_below_median")).doubleValue(), 1e-12);
            assertEquals(1, records.get(5).epochs().size());
        }
    }

    @Test
    void aDatabaseMadeByANewerNnlabIsRefused() throws Exception {
        String url = TestPostgres.freshDatabase();
        enqueue(url, "s", spec("0.1"), Duration.ofSeconds(30), tmp).close();
        StoreUrl store = StoreUrl.parse(url);
        try (Connection c = DriverManager.getConnection(store.jdbc(), store.properties()); Statement s = c.createStatement()) {
            s.execute("UPDATE nnlab_schema SET version = 99");
        }
        var e = assertThrows(IllegalStateException.class, () -> PostgresStore.attach(store, "s", Duration.ofSeconds(30), tmp));
        assertTrue(e.getMessage().contains("newer nnlab") && e.getMessage().contains("version 99"), e.getMessage());
    }

    @Test
    void aServerThatIsDownWrongCredentialsAndAMissingDatabaseEachGetOneClearLine() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        var down = assertThrows(IllegalStateException.class, () -> PostgresStore.sweeps(
                StoreUrl.parse("postgresql://127.0.0.1:" + closed + "/x?user=u&password=p")));
        assertTrue(down.getMessage().startsWith("cannot reach PostgreSQL at 127.0.0.1:" + closed) && down.getMessage().contains("running"),
                down.getMessage());

        String url = TestPostgres.url();
        String wrong = url.replaceFirst("password=[^&]*", "password=not-it");
        var denied = assertThrows(IllegalStateException.class, () -> PostgresStore.sweeps(StoreUrl.parse(wrong)));
        assertTrue(denied.getMessage().contains("refused user 'postgres'") && denied.getMessage().contains("PGPASSWORD"), denied.getMessage());
        assertFalse(denied.getMessage().contains("not-it"), "the password is never shown: " + denied.getMessage());

        String missing = url.replaceFirst("/postgres\\?", "/no_such_db?");
        var none = assertThrows(IllegalStateException.class, () -> PostgresStore.sweeps(StoreUrl.parse(missing)));
        assertTrue(none.getMessage().contains("has no database 'no_such_db'") && none.getMessage().contains("createdb"), none.getMessage());

        var unknown = assertThrows(IllegalArgumentException.class, () -> PostgresStore.attach(StoreUrl.parse(TestPostgres.freshDatabase()),
                "nope", Duration.ofSeconds(30), tmp));
        assertTrue(unknown.getMessage().contains("holds no sweep named 'nope'"), unknown.getMessage());
    }
}
