package nnlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The launcher's handling of the JVM's incubator warning: the filter drops exactly that first line
 * and passes the rest on as it comes (a progress bar has no newline), and a command run through the
 * real launcher prints no warning and keeps its messages and exit status.
 */
class LauncherTest {
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final String WARNING = "WARNING: Using incubator modules: jdk.incubator.vector\n";

    /** Writes {@code first}, then reads until {@code expected} has come out, while the input stays open. */
    private static String passes(String first, String partial) throws Exception {
        Process filter = new ProcessBuilder(ROOT.resolve("scripts/drop-incubator-warning").toString()).start();
        OutputStream in = filter.getOutputStream();
        InputStream out = filter.getInputStream();
        in.write((first + partial).getBytes(StandardCharsets.UTF_8));
        in.flush();
        // The partial line must come through before any newline follows it: a redrawn bar is never held.
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        String expected = (first.equals(WARNING) ? "" : first) + partial;
        while (!seen.toString(StandardCharsets.UTF_8).equals(expected) && System.nanoTime() < deadline) {
            if (out.available() > 0) seen.write(out.read());
            else Thread.sleep(5);
        }
        assertEquals(expected, seen.toString(StandardCharsets.UTF_8), "passed on before the input ended");
        in.write(" done\n".getBytes(StandardCharsets.UTF_8));
        in.close();
        String rest = new String(out.readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, filter.waitFor());
        return seen.toString(StandardCharsets.UTF_8) + rest;
    }

    @Test
    void theFilterDropsOnlyTheWarningAndPassesProgressBarsAtOnce() throws Exception {
        assertEquals("\r  epoch 1/2 [==    ] 20/4000 batches done\n", passes(WARNING, "\r  epoch 1/2 [==    ] 20/4000 batches"));
        String other = "WARNING: Using incubator modules: jdk.incubator.foreign\n";
        assertEquals(other + "\r  epoch 1 done\n", passes(other, "\r  epoch 1"), "another first line is kept");
        assertEquals("nnlab: an error" + WARNING + " done\n", passes("nnlab: an error", WARNING),
                "the warning is dropped only as the first line");
    }

    /** The real launcher, on the classes under test (NNLAB_CLASSPATH: no build step). */
    private record Run(int status, String out, String err) {}

    private static Run launcher(String... args) throws Exception {
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(ROOT.resolve("nnlab").toString()));
        command.addAll(java.util.List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("NNLAB_CLASSPATH", System.getProperty("java.class.path"));
        Process p = pb.start();
        p.getOutputStream().close();
        var err = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(p.waitFor(), out, err.get(60, TimeUnit.SECONDS));
    }

    @Test
    void commandsThroughTheLauncherPrintNoWarningAndKeepTheirMessages() throws Exception {
        Run version = launcher("--version");
        assertEquals(0, version.status(), version.err());
        assertTrue(version.out().startsWith("nnlab "), version.out());
        assertEquals("", version.err(), "nothing on standard error");
        Run typo = launcher("trian");
        assertEquals(2, typo.status(), typo.err());
        assertTrue(typo.err().startsWith("nnlab: unknown command 'trian'; did you mean 'train'?"), typo.err());
        assertFalse(typo.err().contains("WARNING"), typo.err());
    }
}
