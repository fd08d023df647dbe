package nnlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import nnlab.data.CourseData;
import nnlab.data.DataPlaces;
import nnlab.data.Datasets;
import nnlab.data.Examples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data fingerprint depends on the values only, not on how a loader holds them, and keeps the value results
 * already carry; a run records it without waiting for its hash; the commit is the build's.
 */
class ProvenanceTest {
    private static CourseData data(boolean asBytes, int changed) {
        int n = 4, d = 3;
        byte[] b = new byte[n * d];
        for (int k = 0; k < b.length; k++) b[k] = (byte) (k * 53 + 200);
        b[0] += (byte) changed;
        double[] x = new double[b.length];
        for (int k = 0; k < b.length; k++) x[k] = (b[k] & 0xFF) / 256.0;
        int[] labels = {0, 1, 1, 0};
        Examples train = asBytes ? Examples.ofBytes(b, 1.0 / 256, n, d, labels, null) : Examples.classification(x, n, d, labels);
        return new CourseData("t", train, null, train.head(2), 2);
    }

    @Test
    void bytesAndTheirFloat64ValuesHashAlike() {
        Object bytes = Provenance.fingerprint(data(true, 0)).get("hash");
        assertEquals(Provenance.fingerprint(data(false, 0)).get("hash"), bytes);
        assertNotEquals(Provenance.fingerprint(data(true, 1)).get("hash"), bytes, "one pixel changed");
    }

    /** The hash of values every result.json written so far carries: it must never change. */
    @Test
    void theHashKeepsItsValue() {
        assertEquals("7a407f69b2671df7", Provenance.hash(data(true, 0)));
        assertEquals("8b547b2ded216203", Provenance.hash(data(false, 3)));
    }

    /** Fashion-MNIST's hash, as the runs on it recorded it (Debian's dataset-fashion-mnist; skipped without it). */
    @Test
    void fashionMnistKeepsTheHashItsRunsRecorded() {
        Path debian = Path.of("/usr/share/datasets/fashion-mnist");
        assumeTrue(Files.isDirectory(debian), "Fashion-MNIST is not in " + debian + " (apt-get install dataset-fashion-mnist)");
        CourseData fashion = new Datasets(new DataPlaces(null, Path.of("/nonexistent/nnlab-cache"), debian.getParent(), null, false))
                .load("fashion-mnist");
        assertEquals("fef9cf4649177298", Provenance.hash(fashion));
        assertEquals("fef9cf4649177298", Provenance.fingerprint(fashion).get("hash"));
    }

    /** What a run writes at once, and then with the hash, is what {@link Provenance#of} gives, key for key and in order. */
    @Test
    void theHashIsAddedWhereOfPutsIt() {
        CourseData d = data(true, 0);
        Map<String, Object> whole = new java.util.LinkedHashMap<>(Provenance.of(d, 7));
        Map<String, Object> later = new java.util.LinkedHashMap<>(Provenance.withDataHash(Provenance.withoutHash(d, 7), Provenance.hash(d)));
        whole.remove("started");
        later.remove("started");
        assertEquals(Json.toString(whole), Json.toString(later));
        assertNull(((Map<?, ?>) Provenance.withoutHash(d, 7).get("data")).get("hash"));
    }

    /**
     * config.json is written at once, before the data's hash is known, and is already a run's (a run
     * killed then leaves a folder the next run takes); it gets the hash as soon as it is known, and
     * result.json carries it.
     */
    @Test
    void configJsonDoesNotWaitForTheHash(@TempDir Path dir, @TempDir Path killed) throws Exception {
        CountDownLatch hashing = new CountDownLatch(1);
        TrainConfig config = TrainRunTest.config("epochs", "1");
        CourseData blobs = TrainRunTest.blobs(1);
        try (RunDirectory run = RunDirectory.open(dir)) {
            run.begin(config, Provenance.withoutHash(blobs, 42), () -> {
                await(hashing); // a begin that waited for the hash gets it 10 s late, and fails below
                return "0123456789abcdef";
            });
            Map<?, ?> data = (Map<?, ?>) ((Map<?, ?>) RunDirectory.readConfig(dir).get("provenance")).get("data");
            assertEquals(400, data.get("train"), "the sizes are there at once");
            assertNull(data.get("hash"), "the hash is not known yet");
            Files.copy(dir.resolve(RunDirectory.CONFIG), killed.resolve(RunDirectory.CONFIG));
            hashing.countDown();
            assertEquals("0123456789abcdef", ((Map<?, ?>) ((Map<?, ?>) run.config().get("provenance")).get("data")).get("hash"));
        }
        // The folder of a run killed before its hash was known: the next run there takes it and completes it.
        TrainRun.run(config, blobs, killed, new TrainRun.Output() {});
        Map<?, ?> result = (Map<?, ?>) RunDirectory.readResult(killed).get("provenance");
        assertEquals(Provenance.fingerprint(blobs), result.get("data"));
        assertEquals(result, RunDirectory.readConfig(killed).get("provenance"));
    }

