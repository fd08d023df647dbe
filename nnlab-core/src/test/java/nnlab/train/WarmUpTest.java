package nnlab.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import nnlab.nn.Linear;
import nnlab.nn.ReLU;
import nnlab.nn.Sequential;
import nnlab.optim.Sgd;
import nnlab.random.Rng;
import org.junit.jupiter.api.Test;

class WarmUpTest {
    @Test
    void trainsItsOwnModelUntilClosedAndThenNoLonger() throws InterruptedException {
        AtomicReference<Sequential> made = new AtomicReference<>();
        WarmUp warmUp = WarmUp.start(() -> {
            Sequential m = new Sequential(new Linear(30, 8, new Rng(1)), new ReLU(), new Linear(8, 4, new Rng(2)));
            made.set(m);
            return m;
        }, ps -> new Sgd(ps, 0.1), 30, 4, 16, new Trainer(1, null, null));
        float[] start = null;
        long deadline = System.nanoTime() + 30_000_000_000L;
        boolean moved = false;
        while (!moved && System.nanoTime() < deadline) {
            Thread.sleep(20);
            Sequential m = made.get();
            if (m == null) continue;
            float[] now = m.parameters().get(0).toFloatArray();
            if (start == null) start = now;
            else moved = !Arrays.equals(start, now);
        }
        assertTrue(moved, "the warm-up never trained its model");
        warmUp.close();
        float[] stopped = made.get().parameters().get(0).toFloatArray();
        Thread.sleep(100);
        assertArrayEquals(stopped, made.get().parameters().get(0).toFloatArray(), "the warm-up went on after close()");
    }
}
