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
            if (argv[0].equals("sweep")) assertEquals("", o.out(), "the sweep refuses before it announces its trials");
        }
        assertEquals("\\documentclass{article}", Files.readString(dir.resolve("thesis.tex")));
    }

    /**
     * The cases a hostile probe found: a user's own config.json (with files beside it, or not even
     * JSON), a stray .lock beside a user's file, a sweep aimed at a finished run and a run aimed at a
     * finished sweep, and a classic run aimed at a killed train run's folder: all refused, untouched.
     */
    @Test
    void foldersThatLookLikeNnlabsButAreNotAreRefusedToo(@TempDir Path dir) throws Exception {
        Path own = Files.createDirectories(dir.resolve("own-config"));
        Files.writeString(own.resolve("config.json"), "{\"learning_rate\": 3}");
        Files.writeString(own.resolve("notes.txt"), "mine");
        Path notJson = Files.createDirectories(dir.resolve("not-json"));
        Files.writeString(notJson.resolve("config.json"), "lr = 3\n");
        Path lock = Files.createDirectories(dir.resolve("lock"));
        Files.writeString(lock.resolve(".lock"), "");
        Files.writeString(lock.resolve("keep.txt"), "mine");
        for (Path folder : List.of(own, notJson, lock)) {
            List<String> before = listing(folder);
            String config = Files.exists(folder.resolve("config.json")) ? Files.readString(folder.resolve("config.json")) : null;
            for (String[] argv : new String[][] {
                    {"train", "mlp", "-epochs", "1", "--data", "fashion-mnist-sample", "--out", folder.toString()},
                    {"classic", "perceptron", "-epochs", "1", "--data", "fashion-mnist-sample", "--out", folder.toString()}}) {
                CommandLineTest.Outcome o = CommandLineTest.nnlab(argv);
                assertNotEquals(0, o.status(), String.join(" ", argv));
                assertTrue(o.err().contains("nnlab did not write there"), o.err());
                assertEquals(before, listing(folder), String.join(" ", argv) + " changed " + folder);
                if (config != null) assertEquals(config, Files.readString(folder.resolve("config.json")));
            }
        }
        Path run = dir.resolve("run");
        String[] train = {"train", "mlp", "-epochs", "1", "-batch_size", "64", "-hidden_size", "16", "--data", "fashion-mnist-sample",
                "--out", run.toString()};
        assertEquals(0, CommandLineTest.nnlab(train).status());
        List<String> runFiles = listing(run);
        CommandLineTest.Outcome sweep = CommandLineTest.nnlab("sweep", "train", "mlp", "--grid", "learning_rate=0.1,0.01", "-epochs", "1",
                "--data", "fashion-mnist-sample", "--out", run.toString());
        assertNotEquals(0, sweep.status());
        assertEquals(runFiles, listing(run), "a sweep wrote into a finished run");
        Path sweepDir = dir.resolve("sweep");
        assertEquals(0, CommandLineTest.nnlab("sweep", "train", "mlp", "--grid", "learning_rate=0.1", "-epochs", "1", "-hidden_size", "16",
                "-batch_size", "64", "--data", "fashion-mnist-sample", "--out", sweepDir.toString()).status());
        List<String> sweepFiles = listing(sweepDir);
        String[] trainIntoSweep = train.clone();
        trainIntoSweep[trainIntoSweep.length - 1] = sweepDir.toString();
        assertNotEquals(0, CommandLineTest.nnlab(trainIntoSweep).status());
        assertEquals(sweepFiles, listing(sweepDir), "a run wrote into a finished sweep");
        // A killed train run's folder (no result.json) is not taken up by a classic run.
        Files.delete(run.resolve("result.json"));
        CommandLineTest.Outcome classic = CommandLineTest.nnlab("classic", "perceptron", "-epochs", "1", "--data", "fashion-mnist-sample",
                "--out", run.toString());
        assertNotEquals(0, classic.status());
        assertTrue(classic.err().contains("holds a train run, not a classic one"), classic.err());
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

    /**
     * An --out where no folder can be made or locked says why, with the path it failed at (the message
     * was the path alone: "cannot lock /proc/x/.lock: /proc/x").
     */
    @Test
    void anOutWhereNoFolderCanBeMadeSaysWhy(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("notes.txt"), "mine");
        CommandLineTest.Outcome underAFile = CommandLineTest.nnlab("classic", "perceptron", "-epochs", "1", "--data",
                "fashion-mnist-sample", "--out", file.resolve("run").toString());
        assertEquals(1, underAFile.status(), underAFile.out());
        assertTrue(underAFile.err().contains("cannot use " + file.resolve("run") + " for the run: " + file.resolve("run") + ": ")
                && underAFile.err().contains("Choose a folder you can write to with --out"), underAFile.err());
        assertEquals("mine", Files.readString(file));
        if (Files.isDirectory(Path.of("/proc/self"))) {
            CommandLineTest.Outcome proc = CommandLineTest.nnlab("classic", "perceptron", "-epochs", "1", "--data",
                    "fashion-mnist-sample", "--out", "/proc/nnlab-no-such-run");
            assertEquals(1, proc.status(), proc.out());
            assertTrue(proc.err().contains("/proc/nnlab-no-such-run: no such file or folder, and none can be made there"), proc.err());
        }
    }
}
