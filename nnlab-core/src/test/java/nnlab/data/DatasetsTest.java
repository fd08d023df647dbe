package nnlab.data;

import static nnlab.data.Fixtures.assertDataError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Name resolution: $NNLAB_DATA, then the user cache, then /usr/share/datasets, then the jar; and the error when all fail. */
class DatasetsTest {
    @TempDir
    Path dir;

    private Path env() {
        return dir.resolve("env");
    }

    private Path cache() {
        return dir.resolve("cache");
    }

    private Path system() {
        return dir.resolve("system");
    }

    private Datasets offline() {
        return new Datasets(new DataPlaces(env(), cache(), system(), null, false));
    }

    /** Puts a tiny fashion-mnist under a root; its labels are shifted by {@code mark} so the test can tell the copies apart. */
    private void fashionIn(Path root, int mark) {
        CourseFixtures.idxFolder(root.resolve("fashion-mnist"), 12, 3, mark, false);
    }

    private int markOf(CourseData data) {
        return data.test().labels()[0];
    }

    @Test
    void looksInEnvironmentThenCacheThenSystem() {
        fashionIn(system(), 3);
        assertEquals(3, markOf(offline().load("fashion-mnist")), "only the system copy");
        fashionIn(cache(), 2);
        assertEquals(2, markOf(offline().load("fashion-mnist")), "the cache before the system");
        fashionIn(env(), 1);
        assertEquals(1, markOf(offline().load("fashion-mnist")), "$NNLAB_DATA first");
        assertEquals(Optional.of(env().resolve("fashion-mnist")), offline().locate("fashion-mnist"));
        CourseData data = offline().load("FASHION-MNIST");
        assertEquals("fashion-mnist", data.name(), "names ignore case and name the data");
        assertEquals(10, data.classes());
    }

    @Test
    void passesOverAnIncompleteFolder() throws IOException {
        fashionIn(cache(), 2);
        fashionIn(env(), 1);
        Files.delete(env().resolve("fashion-mnist/train-images-idx3-ubyte.gz"));
        assertEquals(2, markOf(offline().load("fashion-mnist")));
        // A decompressed file stands for its .gz.
        Files.delete(cache().resolve("fashion-mnist/t10k-labels-idx1-ubyte.gz"));
        Idx.write(cache().resolve("fashion-mnist/t10k-labels-idx1-ubyte"), CourseFixtures.labels(3, 10, 1, 5, false), false);
        assertEquals(5, markOf(offline().load("fashion-mnist")));
    }

    @Test
    void theErrorListsEveryPlaceAndHowToGetTheData() throws IOException {
        Files.createDirectories(env().resolve("fashion-mnist"));
        DataFileException e = assertDataError(() -> offline().load("fashion-mnist"), "dataset fashion-mnist",
                "was found nowhere",
                env().resolve("fashion-mnist") + ": lacks train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz",
                "user cache " + cache().resolve("fashion-mnist") + ": no such folder",
                "system " + system().resolve("fashion-mnist") + ": no such folder",
                "download from http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/train-images-idx3-ubyte.gz: not tried",
                "apt-get install dataset-fashion-mnist", "--data PATH");
        assertTrue(e.getMessage().indexOf("$NNLAB_DATA") < e.getMessage().indexOf("user cache"), "in look-up order");

        Datasets noEnvironment = new Datasets(new DataPlaces(null, cache(), system(), null, false));
        assertDataError(() -> noEnvironment.load("mnist"), "$NNLAB_DATA/mnist: not set",
                "https://ossci-datasets.s3.amazonaws.com/mnist/train-images-idx3-ubyte.gz");
    }

    @Test
    void intelLandscapesSaysWhereToGetItAndWhereToPutIt() {
        // Downloads on: there is still nothing to download, and nothing may be tried.
        Datasets online = new Datasets(new DataPlaces(env(), cache(), system(), null, true));
        assertDataError(() -> online.load("intel-landscapes"), "there is no download nnlab can use", "Google Drive",
                "https://drive.google.com/file/d/16AzJIrmra4qWdY7wU9N1ew4bwadmNt4j",
                "put intel_landscapes.npz in " + env().resolve("intel-landscapes") + " or " + cache().resolve("intel-landscapes"),
                "--data PATH");
    }

    @Test
    void namedNpzDatasetsLoadFromTheirFolder() {
        CourseFixtures.imagesNpz(mkdirs(env().resolve("octmnist")).resolve("octmnist.npz"), 20, 8, 1200, 4);
        CourseData data = offline().load("octmnist");
        assertEquals(529, data.test().n(), "the course's subset");
        assertEquals(4, data.classes());
        assertEquals(1200, offline().load("octmnist", TestSplit.FULL).test().n());

        Map<String, NdArray> intel = new LinkedHashMap<>();
        for (String split : List.of("train", "test")) {
            intel.put(split + "_images", CourseFixtures.images(4, 48, 48, 3));
            intel.put(split + "_labels", NdArray.ofBytes(new byte[] {0, 1, 2, 6}, 4, 1));
        }
        Npz.write(mkdirs(cache().resolve("intel-landscapes")).resolve("intel_landscapes.npz"), intel, true);
        assertDataError(() -> offline().load("intel-landscapes"), "intel_landscapes.npz", "train_labels[3] is 6",
                "6 classes");
    }

