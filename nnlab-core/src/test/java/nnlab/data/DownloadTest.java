package nnlab.data;

import static nnlab.data.Fixtures.assertDataError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Downloads from a local HTTP server on 127.0.0.1: caching, checksum failures, HTTP errors. */
class DownloadTest {
    @TempDir
    Path dir;

    private HttpServer server;
    /** What the server serves, by URL path; anything else is a 404. */
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final AtomicInteger requests = new AtomicInteger();

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            byte[] body = files.get(exchange.getRequestURI().getPath());
            if (body != null && exchange.getRequestURI().getPath().contains("stall")) {
                // Headers and half the body, then nothing: a server that stalls mid-download.
                exchange.sendResponseHeaders(200, body.length);
                OutputStream out = exchange.getResponseBody();
                out.write(body, 0, body.length / 2);
                out.flush();
                try {
                    Thread.sleep(5_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                exchange.close();
                return;
            }
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                // A path with "chunked" in it is sent without a length, as a server streaming an unknown amount does.
                exchange.sendResponseHeaders(200, exchange.getRequestURI().getPath().contains("chunked") ? 0 : body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
            exchange.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool()); // a stalled answer blocks no other
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    private Path cache() {
        return dir.resolve("cache");
    }

    private DataPlaces places(URI mirror) {
        return new DataPlaces(null, cache(), dir.resolve("system"), mirror, true);
    }

    @Test
    void aGoodDownloadIsVerifiedCachedAndNotRepeated() throws IOException {
        // A tiny MNIST-style dataset whose "official" URLs point at the server, checked with both algorithms.
        Path source = CourseFixtures.idxFolder(dir.resolve("source"), 12, 3, 4, false);
        List<CatalogEntry.DataFile> dataFiles = new ArrayList<>();
        for (String stem : IdxFolder.FILES) {
            String name = stem + ".gz";
            byte[] bytes = Files.readAllBytes(source.resolve(name));
            files.put("/official/" + name, bytes);
            String algorithm = stem.startsWith("train") ? "SHA-256" : "MD5";
            dataFiles.add(new CatalogEntry.DataFile(name, base().resolve("official/" + name),
                    new Checksum(algorithm, digest(algorithm, bytes)), bytes.length));
        }
        CatalogEntry tiny = new CatalogEntry("tiny", "test data", 10, CatalogEntry.Layout.IDX_FOLDER, dataFiles, null, "ask");
        Datasets datasets = new Datasets(places(null), List.of(tiny));

        CourseData data = datasets.load("tiny");
        assertEquals(4, requests.get(), "one request per file");
        assertEquals(12, data.train().n() + data.dev().n(), "12 training images, split 10 + 2");
        assertArrayEquals(new int[] {4, 5, 6}, data.test().labels());
        assertEquals(List.of("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz", "train-images-idx3-ubyte.gz",
                "train-labels-idx1-ubyte.gz"), listing(cache().resolve("tiny")), "the four files, no temporary file left");

        datasets.load("tiny");
        assertEquals(4, requests.get(), "the second load uses the cache");
    }

    @Test
    void aWrongChecksumFailsNamingBothHashesAndLeavesNothing() throws IOException {
        byte[] garbage = "<html>this is not Fashion-MNIST</html>".getBytes();
        files.put("/fashion-mnist/train-images-idx3-ubyte.gz", garbage);
        Datasets datasets = new Datasets(places(base()));

        DataFileException e = assertDataError(() -> datasets.load("fashion-mnist"), "dataset fashion-mnist",
                base() + "fashion-mnist/train-images-idx3-ubyte.gz",
                "SHA-256 is " + digest("SHA-256", garbage),
                "should be b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7", "nothing was saved",
                "user cache " + cache().resolve("fashion-mnist"), "apt-get install dataset-fashion-mnist");
        assertEquals(1, requests.get(), e.getMessage());
        assertEquals(List.of(), listing(cache().resolve("fashion-mnist")), "nothing in the cache, not even a temporary file");
    }

    @Test
    void http404FailsClearly() throws IOException {
        Datasets datasets = new Datasets(places(base()));
        assertDataError(() -> datasets.load("mnist"), "dataset mnist", base() + "mnist/train-images-idx3-ubyte.gz",
                "the server answered HTTP 404", "not (or no longer) there");
        assertEquals(List.of(), listing(cache().resolve("mnist")));
    }

    /** A server that stops sending mid-body ends the download with that said, instead of hanging it. */
    @Test
    void aServerThatStallsMidBodyFailsClearlyAndLeavesNothing() throws IOException {
        byte[] body = new byte[200_000];
        files.put("/stall/file.bin", body);
        Path target = dir.resolve("got/file.bin");
        System.setProperty("nnlab.download.stallMillis", "500");
        long start = System.nanoTime();
        try {
            assertDataError(() -> Downloader.download(base().resolve("stall/file.bin"), target, Checksum.sha256("00".repeat(32)),
                            1 << 20), "stall/file.bin", "the server stopped sending", "0.5 s");
        } finally {
            System.clearProperty("nnlab.download.stallMillis");
        }
        assertTrue((System.nanoTime() - start) / 1e9 < 10, "the stall was not cut short");
        assertEquals(List.of(), listing(target.getParent()));
    }

    /** A disk that fills mid-download: the partial file is removed, and the error names the file and the disk, not the network. */
    @Test
    void aWriteThatFailsRemovesThePartialFileAndSaysTheDiskIsFull() throws IOException {
        files.put("/full/file.bin", new byte[300_000]);
        Path target = dir.resolve("got/file.bin");
        Files.createDirectories(target.getParent());
        Downloader.PartFile fillsUp = part -> new java.io.FilterOutputStream(Files.newOutputStream(part)) {
            private long written;

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (written + len > 100_000) throw new IOException("No space left on device");
                out.write(b, off, len);
                written += len;
            }
        };
        DataFileException e = assertDataError(() -> Downloader.download(base().resolve("full/file.bin"), target,
                        Checksum.sha256("00".repeat(32)), 1 << 20, fillsUp), target.toString(), "could not be written",
                "No space left on device", "nothing was saved", "Free space on the disk holding " + target.getParent());
        assertTrue(!e.getMessage().contains("network"), e.getMessage());
        assertEquals(List.of(), listing(target.getParent()), "the partial file is removed");
    }

    /**
     * A partial download left by a killed process (its PID gone) is removed by the next download of
     * that file; one of a process still running (this one) is not touched.
     */
    @Test
    void partialDownloadsOfKilledProcessesAreRemoved() throws IOException {
        Path target = dir.resolve("cache/file.bin");
        Files.createDirectories(target.getParent());
        long gone = ProcessHandle.current().pid() + 1_000_000_000L; // no process has such a number
        Path abandoned = Files.writeString(target.resolveSibling(".file.bin." + gone + "-1.part"), "half");
        Path running = Files.writeString(target.resolveSibling(".file.bin." + ProcessHandle.current().pid() + "-99.part"), "busy");
        Path other = Files.writeString(target.resolveSibling(".other.bin." + gone + "-1.part"), "not this file's");
        Downloader.removeAbandonedParts(target);
        assertFalse(Files.exists(abandoned));
        assertTrue(Files.exists(running) && Files.exists(other));
    }

    /**
     * Each catalogue file caps its own download (it was a flat 1 GiB for all): a server that announces
     * more than the file can be is refused before a byte is saved, and one that streams more without
     * saying how much is stopped past the cap; the cache is left empty either way.
     */
    @Test
    void aDownloadLargerThanItsCatalogueFileCanBeIsRefused() throws IOException {
        Path source = CourseFixtures.idxFolder(dir.resolve("source"), 12, 3, 4, false);
        for (String path : List.of("announced", "chunked")) {
            List<CatalogEntry.DataFile> dataFiles = new ArrayList<>();
            for (String stem : IdxFolder.FILES) {
                String name = stem + ".gz";
                byte[] bytes = Files.readAllBytes(source.resolve(name));
                // The first file comes 100 KB longer than the catalogue says it can be.
                byte[] served = dataFiles.isEmpty() ? java.util.Arrays.copyOf(bytes, bytes.length + 100_000) : bytes;
                files.put("/" + path + "/" + name, served);
                dataFiles.add(new CatalogEntry.DataFile(name, base().resolve(path + "/" + name),
                        new Checksum("SHA-256", digest("SHA-256", bytes)), bytes.length));
            }
            CatalogEntry tiny = new CatalogEntry("tiny-" + path, "test data", 10, CatalogEntry.Layout.IDX_FOLDER, dataFiles, null,
                    "ask");
            Datasets datasets = new Datasets(places(null), List.of(tiny));
            long cap = dataFiles.getFirst().maxBytes();
            assertDataError(() -> datasets.load("tiny-" + path), path + "/train-images-idx3-ubyte.gz",
                    path.equals("announced") ? "the server announces " + (cap + 100_000) + " bytes" : "sent more than " + cap + " bytes",
                    "train-images-idx3-ubyte.gz is at most " + cap + " bytes; nothing was saved");
            assertEquals(List.of(), listing(cache().resolve("tiny-" + path)), path);
        }
        // The catalogue's own bounds: sizes where they are known, a bound from the content elsewhere.
        assertEquals(9_912_422, Catalogue.find("mnist").files().getFirst().maxBytes());
        assertTrue(Catalogue.ENTRIES.stream().flatMap(e -> e.files().stream()).filter(f -> f.url() != null)
                .allMatch(f -> f.maxBytes() > 0 && f.maxBytes() < 100_000_000), "every download has a cap of its own");
    }

    @Test
    void anUnreachableServerFailsClearly() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        Datasets datasets = new Datasets(places(URI.create("http://127.0.0.1:" + closedPort + "/")));
        assertDataError(() -> datasets.load("kmnist"), "the download failed", "127.0.0.1", "Check the network connection");
    }

