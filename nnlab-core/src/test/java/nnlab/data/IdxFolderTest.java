package nnlab.data;

import static nnlab.data.CourseFixtures.imageIndex;
import static nnlab.data.CourseFixtures.images;
import static nnlab.data.Fixtures.assertDataError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import nnlab.random.RandomState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A folder of MNIST-style IDX files, split as the course split Fashion-MNIST, on generated files. */
class IdxFolderTest {
    /** numpy: {@code np.random.RandomState(42).permutation(100)[:16]}, the dev rows of a 100-image set. */
    private static final int[] NUMPY_DEV_100 = {83, 53, 70, 45, 44, 39, 22, 80, 10, 0, 18, 30, 73, 33, 90, 4};
    /** numpy: {@code np.random.RandomState(42).permutation(100)[16:26]}, the first train rows. */
    private static final int[] NUMPY_TRAIN_100 = {76, 77, 12, 31, 55, 88, 26, 42, 69, 15};

    @TempDir
    Path dir;

    @Test
    void splitsOneHundredImagesByRandomState42() {
        CourseData data = CourseFiles.load(CourseFixtures.idxFolder(dir.resolve("tiny"), 100, 30, 3, true));
        assertEquals("tiny", data.name());
        assertEquals(10, data.classes());
        assertEquals(16, data.dev().n(), "100 / 6 rounded down");
        assertEquals(84, data.train().n());
        assertEquals(30, data.test().n());
        assertEquals(20, data.train().features(), "5x4 pixels");

        int[] perm = new RandomState(42).permutation(100);
        assertArrayEquals(NUMPY_DEV_100, Arrays.copyOf(perm, 16), "nnlab's RandomState agrees with numpy");
        for (int row = 0; row < 16; row++) {
            assertEquals(perm[row], imageIndex(data.dev(), row), "dev row " + row);
            assertEquals((perm[row] + 3) % 10, data.dev().labels()[row], "dev label " + row);
        }
        for (int row = 0; row < 84; row++) {
            assertEquals(perm[16 + row], imageIndex(data.train(), row), "train row " + row);
            assertEquals((perm[16 + row] + 3) % 10, data.train().labels()[row], "train label " + row);
        }
        for (int row = 0; row < NUMPY_TRAIN_100.length; row++) {
            assertEquals(NUMPY_TRAIN_100[row], imageIndex(data.train(), row), "train row " + row + " against numpy");
        }
        for (int row = 0; row < 30; row++) assertEquals(row, imageIndex(data.test(), row), "test keeps file order");
    }

    @Test
    void dividesPixelsBy256() {
        CourseData data = CourseFiles.load(CourseFixtures.idxFolder(dir.resolve("gz"), 12, 4, 0, false));
        byte[] pixels = (byte[]) images(4, 5, 4).data();
        for (int i = 0; i < pixels.length; i++) {
            assertEquals((pixels[i] & 0xFF) / 256.0, data.test().x()[i], "test pixel " + i);
        }
        for (Examples split : new Examples[] {data.train(), data.dev(), data.test()}) {
            assertTrue(split.heldAsBytes(), "pixels stay bytes (an eighth of float64's memory)");
        }
    }

    @Test
    void imagesOfAnotherIntegerTypeSplitAsUnsignedBytesDo() {
        CourseData bytes = CourseFiles.load(CourseFixtures.idxFolder(dir.resolve("u1"), 40, 6, 2, true));
        Path folder = CourseFixtures.idxFolder(dir.resolve("i2"), 40, 6, 2, true);
        for (String file : new String[] {"train-images-idx3-ubyte", "t10k-images-idx3-ubyte"}) {
            NdArray images = Idx.read(folder.resolve(file));
            Idx.write(folder.resolve(file), new NdArray("i2", images.shape(), images.toInts()), false);
        }
        CourseData ints = CourseFiles.load(folder);
        assertFalse(ints.train().heldAsBytes(), "i2 images are read whole and held as float64");
        assertArrayEquals(bytes.train().x(), ints.train().x());
        assertArrayEquals(bytes.dev().x(), ints.dev().x());
        assertArrayEquals(bytes.test().x(), ints.test().x());
        assertArrayEquals(bytes.train().labels(), ints.train().labels());
        assertArrayEquals(bytes.dev().labels(), ints.dev().labels());
    }

