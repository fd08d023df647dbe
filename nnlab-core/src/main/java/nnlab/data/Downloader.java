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

    private Downloader() {
    }

    /**
     * Downloads {@code url} to {@code target} (folders created as needed), replacing any file there.
     *
     * @throws DataFileException naming the URL when the server cannot be reached, answers anything but
     *                           200, or sends a file whose digest is not {@code expected}
     */
    static void download(URI url, Path target, Checksum expected) {
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
                Files.createDirectories(target.getParent());
                Files.copy(body, temp);
            }
            String actual = HexFormat.of().formatHex(digest.digest());
            if (!actual.equals(expected.hex())) {
                throw new DataFileException(url.toString(), "the downloaded file's " + expected.algorithm() + " is " + actual
                        + " but should be " + expected.hex() + "; nothing was saved",
                        "The download was corrupted or the file changed at its source: try again, or get the file by hand");
            }
            move(temp, target);
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

    /** A failed connection in words; the JDK's exceptions often carry no message. */
    private static String describe(IOException e, URI url) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.nio.channels.UnresolvedAddressException || t instanceof java.net.UnknownHostException) {
                return "the host " + url.getHost() + " is unknown (no DNS, or no network)";
            }
        }
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
