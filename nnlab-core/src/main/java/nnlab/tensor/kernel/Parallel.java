package nnlab.tensor.kernel;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.IntConsumer;

/**
 * The kernels' helper threads: {@link #THREADS} − 1 shared daemon threads that split large products
 * ({@link Gemm}) and take side work off a training step ({@link #fork}).
 *
 * <p>Work is handed out in parts claimed from a counter by the caller and the helpers alike, and a
 * caller only ever waits for parts already running: a busy pool, or a caller that is itself running
 * on a helper, costs speed, never a deadlock. Failures of a part are rethrown to the caller. Parts
 * that can be redone ({@link Redoable}) need not even wait for those: the caller redoes a part whose
 * helper is late and drops that helper's result.
 *
 * <p>A helper out of work stays awake for {@link #SPIN_NANOS} before it blocks, yielding its processor
 * to any other runnable thread meanwhile: waking a blocked thread took 50–110 µs on a 2-vCPU virtual
 * machine once it had been idle for a millisecond — a tenth of a batch-512 layer product — and a
 * training step's products come about a millisecond apart. BLAS libraries' threads wait the same way
 * (OpenBLAS's spin far longer).
 */
public final class Parallel {

    /** Threads for parallel work, the caller included: all processors ({@code -Dnnlab.gemm.threads=N} overrides). */
    static final int THREADS = Math.max(1, Integer.getInteger("nnlab.gemm.threads",
            Runtime.getRuntime().availableProcessors()));
    /** How long a helper out of work stays awake: 2 ms ({@code -Dnnlab.gemm.spinMicros=N}; 0 blocks at once). */
    private static final long SPIN_NANOS = Long.getLong("nnlab.gemm.spinMicros", 2000) * 1000;
    /** How long a caller waits awake for the helpers' last parts before it blocks. */
    private static final long AWAIT_SPIN_NANOS = 200_000;

    private Parallel() {}

    /**
     * Starts {@code body} on a helper thread and returns at once; {@link Task#join} waits for it. With
     * no helper (one processor), or none free by the time of the join, the joining thread runs it
     * itself. The body must not touch what the caller touches before the join; the join makes all of
     * the body's writes visible to the caller.
     */
    public static Task fork(Runnable body) {
        Job job = new Job(1, part -> body.run());
        if (THREADS > 1) Pool.execute(job);
        return new Task(job);
    }

    /** Work started by {@link #fork}. */
    public static final class Task {
        private final Job job;

        private Task(Job job) {
            this.job = job;
        }

        /**
         * Returns when the body has run: runs it here if no helper has started it, else waits for it.
         *
         * @throws RuntimeException or Error: whatever the body threw
         */
        public void join() {
            job.run();
            job.await();
        }
    }

    /**
     * Runs body(0), …, body(parts−1), some on helper threads, and returns when all are done. Parts are
     * claimed in increasing order, so a part may wait (briefly) for lower ones already claimed.
     */
    static void forParts(int parts, IntConsumer body) {
        Job job = new Job(parts, body);
        for (int t = 1, threads = Math.min(parts, THREADS); t < threads; t++) Pool.execute(job);
        job.run();
        job.await();
    }

    /**
     * Work whose parts the caller may redo: on a shared machine the hypervisor can stop a helper's
     * processor for milliseconds while the helper holds a part, and a caller that waited for it would
     * stand still that long. So a helper runs a part {@link #detached} — its output kept where only it
     * writes — and publishes it only if the caller has not taken the part over meanwhile; the caller
     * takes over a part that has run more than about twice as long as its own parts took.
     */
    interface Redoable {
        /** Runs the part on the calling thread, writing its output in place. */
        void run(int part);

        /**
         * Runs the part on a helper without writing anything a caller's redo could also write, and
         * returns what publishes its output in place (run only if the part was not taken over), or
         * null when it has nothing to publish: its writes are the same values as a redo's, store by store
         * (a store that writes past its values, even for the next store to replace, can be read by the
         * caller meanwhile), into a place the caller gives up after the job if any part was redone (see
         * {@link #forRedoableParts}).
         * It may run long after the caller has moved on, on inputs changed since.
         */
        Runnable detached(int part);
    }

