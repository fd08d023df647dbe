package nnlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nnlab.data.NdArray;
import nnlab.data.Npz;
import nnlab.experiment.Homework;
import nnlab.random.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each edition of Homework 1 end to end (quick mode) on a small generated file in that year's layout:
 * every question runs, leaves its folder, and the one report names every question.
 */
class HomeworkTest {

    /** Images whose mean brightness encodes the class, so every model can learn something. */
    private static NdArray images(Rng rng, int n, int[] shape, int classes, int[] labels) {
        int size = 1;
        for (int d : shape) size *= d;
        byte[] pixels = new byte[n * size];
        for (int i = 0; i < n; i++) {
            labels[i] = i % classes;
            for (int j = 0; j < size; j++) {
                int v = (int) (40 * labels[i] + 60 * rng.nextDouble());
                pixels[i * size + j] = (byte) Math.min(255, v);
            }
        }
        int[] dims = new int[shape.length + 1];
        dims[0] = n;
        System.arraycopy(shape, 0, dims, 1, shape.length);
        return NdArray.ofBytes(pixels, dims);
    }

    private static void imagesFile(Path file, int[] shape, int classes, int train, int dev, int test) {
        Rng rng = new Rng(7);
        Map<String, NdArray> arrays = new LinkedHashMap<>();
        for (var split : List.of(Map.entry("train", train), Map.entry("val", dev), Map.entry("test", test))) {
            int[] labels = new int[split.getValue()];
            arrays.put(split.getKey() + "_images", images(rng, split.getValue(), shape, classes, labels));
            arrays.put(split.getKey() + "_labels", NdArray.ofBytes(toBytes(labels), split.getValue(), 1));
        }
        Npz.write(file, arrays, true);
    }

    private static byte[] toBytes(int[] labels) {
        byte[] b = new byte[labels.length];
        for (int i = 0; i < labels.length; i++) b[i] = (byte) labels[i];
        return b;
    }

    /**
     * Each handout's questions, in its own numbering and order, written out here from the handouts
     * (seeds/003 for 2021-22, homework1.pdf for 2024-25 as COURSE.md §1.3 and seeds/001 follow it,
     * seeds/004 for 2023-24), not from nnlab's list: the report must have a heading for every one.
     */
    static final Map<String, List<String>> HANDOUTS = Map.of(
            "2021", List.of("Q1.1", "Q1.2", "Q1.3", "Q1.4", "Q1.5", "Q2.1", "Q2.2(a)", "Q2.2(b)", "Q3.1(a)", "Q3.1(b)",
                    "Q3.2(a)", "Q3.2(b)", "Q4.1", "Q4.2", "Q4.3"),
            "2023", List.of("Q1.1(a)", "Q1.1(b)", "Q1.2(a)", "Q1.2(b)", "Q2.1", "Q2.2(a)", "Q2.2(b)", "Q2.2(c)", "Q3.1(a)",
                    "Q3.1(b)", "Q3.1(c)"),
            "2024", List.of("Q1.1(a)", "Q1.2(a)", "Q1.2(b)", "Q1.2(c)", "Q1.2(d)", "Q1.3(a)", "Q2.1", "Q2.2(a)", "Q2.2(b)",
                    "Q2.2(c)", "Q3.1", "Q3.2", "Q3.3", "Q3.4"));

    /** The report's section of a question: from its heading to the next. */
    static String section(String report, String number) {
        int start = report.indexOf("\n## " + number + " ");
        assertTrue(start >= 0, "no section " + number);
        int end = report.indexOf("\n## ", start + 1);
        return report.substring(start, end < 0 ? report.length() : end);
    }

    private static String runEdition(String edition, Path data, Path out) throws Exception {
        var o = CommandLineTest.nnlab("hw1", "--quick", "--edition", edition, "--data", data.toString(), "--out", out.toString());
        assertEquals(0, o.status(), o.err() + o.out());
        String report = Files.readString(out.resolve("report.md"));
        assertTrue(report.contains("QUICK RUN: NOT THE HOMEWORK'S ANSWERS"), "no quick banner:\n" + report);
        // Every question of the handout is a heading, in the handout's order, and nothing else is.
        List<String> headings = report.lines().filter(l -> l.startsWith("## Q")).map(l -> l.substring(3, l.indexOf(' ', 3))).toList();
        assertEquals(HANDOUTS.get(edition), headings, "the " + edition + " handout's questions, in order");
        for (var q : nnlab.experiment.HomeworkQuestions.of(edition)) {
            String section = section(report, q.number());
            String heading = section.lines().filter(l -> l.startsWith("## ")).findFirst().orElseThrow();
            if (q.experimental()) {
                // A quick heading says how many of the homework's epochs ran.
                assertTrue(heading.matches(".* — \\d+ of \\d+ epochs \\(quick\\).*"), heading);
                assertTrue(section.contains("| trial | status |"), q.number() + " shows its figures:\n" + section);
            }
            for (String check : q.checks()) {
                assertTrue(section.contains("Numerical check: `nnlab check " + check + "`"), q.number() + " misses " + check);
                // The output in full the first time, then a pointer to it with its count.
                assertTrue(section.matches("(?s).*(summary: |its output under Q\\S+ above \\()[1-9]\\d* PASS, 0 FAIL.*")
                        && !section.contains("  FAIL "), q.number() + ": " + section);
            }
            assertFalse(section.contains("No trial has finished yet"), section);
        }
        for (Homework.Step step : Homework.steps(edition, true, data.toString())) {
            List<String> summary = Files.readAllLines(out.resolve(step.id()).resolve("summary.csv"));
            int status = List.of(summary.get(0).split(",")).indexOf("status");
            for (String row : summary.subList(1, summary.size())) {
                String s = row.split(",")[status];
                assertTrue(s.equals("finished") || s.equals("diverged"), step.id() + ": " + row);
            }
        }
        Files.delete(out.resolve("report.md"));
        assertEquals(0, CommandLineTest.nnlab("report", out.toString()).status());
        assertEquals(report, Files.readString(out.resolve("report.md")), "nnlab report rebuilds the same report");
        assertTrue(Files.readString(out.resolve("report.html")).contains("data:image/png;base64,"));
        return report;
    }

