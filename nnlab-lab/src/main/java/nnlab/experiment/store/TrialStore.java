package nnlab.experiment.store;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import nnlab.experiment.Sweep;
import nnlab.metrics.EpochRecord;

/**
 * Where one sweep's trials live while workers run them: the folder of today ({@link FolderStore}, the
 * embedded default) or a PostgreSQL database that workers on several machines share
 * ({@link PostgresStore}). {@link Workers} runs trials from either the same way: claim one, run it,
 * record its epochs as they come, finish it.
 *
 * <p>A claim is a lease: the store may give a trial whose lease expired to another worker, and then
 * refuses the first worker's epochs and result ({@link #epoch}, {@link #finish} answer false), so a
 * worker paused past its lease cannot overwrite the trial's real result.
 */
public interface TrialStore extends AutoCloseable {
    /** Where the sweep lives, for messages: a folder, or a database and the sweep's name. */
    String where();

    /** The sweep's specification as {@code sweep.json} holds it (kind, base, grid, …). */
    Map<String, Object> spec();

    /** The sweep's trials in order; a claim's and a record's {@code index} point into this list. */
    List<Sweep.Trial> trials();

    /** A trial no one runs (or whose runner's lease expired), now leased to {@code worker}; empty when none is free. */
    Optional<Claim> claim(String worker);

    /** Trials not yet ended: waiting, or running here or elsewhere. */
    int unfinished();

    /**
     * Whether a trial running elsewhere may come back to be claimed (its worker's lease expires):
     * a worker with nothing to claim waits while this is true and trials are unfinished.
     */
    boolean leasesExpire();

    /** Extends the claim's lease; false when it was lost (expired, or the trial taken over). */
    boolean renew(Claim claim);

    /** Records one epoch of a claimed trial as it comes; false when the lease was lost (the epoch is not kept). */
    boolean epoch(Claim claim, EpochRecord record);

    /** Records the trial's result, only if the claim still holds its lease (one transaction); false when it does not. */
    boolean finish(Claim claim, TrialResult result);

    /** Gives a claimed trial back at once, for another worker to take (this one was told to stop); a folder's needs nothing. */
    default void release(Claim claim) {}

    /** Every trial with its status, result and the epochs of its latest attempt: what reports render from. */
    List<TrialRecord> records();

    /** The dev accuracies at {@code epoch} of the trials that finished: what median pruning compares with. */
    List<Double> finishedDevAccuracies(int epoch);

    /** Trials that ended in an earlier run of this sweep here, skipped now (a folder's; a database's are not listed). */
    default List<Claim> previouslyFinished() {
        return List.of();
    }

    @Override
    void close();

    /**
     * The store could not be reached for a while: not a trial's failure (its result is not recorded as
     * one); the worker stops, and the trial's lease runs out for another worker to take it.
     */
    final class Unavailable extends IllegalStateException {
        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * A trial leased to a worker: which one, the lease's token (a new one per claim, so a late worker's
     * writes are recognised and refused), the attempt number, the local folder its files go to, and the
     * worker whose expired lease it was taken from (null when it was waiting).
     */
    record Claim(int index, Sweep.Trial trial, long token, int attempt, Path dir, String takenFrom) {}
}
