package nnlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Examples held as bytes must read exactly as the float64 examples the loaders used to build:
 * {@code (byte & 0xFF) / 256} in double, in every view and every derived set.
 */
class ExamplesTest {
    private static final double SCALE = 1.0 / 256;
    private static final int N = 7;
    private static final int FEATURES = 5;

    /** Every byte value 0..255 appears (with a wrap-around), so the unsigned reading is exercised. */
    private static byte[] pixels() {
        byte[] b = new byte[N * FEATURES];
        for (int k = 0; k < b.length; k++) b[k] = (byte) (k * 37 + 250);
        return b;
    }

    private static int[] labels() {
        return new int[] {0, 2, 1, 2, 0, 1, 1};
    }

    /** The float64 features exactly as the loaders computed them before bytes were kept. */
    private static double[] asLoadersComputedThem(byte[] b) {
        double[] x = new double[b.length];
        for (int k = 0; k < b.length; k++) x[k] = (b[k] & 0xFF) * SCALE;
        return x;
    }

    private static Examples bytes() {
        return Examples.ofBytes(pixels(), SCALE, N, FEATURES, labels(), null);
    }

    private static Examples doubles() {
        return Examples.classification(asLoadersComputedThem(pixels()), N, FEATURES, labels());
    }

    @Test
    void byteFeaturesReadAsTheirFloat64Values() {
        Examples e = bytes();
        assertTrue(e.heldAsBytes());
        double[] expected = asLoadersComputedThem(pixels());
        for (int k = 0; k < expected.length; k++) assertEquals(expected[k], e.x(k), "x(" + k + ") before the view exists");
        assertArrayEquals(expected, e.x());
        assertSame(e.x(), e.x(), "the float64 view is built once and kept");
        for (int k = 0; k < expected.length; k++) assertEquals(expected[k], e.x(k), "x(" + k + ") after");
    }

    @Test
    void aRowIsItsFloat64ValuesWhateverTheWidthAndTheStorage() {
        // Widths below, at and past the SIMD blocks of bytes, pixels ≥ 128 (unsigned), with and without the bias.
        for (int features : new int[] {1, 15, 16, 17, 37, 784}) {
            int n = 3;
            byte[] bytes = new byte[n * features];
            for (int k = 0; k < bytes.length; k++) bytes[k] = (byte) (k * 37 + 200);
            Examples plain = Examples.ofBytes(bytes, 1 / 256.0, n, features, new int[n], null);
            for (Examples e : List.of(plain, plain.withBias(),
                    Examples.classification(plain.withBias().x().clone(), n, features + 1, new int[n]))) {
                double[] out = new double[e.features() + 2];
                for (int i = 0; i < n; i++) {
                    e.row(i, out, 2);
                    for (int j = 0; j < e.features(); j++) {
                        assertEquals(e.x(i * e.features() + j), out[2 + j], e + " row " + i + " feature " + j);
                    }
                }
            }
        }
        Examples e = Examples.ofBytes(new byte[6], 1, 2, 3, new int[2], null);
        assertThrows(IndexOutOfBoundsException.class, () -> e.row(2, new double[3], 0));
        assertThrows(IndexOutOfBoundsException.class, () -> e.row(0, new double[3], 1));
    }

    @Test
    void floatsAreTheFloat64ValuesRoundedAsTheDataLoaderRoundedThem() {
        for (Examples e : new Examples[] {bytes(), doubles()}) {
            float[] f = e.floats();
            double[] x = asLoadersComputedThem(pixels());
            for (int k = 0; k < x.length; k++) {
                assertEquals((float) x[k], f[k], e + " float " + k);
                assertEquals(x[k], f[k], "pixels k/256 are exact in float32");
            }
            assertSame(f, e.floats(), "built once and kept");
        }
    }

    @Test
    void float64ExamplesKeepTheGivenArray() {
        double[] x = asLoadersComputedThem(pixels());
        Examples e = Examples.classification(x, N, FEATURES, labels());
        assertFalse(e.heldAsBytes());
        assertSame(x, e.x());
        assertEquals(x[3], e.x(3));
    }

