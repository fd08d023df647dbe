package nnlab.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Loads a dataset from a path, in whichever of the course's layouts it is:
 * <ul>
 *   <li>an {@code .npz} file with the keys {@code Xtrain ytrain Xdev ydev Xtest ytest} (features
 *       loaded as they are; float y means regression) or {@code train_images train_labels val_images
 *       val_labels test_images test_labels} (pixels divided by 256), see {@link CourseNpz};</li>
 *   <li>a folder of MNIST-style IDX files ({@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte},
 *       {@code t10k-images-idx3-ubyte}, {@code t10k-labels-idx1-ubyte}, raw or {@code .gz}), pixels divided
 *       by 256 and split as the course split Fashion-MNIST: {@code perm = RandomState(42).permutation(n)}
 *       for n training images, dev = rows {@code perm[0 : n/6]}, train = rows {@code perm[n/6 : n]} in
 *       that order, test = the test file in order. For n = 60,000 this is exactly the course's 10,000 /
 *       50,000 split; for other n it is the same rule, not a course split. See {@link IdxFolder};</li>
 *   <li>a {@code .csv} file with a header: a column {@code label} (class numbers, classification) or
 *       {@code y} or {@code target} (regression targets), a column {@code split} (0 train, 1 dev,
 *       2 test; dev may be empty), every other column a feature, loaded as it is. See {@link CsvDataset}.</li>
 * </ul>
 *
 * <p>OCTMNIST is recognised by its file name: a file whose name starts with {@code octmnist} (any
 * case) has 4 classes, and with {@link TestSplit#AUTO} its test set is the course's 529-example
 * subset. {@link TestSplit#OCTMNIST_SUBSET} and {@link TestSplit#FULL} choose explicitly.
 *
 * <p>Features are float64, labels int. Every problem with the files is a {@link DataFileException}
 * naming the file, what is wrong and what to do.
 */
public final class CourseFiles {
    /** OCTMNIST's classes: choroidal neovascularization, diabetic macular edema, drusen, normal. */
    static final int OCTMNIST_CLASSES = 4;

    private CourseFiles() {
    }

    /** Loads a dataset file or folder, with the OCTMNIST test subset chosen by file name ({@link TestSplit#AUTO}). */
    public static CourseData load(Path path) {
        return load(path, TestSplit.AUTO);
    }

    /** Loads a dataset file or folder; the data is named after it ({@code octmnist.npz} gives {@code octmnist}). */
    public static CourseData load(Path path, TestSplit testSplit) {
        return load(path, nameOf(path), testSplit, 0);
    }

    /**
     * Loads a dataset file or folder under a given name.
     *
     * @param classes the dataset's number of classes when known, to check the labels against, or 0
     */
    static CourseData load(Path path, String name, TestSplit testSplit, int classes) {
        return load(path, name, testSplit, classes, null);
    }

    /** {@link #load(Path, String, TestSplit, int)}, reading gzipped IDX files through a cache of their decompressed copies (null: none). */
    static CourseData load(Path path, String name, TestSplit testSplit, int classes, IdxCache cache) {
        String fileName = path.getFileName() == null ? path.toString() : path.getFileName().toString();
        if (classes == 0 && TestSplit.isOctmnist(fileName)) classes = OCTMNIST_CLASSES;
        String lower = fileName.toLowerCase(Locale.ROOT);
        try {
            return loadFile(path, name, testSplit, classes, fileName, lower, cache);
        } catch (OutOfMemoryError e) {
            // What was loaded, how large, and what to do: the partly built arrays are garbage by now.
            long max = Runtime.getRuntime().maxMemory() >> 20;
            throw new DataFileException(path.toString(), "does not fit in memory: loading it (" + sizeOnDisk(path)
                    + " on disk, more once decompressed and converted) ran out of the Java heap's " + max + " MiB",
                    "Give Java more memory, e.g. NNLAB_JAVA_OPTS=-Xmx" + Math.max(2, 2 * max / 1024 + 1) + "g ./nnlab …, or use a smaller file");
        }
    }

    private static String sizeOnDisk(Path path) {
        try {
            return Files.isDirectory(path) ? "a folder" : String.format(Locale.ROOT, "%,d bytes", Files.size(path));
        } catch (java.io.IOException e) {
            return "its size unknown";
        }
    }

    private static CourseData loadFile(Path path, String name, TestSplit testSplit, int classes, String fileName, String lower,
                                       IdxCache cache) {
        CourseData data;
        if (Files.isDirectory(path)) {
            data = IdxFolder.load(path, name, classes, cache);
        } else if (!Files.exists(path)) {
            throw new DataFileException(path.toString(), "no such file or folder (looked for " + path.toAbsolutePath() + ")",
                    "Check the path, or give a dataset name such as fashion-mnist");
        } else if (lower.endsWith(".npz")) {
            data = CourseNpz.load(path, name, classes);
        } else if (lower.endsWith(".csv")) {
            data = CsvDataset.load(path, name, classes);
        } else {
            throw new DataFileException(path.toString(), "is neither an .npz file, a .csv file nor a folder of IDX files",
                    "Give the course's .npz, a CSV dataset, or the folder holding train-images-idx3-ubyte[.gz] and the other IDX files");
        }
        if (!testSplit.subsetFor(fileName)) return data;
        return new CourseData(data.name(), data.train(), data.dev(), TestSplit.octmnistSubset(data.test()), data.classes());
    }

    /** A short name for data at a path: the file name without its extension, or the folder's name. */
    static String nameOf(Path path) {
        Path fileName = path.toAbsolutePath().normalize().getFileName();
        String name = fileName == null ? path.toString() : fileName.toString();
        int dot = name.lastIndexOf('.');
        return Files.isDirectory(path) || dot <= 0 ? name : name.substring(0, dot);
    }
}
