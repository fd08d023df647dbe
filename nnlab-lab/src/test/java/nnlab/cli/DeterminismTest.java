package nnlab.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same command with the same seed gives the same bits, whatever the JIT does: each training runs
 * in two fresh JVMs, one that never compiles with C2 (its Vector API code runs through the JDK's Java
 * fallbacks) and one that compiles with C2 early, and their metrics.csv (seconds aside) and
 * best.npz must be byte for byte the same, for the MLP and the CNN. A kernel whose result depends on
 * how it was compiled (as lanewise(EXP) in the mini-batch softmax did) fails this.
 */
class DeterminismTest {
    private static final List<String> NEVER_C2 = List.of("-XX:TieredStopAtLevel=1");
    /** C2 alone, from the 100th call (lowering tiered compilation's thresholds instead left the softmax to C1 here). */
    private static final List<String> EARLY_C2 = List.of("-XX:-TieredCompilation", "-XX:CompileThreshold=100");

    @Test
    void theSameSeedGivesTheSameBitsInterpretedAndCompiled(@TempDir Path dir) throws Exception {
        List<List<String>> runs = List.of(
                List.of("mlp", "-batch_size", "64", "-learning_rate", "0.1", "-hidden_size", "64"),
                List.of("mlp", "-batch_size", "50", "-optimizer", "adam", "-learning_rate", "0.001", "-hidden_size", "32",
                        "-activation", "tanh"),
                // The convolutions' kernels (the direct path of the first layer, the row-stretch im2col of the second,
                // pooling) run through the JDK's Java fallbacks too.
                List.of("cnn", "-batch_size", "64", "-learning_rate", "0.05"));
        for (int r = 0; r < runs.size(); r++) {
            Path a = dir.resolve(r + "-never-c2"), b = dir.resolve(r + "-early-c2");
            train(NEVER_C2, runs.get(r), a);
            train(EARLY_C2, runs.get(r), b);
            assertEquals(withoutSeconds(a), withoutSeconds(b), "metrics.csv of " + runs.get(r));
            assertArrayEquals(Files.readAllBytes(a.resolve("best.npz")), Files.readAllBytes(b.resolve("best.npz")),
                    "best.npz of " + runs.get(r));
        }
    }

    /**
     * One thread or two, the same bits: the CNN's convolutions split a batch into parts run on as many
     * threads as there are (each part's gradient summed in part order, not as threads finish), and a
     * given thread count makes the MLP's mini-batch products split too (by blocks of the result).
     */
    @Test
    void theSameSeedGivesTheSameBitsOnOneThreadAndOnTwo(@TempDir Path dir) throws Exception {
        List<List<String>> runs = List.of(List.of("cnn", "-batch_size", "16", "-learning_rate", "0.05"),
                List.of("cnn", "-batch_size", "64", "-learning_rate", "0.05"),
                List.of("mlp", "-batch_size", "64", "-learning_rate", "0.1", "-hidden_size", "200"));
        for (int r = 0; r < runs.size(); r++) {
            Path one = dir.resolve(r + "-one-thread"), two = dir.resolve(r + "-two-threads");
            train(List.of("-Dnnlab.gemm.threads=1"), runs.get(r), one);
            train(List.of("-Dnnlab.gemm.threads=2"), runs.get(r), two);
            assertEquals(withoutSeconds(one), withoutSeconds(two), "metrics.csv of " + runs.get(r));
            assertArrayEquals(Files.readAllBytes(one.resolve("best.npz")), Files.readAllBytes(two.resolve("best.npz")),
                    "best.npz of " + runs.get(r));
        }
    }

    private static void train(List<String> jvmFlags, List<String> settings, Path out) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(List.of("--add-modules", "jdk.incubator.vector"));
        command.addAll(jvmFlags);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "nnlab.cli.Main", "train"));
        command.addAll(settings);
        command.addAll(List.of("-epochs", "1", "--data", "fashion-mnist-sample", "--out", out.toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), String.join(" ", command) + "\n" + output);
    }

    /** metrics.csv without its last column (seconds). */
    private static List<String> withoutSeconds(Path run) throws IOException {
        return Files.readAllLines(run.resolve("metrics.csv")).stream().map(line -> line.substring(0, line.lastIndexOf(','))).toList();
    }
}