    @Test
    void edition2023RunsOnAnOctmnistShapedFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("octmnist.npz");
        imagesFile(file, new int[] {28, 28}, 4, 160, 40, 1000);
        runEdition("2023", file, dir.resolve("out"));
        // The 2023-24 loader keeps 182/55/42/250 test examples of classes 0–3.
        String result = Files.readString(dir.resolve("out/q1-1a-perceptron/trials/01-seed=42/config.json"));
        assertTrue(result.contains("\"test\" : 529"), result);
    }

    @Test
    void edition2024RunsOnAnIntelLandscapesShapedFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("intel_landscapes.npz");
        imagesFile(file, new int[] {48, 48, 3}, 6, 120, 60, 60);
        runEdition("2024", file, dir.resolve("out"));
        String config = Files.readString(dir.resolve("out/q1-1-perceptron/trials/01-seed=42/config.json"));
        assertTrue(config.contains("\"features\" : 6912"), "48×48×3 pixels: " + config);
    }

    /**
     * Homework 2 on 3-channel 48×48 images stored channels-last (the 2024-25 layout): its three
     * questions in order, the CNN trained with and without max pooling at each learning rate, the
     * parameter count of both networks, the filters and feature maps drawn, and a rebuilt report
     * identical to the first.
     */
    @Test
    void homework2RunsTheCnnQuestionsOnIntelShapedImages(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("intel_landscapes.npz");
        imagesFile(file, new int[] {48, 48, 3}, 6, 120, 60, 60);
        Path out = dir.resolve("out");
        var o = CommandLineTest.nnlab("hw2", "--quick", "--edition", "2024", "--data", file.toString(), "--out", out.toString());
        assertEquals(0, o.status(), o.err() + o.out());
        String report = Files.readString(out.resolve("report.md"));
        List<String> headings = report.lines().filter(l -> l.startsWith("## Q")).map(l -> l.substring(3, l.indexOf(' ', 3))).toList();
        assertEquals(List.of("Q2.1", "Q2.2", "Q2.3"), headings);
        // 3 channels, 48×48 → 16×11×11 = 1,936 values into 320 units, 6 classes; the same with stride-2 convolutions.
        long parameters = (8 * 27 + 8) + (16 * 72 + 16) + (1_936 * 320 + 320) + (320 * 120 + 120) + (120 * 6 + 6);
        String count = String.format(java.util.Locale.ROOT, "| %,d |", parameters);
        assertTrue(report.contains("| Q2.3 | a written answer; the runs with max pooling and without max pooling | trainable parameters "
                + count.substring(2, count.length() - 2) + " in every run |"), report);
        String q23 = section(report, "Q2.3");
        assertEquals(6, q23.lines().filter(l -> l.endsWith(count)).count(), "both networks' three trials:\n" + q23);
        for (String q : List.of("Q2.1", "Q2.2")) {
            String section = section(report, q);
            assertTrue(section.contains("filters.png)") && section.contains("feature_maps.png)"), section);
        }
        assertTrue(Files.readString(out.resolve("homework.json")).contains("\"homework\" : 2"));
        Files.delete(out.resolve("report.md"));
        assertEquals(0, CommandLineTest.nnlab("report", out.toString()).status());
        assertEquals(report, Files.readString(out.resolve("report.md")), "nnlab report rebuilds the same report");
    }

    @Test
    void edition2021RunsOnACourseLayoutFileAndAmes(@TempDir Path dir) throws Exception {
        Rng rng = new Rng(3);
        Map<String, NdArray> arrays = new LinkedHashMap<>();
        for (var split : List.of(Map.entry("train", 200), Map.entry("dev", 60), Map.entry("test", 60))) {
            int n = split.getValue();
            int[] labels = new int[n];
            NdArray pixels = images(rng, n, new int[] {784}, 10, labels);
            double[] x = pixels.toDoubles();
            for (int i = 0; i < x.length; i++) x[i] /= 256;
            arrays.put("X" + split.getKey(), NdArray.ofDoubles(x, n, 784));
            arrays.put("y" + split.getKey(), NdArray.ofLongs(java.util.Arrays.stream(labels).asLongStream().toArray(), n));
        }
        Path file = dir.resolve("Fashion-MNIST.npz");
        Npz.write(file, arrays, true);
        String report = runEdition("2021", file, dir.resolve("out"));
        // Q2.2: train and test RMSE, and the course's replay of the same loop beside nnlab's, equal where both ran.
        String ames = section(report, "Q2.2(a)");
        assertTrue(ames.contains("| trial | status | train RMSE | test RMSE |"), ames);
        assertTrue(ames.contains("| the run | test rmse after epoch 10 | 0.2855 | 0.2855 | 0.0000 (to 4 decimals) | COURSE.md §2.1"), ames);
        assertTrue(ames.contains("not comparable: ran 30 of 150 epochs"), ames);
        assertTrue(section(report, "Q2.2(b)").contains("| linear model (Q2.2(a)) |"), "the network beside the linear model");
        // Q3.2(a) is shown: the perceptron fails XOR, the ReLU network learns it, the linear one is a linear model.
        String mlp = section(report, "Q3.2(a)");
        for (String line : List.of("PASS perceptron sign(wᵀx + b)", "PASS ReLU activation learns it: accuracy 1.0000",
                "PASS linear activation g(z) = z does not", "PASS it is a linear model", "| MLP (Q3.2(b)) |")) {
            assertTrue(mlp.contains(line), "Q3.2(a) misses '" + line + "':\n" + mlp);
        }
        // Tuning: the best setting; Q4.3 shows the default beside the deeper models; references with their sources.
        assertTrue(section(report, "Q4.1").matches("(?s).*(Best by|Tie on) highest final validation accuracy.*"), section(report, "Q4.1"));
        String depth = section(report, "Q4.3");
        assertTrue(depth.contains("| default, 1 hidden layer (Q4.2) | finished |"), depth);
        assertTrue(depth.contains("| Q4.2 base | test acc after epoch 20 | – | 0.8709 | not comparable: ran on "), depth);
        assertTrue(section(report, "Q4.1").contains("| learning_rate=0.001 | test acc after epoch 20 | – | 0.8402 |"));
    }

    @Test
    void aMissingDatasetFailsWithWhereItLookedHowToGetItAndTheStandIn() {
        org.junit.jupiter.api.Assumptions.assumeTrue(intelIsMissing(), "intel-landscapes is on this machine");
        var o = CommandLineTest.nnlab("hw1", "--edition", "2024", "--out", System.getProperty("java.io.tmpdir") + "/nnlab-hw1-missing");
        assertEquals(1, o.status());
        assertTrue(o.err().contains("intel") && o.err().contains("drive.google.com"), o.err());
        assertTrue(o.err().contains("nnlab hw1 --edition 2024 --quick runs it on the embedded fashion-mnist-sample"), o.err());
    }

    private static boolean intelIsMissing() {
        try {
            nnlab.data.Datasets.standard().locate("intel-landscapes");
            return false;
        } catch (nnlab.data.DataFileException e) {
            return true;
        }
    }

    /**
     * A quick run of an edition whose data is not here runs on the embedded sample instead, says which
     * data stood in and how to get the real one (on screen and atop the report), and learns on it.
     */
    @Test
    void aQuickRunWithoutTheEditionsDataStandsTheSampleInAndSaysSo(@TempDir Path dir) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(intelIsMissing(), "intel-landscapes is on this machine");
        Path out = dir.resolve("out");
        var o = CommandLineTest.nnlab("hw1", "--quick", "--edition", "2024", "--out", out.toString());
        assertEquals(0, o.status(), o.err() + o.out());
        String note = "STAND-IN DATA: intel-landscapes (the 2024 edition's data) is not on this machine, so this quick run used "
                + "nnlab's embedded fashion-mnist-sample in its place";
        assertTrue(o.out().startsWith(note) && o.out().contains("drive.google.com") && o.out().contains("--data PATH"), o.out());
        assertTrue(Files.readString(out.resolve("report.md")).contains(note), "the report says it too");
        assertTrue(Files.readString(out.resolve("homework.json")).contains("\"stand_in_for\" : \"intel-landscapes\""));
        // Learning, not chance (0.1 for ten classes): the perceptron, and the default network at batch 64.
        for (String step : List.of("q1-1-perceptron", "q2-2a-batch")) {
            List<String> summary = Files.readAllLines(out.resolve(step).resolve("summary.csv"));
            int test = List.of(summary.get(0).split(",")).indexOf("final_test_acc");
            double accuracy = Double.parseDouble(summary.get(1).split(",")[test]);
            assertTrue(accuracy > 0.2, step + ": test accuracy " + accuracy + " is chance");
        }
        Files.delete(out.resolve("report.md"));
        assertEquals(0, CommandLineTest.nnlab("report", out.toString()).status());
        assertTrue(Files.readString(out.resolve("report.md")).contains(note), "a rebuilt report keeps the note");
    }
}
