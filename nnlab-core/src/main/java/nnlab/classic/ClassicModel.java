package nnlab.classic;

import nnlab.data.Examples;

/**
 * A model trained one example at a time, as in the course's numpy homework. Training and
 * single-example predictions reuse scratch buffers: one thread per model (the bulk predictions,
 * {@code predictClasses}/{@code predictValues}, parallelise internally).
 */
public interface ClassicModel {
    /**
     * One pass of per-example updates over {@code train}, visiting row {@code order[0]} first,
     * then {@code order[1]}, and so on. Modifies the model's weights.
     *
     * @return the sum of the per-example losses of the epoch (the MLP), or {@code NaN} for the
     *         models whose course version returns none
     */
    double trainEpoch(Examples train, int[] order);

    /**
     * Readies the model for training on {@code train} (e.g. builds its sparse copy of the rows), so
     * that one-time preparation is not counted as the first epoch's work. Does not change the weights.
     */
    default void prepare(Examples train) {}

    /** {@link #trainEpoch(Examples, int[])} over the rows in their stored order. */
    default double trainEpoch(Examples train) {
        return trainEpoch(train, identityOrder(train.n()));
    }

    /** Frobenius norm of the weights where the course records it per epoch, else {@code NaN}. */
    default double weightNorm() {
        return Double.NaN;
    }

    /** {@code [0, 1, ..., n-1]}. */
    static int[] identityOrder(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        return order;
    }
}
