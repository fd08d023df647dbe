package nnlab.tensor.kernel;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * The kernels' helper threads: {@link #THREADS} − 1 shared daemon threads that split large products
 * ({@link Gemm}) and take side work off a training step ({@link #fork}).
 *
 * <p>Work is handed out in parts claimed from a counter by the caller and the helpers alike, and a
 * caller only ever waits for parts already running: a busy pool, or a caller that is itself running
 * on a helper, costs speed, never a deadlock. Failures of a part are rethrown to the caller.
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
            Throwable e = failure;
            if (e instanceof RuntimeException r) throw r;
            if (e instanceof Error err) throw err;
            if (e != null) throw new IllegalStateException(e);
        }
    }
}
