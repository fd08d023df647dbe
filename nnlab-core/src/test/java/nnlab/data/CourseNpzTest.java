package nnlab.data;

import static nnlab.data.CourseFixtures.imageIndex;
import static nnlab.data.CourseFixtures.images;
import static nnlab.data.CourseFixtures.labels;
import static nnlab.data.Fixtures.assertDataError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The course's two .npz layouts, the OCTMNIST test subset, and what bad files give. */
class CourseNpzTest {
    @TempDir
    Path dir;

    // ------------------------------------------------------------------ features layout

    /** A split with no examples is named when the file loads, not found later as a division by zero. */
    @Test
    void anEmptySplitIsRefusedByName() {
        Map<String, NdArray> arrays = new LinkedHashMap<>();
        arrays.put("Xtrain", NdArray.ofDoubles(new double[] {1, 2, 3, 4}, 2, 2));
        arrays.put("ytrain", NdArray.ofLongs(new long[] {0, 1}, 2));
        arrays.put("Xdev", NdArray.ofDoubles(new double[0], 0, 2));
        arrays.put("ydev", NdArray.ofLongs(new long[0], 0));
        arrays.put("Xtest", NdArray.ofDoubles(new double[] {5, 6}, 1, 2));
        arrays.put("ytest", NdArray.ofLongs(new long[] {1}, 1));
        Fixtures.assertDataError(() -> CourseFiles.load(write("empty-dev.npz", arrays)), "empty-dev.npz",
                "the dev split is empty (0 examples)");
    }

    @Test
    void loadsTheFeaturesLayoutAsItIs() {
        Map<String, NdArray> arrays = new LinkedHashMap<>();
        arrays.put("Xtrain", NdArray.ofDoubles(new double[] {-1.5, 2.25, 1000, 0.1, 7, 8}, 3, 2));
        arrays.put("ytrain", NdArray.ofLongs(new long[] {2, 0, 1}, 3));
        arrays.put("Xdev", NdArray.ofDoubles(new double[] {0.5, 0.25}, 1, 2));
        arrays.put("ydev", NdArray.ofLongs(new long[] {1}, 1));
        arrays.put("Xtest", NdArray.ofFloats(new float[] {3, 4, 5, 6}, 2, 2));
        arrays.put("ytest", NdArray.ofInts(new int[] {0, 2}, 2, 1));
        CourseData data = CourseFiles.load(write("Fashion-MNIST.npz", arrays));

        assertEquals("Fashion-MNIST", data.name());
        assertEquals(3, data.classes());
        // Not divided by 256: these files hold features already scaled.
        assertArrayEquals(new double[] {-1.5, 2.25, 1000, 0.1, 7, 8}, data.train().x());
        assertArrayEquals(new int[] {2, 0, 1}, data.train().labels());
        assertArrayEquals(new double[] {0.5, 0.25}, data.dev().x());
        assertArrayEquals(new double[] {3, 4, 5, 6}, data.test().x());
        assertArrayEquals(new int[] {0, 2}, data.test().labels());
        assertEquals(2, data.test().features());
    }

    @Test
    void floatTargetsWithoutDevAreRegressionAsAmes() {
        Map<String, NdArray> arrays = new LinkedHashMap<>();
        arrays.put("Xtrain", NdArray.ofDoubles(new double[] {1, 2, 3, 4}, 2, 2));
        arrays.put("ytrain", NdArray.ofDoubles(new double[] {12.5, 11.25}, 2, 1));
        arrays.put("Xtest", NdArray.ofDoubles(new double[] {5, 6}, 1, 2));
        arrays.put("ytest", NdArray.ofDoubles(new double[] {10.75}, 1, 1));
        CourseData data = CourseFiles.load(write("ames.npz", arrays));

        assertNull(data.dev());
        assertEquals(0, data.classes());
        assertFalse(data.train().isClassification());
        assertArrayEquals(new double[] {12.5, 11.25}, data.train().targets());
        assertArrayEquals(new double[] {10.75}, data.test().targets());
    }

    // ------------------------------------------------------------------ images layout