    /**
     * Runs body's parts 0, …, parts−1, some on helper threads ({@link Redoable#detached} there), and
     * returns when each has been run or published once. Parts from {@code first} on start only once
     * every part below {@code first} is done (parts below first prepare what later parts read).
     *
     * @return true if the caller redid a part a helper was late with: that helper may still be running
     * its copy, so whatever a detached part writes in place without publishing must not be reused
     */
    static boolean forRedoableParts(int parts, int first, Redoable body) {
        return forRedoableParts(parts, first, body, Math.min(parts, THREADS) - 1, Pool::execute);
    }

    /** {@link #forRedoableParts(int, int, Redoable)} with {@code helpers} helpers started by {@code start}. */
    static boolean forRedoableParts(int parts, int first, Redoable body, int helpers, Executor start) {
        RedoJob job = new RedoJob(parts, first, body);
        for (int t = 0; t < helpers; t++) start.execute(job::help);
        return job.runAsCaller();
    }

    /** Tests only: run by a helper as it starts a detached part, to make it late on purpose. */
    static volatile Runnable helperDelay;

    /** Throws a part's failure (if any) in the caller, unchecked ones as they are. */
    private static void rethrow(Throwable e) {
        if (e instanceof RuntimeException r) throw r;
        if (e instanceof Error err) throw err;
        if (e != null) throw new IllegalStateException(e);
    }

    /** The helpers, started on first use, taking jobs from one queue. */
    private static final class Pool {
        private static final LinkedBlockingQueue<Runnable> QUEUE = new LinkedBlockingQueue<>();

        static {
            for (int i = 1; i < THREADS; i++) {
                Thread t = new Thread(Pool::work, "nnlab-gemm");
                t.setDaemon(true);
                t.start();
            }
        }

        static void execute(Runnable job) {
            QUEUE.add(job);
        }

        private static void work() {
            while (true) {
                Runnable job = QUEUE.poll();
                for (long until = System.nanoTime() + SPIN_NANOS; job == null && System.nanoTime() < until; ) {
                    Thread.yield();
                    job = QUEUE.poll();
                }
                try {
                    if (job == null) job = QUEUE.take();
                    job.run(); // a Job keeps its parts' failures for its caller
                } catch (InterruptedException e) {
                    // nobody interrupts these threads; carry on
                }
            }
        }
    }

    private static final class Job implements Runnable {
        private final int parts;
        private final IntConsumer body;
        private final AtomicInteger next = new AtomicInteger();
        private final CountDownLatch done;
        private volatile Throwable failure;

        Job(int parts, IntConsumer body) {
            this.parts = parts;
            this.body = body;
            this.done = new CountDownLatch(parts);
        }

        @Override
        public void run() {
            for (int part; (part = next.getAndIncrement()) < parts; ) {
                try {
                    body.accept(part);
                } catch (Throwable e) {
                    failure = e;
                } finally {
                    done.countDown();
                }
            }
        }

        void await() {
            boolean interrupted = false;
            // The last part is usually a fraction of a millisecond from done: wait for it awake.
            for (long until = System.nanoTime() + AWAIT_SPIN_NANOS; done.getCount() > 0 && System.nanoTime() < until; ) {
                Thread.onSpinWait();
            }
            while (done.getCount() > 0) {
                try {
                    done.await();
                } catch (InterruptedException e) {
                    interrupted = true; // finish the work anyway: its output would be half-written otherwise
                }
            }
            if (interrupted) Thread.currentThread().interrupt();
            rethrow(failure);
        }
    }

    /** A {@link Redoable} job: the parts' states, who holds them and since when. */
    private static final class RedoJob {
        private static final int FREE = 0, HELPER = 1, OWN = 2, PUBLISHING = 3, DONE = 4;
        /** Least time a caller gives a helper's part before redoing it. */
        private static final long MIN_GRACE_NANOS = 100_000;
        /** Grace before the caller has timed a part of the same kind itself. */
        private static final long DEFAULT_GRACE_NANOS = 1_000_000;

