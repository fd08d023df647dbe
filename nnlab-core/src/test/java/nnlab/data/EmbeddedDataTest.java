package nnlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The datasets shipped in nnlab's jar: the course's ames.npz and the Fashion-MNIST sample. */
class EmbeddedDataTest {
    @TempDir
    Path dir;

    private Datasets datasets() {
        return new Datasets(new DataPlaces(null, dir.resolve("cache"), dir.resolve("system"), null, false));
    }

    @Test
    void amesIsTheCoursesFile() throws IOException, NoSuchAlgorithmException {
        try (InputStream in = Datasets.class.getResourceAsStream("/nnlab/data/ames.npz")) {
            assertNotNull(in, "ames.npz is on the classpath");
            // COURSE.md §2.1: the skeleton's ames.npz, 528,470 bytes.
            byte[] bytes = in.readAllBytes();
            assertEquals(528_470, bytes.length);
            assertEquals("bd4dfbb610a9412727965f459c9892c1", HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes)));
        }
        CourseData ames = datasets().load("ames");
        assertEquals("ames", ames.name());
        assertNull(ames.dev(), "ames has no dev split");
        assertEquals(0, ames.classes());
        for (Examples split : new Examples[] {ames.train(), ames.test()}) {
            assertEquals(1465, split.n());
            assertEquals(348, split.features());
            assertFalse(split.isClassification());
        }
        // Values printed by numpy from the same file.
        assertEquals(12.2783933071098, ames.train().targets()[0]);
        assertEquals(12.144197241812087, ames.test().targets()[1464]);
        assertArrayEquals(new double[] {-0.9969933496471812, -0.8768551640209094, 3.0718759185086664},
                Arrays.copyOf(ames.train().x(), 3));
        assertEquals(17604.088118241452, sum(ames.train().targets()), 1e-9);
        assertEquals(349, ames.withBias().train().features());
    }

    @Test
    void theSampleIsTheHeadOfTheCourseSplit() {
        CourseData sample = datasets().load("fashion-mnist-sample");
        assertEquals("fashion-mnist-sample", sample.name());
        assertEquals(10, sample.classes());
        assertEquals(4000, sample.train().n());
        assertEquals(1000, sample.dev().n());
        assertEquals(1000, sample.test().n());
        assertEquals(784, sample.train().features());
        // numpy: y[perm[10000:10010]], y[perm[:10]] and y_test[:10] with perm = RandomState(42).permutation(60000).
        assertArrayEquals(new int[] {5, 0, 0, 1, 4, 5, 6, 8, 6, 9}, Arrays.copyOf(sample.train().labels(), 10));
        assertArrayEquals(new int[] {8, 8, 7, 4, 8, 4, 1, 0, 4, 5}, Arrays.copyOf(sample.dev().labels(), 10));
        assertArrayEquals(new int[] {9, 2, 1, 1, 6, 1, 4, 6, 5, 7}, Arrays.copyOf(sample.test().labels(), 10));
        assertEquals(25139, sum(Arrays.copyOf(sample.train().x(), 784)) * 256, "pixel sum of train image 0");
        assertEquals(66223, sum(Arrays.copyOf(sample.dev().x(), 784)) * 256, "pixel sum of dev image 0");
        for (double v : sample.train().x()) {
            assertTrue(v >= 0 && v <= 255 / 256.0 && v * 256 == Math.rint(v * 256), "pixels are k/256: " + v);
        }
        int[] counts = new int[10];
        for (int label : sample.train().labels()) counts[label]++;
        for (int c = 0; c < 10; c++) assertTrue(counts[c] > 300, "class " + c + " has " + counts[c] + " of 4000");
    }

    private static double sum(double[] values) {
        double total = 0;
        for (double v : values) total += v;
        return total;
    }
}
