package nnlab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import nnlab.experiment.Json;
import nnlab.experiment.RunDirectory;
import nnlab.metrics.EpochRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {

    /** A finished run's files, written by hand: the report must be rebuilt from these alone. */
    static void fakeRun(Path dir) {
        RunDirectory run = new RunDirectory(dir);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("kind", "train");
        config.put("model", "mlp");
        config.put("learning_rate", 0.01);
        Json.write(dir.resolve("config.json"), config);
        for (int e = 1; e <= 5; e++) {
            run.addEpoch(EpochRecord.of(e).withTrain(1.0 / e, Double.NaN).withDev(1.2 / e, 0.5 + e / 20.0).withSeconds(0.5));
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("status", "finished");
        result.put("final_test_acc", 0.7321);
        run.writeResult(result);
    }

    @Test
    void aRunReportIsRebuiltFromFilesAlone(@TempDir Path dir) throws Exception {
        fakeRun(dir);
        List<Path> charts = RunReport.render(dir);
        // Every file a run's report writes is one RunDirectory counts as a run's: else a rerun of the same
        // command would find its own folder "foreign" and refuse it.
        try (var files = Files.list(dir)) {
            for (String name : files.map(p -> p.getFileName().toString()).toList()) {
                assertTrue(RunDirectory.RUN_FILES.contains(name), name + " is missing from RunDirectory.RUN_FILES");
            }
        }
        assertEquals(List.of(dir.resolve("loss.png"), dir.resolve("accuracy.png")), charts);
        BufferedImage png = ImageIO.read(dir.resolve("loss.png").toFile());
        assertEquals(720, png.getWidth());
        assertTrue(Files.readString(dir.resolve("loss.svg")).contains("<svg"));
        String md = Files.readString(dir.resolve("report.md"));
        assertTrue(md.contains("![mlp: loss per epoch](loss.png)") && md.contains("| final_test_acc | 0.7321 |"), md);
        String html = Files.readString(dir.resolve("report.html"));
        assertTrue(html.contains("data:image/png;base64,"));
        assertFalse(html.contains("http://") || html.contains("https://"), "the report must not reach the network");
    }

    /**
     * A run of 20,000 epochs is reported with its curves drawn from 2,000 evenly spread points (the
     * first and last kept) and a table of every 100th epoch and the last, saying so.
     */
    @Test
    void aVeryLongRunIsReportedThinned(@TempDir Path dir) throws Exception {
        Map<String, Object> config = new LinkedHashMap<>(Map.of("kind", "train", "model", "mlp"));
        Json.write(dir.resolve("config.json"), config);
        List<EpochRecord> records = new java.util.ArrayList<>();
        for (int e = 1; e <= 20_000; e++) records.add(EpochRecord.of(e).withTrain(1.0 / e, 0.5).withDev(1.1 / e, 0.6).withSeconds(0.1));
        nnlab.experiment.MetricsCsv.write(dir.resolve("metrics.csv"), records);
        Json.write(dir.resolve("result.json"), new LinkedHashMap<>(Map.of("status", "finished")));
        RunReport.render(dir);
        String md = Files.readString(dir.resolve("report.md"));
        assertTrue(md.contains("20000 epochs: every 100th is shown, and the last; metrics.csv holds them all."), md);
        long rows = md.lines().filter(l -> l.matches("\\| \\d+ \\|.*")).count();
        assertEquals(201, rows, "every 100th epoch of 20,000 and the last");
        assertTrue(md.contains("| 20000 |"), "the last epoch is in the table");
        Chart thin = Chart.lines("t", "epoch", "loss");
        double[] x = new double[10_000], y = new double[10_000];
        for (int i = 0; i < x.length; i++) {
            x[i] = i + 1;
            y[i] = i;
        }
        thin.line("train", x, y);
        assertTrue(thin.points("train") == Chart.MAX_POINTS, "points drawn: " + thin.points("train"));
    }

    /** A regression run's loss chart is titled and labelled RMSE, the figure its loss columns hold. */
    @Test
    void aRegressionRunsLossChartSaysRmse(@TempDir Path dir) throws Exception {
        Json.write(dir.resolve("config.json"), new LinkedHashMap<>(Map.of("kind", "classic", "model", "linear_regression")));
        List<EpochRecord> records = new java.util.ArrayList<>();
        for (int e = 1; e <= 3; e++) records.add(EpochRecord.of(e).withTrain(0.5 / e, Double.NaN).withTest(0.6 / e, Double.NaN));
        nnlab.experiment.MetricsCsv.write(dir.resolve("metrics.csv"), records);
        Json.write(dir.resolve("result.json"), new LinkedHashMap<>(Map.of("status", "finished", "final_test_rmse", 0.2)));
        RunReport.render(dir);
        String md = Files.readString(dir.resolve("report.md"));
        assertTrue(md.contains("linear_regression: RMSE per epoch"), md);
        assertFalse(md.contains("linear_regression: loss per epoch"), md);
    }

    @Test
    void theHtmlReportLoadsInHeadlessChromiumWithItsImages(@TempDir Path dir) throws Exception {
        Path chromium = Path.of("/usr/bin/chromium");
        assertTrue(Files.isExecutable(chromium), "this test needs Debian's chromium: scripts/setup installs it");
        fakeRun(dir);
        RunReport.render(dir);
        // Probe the real report: after load, write into the page how many images decoded, then dump the DOM.
        String probe = "<script>addEventListener('load',()=>{const i=[...document.images];"
                + "document.body.setAttribute('data-probe',i.length+'/'+i.filter(x=>x.complete&&x.naturalWidth>0).length);});</script>";
        Path probed = dir.resolve("probed.html");
        Files.writeString(probed, Files.readString(dir.resolve("report.html")).replace("</body>", probe + "</body>"));
        Process p = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + dir.resolve("profile"), "--enable-logging=stderr", "--v=0",
                "--virtual-time-budget=5000", "--dump-dom", probed.toUri().toString())
                .redirectError(dir.resolve("chromium.log").toFile()).start();
        String dom = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "chromium did not finish");
        String log = Files.readString(dir.resolve("chromium.log"));
        assertTrue(dom.contains("data-probe=\"2/2\""), "both charts must decode; DOM head: "
                + dom.substring(0, Math.min(300, dom.length())) + "\nlog: " + log);
        assertFalse(log.contains("CONSOLE") && log.toLowerCase().contains("error"), "console errors: " + log);
    }

    /** nnlab report DIR --pdf: report.pdf beside report.html, printed by the machine's headless Chromium. */
    @Test
    void reportPdfIsPrintedByHeadlessChromium(@TempDir Path dir) throws Exception {
        assertTrue(Pdf.chromium(null, System.getenv("PATH")).isPresent(), "this test needs chromium: scripts/setup installs it");
        fakeRun(dir);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(), err = new java.io.ByteArrayOutputStream();
        int status = nnlab.cli.Main.run(new String[] {"report", dir.toString(), "--pdf"},
                new java.io.PrintStream(out, true, StandardCharsets.UTF_8), new java.io.PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
        byte[] pdf = Files.readAllBytes(dir.resolve("report.pdf"));
        String text = new String(pdf, StandardCharsets.ISO_8859_1);
        assertTrue(text.startsWith("%PDF-") && (text.contains("/Type /Page") || text.contains("/Type/Page")), "not a PDF with pages");
        assertTrue(pdf.length > 20_000, "the charts are in it: " + pdf.length + " bytes");
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("printed " + dir.resolve("report.pdf")));
        // The PDF is one of the run's own files: the folder is still nnlab's after it.
        RunDirectory.requireOwnOrEmpty(dir, "the run", RunDirectory.RUN_FILES, RunDirectory.CONFIG, "kind");
    }

    /** Without Chromium, --pdf is one line that says what to do, and the HTML report is still rebuilt. */
    @Test
    void reportPdfWithoutChromiumSaysSoInOneLine(@TempDir Path dir) throws Exception {
        assertTrue(Pdf.chromium(null, "/nonexistent:" + dir).isEmpty());
        assertTrue(Pdf.chromium("/nonexistent/chromium", System.getenv("PATH")).isEmpty(), "NNLAB_CHROMIUM names one that is not there");
        fakeRun(dir);
        ProcessBuilder pb = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "--add-modules",
                "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"), "nnlab.cli.Main", "report", dir.toString(), "--pdf");
        pb.environment().put("PATH", dir.toString());
        pb.environment().remove("NNLAB_CHROMIUM");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)
                .replace("WARNING: Using incubator modules: jdk.incubator.vector\n", "");
        assertEquals(1, p.waitFor(), out + err);
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.startsWith("nnlab report: --pdf needs headless Chromium") && err.contains("apt-get install chromium"), err);
        assertTrue(Files.exists(dir.resolve("report.html")) && !Files.exists(dir.resolve("report.pdf")));
    }

    /** A damaged sweep.json (a key deleted or of another type) is named as such by nnlab report, never as Java's cast errors. */
    @org.junit.jupiter.api.Test
    void aDamagedSweepSpecIsNamedNotACastError(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        for (String spec : java.util.List.of("{\"kind\": \"train\", \"base\": {\"model\": \"mlp\"}}",
                "{\"kind\": \"train\", \"base\": 5, \"grid\": {\"seed\": [1]}}",
                "{\"kind\": \"train\", \"base\": {}, \"grid\": {\"learning_rate\": 5}}",
                "{\"kind\": \"train\", \"base\": {}, \"grid\": {\"seed\": [1]}, \"one_at_a_time\": \"yes\"}")) {
            java.nio.file.Files.writeString(dir.resolve("sweep.json"), spec);
            var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> SweepReport.render(dir));
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("sweep.json is damaged (its"), spec + ": " + e.getMessage());
        }
    }
}
