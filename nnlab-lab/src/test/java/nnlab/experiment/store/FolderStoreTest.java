package nnlab.experiment.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import nnlab.experiment.RunDirectory;
import nnlab.experiment.Sweep;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The folder store under the shared worker loop: shards split the trials; median pruning works without a database too. */
class FolderStoreTest {
    @TempDir
    Path tmp;

    @Test
    void shardsTakeDisjointTrialsThatTogetherAreTheSweep() {
        Map<String, Object> spec = PostgresStoreTest.spec("0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7");
        List<Sweep.Trial> trials = Sweep.trials(spec);
        Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        for (int i = 1; i <= 3; i++) {
            try (FolderStore store = FolderStore.open(tmp.resolve("s" + i), spec, trials, new FolderStore.Shard(i, 3))) {
                Workers.run(store, 2, PostgresStoreTest.fake(0, runs, true), Workers.Options.DEFAULT, line -> {});
                assertEquals(0, store.unfinished());
            }
        }
        assertEquals(7, runs.size());
        assertTrue(runs.values().stream().allMatch(n -> n.get() == 1), runs.toString());
        assertTrue(RunDirectory.isFinished(Sweep.trialDir(tmp.resolve("s2"), 4, trials.get(4))), "trial 5 is the second shard's");
    }

    @Test
    void medianPruningInAFolder() {
        Map<String, Object> spec = PostgresStoreTest.spec("0.9", "0.8", "0.85", "0.95", "0.7", "0.1", "0.99");
        List<Sweep.Trial> trials = Sweep.trials(spec);
        Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        try (FolderStore store = FolderStore.open(tmp, spec, trials, FolderStore.Shard.ALL)) {
            Workers.run(store, 1, PostgresStoreTest.fake(0, runs, true), Workers.Options.DEFAULT.withPrune(true), line -> {});
        }
        List<String> statuses = FolderStore.records(tmp, trials).stream().map(TrialRecord::status).toList();
        assertEquals(List.of("finished", "finished", "finished", "finished", "finished", "pruned", "finished"), statuses);
        assertEquals(1, ((Number) RunDirectory.readResult(Sweep.trialDir(tmp, 5, trials.get(5))).get("pruned_epoch")).intValue());
        // A rerun leaves the pruned trial alone: it ended.
        try (FolderStore store = FolderStore.open(tmp, spec, trials, FolderStore.Shard.ALL)) {
            assertTrue(store.claim("again").isEmpty());
        }
    }
}
