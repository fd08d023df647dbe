package nnlab.data;

import java.util.Objects;

/**
 * A set of examples as the classic models and the loaders see them: n rows of {@code features}
 * values (row i is {@code x()[i*features .. (i+1)*features)}), and either class labels or
 * regression targets.
 *
 * <p>The features are held in one of two ways, and every view of them has the same values:
 * <ul>
 *   <li>as float64 ({@link #classification(double[], int, int, int[])}, {@link #regression}):
 *       {@link #x()} is the array given;</li>
 *   <li>as unsigned bytes times a scale ({@link #ofBytes}): how image files store pixels, 8× smaller
 *       than float64 (Fashion-MNIST: 55 MB instead of 440 MB). {@link #x()} is then built on first use,
 *       {@code (byte & 0xFF) * scale} as the loaders always computed it, and kept.</li>
 * </ul>
 * {@link #floats()}, the float32 copy the autodiff track trains on, is likewise built on first use
 * and kept, so every loader and evaluation over the same examples shares one. Views are built at
 * most once, even when threads ask together; they are shared, not copied: do not modify them.
 */
public final class Examples {
    private final int n;
    private final int features;
    private final int[] labels;
    private final double[] targets;
    /** The features as unsigned bytes, each times {@link #scale}; null when given as float64. */
    private final byte[] bytes;
    private final double scale;
    /**
     * Whether each row of {@link #bytes} is followed by a constant 1 (the bias column of the linear
     * models), counted in {@link #features} but not stored.
     */
    private final boolean bias;
    /** The float64 view: the array given, or built from {@link #bytes} on first use. */
    private volatile double[] x;
    private volatile float[] floats;
    /** What one example is as an image, or null (a row of features). */
    private ImageShape image;
    /** For {@link #asImages()}: the examples as rows, whose values this view reorders to channels-first. */
    private Examples rows;
    /**
     * The image view of these rows, made once: every run on the same examples (a sweep's trials)
     * shares its float32 copy instead of reordering the dataset again.
     */
    private volatile Examples images;

    private Examples(double[] x, byte[] bytes, double scale, int n, int features, int[] labels, double[] targets) {
        this(x, bytes, scale, false, n, features, labels, targets);
    }

    private Examples(double[] x, byte[] bytes, double scale, boolean bias, int n, int features, int[] labels,
                     double[] targets) {
        int length = x != null ? x.length : bytes.length + (bias ? n : 0);
        if ((long) n * features != length) {
            throw new IllegalArgumentException(length + " feature values do not make " + n + " examples of "
                    + features + " features");
        }
        if ((labels == null) == (targets == null)) {
            throw new IllegalArgumentException("examples need either labels (classification) or targets (regression)");
        }
        int count = labels != null ? labels.length : targets.length;
        if (count != n) {
            throw new IllegalArgumentException(n + " examples but " + count + (labels != null ? " labels" : " targets"));
        }
        this.x = x;
        this.bytes = bytes;
        this.scale = scale;
        this.bias = bias;
        this.n = n;
        this.features = features;
        this.labels = labels;
        this.targets = targets;
    }