        private final int parts, first;
        private final Redoable body;
        private final AtomicInteger next = new AtomicInteger();
        private final AtomicIntegerArray state;
        private final long[] claimedAt;             // written before the state turns HELPER
        private final AtomicInteger remaining, earlyRemaining;
        private volatile long earlyDoneAt;          // when the last part below first was done (0: not yet)
        private volatile Throwable failure;
        // the caller's own: the longest part it ran below first and from first on
        private long ownEarly, ownLate;
        private boolean redone;

        RedoJob(int parts, int first, Redoable body) {
            this.parts = parts;
            this.first = Math.min(first, parts);
            this.body = body;
            state = new AtomicIntegerArray(parts);
            claimedAt = new long[parts];
            remaining = new AtomicInteger(parts);
            earlyRemaining = new AtomicInteger(this.first);
        }

        /** A helper's share: claims parts until none is left, publishing those not taken over. */
        void help() {
            for (int part; (part = next.getAndIncrement()) < parts; ) {
                claimedAt[part] = System.nanoTime();
                if (!state.compareAndSet(part, FREE, HELPER)) continue; // the caller got there first
                if (part >= first) {
                    while (earlyRemaining.get() > 0 && state.get(part) == HELPER) Thread.onSpinWait();
                }
                Runnable publish = null;
                Throwable thrown = null;
                try {
                    if (state.get(part) == HELPER) {
                        Runnable delay = helperDelay;
                        if (delay != null) delay.run();
                        publish = body.detached(part);
                    }
                } catch (Throwable e) {
                    thrown = e;
                }
                if (!state.compareAndSet(part, HELPER, PUBLISHING)) continue; // redone by the caller: drop it
                try {
                    if (thrown != null) throw thrown;
                    if (publish != null) publish.run();
                } catch (Throwable e) {
                    failure = e;
                } finally {
                    done(part);
                }
            }
        }

        boolean runAsCaller() {
            for (int part; (part = next.getAndIncrement()) < parts; ) {
                if (!state.compareAndSet(part, FREE, OWN)) continue;
                if (part >= first) awaitEarly();
                runOwn(part);
            }
            for (long spun = 0; remaining.get() > 0; spun++) {
                takeOverLate(0, parts);
                pause(spun);
            }
            rethrow(failure);
            return redone;
        }

        private void awaitEarly() {
            for (long spun = 0; earlyRemaining.get() > 0; spun++) {
                takeOverLate(0, first);
                pause(spun);
            }
        }

        private void runOwn(int part) {
            long t0 = System.nanoTime();
            try {
                body.run(part);
            } catch (Throwable e) {
                failure = e;
            } finally {
                long took = System.nanoTime() - t0;
                if (part < first) ownEarly = Math.max(ownEarly, took);
                else ownLate = Math.max(ownLate, took);
                done(part);
            }
        }

        private void done(int part) {
            state.set(part, DONE);
            if (part < first && earlyRemaining.decrementAndGet() == 0) earlyDoneAt = System.nanoTime();
            remaining.decrementAndGet();
        }

        /**
         * Runs here each part in [from, to) that no one has started (claimed from the counter by a helper
         * not yet running), and redoes each a helper has held past its grace. A later part's time starts
         * when the parts before first were done.
         */
        private void takeOverLate(int from, int to) {
            for (int part = from; part < to; part++) {
                int s = state.get(part);
                if (s == FREE) {
                    if (state.compareAndSet(part, FREE, OWN)) runOwn(part);
                    continue;
                }
                if (s != HELPER) continue;
                long since = claimedAt[part];
                if (part >= first && first > 0) {
                    long early = earlyDoneAt;
                    if (early == 0) continue;
                    since = Math.max(since, early);
                }
                if (System.nanoTime() - since < grace(part)) continue;
                if (state.compareAndSet(part, HELPER, OWN)) {
                    redone = true;
                    runOwn(part);
                }
            }
        }

        private long grace(int part) {
            long own = part < first ? ownEarly : ownLate;
            return own == 0 ? DEFAULT_GRACE_NANOS : Math.max(MIN_GRACE_NANOS, 2 * own);
        }

        /** Spins for a while, then yields the processor between checks. */
        private static void pause(long spun) {
            if (spun < 20_000) Thread.onSpinWait();
            else Thread.yield();
        }
    }
}
