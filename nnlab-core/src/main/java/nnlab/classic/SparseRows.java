package nnlab.classic;

import nnlab.data.Examples;

/**
 * The nonzero features of every example (compressed sparse rows): example i's nonzeros are
 * {@code index[k], value[k]} for k in {@code [start[i], start[i+1])}, in increasing feature order.
 *
 * <p>Why: images are about half zeros, and skipping a zero feature changes no sum and no update
 * (x·w gains {@code 0·w}, w loses {@code lr·g·0}), so the models keep numpy's results while
 * doing half the work.
 */
final class SparseRows {
    final int[] start;
    final int[] index;
    final double[] value;

    private SparseRows(int[] start, int[] index, double[] value) {
        this.start = start;
        this.index = index;
        this.value = value;
    }

    /** Reads the values through {@link Examples#x(int)}, so examples held as bytes are never widened to float64. */
    static SparseRows of(Examples examples) {
        int n = examples.n();
        int features = examples.features();
        int[] start = new int[n + 1];
        for (int i = 0; i < n; i++) {
            int nonzeros = 0;
            for (int j = i * features, end = j + features; j < end; j++) {
                if (examples.x(j) != 0) nonzeros++;
            }
            start[i + 1] = start[i] + nonzeros;
        }
        int[] index = new int[start[n]];
        double[] value = new double[start[n]];
        for (int i = 0, k = 0; i < n; i++) {
            int offset = i * features;
            for (int j = 0; j < features; j++) {
                double v = examples.x(offset + j);
                if (v != 0) {
                    index[k] = j;
                    value[k++] = v;
                }
            }
        }
        return new SparseRows(start, index, value);
    }

    /**
     * Remembers the sparse form of the last few example sets, by identity: the course's loop
     * passes the same train, dev and test examples every epoch (only the visiting order
     * changes), so each is scanned once. Changing an {@link Examples}' arrays after a model has
     * seen it needs a new {@code Examples}.
     */
    static final class Cache {
        private static final int SIZE = 4;
        private final Examples[] sources = new Examples[SIZE];
        private final SparseRows[] rows = new SparseRows[SIZE];
        private int next;

        synchronized SparseRows of(Examples examples) {
            for (int i = 0; i < SIZE; i++) {
                if (sources[i] == examples) return rows[i];
            }
            SparseRows built = SparseRows.of(examples);
            sources[next] = examples;
            rows[next] = built;
            next = (next + 1) % SIZE;
            return built;
        }
    }
}
