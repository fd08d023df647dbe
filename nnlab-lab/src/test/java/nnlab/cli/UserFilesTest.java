package nnlab.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * nnlab never writes into a folder of the user's: --out at a folder that holds other files is refused
 * by every command that writes runs, naming the folder, with nothing in it changed or added; a
 * finished run is not overwritten; a killed run's folder is taken up again.
 */
class UserFilesTest {
    private static List<String> listing(Path dir) throws Exception {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }

    @Test
    void aFolderOfTheUsersIsRefusedByEveryCommandAndLeftAsItWas(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("thesis.tex"), "\\documentclass{article}");
        Files.createDirectories(dir.resolve("figures"));
        Files.writeString(dir.resolve("figures/loss.png"), "mine");
        List<String> before = listing(dir);
        String[][] commands = {
                {"train", "mlp", "-epochs", "1", "--data", "fashion-mnist-sample", "--out", dir.toString()},
                {"classic", "perceptron", "-epochs", "1", "--data", "fashion-mnist-sample", "--out", dir.toString()},
                {"sweep", "train", "mlp", "--grid", "learning_rate=0.1,0.01", "-epochs", "1", "--data", "fashion-mnist-sample",
                        "--out", dir.toString()},
                {"hw1", "--quick", "--out", dir.toString()}};
        for (String[] argv : commands) {
            CommandLineTest.Outcome o = CommandLineTest.nnlab(argv);
            assertNotEquals(0, o.status(), String.join(" ", argv));
            assertTrue(o.err().contains(dir.toString()) && o.err().contains("did not write") && o.err().contains("thesis.tex"),
                    String.join(" ", argv) + ": " + o.err());
            assertEquals(before, listing(dir), String.join(" ", argv) + " changed the folder");
        }
        assertEquals("\\documentclass{article}", Files.readString(dir.resolve("thesis.tex")));
    }

    @Test
    void aFinishedRunIsKeptAndAKilledOneIsTakenUpAgain(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("run");
        String[] train = {"train", "mlp", "-epochs", "1", "-batch_size", "64", "-hidden_size", "32", "--data", "fashion-mnist-sample",
                "--out", run.toString()};
        assertEquals(0, CommandLineTest.nnlab(train).status());
        byte[] result = Files.readAllBytes(run.resolve("result.json")), checkpoint = Files.readAllBytes(run.resolve("best.npz"));
        CommandLineTest.Outcome again = CommandLineTest.nnlab(train);
        assertNotEquals(0, again.status());
        assertTrue(again.err().contains("holds a finished run") && again.err().contains(run.toString()), again.err());
        assertArrayEquals(result, Files.readAllBytes(run.resolve("result.json")));
        assertArrayEquals(checkpoint, Files.readAllBytes(run.resolve("best.npz")));
        // A killed run: its config and metrics, no result. The same command runs it again from the start.
        Files.delete(run.resolve("result.json"));
        CommandLineTest.Outcome resumed = CommandLineTest.nnlab(train);
        assertEquals(0, resumed.status(), resumed.err());
        assertTrue(Files.exists(run.resolve("result.json")));
    }
}
