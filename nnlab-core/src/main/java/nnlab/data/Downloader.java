package nnlab.data;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Downloads one file over HTTP(S) with the JDK's client, so that the target is either absent or
 * complete and verified: the body goes to a temporary file beside the target while its digest is
 * computed, the digest is compared with the expected checksum, and only then is the file renamed
 * into place. Any failure deletes the temporary file.
 */
final class Downloader {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(20);
    /** Until the response's headers arrive; the body may then take as long as it needs. */
    private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(60);
    private static final AtomicLong TEMP_COUNTER = new AtomicLong();
    /**
     * Once the body flows, the longest wait for its next bytes: a server that stalls mid-body would
     * otherwise hang the download for ever ({@code -Dnnlab.download.stallMillis} changes it, for tests).
     */
    private static long stallMillis() {
        return Long.getLong("nnlab.download.stallMillis", 30_000);
    }

    private Downloader() {
    }

    /**
     * Downloads {@code url} to {@code target} (folders created as needed), replacing any file there.
     *
     * @param maxBytes the most the file can be (its catalogue entry's {@link CatalogEntry.DataFile#maxBytes()}):
     *                 a server announcing or sending more is refused there, with nothing saved
     * @throws DataFileException naming the URL when the server cannot be reached, answers anything but
     *                           200, sends more than {@code maxBytes}, or a file whose digest is not {@code expected}
     */
    static void download(URI url, Path target, Checksum expected, long maxBytes) {
        download(url, target, expected, maxBytes, part -> Files.newOutputStream(part, java.nio.file.StandardOpenOption.CREATE_NEW));
    }

    /** Opens the partial file a download writes to (tests open one whose writes fail, as on a full disk). */
    interface PartFile {
        java.io.OutputStream open(Path part) throws IOException;
    }