    @Test
    void downloadsTheRealFashionMnistFromAMirrorAgainstTheCatalogueChecksums() throws IOException {
        Path debian = Path.of("/usr/share/datasets/fashion-mnist");
        CatalogEntry entry = Catalogue.find("fashion-mnist");
        assumeTrue(entry.files().stream().allMatch(f -> Files.isRegularFile(debian.resolve(f.name()))),
                "Debian's dataset-fashion-mnist is not installed");
        for (CatalogEntry.DataFile file : entry.files()) {
            files.put("/fashion-mnist/" + file.name(), Files.readAllBytes(debian.resolve(file.name())));
        }
        Datasets datasets = new Datasets(places(base()));
        assertEquals(cache().resolve("fashion-mnist"), datasets.locate("fashion-mnist").orElseThrow());
        assertEquals(4, requests.get());
        for (CatalogEntry.DataFile file : entry.files()) {
            assertTrue(file.checksum().matches(cache().resolve("fashion-mnist").resolve(file.name())), file.name());
            assertEquals(Files.size(debian.resolve(file.name())), file.maxBytes(), "the catalogue's size of " + file.name());
        }
        assertFalse(listing(cache().resolve("fashion-mnist")).stream().anyMatch(n -> n.endsWith(".part")));
    }

    private static List<String> listing(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) return List.of();
        try (Stream<Path> paths = Files.list(folder)) {
            return paths.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** A digest computed here, independently of {@link Checksum}. */
    private static String digest(String algorithm, byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
