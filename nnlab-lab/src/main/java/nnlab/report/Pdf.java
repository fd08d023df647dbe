package nnlab.report;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * report.html printed to report.pdf (the course asks for a PDF) by headless Chromium, which lays the
 * page out as a browser shows it, charts included. Chromium is found on the PATH (scripts/setup
 * installs Debian's {@code chromium}) or named by {@code NNLAB_CHROMIUM}.
 */
public final class Pdf {
    /** The names Chromium goes by on Linux distributions and in Google's packages. */
    static final List<String> NAMES = List.of("chromium", "chromium-browser", "google-chrome", "google-chrome-stable");
    /** Printing a report with a few dozen charts takes seconds; a browser that hangs must not hang nnlab. */
    private static final long TIMEOUT_SECONDS = 180;

    private Pdf() {}

    /** No browser to print with: one line that says what to do. */
    public static final class NoBrowserException extends RuntimeException {
        NoBrowserException(String message) {
            super(message, null, false, false);
        }
    }

    /** {@code NNLAB_CHROMIUM} if set, else the first of {@link #NAMES} on {@code path} (a PATH-style list). */
    static Optional<Path> chromium(String override, String path) {
        if (override != null && !override.isBlank()) return Optional.of(Path.of(override)).filter(Files::isExecutable);
        if (path == null) return Optional.empty();
        for (String name : NAMES) {
            for (String folder : path.split(File.pathSeparator)) {
                if (folder.isEmpty()) continue;
                Path candidate = Path.of(folder, name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Prints {@code dir/report.html} to {@code dir/report.pdf} with the Chromium of this machine's PATH. */
    public static Path print(Path dir) {
        return print(dir, chromium(System.getenv("NNLAB_CHROMIUM"), System.getenv("PATH")));
    }

    static Path print(Path dir, Optional<Path> browser) {
        Path html = dir.resolve("report.html").toAbsolutePath(), pdf = dir.resolve("report.pdf");
        if (browser.isEmpty()) {
            throw new NoBrowserException("--pdf needs headless Chromium to print " + html + ", and none was found ("
                    + String.join(", ", NAMES) + " on the PATH, or NNLAB_CHROMIUM): install it (scripts/setup does, "
                    + "or apt-get install chromium), or open the report in a browser and print it to PDF");
        }
        Path scratch = null;
        try {
            scratch = Files.createTempDirectory("nnlab-pdf-");
            Path printed = scratch.resolve("report.pdf"), log = scratch.resolve("chromium.log");
            // A profile of its own (no first-run, sync or update traffic), no sandbox (root in containers),
            // and no date/URL header and footer on the pages.
            Process p = new ProcessBuilder(browser.get().toString(), "--headless", "--no-sandbox", "--disable-gpu",
                    "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--user-data-dir=" + scratch.resolve("profile"), "--no-pdf-header-footer",
                    "--print-to-pdf=" + printed, html.toUri().toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(browser.get() + " did not print " + html + " within " + TIMEOUT_SECONDS + " s");
            }
            if (!Files.isRegularFile(printed) || Files.size(printed) < 5 || !isPdf(printed)) {
                List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                throw new IllegalStateException(browser.get() + " did not print " + html + " (exit status " + p.exitValue()
                        + (lines.isEmpty() ? "" : "; it said: " + lines.getLast().strip()) + ")");
            }
            nnlab.experiment.AtomicFiles.write(pdf, Files.readAllBytes(printed));
            return pdf;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot print " + html + " to PDF: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while printing " + html, e);
        } finally {
            if (scratch != null) deleteQuietly(scratch);
        }
    }

    private static boolean isPdf(Path file) throws IOException {
        try (var in = Files.newInputStream(file)) {
            return new String(in.readNBytes(5), StandardCharsets.US_ASCII).equals("%PDF-");
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // A leftover temporary folder is not worth failing a printed report for.
        }
    }
}
