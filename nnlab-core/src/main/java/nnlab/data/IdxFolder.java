package nnlab.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import nnlab.random.RandomState;

/**
 * A folder of IDX files in MNIST's layout (MNIST, Fashion-MNIST, Kuzushiji-MNIST), split as the
 * 2021-22 course split Fashion-MNIST.
 *
 * <p>The folder holds {@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte},
 * {@code t10k-images-idx3-ubyte} and {@code t10k-labels-idx1-ubyte}, each raw or gzipped (with or
 * without a {@code .gz} suffix; raw is preferred when both are there). Pixels are divided by 256.
 *
 * <p>The split: the course ran scikit-learn's {@code train_test_split(X[:60000], train_size=50000,
 * test_size=10000, random_state=42)}, which takes {@code perm = RandomState(42).permutation(60000)},
 * dev = rows {@code perm[0:10000]} and train = rows {@code perm[10000:60000]}, in that order; test is
 * the 10,000 test images in file order. For a training file of n images (a smaller or larger
 * dataset, or a test's) the same rule is applied to n: {@code perm = RandomState(42).permutation(n)},
 * dev = the first {@code n / 6} (rounded down) of it, train = the rest. Only n = 60,000 is the
 * course's split.
 */
final class IdxFolder {
    /** The four files, in the order train images, train labels, test images, test labels. */
    static final List<String> FILES = List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte",
            "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");
    /** The course's seed for the train/dev split. */
    static final long SPLIT_SEED = 42;
    private static final double PIXEL_SCALE = 1.0 / 256;

    private IdxFolder() {
    }

    /** The number of dev examples for n training images: n / 6 rounded down (10,000 of 60,000). */
    static int devCount(int n) {
        return n / 6;
    }

    /** The file standing for one of {@link #FILES} in a folder, raw before gzipped, or null if neither exists. */
    static Path find(Path folder, String stem) {
        for (String candidate : List.of(stem, stem + ".gz")) {
            Path file = folder.resolve(candidate);
            if (Files.isRegularFile(file)) return file;
        }
        return null;
    }

    /** Which of the four files (by name) a folder lacks; empty when all are there. */
    static List<String> missing(Path folder) {
        List<String> missing = new ArrayList<>();
        for (String stem : FILES) if (find(folder, stem) == null) missing.add(stem + "[.gz]");
        return missing;
    }

    /**
     * Loads the folder with the course's split.
     *
     * @param classes the dataset's number of classes when known, or 0 to count them
     * @param cache   decompressed copies of the gzipped files (null: none)
     */
    static CourseData load(Path folder, String name, int classes, IdxCache cache) {
        List<String> missing = missing(folder);
        if (!missing.isEmpty()) {
            throw new DataFileException(folder.toString(), "is not a complete folder of IDX files: it lacks "
                    + String.join(", ", missing) + " (it holds " + listing(folder) + ")",
                    "Put the four files of an MNIST-style dataset (" + String.join(", ", FILES)
                            + ", raw or .gz) in one folder, or name an .npz or .csv file instead");
        }
        Examples[] trainAndDev = read(find(folder, FILES.get(0)), find(folder, FILES.get(1)), classes, cache, n -> {
            int[] perm = new RandomState(SPLIT_SEED).permutation(n);
            int devCount = devCount(n);
            return new int[][] {Arrays.copyOfRange(perm, devCount, n), Arrays.copyOfRange(perm, 0, devCount)};
        });
        Examples test = read(find(folder, FILES.get(2)), find(folder, FILES.get(3)), classes, cache, n -> new int[][] {null})[0];
        return ExampleArrays.courseData(name, folder.toString(), trainAndDev[0], trainAndDev[1], test, classes);
    }

    /**
     * Reads an image file and its labels as the parts {@code split} asks for: given the number of
     * images n, the rows of each part in order (null: all rows in file order). Unsigned-byte images
     * go straight from the file into their parts, never all held at once.
     */
    private static Examples[] read(Path imagesFile, Path labelsFile, int classes, IdxCache cache, IntFunction<int[][]> split) {
        String imagesName = imagesFile.toString();
        Parts parts = new Parts(imagesName, split);
        NdArray images = null;
        if (!Idx.readRows(imagesFile, parts, cache)) {
            images = Idx.read(imagesFile, cache);
            parts.start(images.shape());
            requireIntegers(images, imagesName, "images");
        }
        int n = parts.n;
        NdArray labels = Idx.read(labelsFile, cache);
        requireIntegers(labels, labelsFile.toString(), "labels");
        if (labels.ndim() != 1) {
            throw new DataFileException(labelsFile.toString(), "the label array has shape "
                    + Arrays.toString(labels.shape()) + ", but an IDX label file holds shape (n)",
                    "Check that this is a label file (…-labels-idx1-ubyte)");
        }
        if (labels.shape()[0] != n) {
            throw new DataFileException(labelsFile.toString(), "holds " + labels.shape()[0] + " labels, but "
                    + imagesName + " holds " + n + " images", "The files do not belong together: download both again");
        }
        int[] allLabels = ExampleArrays.labels(labels, labelsFile.toString(), "label", imagesName, n, classes);
        Examples[] out = new Examples[parts.rows.length];
        for (int p = 0; p < out.length; p++) {
            int[] rows = parts.rows[p];
            int[] y = allLabels;
            if (rows != null) {
                y = new int[rows.length];
                for (int i = 0; i < rows.length; i++) y[i] = allLabels[rows[i]];
            }
            out[p] = (images != null ? ExampleArrays.examples(images, rows, PIXEL_SCALE, y, null)
                    : Examples.ofBytes(parts.bytes[p], PIXEL_SCALE, y.length, parts.features, y, null))
                    .withImageShape(new ImageShape(1, parts.height, parts.width, false));
        }
        return out;
    }

    /** Where each row of an image file goes: its part and its position there. */
    private static final class Parts implements Idx.RowReader {
        private final String file;
        private final IntFunction<int[][]> split;
        int n;
        int features;
        int height;
        int width;
        int[][] rows;
        byte[][] bytes;
        private int[] partOf;
        private int[] positionOf;

        Parts(String file, IntFunction<int[][]> split) {
            this.file = file;
            this.split = split;
        }

        @Override
        public void start(int[] shape) {
            n = ExampleArrays.rows(shape, file, "the image array", 3, 3, "an IDX image file holds shape (n, rows, columns)");
            features = shape[1] * shape[2];
            height = shape[1];
            width = shape[2];
            rows = split.apply(n);
            bytes = new byte[rows.length][];
            partOf = new int[n];
            positionOf = new int[n];
            Arrays.fill(partOf, -1);
            for (int p = 0; p < rows.length; p++) {
                int[] part = rows[p];
                int count = part != null ? part.length : n;
                bytes[p] = new byte[count * features];
                for (int i = 0; i < count; i++) {
                    int row = part != null ? part[i] : i;
                    partOf[row] = p;
                    positionOf[row] = i;
                }
            }
        }

        @Override
        public void row(int index, byte[] values) {
            if (partOf[index] >= 0) System.arraycopy(values, 0, bytes[partOf[index]], positionOf[index] * features, features);
        }
    }

    private static void requireIntegers(NdArray array, String file, String what) {
        if (array.dtype().startsWith("f")) {
            throw new DataFileException(file, "holds " + array.dtype() + " values, but MNIST-style " + what
                    + " are unsigned bytes (IDX type 0x08)", "Check that this is an MNIST-style IDX file");
        }
    }

    private static String listing(Path folder) {
        if (!Files.isDirectory(folder)) return "nothing: there is no such folder";
        try (Stream<Path> files = Files.list(folder)) {
            List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
            return names.isEmpty() ? "no files" : String.join(", ", names);
        } catch (IOException e) {
            return "files that could not be listed (" + e.getMessage() + ")";
        }
    }
}
