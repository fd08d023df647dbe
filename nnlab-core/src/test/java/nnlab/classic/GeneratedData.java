package nnlab.classic;

import nnlab.data.CourseData;
import nnlab.data.Examples;
import nnlab.random.RandomState;

/**
 * Data sets generated in the tests. The first three are regenerated bit for bit by
 * make_fixtures.py (randint and random_sample only, which RandomState reproduces exactly).
 */
final class GeneratedData {
    static final int TRAIN = 200;
    static final int DEV = 50;
    static final int TEST = 50;

    private GeneratedData() {}

    /** Raw integers, kept for the fixture checksums. */
    record Raw(long[] values, long[] labels, long[] targets256, Examples examples) {}

    /**
     * Java-only: n examples of {@code pixels} bytes k/256 with a bias column, a third of the pixels
     * zero, the others scaled down by a factor that depends on the label and the pixel, so that a
     * linear model learns and still errs (drawn with SplittableRandom(seed), labels first per row).
     */
    static Examples labelledPixels(long seed, int n, int pixels, int classes) {
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        byte[] bytes = new byte[n * pixels];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = random.nextInt(classes);
            for (int j = 0; j < pixels; j++) {
                bytes[i * pixels + j] = (byte) (random.nextInt(3) == 0 ? 0 : random.nextInt(256) / (1 + (labels[i] + j) % 3));
            }
        }
        return Examples.ofBytes(bytes, 1 / 256.0, n, pixels, labels, null).withBias();
    }

    /** make_fixtures.py's fashion_like: 8×8 "images", pixels k/256, one label in five random. */
    static Raw fashionLike(long seed, int classes) {
        int n = TRAIN + DEV + TEST;
        int features = 64;
        RandomState random = new RandomState(seed);
        long[] templates = random.randint(0, 256, classes * features);
        double[] maskDraws = random.randomSample(classes * features);
        long[] trueLabels = random.randint(0, classes, n);
        long[] noise = random.randint(-255, 256, n * features);
        double[] flipDraws = random.randomSample(n);
        long[] replacements = random.randint(0, classes, n);
        long[] pixels = new long[n * features];
        long[] labels = new long[n];
        double[] x = new double[n * features];
        int[] intLabels = new int[n];
        for (int i = 0; i < n; i++) {
            int label = (int) trueLabels[i];
            for (int j = 0; j < features; j++) {
                int t = label * features + j;
                long pixel = maskDraws[t] < 0.5 ? Math.clamp(templates[t] + noise[i * features + j], 0, 255) : 0;
                pixels[i * features + j] = pixel;
                x[i * features + j] = pixel / 256.0;
            }
            labels[i] = flipDraws[i] < 0.2 ? replacements[i] : trueLabels[i];
            intLabels[i] = (int) labels[i];
        }
        return new Raw(pixels, labels, null, Examples.classification(x, n, features, intLabels));
    }

    /** make_fixtures.py's linear_like: y = x/64 · w/4 + 3 + noise/64 with integer x, w, noise. */
    static Raw linearLike(long seed) {
        int n = TRAIN + DEV + TEST;
        int features = 12;
        RandomState random = new RandomState(seed);
        long[] raw = random.randint(-128, 129, n * features);
        long[] w = random.randint(-8, 9, features);
        long[] noise = random.randint(-32, 33, n);
        double[] x = new double[n * features];
        double[] y = new double[n];
        long[] y256 = new long[n];
        for (int i = 0; i < n; i++) {
            long dot = 0;
            for (int j = 0; j < features; j++) {
                dot += raw[i * features + j] * w[j];
                x[i * features + j] = raw[i * features + j] / 64.0;
            }
            y256[i] = dot + 3 * 256 + 4 * noise[i];
            y[i] = y256[i] / 256.0;
        }
        return new Raw(raw, null, y256, Examples.regression(x, n, features, y));
    }

    /**
     * make_fixtures.py's rank-deficient design: columns 0..4 random multiples of 1/8, column 5 =
     * column 0 + column 1, column 6 = 2 · column 2, column 7 zero, column 8 ones; rank 6 of 9.
     */
    static Raw rankDeficient(long seed) {
        int n = 30;
        RandomState random = new RandomState(seed);
        long[] base = random.randint(-16, 17, n * 5);
        long[] target = random.randint(-64, 65, n);
        double[] x = new double[n * 9];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 5; j++) x[i * 9 + j] = base[i * 5 + j] / 8.0;
            x[i * 9 + 5] = x[i * 9] + x[i * 9 + 1];
            x[i * 9 + 6] = 2 * x[i * 9 + 2];
            x[i * 9 + 8] = 1;
            y[i] = target[i] / 16.0;
        }
        return new Raw(base, null, target, Examples.regression(x, n, 9, y));
    }

    /** numpy's checksum of make_fixtures.py: Σ v[i] · (i mod 1000 + 1). */
    static long checksum(long[] values) {
        long sum = 0;
        for (int i = 0; i < values.length; i++) sum += values[i] * (i % 1000 + 1);
        return sum;
    }

    /** The fixture's split: the first 200 rows train, the next 50 dev, the last 50 test. */
    static CourseData split(String name, Examples all, int classes) {
        return new CourseData(name, all.select(range(0, TRAIN)), all.select(range(TRAIN, TRAIN + DEV)),
                all.select(range(TRAIN + DEV, TRAIN + DEV + TEST)), classes);
    }

    static int[] range(int from, int to) {
        int[] rows = new int[to - from];
        for (int i = 0; i < rows.length; i++) rows[i] = from + i;
        return rows;
    }

    /**
     * Gaussian blobs: {@code perClass} points around each center (d dimensions), standard
     * deviation {@code spread}, shuffled. Labels are the blob's index.
     */
    static Examples blobs(RandomState random, double[][] centers, int perClass, double spread) {
        int d = centers[0].length;
        int n = centers.length * perClass;
        double[] x = new double[n * d];
        int[] labels = new int[n];
        int[] order = random.permutation(n);
        for (int i = 0; i < n; i++) {
            int k = order[i] / perClass;
            labels[i] = k;
            for (int j = 0; j < d; j++) x[i * d + j] = centers[k][j] + spread * random.standardNormal();
        }
        return Examples.classification(x, n, d, labels);
    }
}
