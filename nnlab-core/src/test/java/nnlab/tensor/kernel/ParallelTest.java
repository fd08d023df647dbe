package nnlab.tensor.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
}
