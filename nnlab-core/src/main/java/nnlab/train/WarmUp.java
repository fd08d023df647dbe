package nnlab.train;

import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.concurrent.locks.LockSupport;
import nnlab.data.DataLoader;
import nnlab.data.Examples;
import nnlab.data.ImageShape;
import nnlab.nn.Module;
import nnlab.nn.Parameter;
import nnlab.optim.Optimizer;

/**
 * Trains a throwaway model on generated data on a background thread, so that the JIT compiles the
 * training step's kernels while the caller does something else (loads the data set). The SIMD
 * kernels run a hundred times slower until C2 has compiled them, which otherwise happens during the
 * first epoch. The throwaway model, optimiser and data are the warm-up's own: nothing the real run
 * reads or draws is touched. {@link #close()} stops it and waits for its step to end, before the real
 * run uses the kernels' helper threads.
 */
public final class WarmUp implements AutoCloseable {
    private static final int EXAMPLES = 1024;
    private volatile boolean stop;
    private Thread thread;

    private WarmUp() {}

    /**
     * Starts training {@code model} (a fresh one, shaped as the real run's) with {@code optimizer} on
     * generated pixel-like data of {@code features} features and {@code classes} classes, in batches
     * of {@code batchSize}, until {@link #close()}, with the step and loss {@code trainer} chooses
     * (the real run's trainer, or one set up as it is: its fused steps and criterion).
     */
    public static WarmUp start(Supplier<? extends Module> model, Function<List<Parameter>, Optimizer> optimizer,
                               int features, int classes, int batchSize, Trainer trainer) {
        return start(model, optimizer, null, features, classes, batchSize, trainer, Duration.ZERO);
    }

    /**
     * {@link #start(Supplier, Function, int, int, int, Trainer)} on images of this shape (null: rows of
     * features), beginning only {@code after} this long: what the caller does meanwhile (a load from a
     * decoded copy, a few tenths of a second) then has both cores, and a warm-up that would only
     * compete with it never starts.
     */
    public static WarmUp start(Supplier<? extends Module> model, Function<List<Parameter>, Optimizer> optimizer,
                               ImageShape image, int features, int classes, int batchSize, Trainer trainer, Duration after) {
        WarmUp warmUp = new WarmUp();
        warmUp.thread = Thread.ofPlatform().daemon().name("nnlab-warm-up").start(() -> {
            long until = System.nanoTime() + after.toNanos();
            for (long left; !warmUp.stop && (left = until - System.nanoTime()) > 0; ) LockSupport.parkNanos(left);
            if (warmUp.stop) return;
            try {
                warmUp.train(model.get(), optimizer, image, image == null ? features : image.features(), classes, batchSize, trainer);
            } catch (RuntimeException | Error e) {
                // A failed warm-up costs the run nothing but the warm-up; the real run reports its own errors.
            }
        });
        return warmUp;
    }

    private void train(Module model, Function<List<Parameter>, Optimizer> optimizer, ImageShape image, int features,
                       int classes, int batchSize, Trainer trainer) {
        SplittableRandom rng = new SplittableRandom(1);
        byte[] pixels = new byte[EXAMPLES * features];
        int[] labels = new int[EXAMPLES];
        for (int i = 0; i < EXAMPLES; i++) {
            labels[i] = i % classes;
            // Half the pixels dark, as in the course's images, so that ReLU and the zero-skipping paths branch as they will.
            for (int j = 0; j < features; j++) if (rng.nextBoolean()) pixels[i * features + j] = (byte) rng.nextInt(256);
        }
        Examples rows = Examples.ofBytes(pixels, 1.0 / 256, EXAMPLES, features, labels, null);
        Examples examples = image == null ? rows : rows.withImageShape(image).asImages();
        DataLoader loader = new DataLoader(examples, Math.min(batchSize, EXAMPLES), true, rng.split());
        Step step = trainer.plan(model, optimizer.apply(model.parameters()), loader).step();
        while (!stop) {
            int[] order = loader.nextOrder();
            for (int from = 0; from < order.length && !stop; from += loader.batchSize()) {
                step.run(order, from, Math.min(order.length, from + loader.batchSize()));
            }
            if (!stop) Trainer.evaluate(model, examples, trainer.criterion());
        }
    }

    /** Stops the warm-up and waits for its last step to end. */
    @Override
    public void close() {
        stop = true;
        LockSupport.unpark(thread);
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
