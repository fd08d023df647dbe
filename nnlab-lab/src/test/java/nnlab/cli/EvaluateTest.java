package nnlab.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nnlab.data.NdArray;
import nnlab.data.Npz;
import nnlab.data.ImageShape;
import nnlab.experiment.Models;
import nnlab.experiment.TrainConfig;
import nnlab.nn.Parameter;
import nnlab.nn.Sequential;
import nnlab.random.Rng;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** nnlab evaluate on everything but a good run folder: one clear line, naming the file, the array and both shapes. */
class EvaluateTest {
    @TempDir
    static Path root;
    static Path run;

    @BeforeAll
    static void trainOneRun() {
        run = root.resolve("run");
        var o = CommandLineTest.nnlab("train", "mlp", "-epochs", "1", "-batch_size", "64", "-hidden_size", "16",
                "--data", "fashion-mnist-sample", "--out", run.toString());
        assertEquals(0, o.status(), o.err());
    }

    private static Path copyOfRun(String name) throws Exception {
        Path copy = root.resolve(name);
        Files.createDirectories(copy);
        for (String f : List.of("config.json", "best.npz")) Files.copy(run.resolve(f), copy.resolve(f));
        return copy;
    }

    private static void assertRefused(Path dir, String... parts) {
        var o = CommandLineTest.nnlab("evaluate", dir.toString());
        assertEquals(1, o.status(), o.out() + o.err());
        for (String part : parts) assertTrue(o.err().contains(part), "no '" + part + "' in: " + o.err());
        assertTrue(!o.err().contains("\tat "), o.err());
    }

    @Test
    void aGoodRunEvaluates() {
        var o = CommandLineTest.nnlab("evaluate", run.toString());
        assertEquals(0, o.status(), o.err());
        assertTrue(o.out().contains("test acc 0."), o.out());
    }