    @Test
    void divides28x28PixelsBy256AndSqueezesLabels() {
        Path file = CourseFixtures.imagesNpz(dir.resolve("grey.npz"), 10, 4, 6, 3);
        CourseData data = CourseFiles.load(file);

        assertEquals(784, data.train().features());
        assertEquals(10, data.train().n());
        assertEquals(4, data.dev().n());
        assertEquals(6, data.test().n(), "not octmnist: the whole test set");
        assertEquals(3, data.classes());
        byte[] pixels = (byte[]) images(10, 28, 28).data();
        for (int i = 0; i < pixels.length; i++) {
            assertEquals((pixels[i] & 0xFF) / 256.0, data.train().x()[i], "pixel " + i);
        }
        assertTrue(data.train().heldAsBytes(), "uint8 images stay bytes");
        assertArrayEquals(new int[] {1, 2, 0, 1}, data.dev().labels(), "val_labels (4, 1) squeezed");
    }

    @Test
    void intelLandscapesRgbBecomes6912FeaturesInCOrder() {
        int n = 5;
        byte[] pixels = new byte[n * 48 * 48 * 3];
        for (int i = 0; i < n; i++)
            for (int h = 0; h < 48; h++)
                for (int w = 0; w < 48; w++)
                    for (int c = 0; c < 3; c++) pixels[((i * 48 + h) * 48 + w) * 3 + c] = (byte) (i + 3 * h + 5 * w + 101 * c);
        NdArray rgb = new NdArray("u1", new int[] {n, 48, 48, 3}, pixels);
        Map<String, NdArray> arrays = new LinkedHashMap<>();
        for (String split : List.of("train", "val", "test")) {
            arrays.put(split + "_images", rgb);
            arrays.put(split + "_labels", NdArray.ofLongs(new long[] {0, 5, 3, 1, 2}, n, 1));
        }
        CourseData data = CourseFiles.load(write("intel_landscapes.npz", arrays));

        assertEquals(6912, data.train().features());
        assertEquals(6, data.classes());
        assertEquals(5, data.test().n());
        Examples train = data.train();
        int i = 3, h = 17, w = 40, c = 2;
        // numpy's reshape(n, -1): row i, column (h * 48 + w) * 3 + c.
        assertEquals(((i + 3 * h + 5 * w + 101 * c) & 0xFF) / 256.0, train.x()[i * 6912 + (h * 48 + w) * 3 + c]);
        assertEquals(255 / 256.0, max(train.x()), "0xFF becomes 255/256, below 1");
    }

    // ------------------------------------------------------------------ OCTMNIST test subset

    /** A test set whose classes come interleaved irregularly: label i = (i + i / 5) mod 4, 1600 examples (480, 320, 480, 320 per class). */
    private Path octFile(String name) {
        int n = 1600;
        long[] labels = new long[n];
        for (int i = 0; i < n; i++) labels[i] = (i + i / 5) % 4;
        Map<String, NdArray> arrays = new LinkedHashMap<>();
        arrays.put("train_images", images(8, 28, 28));
        arrays.put("train_labels", labels(8, 4, 1, 0, true));
        arrays.put("val_images", images(4, 28, 28));
        arrays.put("val_labels", labels(4, 4, 1, 0, true));
        arrays.put("test_images", images(n, 28, 28));
        arrays.put("test_labels", NdArray.ofLongs(labels, n, 1));
        return write(name, arrays);
    }

    @Test
    void octmnistKeepsTheFirst182_55_42_250OfEachClassInClassOrder() {
        CourseData data = CourseFiles.load(octFile("octmnist.npz"));
        Examples test = data.test();
        assertEquals(529, test.n());
        assertEquals(4, data.classes());

        // The oracle: for each class, the first k indices with that label, in file order.
        List<Integer> expected = new ArrayList<>();
        int[] perClass = {182, 55, 42, 250};
        for (int c = 0; c < 4; c++) {
            int taken = 0;
            for (int i = 0; i < 1600 && taken < perClass[c]; i++) {
                if ((i + i / 5) % 4 == c) {
                    expected.add(i);
                    taken++;
                }
            }
        }
        for (int row = 0; row < 529; row++) {
            assertEquals(expected.get(row), imageIndex(test, row), "test row " + row);
            assertEquals((expected.get(row) + expected.get(row) / 5) % 4, test.labels()[row], "label of row " + row);
        }
        assertEquals(8, data.train().n(), "train untouched");
        assertEquals(4, data.dev().n(), "dev untouched");
    }

