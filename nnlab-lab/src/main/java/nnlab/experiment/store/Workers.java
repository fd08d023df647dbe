package nnlab.experiment.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import nnlab.experiment.RunDirectory;
import nnlab.experiment.Sweep;
import nnlab.metrics.EpochRecord;

/**
 * Runs a sweep's trials from a {@link TrialStore}, {@code parallel} at a time: each worker thread claims
 * a trial, runs it into the claim's folder, records its epochs as they come and finishes it, until no
 * trial is left. With a store whose leases expire, a thread with nothing to claim waits while others
 * hold trials (a lease that expires comes back to be claimed), a heartbeat renews this process's leases,
 * and a trial whose lease was lost is abandoned at its next epoch: another worker runs it.
 */
public final class Workers {
    private Workers() {}

    /**
     * @param name   this process's name in the store ({@code host:pid} when null); threads add {@code #n}
     * @param lease  how long a claim holds without a heartbeat; renewed every third of it
     * @param poll   how long a thread with nothing to claim waits before it asks again
     * @param prune  median pruning: stop a trial whose dev accuracy at an epoch is below the median of the
     *               finished trials' at that epoch (once {@link #PRUNE_STARTUP} trials have finished it)
     */
    public record Options(String name, Duration lease, Duration poll, boolean prune) {
        public static final Options DEFAULT = new Options(null, Duration.ofSeconds(60), Duration.ofSeconds(2), false);

        /** The name given, or this process's ({@code host:pid}, looked up only when a store needs it). */
        public String worker() {
            return name != null ? name : processName();
        }

        public Options withPrune(boolean p) {
            return new Options(name, lease, poll, p);
        }

        public Options withLease(Duration l) {
            return new Options(name, l, poll.compareTo(l.dividedBy(4)) > 0 ? l.dividedBy(4) : poll, prune);
        }
    }

    /** Finished trials median pruning waits for before it compares (Optuna's MedianPruner's default). */
    public static final int PRUNE_STARTUP = 5;