    @Test
    void checkpointsOfTheWrongTypeWithNanOrOfAnotherShapeAreRefusedByName() throws Exception {
        Map<String, NdArray> good = Npz.read(run.resolve("best.npz"));

        Path ints = copyOfRun("ints");
        Map<String, NdArray> a = new LinkedHashMap<>(good);
        a.put("3.bias", NdArray.ofInts(new int[10], 10));
        Npz.write(ints.resolve("best.npz"), a, true);
        assertRefused(ints, "best.npz", "'3.bias' holds i4 values");

        // numpy's bools read as u1, but the user saved bools: the message says so.
        Path bools = copyOfRun("bools");
        try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(bools.resolve("best.npz")))) {
            for (var e : good.entrySet()) {
                zip.putNextEntry(new java.util.zip.ZipEntry(e.getKey() + ".npy"));
                if (!e.getKey().equals("3.bias")) {
                    nnlab.data.Npy.write(zip, e.getValue());
                    continue;
                }
                String dict = "{'descr': '|b1', 'fortran_order': False, 'shape': (10,), }";
                String header = dict + " ".repeat(64 - (10 + dict.length() + 1) % 64) + "\n";
                zip.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) header.length(), 0});
                zip.write(header.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                zip.write(new byte[] {1, 0, 1, 0, 0, 0, 0, 0, 0, 1});
            }
        }
        assertEquals("u1", Npz.read(bools.resolve("best.npz")).get("3.bias").dtype(), "what nnlab reads bools as");
        assertRefused(bools, "best.npz", "'3.bias' holds bool values");

        Path nan = copyOfRun("nan");
        a = new LinkedHashMap<>(good);
        float[] bias = new float[10];
        bias[4] = Float.NaN;
        a.put("3.bias", NdArray.ofFloats(bias, 10));
        Npz.write(nan.resolve("best.npz"), a, true);
        assertRefused(nan, "best.npz", "'3.bias' holds NaN (element 4)");

        // A config.json that describes a model of 784 x 1,000,000 weights (3 GB) next to the small checkpoint:
        // refused by shapes before anything that size is built.
        Path huge = copyOfRun("huge");
        String config = Files.readString(huge.resolve("config.json"));
        Files.writeString(huge.resolve("config.json"), config.replaceFirst("\"hidden_size\" : 16", "\"hidden_size\" : 1000000"));
        assertTrue(Files.readString(huge.resolve("config.json")).contains("1000000"), "the test did not edit config.json");
        assertRefused(huge, "best.npz", "'0.weight' has shape [16, 784]", "needs [1000000, 784]");
    }

    /** A damaged config.json is one line naming it and the parser's first complaint, not the parser's settings. */
    @Test
    void aDamagedConfigIsOneLine() throws Exception {
        Path cut = copyOfRun("cut");
        String config = Files.readString(cut.resolve("config.json"));
        Files.writeString(cut.resolve("config.json"), config.substring(0, config.length() / 2));
        var o = CommandLineTest.nnlab("evaluate", cut.toString());
        assertEquals(1, o.status());
        assertTrue(o.err().contains("config.json is not a readable JSON object (") && o.err().contains("damaged"), o.err());
        assertEquals(1, o.err().strip().lines().count(), o.err());
    }

    /** A config.json edited to settings nnlab refuses is named: the user typed none of them ("-model must be one of …"). */
    @Test
    void aConfigDescribingNoModelIsNamedAsSuch() throws Exception {
        Path rnn = copyOfRun("rnn");
        String config = Files.readString(rnn.resolve("config.json"));
        Files.writeString(rnn.resolve("config.json"), config.replaceFirst("\"model\" : \"mlp\"", "\"model\" : \"rnn\""));
        assertRefused(rnn, rnn.resolve("config.json") + " describes no model nnlab can build (-model must be one of", "'rnn'");
        // A model nnlab has, with settings of another: the mlp's hidden size in a cnn's configuration.
        Path cnn = copyOfRun("cnn");
        Files.writeString(cnn.resolve("config.json"), config.replaceFirst("\"model\" : \"mlp\"", "\"model\" : \"cnn\""));
        assertRefused(cnn, cnn.resolve("config.json") + " describes no model nnlab can build (-hidden_size is a setting of the mlp");
        Path noKind = copyOfRun("no-kind");
        Files.writeString(noKind.resolve("config.json"), config.replaceFirst("\"kind\" : \"train\",", ""));
        assertRefused(noKind, noKind.resolve("config.json") + " names no kind of run");
    }

    /**
     * A config.json that lost a setting the model or its data depends on is refused naming it: without
     * "data" the run was evaluated on the default dataset (fashion-mnist, not the sample it was trained
     * on) with exit 0. A config.json holding an array or null is said to, not in the parser's Java types.
     */
    @Test
    void aConfigThatLostASettingOrIsNoObjectIsRefused() throws Exception {
        String config = Files.readString(run.resolve("config.json"));
        for (String key : List.of("data", "activation", "hidden_size")) {
            Path lost = copyOfRun("lost-" + key);
            String edited = config.replaceFirst("\\s*\"" + key + "\" : [^,{]*,", "");
            assertTrue(edited.length() < config.length(), "the test did not edit config.json");
            Files.writeString(lost.resolve("config.json"), edited);
            assertRefused(lost, lost.resolve("config.json") + " describes no model nnlab can build (it lacks \"" + key + "\")");
        }
        for (String json : List.of("[1, 2]", "null")) {
            Path notAnObject = copyOfRun("not-an-object-" + json.length());
            Files.writeString(notAnObject.resolve("config.json"), json);
            var o = CommandLineTest.nnlab("evaluate", notAnObject.toString());
            assertEquals(1, o.status(), o.out());
            assertTrue(o.err().contains("config.json is not a readable JSON object (it holds " + (json.equals("null") ? "null" : "an array"))
                    && !o.err().contains("java.") && !o.err().contains("null\"") && !o.err().contains("Cannot"), o.err());
        }
    }

    @Test
    void foldersWithoutARunSayWhatTheyHold() throws Exception {
        Path noCheckpoint = root.resolve("killed");
        Files.createDirectories(noCheckpoint);
        Files.copy(run.resolve("config.json"), noCheckpoint.resolve("config.json"));
        assertRefused(noCheckpoint, "has no best.npz");
        Path sweep = root.resolve("sweep");
        Files.createDirectories(sweep.resolve("trials"));
        Files.writeString(sweep.resolve("sweep.json"), "{}");
        Path trial = Files.createDirectories(sweep.resolve("trials/01-base"));
        Files.copy(run.resolve("best.npz"), trial.resolve("best.npz"));
        Files.copy(run.resolve("config.json"), trial.resolve("config.json"));
        Path orphan = Files.createDirectories(sweep.resolve("trials/02-killed"));
        Files.copy(run.resolve("best.npz"), orphan.resolve("best.npz")); // no config.json: not offered
        var o = CommandLineTest.nnlab("evaluate", sweep.toString());
        assertTrue(o.err().contains("can be evaluated, e.g. " + trial) && !o.err().contains(orphan.toString()), o.err());
        // A mistyped folder is said not to exist, and a file to be one: both were "is not a folder".
        assertRefused(root.resolve("no-such-run"), root.resolve("no-such-run") + " does not exist");
        assertRefused(run.resolve("best.npz"), run.resolve("best.npz") + " is a file, not a folder");
        // A run folder that lost its config.json is told so, not pointed at itself.
        Path lost = root.resolve("lost-config");
        Files.createDirectories(lost);
        Files.copy(run.resolve("best.npz"), lost.resolve("best.npz"));
        assertRefused(lost, "has a best.npz but not the config.json");
    }

    /**
     * Data of another width given with --data is named with both widths (the checkpoint was blamed);
     * a classic run, which keeps no checkpoint, is named as such (it was told it ended before its first
     * epoch); a binary config.json or metrics.csv is named as not text (it was "Input length = 1").
     */
    @Test
    void otherDataClassicRunsAndBinaryFilesAreNamedForWhatTheyAre() throws Exception {
        StringBuilder csv = new StringBuilder("split,label,a,b,c\n");
        for (int i = 0; i < 40; i++) csv.append(i % 4 == 3 ? 2 : i % 4 == 2 ? 1 : 0).append(',').append(i % 10).append(",1,2,3\n");
        Path narrow = Files.writeString(root.resolve("narrow.csv"), csv);
        var o = CommandLineTest.nnlab("evaluate", run.toString(), "--data", narrow.toString());
        assertEquals(1, o.status(), o.out());
        assertTrue(o.err().contains("--data " + narrow + " has 3 features per example and 10 classes, but the model in " + run
                + " expects 784 features and 10 classes (it was trained on fashion-mnist-sample)"), o.err());

        Path classic = root.resolve("classic");
        assertEquals(0, CommandLineTest.nnlab("classic", "perceptron", "-epochs", "1", "--data", "fashion-mnist-sample",
                "--out", classic.toString()).status());
        assertRefused(classic, "is not an autodiff-track run (kind classic)", "result.json");

        Path binary = copyOfRun("binary");
        Files.write(binary.resolve("config.json"), new byte[] {'{', (byte) 0xff, (byte) 0xfe, 0, 1, '}'});
        assertRefused(binary, binary.resolve("config.json") + " is not text", "not UTF-8");
        Path binaryMetrics = root.resolve("binary-metrics");
        Files.createDirectories(binaryMetrics);
        Files.copy(run.resolve("config.json"), binaryMetrics.resolve("config.json"));
        Files.write(binaryMetrics.resolve("metrics.csv"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, (byte) 0xff});
        o = CommandLineTest.nnlab("report", binaryMetrics.toString());
        assertEquals(1, o.status(), o.out());
        assertTrue(o.err().contains(binaryMetrics.resolve("metrics.csv") + " is not text") && !o.err().contains("Input length"),
                o.err());
    }

    /** The shapes a checkpoint is checked against are those of the model Models.build makes. */
    @Test
    void parameterShapesAreThoseOfTheBuiltModel() {
        for (Map<String, String> settings : List.of(Map.of("model", "mlp"), Map.of("model", "mlp", "layers", "3", "hidden_size", "7"),
                Map.of("model", "logistic_regression"), Map.of("model", "cnn"), Map.of("model", "cnn", "no_maxpool", "true"))) {
            TrainConfig c = TrainConfig.from(settings);
            // The cnn on 3-channel 17×13 images (odd sizes, channels-last rows), the others on rows of 20 features.
            Models.Input input = c.model().equals("cnn") ? new Models.Input(663, new ImageShape(3, 17, 13, true)) : Models.Input.flat(20);
            Sequential model = Models.build(c, input, 4, new Rng(1));
            Map<String, int[]> shapes = Models.parameterShapes(c, input, 4);
            Map<String, Parameter> built = model.namedParameters();
            assertEquals(built.keySet(), shapes.keySet(), settings.toString());
            built.forEach((name, p) -> assertArrayEquals(p.dims(), shapes.get(name), name + " of " + settings));
        }
    }
}
