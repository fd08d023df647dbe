package nnlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real Fashion-MNIST (Debian's {@code dataset-fashion-mnist}) with the course's split, checked
 * against numpy: {@code perm = RandomState(42).permutation(60000)}, dev = perm[:10000], train = perm[10000:].
 * Skipped when the package is not installed.
 */
class FashionMnistSplitTest {
    private static final Path DEBIAN = Path.of("/usr/share/datasets/fashion-mnist");
    private static CourseData data;

    @BeforeAll
    static void load() {
        assumeTrue(IdxFolder.missing(DEBIAN).isEmpty(), "Fashion-MNIST is not in " + DEBIAN
                + " (apt-get install dataset-fashion-mnist)");
        data = new Datasets(new DataPlaces(null, Path.of("/nonexistent/nnlab-cache"), DEBIAN.getParent(), null, false))
                .load("fashion-mnist");
    }

    @Test
    void hasTheCoursesShapes() {
        assertEquals(50_000, data.train().n());
        assertEquals(10_000, data.dev().n());
        assertEquals(10_000, data.test().n());
        assertEquals(784, data.train().features());
        assertEquals(10, data.classes());
    }

    @Test
    void matchesNumpy() {
        // Computed with numpy 1.24 from the same files.
        assertArrayEquals(new int[] {8, 8, 7, 4, 8, 4, 1, 0, 4, 5}, Arrays.copyOf(data.dev().labels(), 10), "y[perm[:10]]");
        assertArrayEquals(new int[] {5, 0, 0, 1, 4, 5, 6, 8, 6, 9}, Arrays.copyOf(data.train().labels(), 10), "y[perm[10000:10010]]");
        assertArrayEquals(new int[] {9, 2, 1, 1, 6, 1, 4, 6, 5, 7}, Arrays.copyOf(data.test().labels(), 10));
        assertEquals(66223, sum(data.dev().x(), 0, 784) * 256, "image perm[0] = 12628");
        assertEquals(25139, sum(data.train().x(), 0, 784) * 256, "image perm[10000] = 11210");
        assertEquals(1, data.train().labels()[49_999], "the last train row is image 56422, label 1");
        assertEquals(2241049.9765625, sum(data.dev().x(), 0, data.dev().x().length), "(X[dev] / 256).sum()");
        assertEquals(11161739.74609375, sum(data.train().x(), 0, data.train().x().length), "(X[train] / 256).sum()");
        assertArrayEquals(new int[] {4991, 4998, 5003, 4992, 5003, 4985, 4984, 5053, 4999, 4992}, counts(data.train().labels()));
        assertArrayEquals(new int[] {1009, 1002, 997, 1008, 997, 1015, 1016, 947, 1001, 1008}, counts(data.dev().labels()));
    }

    @Test
    void theEmbeddedSampleIsItsHead() {
        CourseData sample = new Datasets(new DataPlaces(null, Path.of("/nonexistent/nnlab-cache"),
                Path.of("/nonexistent/system"), null, false)).load("fashion-mnist-sample");
        Examples[][] pairs = {{sample.train(), data.train()}, {sample.dev(), data.dev()}, {sample.test(), data.test()}};
        for (Examples[] pair : pairs) {
            Examples head = pair[1].head(pair[0].n());
            assertArrayEquals(head.x(), pair[0].x());
            assertArrayEquals(head.labels(), pair[0].labels());
        }
    }

    private static double sum(double[] x, int from, int to) {
        double total = 0;
        for (int i = from; i < to; i++) total += x[i];
        return total;
    }

    private static int[] counts(int[] labels) {
        int[] counts = new int[10];
        for (int label : labels) counts[label]++;
        return counts;
    }
}
