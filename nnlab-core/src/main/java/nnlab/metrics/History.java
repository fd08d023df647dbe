package nnlab.metrics;

import java.util.ArrayList;
import java.util.List;

/** The epoch records of one run, in order. */
public final class History {
    private final List<EpochRecord> records = new ArrayList<>();

    public void add(EpochRecord record) {
        records.add(record);
    }

    public List<EpochRecord> records() {
        return List.copyOf(records);
    }

    public int size() {
        return records.size();
    }

    /** The last record, or null when empty. */
    public EpochRecord last() {
        return records.isEmpty() ? null : records.get(records.size() - 1);
    }

    /** The record with the highest dev accuracy (the first of ties), or null when none has one. */
    public EpochRecord bestByDevAccuracy() {
        EpochRecord best = null;
        for (EpochRecord r : records) {
            if (!Double.isNaN(r.devAccuracy()) && (best == null || r.devAccuracy() > best.devAccuracy())) best = r;
        }
        return best;
    }
}