    /** {@link #download(URI, Path, Checksum, long)}, writing the partial file through {@code partFile}. */
    static void download(URI url, Path target, Checksum expected, long maxBytes, PartFile partFile) {
        removeAbandonedParts(target);
        Path temp = target.resolveSibling("." + target.getFileName() + "." + ProcessHandle.current().pid()
                + "-" + TEMP_COUNTER.incrementAndGet() + ".part");
        HttpRequest request = HttpRequest.newBuilder(url).timeout(RESPONSE_TIMEOUT)
                .header("User-Agent", "nnlab (Java " + Runtime.version().feature() + ")").GET().build();
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NORMAL).build()) {
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            MessageDigest digest = expected.newDigest();
            try (InputStream body = new DigestInputStream(response.body(), digest)) {
                if (response.statusCode() != 200) {
                    throw new DataFileException(url.toString(), "the server answered HTTP " + response.statusCode()
                            + " instead of sending the file", response.statusCode() == 404
                            ? "The file is not (or no longer) there: check the URL, or get the file by hand"
                            : "Try again later, or get the file by hand");
                }
                long announced = response.headers().firstValueAsLong("Content-Length").orElse(-1);
                if (announced > maxBytes) throw tooLarge(url, target, "announces " + announced + " bytes", maxBytes);
                Files.createDirectories(target.getParent());
                copyWatched(body, temp, partFile, url, target, maxBytes);
            }
            String actual = HexFormat.of().formatHex(digest.digest());
            if (!actual.equals(expected.hex())) {
                throw new DataFileException(url.toString(), "the downloaded file's " + expected.algorithm() + " is " + actual
                        + " but should be " + expected.hex() + "; nothing was saved",
                        "The download was corrupted or the file changed at its source: try again, or get the file by hand");
            }
            move(temp, target);
            DataIo.syncFolder(target.getParent()); // the rename, durable
        } catch (IOException e) {
            throw new DataFileException(url.toString(), "the download failed: " + describe(e, url),
                    "Check the network connection (or proxy), or get the file by hand");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DataFileException(url.toString(), "the download was interrupted", "Run again to download the file");
        } finally {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // The download already succeeded or failed with a better message; a stray .part file is harmless.
            }
        }
    }

    /**
     * Deletes the partial downloads of {@code target} that a killed process left ({@code .NAME.PID-N.part},
     * whose process is gone); those of a download still running (another nnlab) are left alone.
     */
    static void removeAbandonedParts(Path target) {
        Path folder = target.getParent();
        if (folder == null || !Files.isDirectory(folder)) return;
        String prefix = "." + target.getFileName() + ".";
        try (var files = Files.list(folder)) {
            for (Path p : files.toList()) {
                String name = p.getFileName().toString();
                if (!name.startsWith(prefix) || !name.endsWith(".part")) continue;
                String middle = name.substring(prefix.length(), name.length() - ".part".length());
                int dash = middle.indexOf('-');
                if (dash <= 0 || !middle.substring(0, dash).matches("[0-9]+")) continue;
                long pid = Long.parseLong(middle.substring(0, dash));
                if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) continue;
                Files.deleteIfExists(p);
            }
        } catch (IOException | NumberFormatException e) {
            // A leftover that cannot be listed or deleted costs disk space, not correctness: the download goes on.
        }
    }

    /** A server sending more than the file can be: not this file (a wrong URL or mirror, an error page that never ends). */
    private static DataFileException tooLarge(URI url, Path target, String what, long maxBytes) {
        return new DataFileException(url.toString(), "the server " + what + ", but " + target.getFileName() + " is at most "
                + maxBytes + " bytes; nothing was saved", "Check the URL (or the mirror, NNLAB_MIRROR), or get the file by hand");
    }

    /**
     * Copies the body to {@code temp}, closing it (so that the blocked read fails) when no byte came
     * for {@link #stallMillis()}, and stopping past {@code maxBytes}. A failure to write is told
     * apart from a failure to read: a full disk is not a network problem.
     */
    private static void copyWatched(InputStream body, Path temp, PartFile partFile, URI url, Path target, long maxBytes)
            throws IOException {
        long stallMillis = stallMillis();
        java.util.concurrent.atomic.AtomicLong lastProgress = new java.util.concurrent.atomic.AtomicLong(System.nanoTime());
        java.util.concurrent.atomic.AtomicBoolean stalled = new java.util.concurrent.atomic.AtomicBoolean();
        Thread watchdog = Thread.ofPlatform().daemon().name("nnlab-download-watchdog").start(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Thread.sleep(Math.max(10, stallMillis / 10));
                    if (System.nanoTime() - lastProgress.get() > stallMillis * 1_000_000) {
                        stalled.set(true);
                        body.close();
                        return;
                    }
                }
            } catch (InterruptedException | IOException e) {
                // The copy ended (interrupt), or closing failed, in which case the read fails on its own.
            }
        });
        try (java.io.OutputStream out = partFile.open(temp)) {
            byte[] buffer = new byte[1 << 16];
            long total = 0;
            while (true) {
                int n;
                try {
                    n = body.read(buffer);
                } catch (IOException e) {
                    if (stalled.get()) {
                        throw new IOException("the server stopped sending: no data for " + stallMillis / 1000.0
                                + " s after " + total + " bytes", e);
                    }
                    throw e;
                }
                if (n < 0) break;
                lastProgress.set(System.nanoTime());
                total += n;
                if (total > maxBytes) throw tooLarge(url, target, "sent more than " + maxBytes + " bytes", maxBytes);
                try {
                    out.write(buffer, 0, n);
                } catch (IOException e) {
                    throw writeFailed(target, url, total, maxBytes, e);
                }
            }
            try {
                out.flush();
            } catch (IOException e) {
                throw writeFailed(target, url, total, maxBytes, e);
            }
        } finally {
            watchdog.interrupt();
        }
        // On disk before the rename: a crash after it must not leave a cached file of zeros.
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(temp, java.nio.file.StandardOpenOption.WRITE)) {
            channel.force(true);
        } catch (IOException e) {
            throw writeFailed(target, url, Files.size(temp), maxBytes, e);
        }
        if (stalled.get()) throw new IOException("the server stopped sending: no data for " + stallMillis / 1000.0 + " s");
    }

    /**
     * A write that failed, named as the file the user asked for (its partial file is deleted), with what
     * to do: a full disk is not a network problem.
     */
    private static DataFileException writeFailed(Path target, URI url, long arrived, long maxBytes, IOException e) {
        return new DataFileException(target.toString(), "could not be written (" + e.getMessage() + ") after " + arrived
                + " bytes of " + url + " had arrived; nothing was saved", "Free space on the disk holding " + target.getParent()
                + " (the file takes up to " + maxBytes + " bytes) or make that folder writable, then run again");
    }

    /** A failed connection in words; the JDK's exceptions often carry no message. */
    private static String describe(IOException e, URI url) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.nio.channels.UnresolvedAddressException || t instanceof java.net.UnknownHostException) {
                return "the host " + url.getHost() + " is unknown (no DNS, or no network)";
            }
        }
        if (e.getMessage() != null && e.getMessage().startsWith("the server stopped sending")) return e.getMessage();
        if (e instanceof java.net.http.HttpTimeoutException) return "no answer from " + url.getHost() + " in time";
        if (e instanceof java.net.ConnectException) return "could not connect to " + url.getHost() + " (" + e + ")";
        return e.toString();
    }

    private static void move(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            // Some network file systems cannot rename atomically; a plain replace is the best they offer.
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
