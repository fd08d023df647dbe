package nnlab.experiment.store;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A trial's result as stores keep it: the figures a sweep compares typed, and everything the run
 * recorded ({@code result.json}) alongside. A figure a run did not have is null.
 */
public record TrialResult(String status, Double finalDevAcc, Double bestDevAcc, Double finalTestAcc, Double finalTrainRmse,
                          Double finalTestRmse, Double trainSeconds, String error, Map<String, Object> all) {

    /** The statuses a trial can end in; a trial with none of them is waiting ({@code queued}) or {@code running}. */
    public static final java.util.Set<String> ENDED = java.util.Set.of("finished", "stopped_early", "diverged", "failed", "pruned");

    public TrialResult {
        all = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(all));
    }

    /** Reads a run's result map (as result.json holds it). */
    public static TrialResult of(Map<String, Object> result) {
        return new TrialResult(String.valueOf(result.getOrDefault("status", "failed")), number(result, "final_dev_acc"),
                number(result, "best_dev_acc"), number(result, "final_test_acc"), number(result, "final_train_rmse"),
                number(result, "final_test_rmse"), number(result, "train_seconds"),
                result.get("error") == null ? null : String.valueOf(result.get("error")), result);
    }

    /** A trial that threw: recorded, so the sweep goes on, and retried by a rerun. */
    public static TrialResult failed(String error) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", "failed");
        m.put("error", error);
        return of(m);
    }

    /** A trial stopped by median pruning after {@code epoch}, with that epoch's dev accuracy. */
    public static TrialResult pruned(int epoch, double devAccuracy, double median) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", "pruned");
        m.put("pruned_epoch", epoch);
        m.put("pruned_dev_acc", devAccuracy);
        m.put("pruned_below_median", median);
        return of(m);
    }

    private static Double number(Map<String, Object> m, String key) {
        return m.get(key) instanceof Number n ? n.doubleValue() : null;
    }
}