    @Test
    void theCourseDevSetIsTenThousandOfSixtyThousand() {
        assertEquals(10_000, IdxFolder.devCount(60_000));
        assertEquals(16, IdxFolder.devCount(100));
    }

    @Test
    void aMissingFileIsNamedWithWhatTheFolderHolds() throws IOException {
        Path folder = CourseFixtures.idxFolder(dir.resolve("partial"), 12, 4, 0, true);
        Files.delete(folder.resolve("t10k-labels-idx1-ubyte.gz"));
        assertDataError(() -> CourseFiles.load(folder), "partial", "lacks t10k-labels-idx1-ubyte[.gz]",
                "train-images-idx3-ubyte, train-labels-idx1-ubyte.gz");
    }

    @Test
    void labelAndImageCountsMustAgree() {
        Path folder = CourseFixtures.idxFolder(dir.resolve("counts"), 12, 4, 0, true);
        Idx.write(folder.resolve("train-labels-idx1-ubyte.gz"), CourseFixtures.labels(11, 10, 1, 0, false), true);
        assertDataError(() -> CourseFiles.load(folder), "train-labels-idx1-ubyte.gz", "holds 11 labels", "holds 12 images");
    }

    @Test
    void wrongDimensionsAndTypesAreRefused() {
        Path folder = CourseFixtures.idxFolder(dir.resolve("dims"), 12, 4, 0, true);
        Idx.write(folder.resolve("t10k-labels-idx1-ubyte.gz"), CourseFixtures.labels(4, 10, 1, 0, true), true);
        assertDataError(() -> CourseFiles.load(folder), "t10k-labels-idx1-ubyte.gz", "shape [4, 1]", "shape (n)");

        Path flat = CourseFixtures.idxFolder(dir.resolve("flat"), 12, 4, 0, true);
        Idx.write(flat.resolve("train-images-idx3-ubyte"), NdArray.ofBytes(new byte[12 * 20], 12, 20), false);
        assertDataError(() -> CourseFiles.load(flat), "train-images-idx3-ubyte", "shape [12, 20]", "(n, rows, columns)");

        Path floats = CourseFixtures.idxFolder(dir.resolve("floats"), 12, 4, 0, true);
        Idx.write(floats.resolve("t10k-images-idx3-ubyte"), NdArray.ofDoubles(new double[4 * 20], 4, 5, 4), false);
        assertDataError(() -> CourseFiles.load(floats), "t10k-images-idx3-ubyte", "holds f8 values");

        Path big = CourseFixtures.idxFolder(dir.resolve("big"), 12, 4, 0, true);
        Idx.write(big.resolve("t10k-labels-idx1-ubyte.gz"), NdArray.ofInts(new int[] {1, 2, 3, -4}, 4), true);
        assertDataError(() -> CourseFiles.load(big), "t10k-labels-idx1-ubyte.gz", "label[3] is -4");
    }

    @Test
    void corruptFilesNameTheFile() throws IOException {
        Path folder = CourseFixtures.idxFolder(dir.resolve("bad"), 12, 4, 0, true);
        Files.writeString(folder.resolve("train-images-idx3-ubyte"), "<html>not found</html>");
        assertDataError(() -> CourseFiles.load(folder), "train-images-idx3-ubyte", "magic");

        Path cut = CourseFixtures.idxFolder(dir.resolve("cut"), 12, 4, 0, true);
        Path images = cut.resolve("t10k-images-idx3-ubyte");
        byte[] bytes = Files.readAllBytes(images);
        Files.write(images, Arrays.copyOf(bytes, bytes.length - 7));
        assertDataError(() -> CourseFiles.load(cut), "t10k-images-idx3-ubyte", "truncated");
    }
}
