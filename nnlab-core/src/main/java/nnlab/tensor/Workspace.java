package nnlab.tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.ToIntFunction;

/**
 * Storage that a training step's tensors reuse from one step to the next. A step of a model asks
 * for the same sizes in the same order every time, so instead of allocating each op's output and
 * each gradient anew (and touching fresh memory that has long left the cache), the float32 tensors
 * made inside {@link #step()} take the arrays of the previous step's, zeroed.
 *
 * <pre>{@code
 * Workspace workspace = new Workspace();
 * for (Batch batch : loader) {
 *     try (var step = workspace.step()) {
 *         Tensor loss = criterion.loss(model.forward(batch.x()), batch.labels());
 *         lossValue = loss.item();
 *         loss.backward();
 *     }
 *     optimizer.step();
 * }
 * }</pre>
 *
 * <p>The contract: a tensor computed inside a step lives until the next step of the same workspace
 * begins; keep a copy ({@link Tensor#copy()}) of any you need longer. Leaves' gradients, parameters
 * and buffers are not the step's (they are allocated outside it or updated in place), so only models
 * whose modules keep no tensor of a step (nnlab's own layers) should train in one; the trainer
 * checks that ({@code Module.keepsNoStepTensors()}). float64 tensors are allocated as usual.
 *
 * <p>One thread: a workspace is used by the thread that opens its step (parallel trials each have
 * their own).
 */
public final class Workspace {
    private static final ThreadLocal<Workspace> ACTIVE = new ThreadLocal<>();

    /**
     * The arrays of the last steps in the order the steps asked for them, and how many this step has
     * taken. A request of another length than the array at its place (the smaller last batch of an
     * epoch, a model that branches) replaces that array with a new one.
     */
    private static final class Shelf<A> {
        final List<A> arrays = new ArrayList<>();
        final IntFunction<A> make;
        final ToIntFunction<A> length;
        final Consumer<A> zero;
        int taken;

        Shelf(IntFunction<A> make, ToIntFunction<A> length, Consumer<A> zero) {
            this.make = make;
            this.length = length;
            this.zero = zero;
        }

        /** The next zeroed array of {@code n} elements: the one at this place in the last step, or a new one. */
        A take(int n) {
            A a = taken < arrays.size() ? arrays.get(taken) : null;
            if (a != null && length.applyAsInt(a) == n) {
                taken++;
                zero.accept(a);
                return a;
            }
            A fresh = make.apply(n);
            if (a != null) arrays.set(taken, fresh);
            else arrays.add(fresh);
            taken++;
            return fresh;
        }

        long values() {
            long n = 0;
            for (A a : arrays) n += length.applyAsInt(a);
            return n;
        }

        long largest() {
            long n = 0;
            for (A a : arrays) n = Math.max(n, length.applyAsInt(a));
            return n;
        }
    }

    private final Shelf<float[]> floats = new Shelf<>(float[]::new, a -> a.length, a -> Arrays.fill(a, 0f));
    private final Shelf<int[]> ints = new Shelf<>(int[]::new, a -> a.length, a -> Arrays.fill(a, 0));
    private boolean open;

    /** Opens a step: until it is closed, this thread's float32 tensors come from this workspace. */
    public Step step() {
        if (open) throw new IllegalStateException("a step of this workspace is already open");
        if (ACTIVE.get() != null) throw new IllegalStateException("another workspace's step is open on this thread");
        floats.taken = 0;
        ints.taken = 0;
        open = true;
        ACTIVE.set(this);
        return () -> {
            if (open) {
                open = false;
                ACTIVE.remove();
            }
        };
    }

    /** A step of a workspace; closing it ends the step (the arrays stay with the workspace). */
    public interface Step extends AutoCloseable {
        @Override
        void close();
    }

    /** Whether a step of some workspace is open on this thread. */
    public static boolean inStep() {
        return ACTIVE.get() != null;
    }

    /** The number of values (float32 and int) the workspace holds: all the arrays its steps have taken. */
    public long values() {
        return floats.values() + ints.values();
    }

    /**
     * Below this many values an array is allocated anew even in a step: a small allocation costs no
     * more than zeroing a kept array, and it stays in the cache either way.
     */
    static final int SMALL = 2048;

    /** The length of the largest array its steps have taken (0 before any step): the largest tensor of a step. */
    public long largest() {
        return Math.max(floats.largest(), ints.largest());
    }

    /** A zeroed array of {@code n} floats: the active step's, or a new one outside any step. */
    public static float[] floats(int n) {
        Workspace w = n < SMALL ? null : ACTIVE.get();
        return w == null ? new float[n] : w.floats.take(n);
    }

    /** A zeroed array of {@code n} ints (an op's indices kept for its backward pass), as {@link #floats}. */
    public static int[] ints(int n) {
        Workspace w = n < SMALL ? null : ACTIVE.get();
        return w == null ? new int[n] : w.ints.take(n);
    }
}