    /**
     * Classification examples from rows of features of equal length (row i is example i) and their
     * class labels 0, 1, …: what a Java program usually has at hand.
     */
    public static Examples classification(float[][] rows, int[] labels) {
        if (rows.length != labels.length) {
            throw new IllegalArgumentException(rows.length + " rows of features but " + labels.length + " labels");
        }
        int d = rows.length == 0 ? 0 : rows[0].length;
        double[] x = new double[rows.length * d];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != d) throw new IllegalArgumentException("row " + i + " has " + rows[i].length + " features, row 0 has " + d);
            for (int j = 0; j < d; j++) x[i * d + j] = rows[i][j];
        }
        return classification(x, rows.length, d, labels);
    }

    /** Classification examples with float64 features (the array is kept, not copied). */
    public static Examples classification(double[] x, int n, int features, int[] labels) {
        return new Examples(x, null, 1, n, features, labels, null);
    }

    /** Regression examples with float64 features (the array is kept, not copied). */
    public static Examples regression(double[] x, int n, int features, double[] targets) {
        return new Examples(x, null, 1, n, features, null, targets);
    }

    /**
     * Examples whose feature k is {@code (values[k] & 0xFF) * scale}, held as the bytes (not
     * copied): uint8 pixels divided by 256 take an eighth of the memory of their float64 values.
     *
     * @param labels  class of each example, or null for regression
     * @param targets target of each example, or null for classification
     */
    public static Examples ofBytes(byte[] values, double scale, int n, int features, int[] labels, double[] targets) {
        if (!Double.isFinite(scale)) throw new IllegalArgumentException("the scale of byte features must be finite, got " + scale);
        return new Examples(null, values, scale, n, features, labels, targets);
    }

    /** Number of examples. */
    public int n() {
        return n;
    }

    /** Values per example. */
    public int features() {
        return features;
    }

    /** Class of each example (0-based), or null for regression. Shared, not a copy. */
    public int[] labels() {
        return labels;
    }

    /** Target of each example, or null for classification. Shared, not a copy. */
    public double[] targets() {
        return targets;
    }

    /**
     * All features as float64, n × features, row-major. Shared, not a copy. For examples held as
     * bytes it is built on the first call (n × features × 8 bytes) and kept; code that only reads
     * values can use {@link #x(int)} or {@link #floats()} instead.
     */
    public double[] x() {
        double[] d = x;
        if (d == null) {
            synchronized (this) {
                d = x;
                if (d == null) {
                    d = new double[n * features];
                    for (int k = 0; k < d.length; k++) d[k] = byteValue(k);
                    x = d;
                }
            }
        }
        return d;
    }

    /**
     * The flat index (example · features + feature) of the first feature that is NaN or infinite, or
     * -1: byte features never are, so only features given as float64 are scanned.
     */
    public long firstNonFinite() {
        if (bytes != null) return -1;
        double[] d = x;
        for (int k = 0; k < d.length; k++) if (!Double.isFinite(d[k])) return k;
        return -1;
    }

    /** Feature value {@code x()[index]}, without building the float64 view of byte features. */
    public double x(int index) {
        double[] d = x;
        return d != null ? d[index] : byteValue(index);
    }

    /**
     * Copies example {@code i}'s features (the bias column included) as float64 into
     * {@code out[offset .. offset+features)}: the values {@link #x(int)} gives, one row at a time,
     * without building the float64 view of byte features.
     */
    public void row(int i, double[] out, int offset) {
        Objects.checkIndex(i, n);
        Objects.checkFromIndexSize(offset, features, out.length);
        double[] d = x;
        if (d != null) {
            System.arraycopy(d, i * features, out, offset, features);
            return;
        }
        int stored = storedFeatures();
        int from = i * stored;
        ByteRows.widen(bytes, from, stored, scale, out, offset);
        if (bias) out[offset + stored] = 1;
    }

    /**
     * Reads one value of each 64-byte cache line of example {@code i}'s row and returns their sum,
     * which means nothing: Java has no prefetch instruction, and a loop that visits rows in a random
     * order can call this a few rows ahead so that the row is on its way from memory when it is
     * needed (keep the result somewhere, or the JIT drops the reads). About 10% of a perceptron
     * epoch on Fashion-MNIST.
     */
    public int touch(int i) {
        Objects.checkIndex(i, n);
        int sum = 0;
        double[] d = x;
        if (d != null) {
            for (int k = i * features, end = k + features; k < end; k += 8) sum += (int) d[k];
            return sum;
        }
        int stored = storedFeatures();
        for (int k = i * stored, end = k + stored; k < end; k += 64) sum += bytes[k];
        return sum + (stored > 0 ? bytes[i * stored + stored - 1] : 0);
    }

    /** Bytes stored per example: the features without the implied bias column. */
    private int storedFeatures() {
        return bias ? features - 1 : features;
    }

    /** Feature {@code index} (row-major, bias column included) of examples held as bytes. */
    private double byteValue(int index) {
        if (!bias) return (bytes[index] & 0xFF) * scale;
        int row = index / features, column = index - row * features;
        return column == features - 1 ? 1 : (bytes[row * (features - 1) + column] & 0xFF) * scale;
    }

    /**
     * All features as float32 (each value rounded to the nearest float; pixels k/256 are exact),
     * row-major, built on the first call and kept. Shared, not a copy.
     */
    public float[] floats() {
        float[] f = floats;
        if (f == null) {
            synchronized (this) {
                f = floats;
                if (f == null && rows != null) {
                    floats = f = rows.image.channelsLast() ? channelsFirst(rows.floats(), rows.image) : rows.floats();
                } else if (f == null) {
                    f = new float[n * features];
                    double[] d = x;
                    if (bytes != null && !bias) {
                        // Through a table of the 256 values: a run waits for this copy before its first step.
                        float[] value = new float[256];
                        for (int b = 0; b < 256; b++) value[b] = (float) (b * scale);
                        byte[] v = bytes;
                        for (int k = 0; k < f.length; k++) f[k] = value[v[k] & 0xFF];
                    } else if (bytes != null) {
                        for (int k = 0; k < f.length; k++) f[k] = (float) byteValue(k);
                    } else {
                        for (int k = 0; k < f.length; k++) f[k] = (float) d[k];
                    }
                    floats = f;
                }
            }
        }
        return f;
    }

    /** Rows of (h, w, c) values reordered to (c, h, w). */
    private float[] channelsFirst(float[] hwc, ImageShape shape) {
        int c = shape.channels(), hw = shape.height() * shape.width(), d = c * hw;
        float[] out = new float[hwc.length];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < hw; p++) for (int k = 0; k < c; k++) out[i * d + k * hw + p] = hwc[i * d + p * c + k];
        }
        return out;
    }

    /** Whether the features are held as bytes (image files), with float64 only a view built on demand. */
    boolean heldAsBytes() {
        return bytes != null;
    }

    public boolean isClassification() {
        return labels != null;
    }

    /**
     * The same examples marked as images of the given shape (their rows are the images' values, in
     * the shape's order); still batched as rows ({@link #asImages()} batches them as images).
     */
    public Examples withImageShape(ImageShape shape) {
        if (shape.features() != features) {
            throw new IllegalArgumentException("images of " + shape + " have " + shape.features() + " values, but these examples have "
                    + features + " features");
        }
        Examples out = copyOf(this);
        out.image = shape;
        return out;
    }

    /** What one example is as an image, or null when the examples are rows of features. */
    public ImageShape imageShape() {
        return image;
    }

    /** Whether loaders batch these examples as images [b, channels, height, width] ({@link #asImages()}). */
    public boolean isImages() {
        return rows != null;
    }

    /**
     * The same examples as images, channels-first: a {@link DataLoader} batches them as [b, channels,
     * height, width], the input of a convolution. Channels-last rows are reordered (in the float32
     * view only); channels-first rows are shared as they are.
     *
     * @throws IllegalStateException if the examples have no image shape ({@link #withImageShape})
     */
    public Examples asImages() {
        if (rows != null) return this;
        if (image == null) throw new IllegalStateException("these examples (" + features + " features) have no image shape");
        Examples view = images;
        if (view == null) {
            synchronized (this) {
                view = images;
                if (view == null) {
                    view = copyOf(this);
                    view.image = new ImageShape(image.channels(), image.height(), image.width(), false);
                    view.rows = this;
                    // Channels-last rows' float32 copy (if built) is in their order: the view builds its own, reordered.
                    if (image.channelsLast()) view.floats = null;
                    images = view;
                }
            }
        }
        return view;
    }

    /** A view sharing every array and the float32 copy built so far. */
    private static Examples copyOf(Examples e) {
        Examples out = new Examples(e.x, e.bytes, e.scale, e.bias, e.n, e.features, e.labels, e.targets);
        out.floats = e.floats;
        out.image = e.image;
        out.rows = e.rows;
        return out;
    }

    /**
     * The same examples with a constant 1 appended to every row (the bias feature of the linear
     * models). Examples held as bytes stay bytes (the same array, shared): the 1 is implied, so a
     * model that reads values through {@link #x(int)} never builds a float64 copy.
     */
    public Examples withBias() {
        if (bytes != null && !bias) return new Examples(null, bytes, scale, true, n, features + 1, labels, targets);
        double[] out = new double[n * (features + 1)];
        double[] source = x();
        for (int i = 0; i < n; i++) {
            System.arraycopy(source, i * features, out, i * (features + 1), features);
            out[i * (features + 1) + features] = 1;
        }
        return new Examples(out, null, 1, n, features + 1, labels, targets);
    }

    /** The examples at the given positions, in that order (features copied, held as they are here; images stay images). */
    public Examples select(int[] rows) {
        if (this.rows != null) return this.rows.select(rows).asImages();
        Examples out = selectRows(rows);
        out.image = image;
        return out;
    }

    private Examples selectRows(int[] rows) {
        int[] l = labels == null ? null : new int[rows.length];
        double[] t = targets == null ? null : new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            if (l != null) l[i] = labels[rows[i]];
            if (t != null) t[i] = targets[rows[i]];
        }
        if (bytes != null) {
            int stored = storedFeatures();
            byte[] out = new byte[rows.length * stored];
            for (int i = 0; i < rows.length; i++) System.arraycopy(bytes, rows[i] * stored, out, i * stored, stored);
            return new Examples(null, out, scale, bias, rows.length, features, l, t);
        }
        double[] source = x;
        double[] out = new double[rows.length * features];
        for (int i = 0; i < rows.length; i++) System.arraycopy(source, rows[i] * features, out, i * features, features);
        return new Examples(out, null, 1, rows.length, features, l, t);
    }

    /** The first {@code count} examples (or all, when there are fewer). */
    public Examples head(int count) {
        int k = Math.min(count, n);
        int[] rows = new int[k];
        for (int i = 0; i < k; i++) rows[i] = i;
        return select(rows);
    }

    /** Number of classes: one more than the largest label (0 for regression). */
    public int classes() {
        int max = -1;
        if (labels != null) for (int l : labels) max = Math.max(max, l);
        return max + 1;
    }

    @Override
    public String toString() {
        return "Examples[n=" + n + ", features=" + features + ", " + (isClassification() ? "classification" : "regression")
                + ", held as " + (bytes != null ? "bytes × " + scale + (bias ? " and a bias column" : "") : "float64")
                + (image == null ? "" : (rows != null ? ", batched as images " : ", images ") + image) + "]";
    }
}
