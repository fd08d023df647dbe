package nnlab.cli;

import static nnlab.cli.CommandLineTest.nnlab;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import nnlab.experiment.RunDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run that diverged says so, with its files written and result.json's status "diverged". */
class DivergedRunsTest {
    /**
     * At -learning_rate 1e30 the classic MLP's loss reached 4e63, finite, at accuracy 0.1, and the run
     * said "finished". Its recorded loss is the epoch's SUM over examples: the rule takes the mean.
     */
    @Test
    void theClassicMlpDivergesWhenItsLossExplodesAtChanceAccuracy(@TempDir Path dir) {
        CommandLineTest.Outcome exploded = nnlab("classic", "mlp", "-learning_rate", "1e30", "-hidden_size", "32", "-epochs", "3",
                "--data", "fashion-mnist-sample", "--out", dir.resolve("exploded").toString());
        assertTrue(exploded.out().contains("Diverged in epoch 1: the training loss exploded to")
                && exploded.out().contains(", chance level; stopped."), exploded.out());
        var result = RunDirectory.readResult(dir.resolve("exploded"));
        assertEquals("diverged", result.get("status"));
        assertEquals(1, ((Number) result.get("diverged_epoch")).intValue());
        assertEquals(1, RunDirectory.readMetrics(dir.resolve("exploded")).size(), "the run stops at the epoch it diverged in");

        // The default learning rate: an epoch's summed loss is thousands (4,000 examples), its mean well below ln 10 × 100.
        CommandLineTest.Outcome learns = nnlab("classic", "mlp", "-hidden_size", "32", "-epochs", "2",
                "--data", "fashion-mnist-sample", "--out", dir.resolve("learns").toString());
        assertEquals(0, learns.status(), learns.out() + learns.err());
        assertEquals("finished", RunDirectory.readResult(dir.resolve("learns")).get("status"));
    }
}
