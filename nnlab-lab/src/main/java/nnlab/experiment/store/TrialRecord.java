package nnlab.experiment.store;

import java.util.List;
import nnlab.experiment.Sweep;
import nnlab.metrics.EpochRecord;

/**
 * One trial as a store holds it: its place in the sweep, its status ({@code queued}, {@code running},
 * or how it ended), its result once ended (null before), the epochs of its latest attempt, and the
 * worker that ran it and how many times it was claimed (null and 0 in a folder). A database shows a
 * trial whose worker stopped renewing its lease as {@code lease expired} until another takes it.
 */
public record TrialRecord(int index, Sweep.Trial trial, String status, TrialResult result, List<EpochRecord> epochs,
                          String worker, int attempts) {
    public TrialRecord {
        epochs = List.copyOf(epochs);
    }

    public boolean ended() {
        return TrialResult.ENDED.contains(status);
    }
}