    /** A run that ends while the hash is still being computed (here: closed at once) leaves config.json with it. */
    @Test
    void closingWaitsForTheHash(@TempDir Path dir) {
        try (RunDirectory run = RunDirectory.open(dir)) {
            run.begin(TrainRunTest.config(), Provenance.withoutHash(TrainRunTest.blobs(1), 42), () -> {
                sleep(300);
                return "fedcba9876543210";
            });
        }
        Map<?, ?> provenance = (Map<?, ?>) RunDirectory.readConfig(dir).get("provenance");
        assertEquals("fedcba9876543210", ((Map<?, ?>) provenance.get("data")).get("hash"));
    }

    /** Both tracks' runs record the fingerprint of the data they ran on, hash included, in config.json and result.json alike. */
    @Test
    void runsRecordTheWholeFingerprint(@TempDir Path dir) {
        CourseData blobs = TrainRunTest.blobs(3);
        TrainRun.run(TrainRunTest.config("epochs", "1"), blobs, dir.resolve("train"), new TrainRun.Output() {});
        ClassicRun.run(ClassicConfig.from(Map.of("model", "perceptron", "epochs", "1", "data", "blobs")), blobs,
                dir.resolve("classic"), record -> {});
        for (String run : List.of("train", "classic")) {
            Map<?, ?> provenance = (Map<?, ?>) RunDirectory.readResult(dir.resolve(run)).get("provenance");
            assertEquals(Provenance.fingerprint(blobs), provenance.get("data"), run);
            assertEquals(provenance, RunDirectory.readConfig(dir.resolve(run)).get("provenance"), run);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String git(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("git", "-C", Path.of("").toAbsolutePath().toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, p.waitFor(), out);
        return out;
    }

    /** The build baked the commit it was made from (this test runs right after that build, from the checkout). */
    @Test
    void theBuildBakesItsCommitIntoTheClasses() throws Exception {
        String head = git("rev-parse", "--short=12", "HEAD");
        String commit = Provenance.gitCommit();
        assertTrue(commit.equals(head) || commit.equals(head + "+modified"), "baked " + commit + ", checkout at " + head);
        assertEquals(commit, Provenance.bakedCommit(Provenance.class.getResourceAsStream(Provenance.COMMIT_RESOURCE)),
                "the commit comes from the resource, not from asking git now");
    }

    @Test
    void aResourceWithoutACommitIsIgnored() {
        assertNull(Provenance.bakedCommit(null));
        assertNull(Provenance.bakedCommit(new ByteArrayInputStream("unknown\n".getBytes(StandardCharsets.UTF_8))),
                "a build outside git writes 'unknown'");
        assertNull(Provenance.bakedCommit(new ByteArrayInputStream("fatal: not a git repository".getBytes(StandardCharsets.UTF_8))));
        assertEquals("0123456789ab+modified",
                Provenance.bakedCommit(new ByteArrayInputStream("0123456789ab+modified\n".getBytes(StandardCharsets.UTF_8))));
        assertEquals("unknown", Provenance.checkoutCommit(null));
    }

    /** nnlab started away from the checkout, without NNLAB_HOME, still names its commit. */
    @Test
    void versionKnowsTheCommitOutsideTheCheckout(@org.junit.jupiter.api.io.TempDir Path elsewhere) throws Exception {
        String head = git("rev-parse", "--short=12", "HEAD");
        ProcessBuilder pb = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "--add-modules",
                "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"), "nnlab.cli.Main", "--version")
                .directory(elsewhere.toFile()).redirectErrorStream(true);
        pb.environment().remove("NNLAB_HOME");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.contains("(commit " + head), out);
    }
}