    @Test
    void testSplitChoosesTheSubsetExplicitly() {
        assertEquals(1600, CourseFiles.load(octFile("octmnist.npz"), TestSplit.FULL).test().n(), "eq_test_dist=True");
        Path other = octFile("retina.npz");
        assertEquals(1600, CourseFiles.load(other).test().n(), "AUTO: only files named octmnist*");
        assertEquals(529, CourseFiles.load(other, TestSplit.OCTMNIST_SUBSET).test().n());
        assertEquals(529, CourseFiles.load(octFile("OCTMNIST_v2.npz")).test().n(), "the name's case does not matter");
    }

    @Test
    void aSmallClassGivesWhatItHasAsNumpySlicingDoes() {
        Path file = CourseFixtures.imagesNpz(dir.resolve("octmnist.npz"), 8, 4, 40, 4);
        assertEquals(40, CourseFiles.load(file).test().n(), "10 of each class, fewer than every quota");
    }

    // ------------------------------------------------------------------ bad files

    @Test
    void missingKeysAreNamed() {
        Map<String, NdArray> arrays = featureArrays();
        arrays.remove("ytest");
        assertDataError(() -> CourseFiles.load(write("a.npz", arrays)), "a.npz", "lacks the array 'ytest'",
                "Xtrain ytrain Xdev ydev Xtest ytest", "[Xtrain, ytrain, Xtest]");

        Map<String, NdArray> halfDev = featureArrays();
        halfDev.put("Xdev", NdArray.ofDoubles(new double[] {1, 2}, 1, 2));
        assertDataError(() -> CourseFiles.load(write("b.npz", halfDev)), "lacks the array 'ydev' that goes with 'Xdev'");

        Map<String, NdArray> images = new LinkedHashMap<>();
        images.put("train_images", images(3, 2, 2));
        images.put("train_labels", labels(3, 2, 1, 0, false));
        images.put("test_images", images(3, 2, 2));
        assertDataError(() -> CourseFiles.load(write("c.npz", images)), "lacks the array 'test_labels'");

        Map<String, NdArray> neither = new LinkedHashMap<>();
        neither.put("x", NdArray.ofDoubles(new double[] {1}, 1));
        assertDataError(() -> CourseFiles.load(write("d.npz", neither)), "d.npz", "is in neither course layout", "[x]");
    }

    @Test
    void mismatchedRowCountsAreRefused() {
        Map<String, NdArray> arrays = featureArrays();
        arrays.put("ytrain", NdArray.ofLongs(new long[] {0}, 1));
        assertDataError(() -> CourseFiles.load(write("rows.npz", arrays)), "rows.npz",
                "ytrain has 1 values, but Xtrain has 2 examples");

        Map<String, NdArray> images = new LinkedHashMap<>();
        images.put("train_images", images(5, 28, 28));
        images.put("train_labels", labels(4, 2, 1, 0, true));
        images.put("test_images", images(2, 28, 28));
        images.put("test_labels", labels(2, 2, 1, 0, true));
        assertDataError(() -> CourseFiles.load(write("img.npz", images)), "train_labels has 4 values, but train_images has 5");
    }

    @Test
    void wrongDimensionsAreRefused() {
        Map<String, NdArray> arrays = featureArrays();
        arrays.put("Xtrain", NdArray.ofDoubles(new double[8], 2, 2, 2));
        assertDataError(() -> CourseFiles.load(write("dims.npz", arrays)), "Xtrain has shape [2, 2, 2]", "(n, features)");

        Map<String, NdArray> labels2d = featureArrays();
        labels2d.put("ytrain", NdArray.ofLongs(new long[] {0, 1, 1, 0}, 2, 2));
        assertDataError(() -> CourseFiles.load(write("y.npz", labels2d)), "ytrain has shape [2, 2]", "(n) or (n, 1)");

        Map<String, NdArray> flatImages = new LinkedHashMap<>();
        flatImages.put("train_images", NdArray.ofBytes(new byte[3], 3));
        flatImages.put("train_labels", labels(3, 2, 1, 0, false));
        flatImages.put("test_images", NdArray.ofBytes(new byte[3], 3));
        flatImages.put("test_labels", labels(3, 2, 1, 0, false));
        assertDataError(() -> CourseFiles.load(write("flat.npz", flatImages)), "train_images has shape [3]", "images");

        Map<String, NdArray> features = featureArrays();
        features.put("Xtest", NdArray.ofDoubles(new double[3], 1, 3));
        features.put("ytest", NdArray.ofLongs(new long[] {0}, 1));
        assertDataError(() -> CourseFiles.load(write("f.npz", features)),
                "the test examples have 3 features but the train examples have 2");
    }

