package nnlab.cli;

import static nnlab.cli.CommandLineTest.nnlab;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import nnlab.experiment.RunDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run that diverged left no model worth using: it exits with status 1 (a script's {@code &&} stops
 * there) and says so, with its files written and result.json's status "diverged". A sweep records
 * its diverged trials and goes on; its last line counts them.
 */
class DivergedRunsTest {
    @Test
    void aDivergedTrainOrClassicRunExitsWithOneAndKeepsItsDivergedResult(@TempDir Path dir) {
        CommandLineTest.Outcome train = nnlab("train", "mlp", "-learning_rate", "1e6", "-hidden_size", "16", "-batch_size", "64",
                "-epochs", "2", "--data", "fashion-mnist-sample", "--out", dir.resolve("train").toString());
        assertEquals(1, train.status(), train.out() + train.err());
        assertTrue(train.out().contains("Diverged: the training loss reached"), train.out());
        assertEquals("diverged", RunDirectory.readResult(dir.resolve("train")).get("status"));
        // A weight decay that large blows the weights up at any learning rate: the advice names it too (it named the rate alone).
        CommandLineTest.Outcome decay = nnlab("train", "mlp", "-l2_decay", "1e20", "-hidden_size", "16", "-batch_size", "64",
                "-epochs", "1", "--data", "fashion-mnist-sample", "--out", dir.resolve("decay").toString());
        assertEquals(1, decay.status(), decay.out() + decay.err());
        assertTrue(decay.out().contains("Try a smaller -learning_rate or -l2_decay."), decay.out());

        CommandLineTest.Outcome regression = nnlab("classic", "linear_regression", "--data", "ames", "-learning_rate", "1e6",
                "-epochs", "3", "--out", dir.resolve("regression").toString());
        assertEquals(1, regression.status(), regression.out() + regression.err());
        assertTrue(regression.out().contains("Diverged in epoch 1: the RMSE became NaN"), regression.out());
        assertEquals("diverged", RunDirectory.readResult(dir.resolve("regression")).get("status"));
    }

    /**
     * At -learning_rate 1e30 the classic MLP's loss reached 4e63, finite, at accuracy 0.1, and the run
     * said "finished". Its recorded loss is the epoch's mean per example, which the rule compares.
     */
    @Test
    void theClassicMlpDivergesWhenItsLossExplodesAtChanceAccuracy(@TempDir Path dir) {
        CommandLineTest.Outcome exploded = nnlab("classic", "mlp", "-learning_rate", "1e30", "-hidden_size", "32", "-epochs", "3",
                "--data", "fashion-mnist-sample", "--out", dir.resolve("exploded").toString());
        assertEquals(1, exploded.status(), exploded.out() + exploded.err());
        assertTrue(exploded.out().contains("Diverged in epoch 1: the training loss (mean per example) exploded to")
                && exploded.out().contains(", chance level; stopped."), exploded.out());
        var result = RunDirectory.readResult(dir.resolve("exploded"));
        assertEquals("diverged", result.get("status"));
        assertEquals(1, ((Number) result.get("diverged_epoch")).intValue());
        assertEquals(1, RunDirectory.readMetrics(dir.resolve("exploded")).size(), "the run stops at the epoch it diverged in");

        // The default learning rate: its mean loss stays well below ln 10 × 100.
        CommandLineTest.Outcome learns = nnlab("classic", "mlp", "-hidden_size", "32", "-epochs", "2",
                "--data", "fashion-mnist-sample", "--out", dir.resolve("learns").toString());
        assertEquals(0, learns.status(), learns.out() + learns.err());
        assertEquals("finished", RunDirectory.readResult(dir.resolve("learns")).get("status"));
    }

    @Test
    void aSweepRecordsItsDivergedTrialsGoesOnAndCountsThemInItsLastLine(@TempDir Path dir) {
        CommandLineTest.Outcome some = nnlab("sweep", "classic", "mlp", "--grid", "learning_rate=0.001,1e30", "-hidden_size", "16",
                "-epochs", "1", "--parallel", "1", "--data", "fashion-mnist-sample", "--out", dir.resolve("some").toString());
        assertEquals(0, some.status(), "diverged trials are results of a sweep, not its failure: " + some.out() + some.err());
        List<String> lines = some.out().lines().toList();
        assertTrue(lines.get(lines.size() - 1).startsWith("2 trials: 1 finished, 1 diverged; summary, plots and report: "),
                some.out());

        CommandLineTest.Outcome all = nnlab("sweep", "classic", "mlp", "--grid", "learning_rate=1e29,1e30", "-hidden_size", "16",
                "-epochs", "1", "--parallel", "1", "--data", "fashion-mnist-sample", "--out", dir.resolve("all").toString());
        assertEquals(1, all.status(), "no trial trained: " + all.out() + all.err());
        assertTrue(all.out().contains("No trial finished.") && all.out().contains("2 trials: 2 diverged;"), all.out());
    }
}
