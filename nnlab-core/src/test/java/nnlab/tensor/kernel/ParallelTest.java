package nnlab.tensor.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class ParallelTest {

    @Test
    void forkedWorkIsVisibleAfterTheJoin() {
        for (int trial = 0; trial < 200; trial++) {
            long[] out = new long[1000];
            int seed = trial;
            Parallel.Task task = Parallel.fork(() -> {
                for (int i = 0; i < out.length; i++) out[i] = (long) i * seed;
            });
            if (trial % 2 == 0) Thread.onSpinWait(); // sometimes the helper starts first, sometimes the join runs it
            task.join();
            for (int i = 0; i < out.length; i++) assertEquals((long) i * seed, out[i], "trial " + trial + ", element " + i);
        }
    }

    @Test
    void aFailureOfTheForkedWorkIsThrownByTheJoin() {
        IllegalStateException thrown = new IllegalStateException("broken body");
        Parallel.Task task = Parallel.fork(() -> {
            throw thrown;
        });
        assertSame(thrown, assertThrows(IllegalStateException.class, task::join));
        assertSame(thrown, assertThrows(IllegalStateException.class, task::join), "joining again rethrows");
    }

    @Test
    void everyPartRunsExactlyOnceEvenWhenCalledFromAHelper() {
        for (int parts : new int[] {1, 2, 3, 17, 100}) {
            AtomicIntegerArray runs = new AtomicIntegerArray(parts);
            Parallel.forParts(parts, runs::incrementAndGet);
            int[] once = new int[parts];
            java.util.Arrays.fill(once, 1);
            int[] seen = new int[parts];
            for (int i = 0; i < parts; i++) seen[i] = runs.get(i);
            assertArrayEquals(once, seen, parts + " parts");
        }
        // Nested: every outer part (some on a helper) splits again; the helpers are busy, so callers run the rest.
        AtomicIntegerArray inner = new AtomicIntegerArray(4 * 8);
        Parallel.forParts(4, outer -> Parallel.forParts(8, part -> inner.incrementAndGet(outer * 8 + part)));
        for (int i = 0; i < inner.length(); i++) assertEquals(1, inner.get(i), "nested part " + i);
    }

    /** Starts each helper on a thread of its own, so that these tests do not depend on the processor count. */
    private static final Executor NEW_THREAD = task -> {
        Thread t = new Thread(task, "test-helper");
        t.setDaemon(true);
        t.start();
    };

    @Test
    void redoablePartsAreEachDoneOnceAndLaterPartsSeeTheEarlierOnes() {
        int early = 7, parts = 40;
        for (int helpers : new int[] {0, 1, 3}) {
            for (int trial = 0; trial < 50; trial++) {
                int[] input = new int[early];
                long[] out = new long[parts];
                AtomicIntegerArray writes = new AtomicIntegerArray(parts);
                Parallel.Redoable body = new Parallel.Redoable() {
                    @Override
                    public void run(int part) {
                        if (part < early) input[part] = part + 1;
                        else out[part] = value(part);
                        writes.incrementAndGet(part);
                    }

                    @Override
                    public Runnable detached(int part) {
                        if (part < early) {
                            input[part] = part + 1;
                            writes.incrementAndGet(part);
                            return null;
                        }
                        long v = value(part);
                        return () -> {
                            out[part] = v;
                            writes.incrementAndGet(part);
                        };
                    }

                    private long value(int part) {
                        long sum = 0;
                        for (int x : input) sum += x;
                        return sum * 1000 + part;
                    }
                };
                boolean redone = Parallel.forRedoableParts(parts, early, body, helpers, NEW_THREAD);
                for (int p = 0; p < early; p++) assertEquals(p + 1, input[p], "early part " + p);
                for (int p = early; p < parts; p++) {
                    assertEquals(28_000L + p, out[p], helpers + " helpers, trial " + trial + ": part " + p + " ran before the early parts were done");
                    assertEquals(1, writes.get(p), "part " + p + " published once");
                }
                if (!redone) for (int p = 0; p < early; p++) assertEquals(1, writes.get(p), "early part " + p + " ran once");
            }
        }
    }

    @Test
    void theCallerRedoesThePartAStalledHelperHoldsAndTheHelpersLateResultIsDropped() throws Exception {
        CountDownLatch helperHoldsAPart = new CountDownLatch(1), release = new CountDownLatch(1);
        AtomicInteger published = new AtomicInteger();
        long[] out = new long[8];
        Thread[] helper = new Thread[1];
        Parallel.Redoable body = new Parallel.Redoable() {
            @Override
            public void run(int part) {
                try {
                    helperHoldsAPart.await(10, TimeUnit.SECONDS); // make sure the helper has claimed one
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                out[part] = part * 10L + 1;
            }

            @Override
            public Runnable detached(int part) {
                helperHoldsAPart.countDown();
                try {
                    release.await(); // a processor taken away, until the job is over
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return () -> {
                    published.incrementAndGet();
                    out[part] = -1;
                };
            }
        };
        boolean redone = assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> Parallel.forRedoableParts(out.length, 0, body, 1, task -> {
                    helper[0] = new Thread(task, "stalled-helper");
                    helper[0].setDaemon(true);
                    helper[0].start();
                }), "the caller waited for the stalled helper");
        assertTrue(redone, "a part was redone");
        for (int p = 0; p < out.length; p++) assertEquals(p * 10L + 1, out[p], "part " + p);
        release.countDown();
        helper[0].join(10_000);
        assertEquals(0, published.get(), "the stalled helper's result was published after the caller redid the part");
        for (int p = 0; p < out.length; p++) assertEquals(p * 10L + 1, out[p], "part " + p + " after the helper woke");
    }

    @Test
    void aFailingRedoablePartIsThrownByTheCaller() {
        IllegalStateException thrown = new IllegalStateException("broken part");
        Parallel.Redoable body = new Parallel.Redoable() {
            @Override
            public void run(int part) {
                if (part == 3) throw thrown;
            }

            @Override
            public Runnable detached(int part) {
                if (part == 3) throw thrown;
                return null;
            }
        };
        for (int helpers : new int[] {0, 1, 2}) {
            assertSame(thrown, assertThrows(IllegalStateException.class,
                    () -> Parallel.forRedoableParts(6, 2, body, helpers, NEW_THREAD)), helpers + " helpers");
        }
    }
}