    /** {@code host:pid}: which machine and process ran a trial, in the store and the summary. */
    public static String processName() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = System.getenv().getOrDefault("HOSTNAME", "localhost");
        }
        return host + ":" + ProcessHandle.current().pid();
    }

    /** Thrown out of a trial's epoch callback when its lease was lost: the trial stops, its result is not recorded. */
    private static final class LeaseLost extends RuntimeException {
        LeaseLost() {
            super("lease lost", null, false, false);
        }
    }

    /** Thrown out of a trial's epoch callback to stop a trial median pruning stops. */
    private static final class Pruned extends RuntimeException {
        final TrialResult result;

        Pruned(TrialResult result) {
            super("pruned", null, false, false);
            this.result = result;
        }
    }

    /** Runs until every trial of the store is ended (or, for a store whose leases do not expire, none is left to claim). */
    public static void run(TrialStore store, int parallel, Sweep.TrialRunner runner, Options options, Consumer<String> log) {
        int total = store.trials().size();
        for (TrialStore.Claim done : store.previouslyFinished()) {
            // A kill between a trial's result.json and its report: rebuild what is missing.
            if (!Files.exists(done.dir().resolve(Sweep.REPORT))) runner.complete(done.dir());
            log.accept("trial " + (done.index() + 1) + "/" + total + " " + done.trial().name() + ": finished before, skipped");
        }
        Map<TrialStore.Claim, AtomicBoolean> active = new ConcurrentHashMap<>();
        ScheduledExecutorService heartbeat = null;
        if (store.leasesExpire()) {
            heartbeat = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "nnlab-heartbeat"));
            long every = Math.max(50, options.lease().toMillis() / 3);
            heartbeat.scheduleWithFixedDelay(() -> active.forEach((claim, lost) -> {
                try {
                    if (!lost.get() && !store.renew(claim)) lost.set(true);
                } catch (RuntimeException e) {
                    // The store did not answer this time; the lease holds until it expires, and the next beat retries.
                    log.accept("heartbeat for trial " + (claim.index() + 1) + " failed (" + e.getMessage() + "); retrying");
                }
            }), every, every, TimeUnit.MILLISECONDS);
        }
        // Told to stop (Ctrl-C, SIGTERM, a job's time limit): give the trials in hand back at once, so other
        // workers need not wait for their leases to run out.
        Thread release = store.leasesExpire() ? new Thread(() -> active.keySet().forEach(claim -> {
            try {
                store.release(claim);
            } catch (RuntimeException e) {
                // stopping: the lease runs out instead
            }
        }), "nnlab-release") : null;
        if (release != null) Runtime.getRuntime().addShutdownHook(release);
        String name = store.leasesExpire() ? options.worker() : "local";
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, parallel), r -> daemon(r, "nnlab-trial"));
        try {
            List<Future<?>> threads = new ArrayList<>();
            for (int t = 0; t < Math.max(1, parallel); t++) {
                String worker = name + (parallel > 1 ? "#" + (t + 1) : "");
                threads.add(pool.submit(() -> {
                    while (true) {
                        Optional<TrialStore.Claim> claim = store.claim(worker);
                        if (claim.isPresent()) {
                            runOne(store, claim.get(), runner, options, active, total, log);
                        } else if (store.leasesExpire() && store.unfinished() > 0) {
                            Thread.sleep(options.poll().toMillis()); // others hold the rest; a lease may expire
                        } else {
                            return null;
                        }
                    }
                }));
            }
            for (Future<?> f : threads) f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("sweep interrupted; rerun the same command to resume", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r && r.getMessage() != null) throw r; // the store's own clear message
            throw new IllegalStateException("a trial failed unexpectedly: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
            if (heartbeat != null) heartbeat.shutdownNow();
            if (release != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(release);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running: it releases what is left
                }
            }
        }
    }

    private static void runOne(TrialStore store, TrialStore.Claim claim, Sweep.TrialRunner runner, Options options,
                               Map<TrialStore.Claim, AtomicBoolean> active, int total, Consumer<String> log) {
        AtomicBoolean lost = new AtomicBoolean();
        active.put(claim, lost);
        String label = "trial " + (claim.index() + 1) + "/" + total + " " + claim.trial().name()
                + (claim.attempt() > 1 ? " (attempt " + claim.attempt() + ")" : "");
        try {
            clear(claim.dir());
            // Trials of many minutes: say which one this worker holds now (a folder's sweep says when each ends).
            if (store.leasesExpire()) {
                log.accept(label + ": started" + (claim.takenFrom() != null ? ", taken over from " + claim.takenFrom()
                        + " whose lease expired" : ""));
            }
            int epochs = epochs(claim.trial().settings());
            Consumer<EpochRecord> onEpoch = record -> {
                if (lost.get() || !store.epoch(claim, record)) {
                    lost.set(true);
                    throw new LeaseLost();
                }
                if (options.prune() && record.epoch() < epochs && !Double.isNaN(record.devAccuracy())) {
                    List<Double> others = store.finishedDevAccuracies(record.epoch());
                    if (others.size() >= PRUNE_STARTUP) {
                        double median = median(others);
                        if (record.devAccuracy() < median) throw new Pruned(TrialResult.pruned(record.epoch(), record.devAccuracy(), median));
                    }
                }
            };
            TrialResult result;
            try {
                result = TrialResult.of(runner.run(claim.trial().settings(), claim.dir(), onEpoch));
            } catch (TrialStore.Unavailable e) {
                throw e; // the store is out of reach: not this trial's failure; its lease runs out for another worker
            } catch (LeaseLost e) {
                log.accept(label + ": its lease was lost (this worker was paused or cut off past it); abandoned, "
                        + "another worker runs it");
                return;
            } catch (Pruned p) {
                result = p.result;
                new RunDirectory(claim.dir()).writeResult(new java.util.LinkedHashMap<>(result.all()));
            } catch (RuntimeException | OutOfMemoryError e) {
                // Recorded, not fatal: the other trials go on, and a rerun retries this one.
                result = TrialResult.failed(e instanceof OutOfMemoryError
                        ? "out of memory: run fewer trials at once (--parallel) or give the JVM more heap"
                        : String.valueOf(e.getMessage() != null ? e.getMessage() : e));
                new RunDirectory(claim.dir()).writeResult(new java.util.LinkedHashMap<>(result.all()));
            }
            if (lost.get() || !store.finish(claim, result)) {
                log.accept(label + ": ended, but its lease had been lost, so its result was refused (another worker's stands)");
                return;
            }
            log.accept(label + ": " + describe(result));
        } finally {
            active.remove(claim);
        }
    }

    private static int epochs(Map<String, String> settings) {
        try {
            return Integer.parseInt(settings.getOrDefault("epochs", String.valueOf(Integer.MAX_VALUE)));
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE;
        }
    }

    static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Removes what a killed attempt left, so the trial starts clean. Ended trials are never claimed, so never touched. */
    private static void clear(Path trialDir) {
        try {
            RunDirectory.delete(trialDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear the unfinished trial " + trialDir + ": " + e.getMessage(), e);
        }
    }

    static String describe(TrialResult result) {
        Map<String, Object> all = result.all();
        if ("failed".equals(result.status())) return "failed: " + result.error();
        if ("diverged".equals(result.status())) return "diverged in epoch " + all.get("diverged_epoch");
        if ("pruned".equals(result.status())) {
            return String.format("pruned after epoch %s (dev acc %.4f below the finished trials' median %.4f)", all.get("pruned_epoch"),
                    ((Number) all.get("pruned_dev_acc")).doubleValue(), ((Number) all.get("pruned_below_median")).doubleValue());
        }
        StringBuilder sb = new StringBuilder(result.status());
        for (String k : List.of("final_dev_acc", "final_test_acc", "final_test_rmse")) {
            if (all.get(k) instanceof Number n) sb.append(", ").append(k).append(' ').append(String.format("%.4f", n.doubleValue()));
        }
        return sb.toString();
    }
}