    @Test
    void aFolderOverridesTheEmbeddedCopy() {
        Map<String, NdArray> arrays = new LinkedHashMap<>();
        arrays.put("Xtrain", NdArray.ofDoubles(new double[] {1, 2}, 1, 2));
        arrays.put("ytrain", NdArray.ofDoubles(new double[] {3}, 1));
        arrays.put("Xtest", NdArray.ofDoubles(new double[] {4, 5}, 1, 2));
        arrays.put("ytest", NdArray.ofDoubles(new double[] {6}, 1));
        Npz.write(mkdirs(env().resolve("ames")).resolve("ames.npz"), arrays, false);
        assertEquals(1, offline().load("ames").train().n());
        assertEquals(Optional.empty(), new Datasets(new DataPlaces(null, cache(), system(), null, false)).locate("ames"),
                "no folder: the jar's copy");
    }

    @Test
    void pathsLoadAndUnknownNamesAreExplained() {
        Path file = CourseFixtures.imagesNpz(dir.resolve("mine.npz"), 6, 2, 3, 3);
        CourseData data = offline().load(file.toString());
        assertEquals("mine", data.name());
        assertEquals(6, data.train().n());
        Path folder = CourseFixtures.idxFolder(dir.resolve("digits"), 12, 3, 0, true);
        assertEquals(10, offline().load(folder.toString()).train().n());

        assertDataError(() -> offline().load("fashion_mnist"), "fashion_mnist",
                "is neither a dataset name nor an existing file or folder", "fashion-mnist, mnist, kmnist, octmnist");
        assertThrows(IllegalArgumentException.class, () -> offline().locate("cifar-10"));
    }

    @Test
    void placesComeFromTheEnvironment() {
        Path home = Path.of("/home/someone");
        DataPlaces plain = DataPlaces.fromEnvironment(Map.of(), home);
        assertEquals(null, plain.environment());
        assertEquals(home.resolve(".cache/nnlab"), plain.cache());
        assertEquals(Path.of("/usr/share/datasets"), plain.system());
        assertTrue(plain.download());

        DataPlaces set = DataPlaces.fromEnvironment(Map.of("NNLAB_DATA", "/data", "XDG_CACHE_HOME", "/var/cache/me"), home);
        assertEquals(Path.of("/data"), set.environment());
        assertEquals(Path.of("/var/cache/me/nnlab"), set.cache());
        assertEquals(home.resolve(".cache/nnlab"),
                DataPlaces.fromEnvironment(Map.of("XDG_CACHE_HOME", "relative"), home).cache(), "a relative XDG path is ignored");
        assertFalse(set.offline().download());
        assertEquals(null, plain.mirror());
        assertEquals(java.net.URI.create("http://127.0.0.1:8000/data/"),
                DataPlaces.fromEnvironment(Map.of("NNLAB_MIRROR", "http://127.0.0.1:8000/data"), home).mirror(),
                "NNLAB_MIRROR, with the trailing slash the mirror's NAME/FILE paths need");
    }

    @Test
    void theCatalogueHasTheCourseDatasets() {
        assertEquals(List.of("fashion-mnist", "mnist", "kmnist", "octmnist", "intel-landscapes", "ames", "fashion-mnist-sample"),
                Catalogue.names());
        for (CatalogEntry entry : Catalogue.ENTRIES) {
            assertTrue(entry.downloadable() || entry.embedded() || entry.name().equals("intel-landscapes"), entry.name());
        }
        assertEquals(Checksum.md5("c68d92d5b585d8d81f7112f81e2d0842"), Catalogue.find("octmnist").files().getFirst().checksum());
    }

    @Test
    void theFashionMnistChecksumsMatchDebiansFiles() {
        Path debian = Path.of("/usr/share/datasets/fashion-mnist");
        CatalogEntry entry = Catalogue.find("fashion-mnist");
        assumeTrue(entry.missingIn(debian).isEmpty() && entry.files().stream().allMatch(f -> Files.exists(debian.resolve(f.name()))),
                "Debian's dataset-fashion-mnist is not installed");
        for (CatalogEntry.DataFile file : entry.files()) {
            assertEquals(file.checksum().hex(), file.checksum().digestOf(debian.resolve(file.name())), file.name());
        }
    }

    private static Path mkdirs(Path folder) {
        try {
            return Files.createDirectories(folder);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