    @Test
    void labelsMustBeClassNumbersInRange() {
        Map<String, NdArray> negative = featureArrays();
        negative.put("ytrain", NdArray.ofLongs(new long[] {0, -1}, 2));
        assertDataError(() -> CourseFiles.load(write("neg.npz", negative)), "neg.npz", "ytrain[1] is -1", "from 0");

        Map<String, NdArray> fraction = new LinkedHashMap<>();
        fraction.put("train_images", images(2, 2, 2));
        fraction.put("train_labels", NdArray.ofDoubles(new double[] {1, 2.5}, 2));
        fraction.put("test_images", images(2, 2, 2));
        fraction.put("test_labels", NdArray.ofDoubles(new double[] {1, 0}, 2));
        assertDataError(() -> CourseFiles.load(write("frac.npz", fraction)), "train_labels[1] is 2.5");

        // OCTMNIST has 4 classes: a label 4 is out of range.
        Map<String, NdArray> oct = new LinkedHashMap<>();
        oct.put("train_images", images(3, 28, 28));
        oct.put("train_labels", NdArray.ofBytes(new byte[] {0, 3, 1}, 3, 1));
        oct.put("test_images", images(2, 28, 28));
        oct.put("test_labels", NdArray.ofBytes(new byte[] {2, 4}, 2, 1));
        assertDataError(() -> CourseFiles.load(write("octmnist.npz", oct)), "octmnist.npz", "test_labels[1] is 4",
                "4 classes (labels 0 to 3)");

        Map<String, NdArray> mixed = featureArrays();
        mixed.put("ytest", NdArray.ofDoubles(new double[] {0.5}, 1));
        assertDataError(() -> CourseFiles.load(write("mixed.npz", mixed)), "class labels", "regression targets");
    }

    @Test
    void truncatedAndForeignFilesNameTheFile() throws IOException {
        Path good = CourseFixtures.imagesNpz(dir.resolve("good.npz"), 50, 10, 10, 4);
        byte[] bytes = Files.readAllBytes(good);
        Path truncated = dir.resolve("truncated.npz");
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        DataFileException e = assertDataError(() -> CourseFiles.load(truncated), "truncated.npz");
        assertTrue(e.getMessage().contains("again"), e.getMessage());

        Path text = dir.resolve("notes.npz");
        Files.writeString(text, "hello, not a zip");
        assertDataError(() -> CourseFiles.load(text), "notes.npz", "is not an .npz (zip) archive");

        assertDataError(() -> CourseFiles.load(dir.resolve("absent.npz")), "absent.npz", "no such file");
        Path other = Files.writeString(dir.resolve("data.txt"), "1,2");
        assertDataError(() -> CourseFiles.load(other), "data.txt", "neither an .npz file, a .csv file nor a folder");
    }

    private Map<String, NdArray> featureArrays() {
        Map<String, NdArray> arrays = new LinkedHashMap<>();
        arrays.put("Xtrain", NdArray.ofDoubles(new double[] {1, 2, 3, 4}, 2, 2));
        arrays.put("ytrain", NdArray.ofLongs(new long[] {0, 1}, 2));
        arrays.put("Xtest", NdArray.ofDoubles(new double[] {5, 6}, 1, 2));
        arrays.put("ytest", NdArray.ofLongs(new long[] {1}, 1));
        return arrays;
    }

    private Path write(String name, Map<String, NdArray> arrays) {
        Path file = dir.resolve(name);
        Npz.write(file, arrays, false);
        return file;
    }

    private static double max(double[] values) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : values) max = Math.max(max, v);
        return max;
    }
}
