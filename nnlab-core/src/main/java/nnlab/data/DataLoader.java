package nnlab.data;

import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.random.RandomGenerator;
import nnlab.tensor.DType;
import nnlab.tensor.Shape;
import nnlab.tensor.Tensor;

/**
 * Mini-batches of a set of examples as float32 tensors, reshuffled at the start of every epoch from
 * the generator it was given (as PyTorch's {@code DataLoader(shuffle=True, generator=…)}). The last
 * batch of an epoch may be smaller.
 */
public final class DataLoader {
    private final Examples examples;
    private final float[] features;
    private final int batchSize;
    private final boolean shuffle;
    private final RandomGenerator rng;

    /**
     * One batch: inputs [b, features] ([b, channels, height, width] for examples {@link Examples#asImages()
     * as images}), and class labels (classification) or targets [b, 1] (regression).
     */
    public record Batch(Tensor x, int[] labels, Tensor targets) {
        public int size() {
            return x.dim(0);
        }
    }

    public DataLoader(Examples examples, int batchSize, boolean shuffle, RandomGenerator rng) {
        if (batchSize <= 0) throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        if (shuffle && rng == null) throw new IllegalArgumentException("a shuffling DataLoader needs a generator");
        this.examples = examples;
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.rng = rng;
        // One float32 copy per set of examples, however many loaders read it (parallel trials,
        // per-epoch evaluations): the examples build it once and keep it.
        this.features = examples.floats();
    }

    /** Number of examples. */
    public int size() {
        return examples.n();
    }

    /** Number of batches per epoch. */
    public int batches() {
        return (examples.n() + batchSize - 1) / batchSize;
    }

    public int batchSize() {
        return batchSize;
    }

    public Examples examples() {
        return examples;
    }

    /**
     * The order of the next epoch's examples: a fresh permutation when shuffling (drawn as
     * {@link #epoch()} draws it), else 0, 1, 2, ….
     */
    public int[] nextOrder() {
        int[] order = new int[examples.n()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        if (shuffle) {
            for (int i = order.length - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        return order;
    }

    /** All features as float32, row-major, shared (not a copy; do not modify): row i starts at i·features. */
    public float[] featureData() {
        return features;
    }

    /** The batches of one epoch, in a fresh order when shuffling. */
    public Iterable<Batch> epoch() {
        int[] order = nextOrder();
        return () -> new Iterator<>() {
            int start = 0;

            @Override
            public boolean hasNext() {
                return start < order.length;
            }

            @Override
            public Batch next() {
                if (!hasNext()) throw new NoSuchElementException();
                int[] rows = Arrays.copyOfRange(order, start, Math.min(order.length, start + batchSize));
                start += rows.length;
                return batch(rows);
            }
        };
    }

    /** The examples at {@code rows}, in that order, as a batch. */
    public Batch batch(int[] rows) {
        int d = examples.features();
        ImageShape image = examples.isImages() ? examples.imageShape() : null;
        // zeros, not a wrapped new array: inside a training step's Workspace the batch reuses the last one's storage.
        Tensor input = Tensor.zeros(DType.FLOAT32, image == null ? Shape.of(rows.length, d)
                : Shape.of(rows.length, image.channels(), image.height(), image.width()));
        float[] x = input.floatData();
        for (int i = 0; i < rows.length; i++) System.arraycopy(features, rows[i] * d, x, i * d, d);
        if (examples.isClassification()) {
            int[] labels = new int[rows.length];
            for (int i = 0; i < rows.length; i++) labels[i] = examples.labels()[rows[i]];
            return new Batch(input, labels, null);
        }
        float[] t = new float[rows.length];
        for (int i = 0; i < rows.length; i++) t[i] = (float) examples.targets()[rows[i]];
        return new Batch(input, null, Tensor.wrap(t, Shape.of(rows.length, 1)));
    }
}
