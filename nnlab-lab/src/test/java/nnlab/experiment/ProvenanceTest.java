package nnlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import nnlab.data.CourseData;
import nnlab.data.Examples;
import org.junit.jupiter.api.Test;

/** The data fingerprint depends on the values only, not on how a loader holds them; the commit is the build's. */
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
