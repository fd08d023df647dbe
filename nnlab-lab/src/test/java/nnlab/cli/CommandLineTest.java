package nnlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandLineTest {
    record Outcome(int status, String out, String err) {}

    static Outcome nnlab(String... argv) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int status = Main.run(argv, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void courseAndKebabSpellingsReachTheSameSetting() {
        Args a = Args.parse(new String[] {"mlp", "-learning_rate", "0.1", "--hidden-sizes=100", "--one-at-a-time"}, Set.of("one_at_a_time"));
        assertEquals("0.1", a.string("learning_rate", null));
        assertEquals(100, a.integer("hidden_size", 0, "hidden_sizes"));
        assertTrue(a.flag("one_at_a_time"));
        assertEquals(java.util.List.of("mlp"), a.positional());
    }

    @Test
    void trainWritesItsRunAndPrintsTheCourseLines(@TempDir Path dir) throws Exception {
        Outcome o = nnlab("train", "mlp", "-epochs", "2", "-batch_size", "32", "-learning_rate", "0.1", "-hidden_sizes", "64",
                "--data", "fashion-mnist-sample", "--out", dir.toString());
        assertEquals(0, o.status(), o.err());
        assertTrue(o.out().contains("epoch 2/2  train loss: ") && o.out().contains("Final test acc: 0."), o.out());
        for (String f : new String[] {"config.json", "metrics.csv", "result.json", "best.npz", "loss.png", "report.html"}) {
            assertTrue(Files.exists(dir.resolve(f)), f);
        }
        Outcome again = nnlab("evaluate", dir.toString());
        assertEquals(0, again.status(), again.err());
        assertTrue(again.out().contains("test acc 0."), again.out());
        assertEquals(0, nnlab("report", dir.toString()).status());
    }

    @Test
    void benchTimesSteadyClassicEpochsAndReadsAccuracyAtTheReferencesEpoch() {
        java.util.Set<String> scratchBefore = benchScratchFolders();
        Outcome o = nnlab("bench", "--quick", "--json", "--only", "classic-perceptron,logreg-b1");
        assertEquals(0, o.status(), o.err());
        assertTrue(scratchBefore.containsAll(benchScratchFolders()), "bench deletes its scratch run folders");
        String json = o.out();
        // classic: at least five epochs timed, accuracy after the (quick) reference's two epochs
        assertTrue(json.contains("\"classic-perceptron\""), json);
        assertTrue(json.matches("(?s).*\"classic-perceptron\".*?\"epochs\" : 5,.*?\"accuracy_epoch\" : 2,.*"), json);
        assertTrue(json.matches("(?s).*\"classic-perceptron\".*?\"warm_up_epochs\" : 0,.*"), json);
        // train workloads time the reference's epochs, after one untimed epoch when the reference runs fewer than three
        assertTrue(json.matches("(?s).*\"logreg-b1\".*?\"warm_up_epochs\" : 1,.*?\"epochs\" : 2,.*?\"accuracy_epoch\" : 2,.*"), json);
        assertTrue(json.contains("\"first_epoch_seconds\""), json);
        Outcome bad = nnlab("bench", "--only", "nonesuch");
        assertEquals(2, bad.status());
        assertTrue(bad.err().contains("classic-logreg"), bad.err());
    }

    private static java.util.Set<String> benchScratchFolders() {
        try (var files = Files.list(java.nio.file.Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.map(p -> p.getFileName().toString()).filter(name -> name.startsWith("nnlab-bench-"))
                    .collect(java.util.stream.Collectors.toSet());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void mistakesGetClearMessagesAndStatusTwo() {
        Outcome o = nnlab("train", "mlp", "-learning_rat", "0.1");
        assertEquals(2, o.status());
        assertTrue(o.err().contains("unknown option -learning_rat") && o.err().contains("-learning_rate"), o.err());
        o = nnlab("train", "mlp", "-dropout", "1.5", "--data", "fashion-mnist-sample");
        assertEquals(2, o.status(), "a value the settings refuse is a usage error");
        assertTrue(o.err().contains("-dropout must be in [0, 1), got 1.5"), o.err());
        o = nnlab("train", "mlp", "-activation", "gelu");
        assertTrue(o.err().contains("relu, tanh, sigmoid") && o.err().contains("gelu"), o.err());
        assertEquals(2, o.status());
        assertEquals(2, nnlab("train", "mlp", "-epochs", "abc").status());
        assertEquals(2, nnlab("classic", "perceptron", "-epochs", "0").status());
        assertEquals(2, nnlab("sweep", "train", "mlp", "--grid", "dropout=0.3,1.5").status());
        o = nnlab("train", "mlp", "-epochs", "1000000000000");
        assertTrue(o.status() == 2 && o.err().contains("-epochs 1000000000000 is too large (at most 2147483647)"), o.err());
        // A repeatable option given last without a value ended in a NullPointerException's text.
        o = nnlab("sweep", "train", "mlp", "--grid");
        assertTrue(o.status() == 2 && o.err().contains("option --grid needs a value"), o.err());
        o = nnlab("train", "mlp", "--out", "");
        assertTrue(o.status() == 2 && o.err().contains("-out was given an empty value"), o.err());
        o = nnlab("report", "/nonexistent/run");
        assertTrue(o.status() == 1 && o.err().contains("/nonexistent/run does not exist"), o.err());
        o = nnlab("train", "mlp", "--data", "/nonexistent/file.npz");
        assertEquals(1, o.status());
        assertTrue(o.err().contains("/nonexistent/file.npz"), o.err());
    }

    @Test
    void everyCommandAnswersHelpWithItsOptionsInBothSpellings() {
        for (String command : Help.COMMANDS.keySet()) {
            for (String[] argv : new String[][] {{command, "--help"}, {command, "-h"}, {"help", command}}) {
                Outcome o = nnlab(argv);
                assertEquals(0, o.status(), String.join(" ", argv) + ": " + o.err());
                assertTrue(o.out().startsWith("usage: nnlab " + command) && o.out().contains("example: nnlab " + command),
                        String.join(" ", argv) + ": " + o.out());
            }
        }
        String train = nnlab("train", "--help").out();
        assertTrue(train.contains("-learning_rate, --learning-rate X") && train.contains("default 0.01"), train);
        assertTrue(train.contains("-activation, --activation relu|tanh|sigmoid") && train.contains("-no_fused, --no-fused"), train);
        assertTrue(train.contains("also -hidden_sizes"), train);
        // The help lists what the command accepts: every hyperparameter of the schema but the positional model.
        for (var p : nnlab.experiment.TrainConfig.SCHEMA.params()) {
            if (!p.name().equals("model")) assertTrue(train.contains("-" + p.name() + ","), p.name() + " missing from\n" + train);
        }
        assertEquals(0, nnlab("--help").status());
        assertEquals(0, nnlab("help").status());
        Outcome version = nnlab("--version");
        assertEquals(0, version.status());
        assertTrue(version.out().startsWith("nnlab " + nnlab.experiment.Provenance.VERSION + " (commit "), version.out());
    }

    @Test
    void typosGetADidYouMeanAndStatusTwo() {
        Outcome o = nnlab("trian", "mlp");
        assertEquals(2, o.status());
        assertTrue(o.err().contains("unknown command 'trian'; did you mean 'train'?"), o.err());
        o = nnlab("train", "mlp", "--learning-rat", "0.1");
        assertEquals(2, o.status());
        assertTrue(o.err().contains("did you mean -learning_rate?"), o.err());
        o = nnlab("train", "perceptron");
        assertEquals(2, o.status());
        assertTrue(o.err().contains("nnlab classic perceptron"), o.err());
        assertEquals(2, nnlab().status());
    }

    /** Running out of memory ends in one line that says how to give Java more, not in a stack trace. */
    @Test
    void outOfMemoryIsOneClearLine(@TempDir Path dir) throws Exception {
        List<String> command = List.of(ProcessHandle.current().info().command().orElse("java"), "--add-modules",
                "jdk.incubator.vector", "-Xmx96m", "-cp", System.getProperty("java.class.path"), "nnlab.cli.Main", "train", "mlp",
                // Small enough for the up-front size check (5.6 M parameters), too large for 96 MB with Adam's state.
                "-hidden_size", "2000", "-layers", "2", "-optimizer", "adam", "-batch_size", "64", "-epochs", "1",
                "--data", "fashion-mnist-sample",
                "--out", dir.resolve("run").toString());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(1, p.waitFor(), output);
        assertTrue(output.contains("nnlab train: out of memory") && output.contains("NNLAB_JAVA_OPTS=-Xmx"), output);
        assertTrue(!output.contains("\tat ") && !output.contains("Exception in thread"), "a stack trace:\n" + output);
    }

    /** A classic run holds its folder's lock too: a second run there is refused while the first holds it. */
    @Test
    void aClassicRunIsRefusedAFolderInUse(@TempDir Path dir) throws Exception {
        try (var first = nnlab.experiment.RunDirectory.open(dir)) {
            Outcome o = nnlab("classic", "perceptron", "-epochs", "1", "--data", "fashion-mnist-sample", "--out", dir.toString());
            assertTrue(o.status() != 0 && o.err().contains("another run that is still running"), o.err());
            assertTrue(!Files.exists(dir.resolve("metrics.csv")), "the refused run wrote into the folder");
        }
    }

    /**
     * kill -9 of a real training process after its first improvement: best.npz is whole and evaluates,
     * no temporary file is left behind by the next run, and the same command then runs to the end.
     */
    @Test
    void aTrainingProcessKilledMidRunKeepsItsBestCheckpoint(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("run");
        List<String> settings = List.of("train", "mlp", "-batch_size", "64", "-learning_rate", "0.1", "-epochs", "40",
                "--data", "fashion-mnist-sample", "--out", out.toString());
        List<String> command = new java.util.ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"), "nnlab.cli.Main"));
        command.addAll(settings);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("log").toFile()).start();
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (!Files.exists(out.resolve("best.npz")) && p.isAlive() && System.nanoTime() < deadline) Thread.sleep(10);
        p.destroyForcibly(); // SIGKILL
        p.waitFor();
        assertTrue(Files.exists(out.resolve("best.npz")) && !Files.exists(out.resolve("result.json")),
                "killed before the end, after a checkpoint: " + Files.readString(dir.resolve("log")));
        Outcome evaluated = nnlab("evaluate", out.toString());
        assertEquals(0, evaluated.status(), evaluated.err());
        assertTrue(evaluated.out().contains("test acc"), evaluated.out());
        Outcome again = nnlab(settings.toArray(String[]::new));
        assertEquals(0, again.status(), again.err());
        try (var files = Files.list(out)) {
            assertEquals(List.of(), files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".tmp")).toList());
        }
        assertEquals("finished", nnlab.experiment.RunDirectory.readResult(out).get("status"));
    }

    /** A data file that does not fit in the heap is named, with its size and the flag to give, in one line. */
    @Test
    void aDataFileTooLargeForTheHeapIsNamedWithItsSize(@TempDir Path dir) throws Exception {
        // 60 million zero floats (240 MB once inflated) in a deflated .npz of a few hundred KB.
        Path file = dir.resolve("large.npz");
        try (var zip = new java.util.zip.ZipOutputStream(java.nio.file.Files.newOutputStream(file))) {
            zip.putNextEntry(new java.util.zip.ZipEntry("Xtrain.npy"));
            String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (60000, 1000), }";
            StringBuilder header = new StringBuilder(dict);
            while ((10 + header.length() + 1) % 64 != 0) header.append(' ');
            header.append('\n');
            zip.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) header.length(), 0});
            zip.write(header.toString().getBytes(StandardCharsets.US_ASCII));
            byte[] zeros = new byte[1 << 20];
            long left = 60_000L * 1000 * 4;
            for (; left > 0; left -= zeros.length) zip.write(zeros, 0, (int) Math.min(zeros.length, left));
            zip.closeEntry();
        }
        List<String> command = List.of(ProcessHandle.current().info().command().orElse("java"), "--add-modules",
                "jdk.incubator.vector", "-Xmx64m", "-cp", System.getProperty("java.class.path"), "nnlab.cli.Main", "classic",
                "perceptron", "--data", file.toString(), "--out", dir.resolve("run").toString());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(1, p.waitFor(), output);
        assertTrue(output.contains(file.toString()) && output.contains("does not fit in memory") && output.contains(" bytes on disk")
                && output.contains("NNLAB_JAVA_OPTS=-Xmx"), output);
        assertTrue(!output.contains("\tat ") && !output.contains("Exception in thread"), "a stack trace:\n" + output);
    }

    /**
     * Under LANG=C Java spells file names in ASCII: --out runs/é-ü arrived as runs/??-?? and failed with
     * "Malformed input". The launcher's scripts/utf8-locale.sh runs Java in C.UTF-8 there, and the run
     * works; a Java started in the ASCII locale without it says to use a UTF-8 locale.
     */
    @Test
    void aUnicodeOutWorksUnderTheCLocaleThroughTheLauncherOrSaysWhatToDo(@TempDir Path dir) throws Exception {
        String out = dir.resolve("runs").resolve("\u00e9-\u00fc").toString();
        List<String> java = List.of(ProcessHandle.current().info().command().orElse("java"), "--add-modules", "jdk.incubator.vector",
                "-cp", System.getProperty("java.class.path"), "nnlab.cli.Main", "classic", "perceptron", "-epochs", "1",
                "--data", "fashion-mnist-sample", "--out", out);
        List<String> launcher = new java.util.ArrayList<>(List.of("bash", "-c", ". ../scripts/utf8-locale.sh && exec \"$@\"", "nnlab"));
        launcher.addAll(java);
        for (List<String> command : List.of(launcher, java)) {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().keySet().removeIf(name -> name.startsWith("LC_") || name.equals("LANG") || name.equals("LANGUAGE"));
            builder.environment().put("LANG", "C");
            builder.environment().put("LC_ALL", "C");
            Process p = builder.start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int status = p.waitFor();
            if (command == launcher) {
                assertEquals(0, status, output);
                assertTrue(Files.exists(Path.of(out, "result.json")), output);
            } else {
                assertEquals(2, status, output);
                assertTrue(output.contains("cannot be a file name here") && output.contains("Run nnlab in a UTF-8 locale"), output);
            }
        }
    }

    /** More mistakes the hostile probe found, each now one clear line or a run that works. */
    @Test
    void oversizedModelsBatchesLargerThanTheDataBadParallelismAndDivergingRegressions(@TempDir Path dir) {
        Outcome huge = nnlab("train", "mlp", "-layers", "100000", "--data", "fashion-mnist-sample", "--out", dir.resolve("a").toString());
        assertEquals(1, huge.status());
        assertTrue(huge.err().contains("4,020,118,810 parameters") && huge.err().contains("-Xmx"), huge.err());
        assertTrue(!Files.exists(dir.resolve("a")), "nothing is written for a model that cannot fit");
        Outcome bigBatch = nnlab("train", "mlp", "-batch_size", "100000000", "-hidden_size", "16", "-epochs", "1",
                "--data", "fashion-mnist-sample", "--out", dir.resolve("b").toString());
        assertEquals(0, bigBatch.status(), "a batch larger than the data is one batch per epoch, as in PyTorch: " + bigBatch.err());
        for (String command : List.of("sweep", "hw1")) {
            Outcome p = command.equals("sweep")
                    ? nnlab("sweep", "train", "mlp", "--grid", "learning_rate=0.1", "--parallel", "0", "--out", dir.resolve("c").toString())
                    : nnlab("hw1", "--quick", "--parallel", "-1", "--out", dir.resolve("d").toString());
            assertEquals(2, p.status(), command + ": " + p.err());
            assertTrue(p.err().contains("must be at least 1"), p.err());
        }
        Outcome diverged = nnlab("classic", "linear_regression", "--data", "ames", "-learning_rate", "1e6", "-epochs", "3",
                "--out", dir.resolve("e").toString());
        assertEquals(1, diverged.status(), "a diverged run failed (DivergedRunsTest): " + diverged.err());
        assertTrue(diverged.out().contains("Diverged in epoch 1"), diverged.out());
    }

    /**
     * Values the commands took without a word: non-ASCII digits (Integer.parseInt reads full-width
     * １０ as 10), Java-only number forms (0.1d), a demo of 0 epochs; and more trials at once than
     * processors, which runs as asked with a one-line note.
     */
    @Test
    void oddNumbersAreRefusedAndTooMuchParallelismIsSaid(@TempDir Path dir) {
        Outcome fullWidth = nnlab("train", "mlp", "-epochs", "\uff11\uff10", "--data", "fashion-mnist-sample",
                "--out", dir.resolve("full-width").toString());
        assertEquals(2, fullWidth.status(), fullWidth.out());
        assertTrue(fullWidth.err().contains("-epochs expects a whole number, got '\uff11\uff10' (its digits are not 0-9"),
                fullWidth.err());
        assertEquals(2, nnlab("classic", "perceptron", "-seed", "\u0664\u0662").status(), "Arabic-Indic digits");
        assertEquals(2, nnlab("check", "range-function", "--dim", "\uff13").status(), "Args.integer too");
        Outcome javaNumber = nnlab("train", "mlp", "-learning_rate", "0.1d");
        assertTrue(javaNumber.status() == 2 && javaNumber.err().contains("-learning_rate expects a number, got '0.1d'"),
                javaNumber.err());
        assertEquals(2, nnlab("sweep", "train", "mlp", "--grid", "epochs=1,\uff12").status(), "a grid's values too");
        Outcome demo = nnlab("demo", "--epochs", "0");
        assertTrue(demo.status() == 2 && demo.err().contains("-epochs must be at least 1, got 0"), demo.out() + demo.err());

        int tooMany = Runtime.getRuntime().availableProcessors() + 1;
        Outcome sweep = nnlab("sweep", "classic", "perceptron", "--grid", "epochs=1,2", "--parallel", Integer.toString(tooMany),
                "--data", "fashion-mnist-sample", "--out", dir.resolve("sweep").toString());
        assertEquals(0, sweep.status(), sweep.err());
        assertTrue(sweep.err().contains("note: --parallel " + tooMany + " is more than this machine's "
                + (tooMany - 1) + " processors"), sweep.err());
        assertTrue(sweep.out().contains("2 trials of classic perceptron, 2 at a time"), sweep.out());
    }

    /**
     * A NaN or an infinity in any numeric setting is refused naming the setting and its range (-momentum
     * inf reached the optimiser, which named neither the option nor its spelling: "Invalid momentum
     * value"), as is a value that is no number at all; a number too large for a double is refused as
     * typed, not as the Infinity it became.
     */
    @Test
    void everyNumericSettingRefusesNanAndInfinitySayingItsRange(@TempDir Path dir) {
        String out = dir.resolve("out").toString();
        String[][] cases = {
                {"train", "mlp", "-momentum", "inf", "-momentum must be a finite number >= 0, got Infinity (infinite: no usable momentum)"},
                {"train", "mlp", "-l2_decay", "inf", "-l2_decay must be a finite number >= 0, got Infinity"},
                {"train", "mlp", "-l2_decay", "nan", "-l2_decay must be a finite number >= 0, got NaN (not a number: no usable l2 decay)"},
                {"train", "mlp", "-learning_rate", "nan", "-learning_rate must be a finite number >= 0, got NaN (not a number: no usable "
                        + "learning rate)"},
                {"train", "mlp", "-dropout", "-inf", "-dropout must be in [0, 1), got -Infinity (infinite: no usable dropout)"},
                {"train", "mlp", "-learning_rate", "1e400", "-learning_rate 1e400 is too large: numbers go up to about 1.8e308"},
                {"classic", "logistic_regression", "-l2_penalty", "inf", "-l2_penalty must be a finite number >= 0, got Infinity"},
                {"sweep", "train", "mlp", "--grid", "momentum=0.9,inf", "-momentum must be a finite number >= 0, got Infinity"},
                // A whole number that is no number at all is refused with its range too.
                {"train", "mlp", "-hidden_size", "nan", "-hidden_size expects a whole number, got 'nan'; it must be at least 1"},
                {"classic", "perceptron", "-epochs", "inf", "-epochs expects a whole number, got 'inf'; it must be at least 1"},
                {"train", "mlp", "-learning_rate", "0x10", "-learning_rate expects a number, got '0x10'; it must be a finite number >= 0"},
                {"sweep", "train", "mlp", "--random", "3", "--range", "learning_rate=1e-3..1e400:log",
                        "--range learning_rate=1e-3..1e400:log: its ends must be finite numbers"}};
        for (String[] c : cases) {
            List<String> argv = new java.util.ArrayList<>(List.of(c).subList(0, c.length - 1));
            argv.addAll(List.of("--data", "fashion-mnist-sample", "--out", out));
            Outcome o = nnlab(argv.toArray(String[]::new));
            assertEquals(2, o.status(), argv + ": " + o.out() + o.err());
            assertTrue(o.err().contains(c[c.length - 1]), argv + ": " + o.err());
        }
        assertTrue(!Files.exists(dir.resolve("out")));
    }

    /**
     * Data that no trial of a sweep can use is refused before any trial runs, once, with nothing written:
     * each trial failed on it, and the last line advised rerunning, which fails the same way.
     */
    @Test
    void aSweepWhoseDataNoTrialCanUseIsRefusedBeforeItsTrials(@TempDir Path dir) throws Exception {
        StringBuilder csv = new StringBuilder("split,label,a,b\n");
        for (int i = 0; i < 30; i++) csv.append(i % 3).append(',').append(i % 2).append(',').append(i == 7 ? "nan" : "1").append(",2\n");
        Path nan = Files.writeString(dir.resolve("nan.csv"), csv);
        String out = dir.resolve("sweep").toString();
        Outcome o = nnlab("sweep", "train", "mlp", "--grid", "learning_rate=0.1,0.01", "-epochs", "1", "--data", nan.toString(), "--out", out);
        assertEquals(1, o.status(), o.out());
        assertTrue(o.err().contains(nan + ": feature 0 of dev example 2 is NaN"), o.err());
        assertTrue(!o.out().contains("rerun") && !o.err().contains("rerun"), o.out() + o.err());
        assertTrue(!Files.exists(dir.resolve("sweep")), "nothing is written for a sweep refused for its data");
        Outcome regression = nnlab("sweep", "train", "mlp", "--grid", "learning_rate=0.1,0.01", "-epochs", "1", "--data", "ames",
                "--out", out);
        assertEquals(1, regression.status(), regression.out());
        assertTrue(regression.err().contains("'ames' is a regression dataset"), regression.err());
        assertTrue(!Files.exists(dir.resolve("sweep")));
    }

    /**
     * A sweep whose grid contradicts itself is refused before anything runs, naming the setting or
     * value: a fixed setting the full grid would silently override, a value listed twice (the sweep
     * collapsed 0.1,0.1 into one trial), a name given twice, an empty value, an unknown name.
     */
    @Test
    void sweepGridsThatContradictThemselvesAreUsageErrors(@TempDir Path dir) {
        String out = dir.resolve("sweep").toString();
        Outcome fixed = nnlab("sweep", "train", "mlp", "-learning_rate", "0.05", "--grid", "learning_rate=0.01,0.1", "--out", out);
        assertEquals(2, fixed.status(), fixed.err());
        assertTrue(fixed.err().contains("-learning_rate 0.05 is fixed and --grid learning_rate=0.01,0.1 varies it")
                && fixed.err().contains("--one-at-a-time"), fixed.err());
        Outcome kebab = nnlab("sweep", "train", "mlp", "--learning-rate", "0.05", "--grid", "learning-rate=0.01", "--out", out);
        assertEquals(2, kebab.status(), kebab.err());
        Outcome twice = nnlab("sweep", "train", "mlp", "--grid", "learning_rate=0.1,0.01,0.1", "--out", out);
        assertEquals(2, twice.status(), twice.err());
        assertTrue(twice.err().contains("lists 0.1 twice"), twice.err());
        Outcome sameValue = nnlab("sweep", "classic", "mlp", "--grid", "hidden_size=100,200", "--grid", "learning_rate=0.1,0.10");
        assertEquals(2, sameValue.status(), sameValue.err());
        assertTrue(sameValue.err().contains("lists 0.1 and 0.10, the same value"), sameValue.err());
        Outcome nameTwice = nnlab("sweep", "train", "mlp", "--grid", "dropout=0.1", "--grid", "dropout=0.2", "--out", out);
        assertTrue(nameTwice.status() == 2 && nameTwice.err().contains("--grid dropout is given twice"), nameTwice.err());
        Outcome empty = nnlab("sweep", "train", "mlp", "--grid", "dropout=0.1,,0.2", "--out", out);
        assertTrue(empty.status() == 2 && empty.err().contains("has an empty value"), empty.err());
        Outcome unknown = nnlab("sweep", "train", "mlp", "--grid", "learnin_rate=0.1", "--out", out);
        assertTrue(unknown.status() == 2 && unknown.err().contains("no hyperparameter 'learnin_rate'"), unknown.err());
        assertTrue(!Files.exists(dir.resolve("sweep")), "nothing is written for a refused sweep");
        // One at a time, the fixed value is the baseline the grid's values vary around: accepted.
        java.util.Map<String, java.util.List<String>> grid = SweepCommand.grid(List.of("learning_rate=0.01,0.1"),
                nnlab.experiment.TrainConfig.SCHEMA, java.util.Map.of("learning_rate", "0.05"), true);
        assertEquals(List.of("0.01", "0.1"), grid.get("learning_rate"));
    }

    /**
     * What the second hostile probe found: words and values that were silently ignored, a stack trace,
     * data of the wrong kind found only when every trial failed, messages that named the wrong thing.
     */
    @Test
    void theSecondProbesFindingsAreClearErrors(@TempDir Path dir) throws Exception {
        String out = dir.resolve("out").toString();
        // Ignored words: 'nnlab hw1 now' ran the full homework (hours), 'demo now' its demo.
        for (String[] argv : new String[][] {{"demo", "now"}, {"bench", "now", "--list"}, {"data", "fashion-mnist"},
                {"hw1", "now", "--out", out}}) {
            Outcome o = nnlab(argv);
            assertEquals(2, o.status(), String.join(" ", argv) + ": " + o.out());
            assertTrue(o.err().contains("takes no argument '" + argv[1] + "'"), o.err());
        }
        // A dataset name spelt the Python way, or misspelt, is named.
        for (String spelling : List.of("fashion_mnist_sample", "fashoin-mnist-sample", "Fashion-MNIST-sample ")) {
            Outcome o = nnlab("classic", "perceptron", "--data", spelling, "--out", out);
            assertTrue(o.status() == 1 && o.err().contains("did you mean fashion-mnist-sample?"), spelling + ": " + o.err());
        }
        // Python's spelling of NaN was "not a number" to nnlab; it is read, and refused for what it is.
        Outcome nan = nnlab("train", "mlp", "-learning_rate", "nan", "--out", out);
        assertTrue(nan.status() == 2 && nan.err().contains("-learning_rate must be a finite number >= 0, got NaN"), nan.err());
        // A switch given a value it cannot mean ran as if on.
        Outcome maybe = nnlab("train", "mlp", "--no-fused=maybe", "--out", out);
        assertTrue(maybe.status() == 2 && maybe.err().contains("--no-fused is on or off"), maybe.err());
        // A misspelt last option was said to need a value; a command without options listed none.
        Outcome foo = nnlab("bench", "--foo");
        assertTrue(foo.status() == 2 && foo.err().contains("unknown option -foo for 'bench'"), foo.err());
        assertTrue(nnlab("train", "mlp", "-epochs").err().contains("option -epochs needs a value"));
        Outcome report = nnlab("report", out, "--foo", "1");
        assertTrue(report.status() == 2 && report.err().contains("unknown option -foo for 'report'") && report.err().contains("-pdf"),
                report.err());
        // One misspelt bench workload among good ones was dropped without a word.
        Outcome bench = nnlab("bench", "--quick", "--only", "classic-perceptron,clasic-mlp");
        assertTrue(bench.status() == 2 && bench.err().contains("no workload named clasic-mlp"), bench.err());
        // A regression dataset: hw1 ran every classification trial to a failure and said "Homework done" (exit 0);
        // train told the user to add dev examples, which would not have helped.
        Outcome hw1 = nnlab("hw1", "--quick", "--data", "ames", "--out", out);
        assertEquals(1, hw1.status(), hw1.out());
        assertTrue(hw1.err().contains("needs a classification dataset, but 'ames' is a regression dataset"), hw1.err());
        assertTrue(!Files.exists(dir.resolve("out")), "nothing written for a homework refused up front");
        Outcome train = nnlab("train", "mlp", "--data", "ames", "--out", out);
        assertTrue(train.status() == 1 && train.err().contains("'ames' is a regression dataset")
                && train.err().contains("nnlab classic linear_regression|nn"), train.err());
        // A classic MLP too large for the heap allocated for 20 s before running out of memory.
        Outcome huge = nnlab("classic", "mlp", "-hidden_size", "100000000", "--data", "fashion-mnist-sample", "--out", out);
        assertTrue(huge.status() == 1 && huge.err().contains("the mlp has 79,500,000,010 parameters") && huge.err().contains("-Xmx"),
                huge.err());
        // An infinite bound was told to be swapped with the other.
        Outcome infinite = nnlab("check", "range-function", "--a", "1e400");
        assertTrue(infinite.status() == 2 && infinite.err().contains("-a 1e400 is too large"), infinite.err());
        Outcome nanBound = nnlab("check", "range-function", "--a", "nan");
        assertTrue(nanBound.status() == 2 && nanBound.err().contains("--a and --b must be finite numbers"), nanBound.err());
        // A sweep aimed at a run's folder was told the run's files were not nnlab's.
        Path run = dir.resolve("run");
        assertEquals(0, nnlab("classic", "perceptron", "-epochs", "1", "--data", "fashion-mnist-sample", "--out", run.toString())
                .status());
        Outcome sweep = nnlab("sweep", "classic", "perceptron", "--grid", "epochs=1,2", "--out", run.toString());
        assertTrue(sweep.status() == 1 && sweep.err().contains("holds a run of nnlab's, not the sweep"), sweep.err());
        // A bad NNLAB_MIRROR ended every command, even 'report', in a stack trace.
        for (String[] argv : new String[][] {{"train", "mlp", "--data", "kmnist", "--out", out}, {"report", run.toString()}}) {
            List<String> command = new java.util.ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                    "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"), "nnlab.cli.Main"));
            command.addAll(List.of(argv));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().put("NNLAB_MIRROR", "::not a url::");
            Process p = builder.start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int status = p.waitFor();
            assertTrue(!output.contains("\tat ") && !output.contains("Exception in thread"), "a stack trace:\n" + output);
            if (argv[0].equals("train")) {
                assertEquals(1, status, output);
                assertTrue(output.contains("NNLAB_MIRROR='::not a url::' is not a base URL"), output);
            } else {
                assertEquals(0, status, "report loads no data: " + output);
            }
        }
    }

    /**
     * The completion script, run in a real bash: commands, options of a command in both spellings,
     * an option's allowed values, from the same table as --help.
     */
    @Test
    void shellCompletionCompletesCommandsOptionsAndValues(@TempDir Path dir) throws Exception {
        Outcome o = nnlab("completion", "bash");
        assertEquals(0, o.status(), o.err());
        Path script = Files.writeString(dir.resolve("nnlab.bash"), o.out());
        String run = "source " + script + "; complete_line() { COMP_WORDS=(\"$@\"); COMP_CWORD=$(( $# - 1 )); _nnlab; "
                + "echo \"${COMPREPLY[*]}\"; }; complete_line nnlab tr; complete_line nnlab train --learn; "
                + "complete_line nnlab train -activation ''; complete_line nnlab hw1 --edition 20";
        Process p = new ProcessBuilder("bash", "-c", run).redirectErrorStream(true).start();
        List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertEquals(0, p.waitFor(), String.join("\n", lines));
        assertEquals(List.of("train", "--learning-rate", "relu tanh sigmoid", "2021 2023 2024"), lines);
        assertTrue(nnlab("completion", "zsh").out().startsWith("autoload -U +X bashcompinit && bashcompinit"));
        assertEquals(2, nnlab("completion", "fish").status());
        assertEquals(0, nnlab("completion", "--help").status());
    }

    /** nnlab shell: JShell with the library imported, running what it is given in nnlab's JVM. */
    @Test
    void theShellRunsLibraryCodeWithItsPackagesImported() {
        String input = "var t = Tensor.of(new float[] {1, 2, 3});\nSystem.out.println(\"sum=\" + t.sum().item());\n"
                + "System.out.println(new Sequential(new Linear(3, 2, new Rng(1))).numParameters());\n/exit\n";
        java.io.ByteArrayOutputStream tool = new java.io.ByteArrayOutputStream(), printed = new java.io.ByteArrayOutputStream();
        java.io.PrintStream stdout = System.out;
        int status;
        try {
            System.setOut(new java.io.PrintStream(printed, true, StandardCharsets.UTF_8));
            status = ShellCommand.run(Args.parse(new String[0], Set.of()),
                    new java.io.ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
                    new java.io.PrintStream(tool, true, StandardCharsets.UTF_8));
        } finally {
            System.setOut(stdout);
        }
        String all = printed.toString(StandardCharsets.UTF_8) + tool.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, all);
        assertTrue(all.contains("sum=6.0"), all);
        assertTrue(all.lines().anyMatch(line -> line.strip().equals("8")), "Linear(3, 2) has 8 parameters:\n" + all);
        assertTrue(all.contains("nnlab's packages are imported"), all);
    }
}