    @Test
    void withBiasSelectAndHeadAgreeWhateverTheStorage() {
        Examples b = bytes();
        Examples d = doubles();
        assertArrayEquals(d.withBias().x(), b.withBias().x());
        assertEquals(FEATURES + 1, b.withBias().features());
        assertEquals(1.0, b.withBias().x()[FEATURES], "the bias column");
        Examples biased = b.withBias();
        assertTrue(biased.heldAsBytes(), "a bias column on bytes keeps the bytes");
        double[] expected = d.withBias().x();
        for (int k = 0; k < expected.length; k++) assertEquals(expected[k], biased.x(k), "x(" + k + ") with bias");
        assertArrayEquals(d.withBias().select(new int[] {5, 1}).x(), biased.select(new int[] {5, 1}).x());
        assertTrue(biased.select(new int[] {5, 1}).heldAsBytes());
        assertArrayEquals(d.withBias().withBias().x(), biased.withBias().x(), "a second bias column");
        float[] floats = biased.floats();
        for (int k = 0; k < expected.length; k++) assertEquals((float) expected[k], floats[k]);
        int[] rows = {6, 0, 3, 3};
        Examples selected = b.select(rows);
        assertTrue(selected.heldAsBytes(), "a selection of bytes stays bytes");
        assertArrayEquals(d.select(rows).x(), selected.x());
        assertArrayEquals(d.select(rows).labels(), selected.labels());
        assertArrayEquals(d.head(2).x(), b.head(2).x());
        assertEquals(d.classes(), b.classes());
    }

    @Test
    void viewsAreBuiltOnceWhenThreadsAskTogether() throws Exception {
        Examples e = Examples.ofBytes(new byte[2000 * 784], SCALE, 2000, 784, new int[2000], null);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Object[]>> tasks = new ArrayList<>();
            for (int t = 0; t < 8; t++) tasks.add(() -> new Object[] {e.x(), e.floats()});
            List<Future<Object[]>> results = pool.invokeAll(tasks);
            Object[] first = results.getFirst().get();
            for (Future<Object[]> r : results) {
                assertSame(first[0], r.get()[0]);
                assertSame(first[1], r.get()[1]);
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void rejectsInconsistentSizes() {
        assertThrows(IllegalArgumentException.class, () -> Examples.ofBytes(new byte[9], SCALE, 2, 5, new int[2], null));
        assertThrows(IllegalArgumentException.class, () -> Examples.ofBytes(new byte[10], SCALE, 2, 5, new int[3], null));
        assertThrows(IllegalArgumentException.class, () -> Examples.ofBytes(new byte[10], SCALE, 2, 5, null, null));
        assertThrows(IllegalArgumentException.class, () -> Examples.ofBytes(new byte[10], Double.NaN, 2, 5, new int[2], null));
    }

    /** Channels-last rows (numpy's (n, h, w, c) images) reach a convolution channels-first; the flat view stays as stored. */
    @org.junit.jupiter.api.Test
    void imagesStoredChannelsLastAreBatchedChannelsFirst() {
        // Two 3-channel 2×2 images; value = 100·image + 10·pixel + channel, stored (h, w, c).
        double[] x = new double[2 * 12];
        for (int i = 0; i < 2; i++) for (int p = 0; p < 4; p++) for (int c = 0; c < 3; c++) x[i * 12 + p * 3 + c] = 100 * i + 10 * p + c;
        Examples rows = Examples.classification(x, 2, 12, new int[] {0, 1}).withImageShape(new ImageShape(3, 2, 2, true));
        Examples images = rows.asImages();
        org.junit.jupiter.api.Assertions.assertTrue(images.isImages() && !rows.isImages());
        DataLoader.Batch batch = new DataLoader(images, 2, false, null).batch(new int[] {1, 0});
        org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {2, 3, 2, 2}, batch.x().dims());
        // Image 1, channel 2, pixel (1, 0) = 100 + 10·2 + 2.
        org.junit.jupiter.api.Assertions.assertEquals(122, batch.x().get(0, 2, 1, 0));
        org.junit.jupiter.api.Assertions.assertEquals(10, batch.x().get(1, 0, 0, 1)); // image 0, channel 0, pixel 1
        org.junit.jupiter.api.Assertions.assertEquals(2, rows.floats()[2], 0); // the flat view keeps the stored order
        Examples picked = images.select(new int[] {1});
        org.junit.jupiter.api.Assertions.assertTrue(picked.isImages());
        org.junit.jupiter.api.Assertions.assertEquals(101, picked.floats()[4]); // channel 1, pixel 0 of image 1
        // Rows whose float32 copy was built first (an MLP trained on them earlier in the process): the view reorders its own.
        Examples used = Examples.classification(x, 2, 12, new int[] {0, 1}).withImageShape(new ImageShape(3, 2, 2, true));
        org.junit.jupiter.api.Assertions.assertEquals(1, used.floats()[1], 0); // stored order: pixel 0, channel 1
        org.junit.jupiter.api.Assertions.assertEquals(10, used.asImages().floats()[1], 0); // channel 0, pixel 1
        org.junit.jupiter.api.Assertions.assertSame(used.asImages(), used.asImages()); // one view, one reordered copy
        var wrong = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> rows.withImageShape(new ImageShape(1, 28, 28, false)));
        org.junit.jupiter.api.Assertions.assertTrue(wrong.getMessage().contains("784 values"), wrong.getMessage());
    }
}
