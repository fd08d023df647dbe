package nnlab.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The course's two {@code .npz} layouts, loaded as the course's own loaders do.
 *
 * <ul>
 *   <li><b>Features</b> ({@code Fashion-MNIST.npz}, {@code ames.npz}): keys {@code Xtrain ytrain Xdev ydev
 *       Xtest ytest}; {@code Xdev}/{@code ydev} may both be absent (ames.npz has no dev split). X has
 *       shape (n, features) and is loaded as it is: these files store features already scaled.
 *       y has shape (n) or (n, 1); integer y are class labels, float y are regression targets.</li>
 *   <li><b>Images</b> ({@code octmnist.npz}, {@code intel_landscapes.npz}): keys {@code train_images
 *       train_labels val_images val_labels test_images test_labels}; the {@code val_} pair may both be
 *       absent. Images of shape (n, h, w) or (n, h, w, channels) become rows of h·w·channels values
 *       in C order, divided by 256 ({@code images.reshape(n, -1) / 256}); labels are squeezed and
 *       must be class numbers.</li>
 * </ul>
 */
final class CourseNpz {
    private static final List<String> FEATURES = List.of("Xtrain", "ytrain", "Xdev", "ydev", "Xtest", "ytest");
    private static final List<String> IMAGES = List.of("train_images", "train_labels", "val_images", "val_labels",
            "test_images", "test_labels");
    private static final double PIXEL_SCALE = 1.0 / 256;

    private CourseNpz() {
    }

    /**
     * Loads a course {@code .npz} file in either layout.
     *
     * @param classes the dataset's number of classes when known, to check the labels against, or 0
     */
    static CourseData load(Path file, String name, int classes) {
        String f = file.toString();
        Map<String, NdArray> arrays = Npz.read(file);
        boolean features = arrays.containsKey("Xtrain") || arrays.containsKey("Xtest");
        boolean images = arrays.containsKey("train_images") || arrays.containsKey("test_images");
        if (features == images) {
            throw new DataFileException(f, (features ? "mixes the two course layouts" : "is in neither course layout")
                    + ": it holds the arrays " + arrays.keySet(), "Save it with the keys " + String.join(" ", FEATURES)
                    + " (features, loaded as they are) or " + String.join(" ", IMAGES)
                    + " (uint8 images, divided by 256); the dev/val pair may be left out");
        }
        List<String> keys = features ? FEATURES : IMAGES;
        requireKeys(arrays, f, keys);
        double scale = features ? 1 : PIXEL_SCALE;
        Examples train = split(arrays, f, keys.get(0), keys.get(1), scale, features, classes);
        Examples dev = arrays.containsKey(keys.get(2)) ? split(arrays, f, keys.get(2), keys.get(3), scale, features, classes) : null;
        Examples test = split(arrays, f, keys.get(4), keys.get(5), scale, features, classes);
        return ExampleArrays.courseData(name, f, train, dev, test, classes);
    }

    private static void requireKeys(Map<String, NdArray> arrays, String file, List<String> keys) {
        for (int k = 0; k < keys.size(); k++) {
            boolean optional = k == 2 || k == 3;
            String key = keys.get(k);
            String partner = keys.get(k % 2 == 0 ? k + 1 : k - 1);
            if (!arrays.containsKey(key) && (!optional || arrays.containsKey(partner))) {
                throw new DataFileException(file, "lacks the array '" + key + "'" + (optional ? " that goes with '" + partner + "'" : "")
                        + "; the layout needs " + String.join(" ", keys) + " (the dev pair may be left out), and the file holds "
                        + arrays.keySet(), "Save the file again with every array of the layout");
            }
        }
    }

    private static Examples split(Map<String, NdArray> arrays, String file, String xKey, String yKey, double scale,
                                  boolean featuresLayout, int classes) {
        NdArray x = arrays.get(xKey);
        NdArray y = arrays.get(yKey);
        int n = featuresLayout
                ? ExampleArrays.rows(x, file, xKey, 2, 2, "this layout stores one row of features per example, shape (n, features)")
                : ExampleArrays.rows(x, file, xKey, 2, 5, "this layout stores images, shape (n, height, width) or (n, height, width, channels)");
        boolean regression = featuresLayout && y.dtype().startsWith("f");
        if (regression) return ExampleArrays.examples(x, null, scale, null, ExampleArrays.targets(y, file, yKey, xKey, n));
        Examples examples = ExampleArrays.examples(x, null, scale, ExampleArrays.labels(y, file, yKey, xKey, n, classes), null);
        int[] shape = x.shape();
        return featuresLayout || (shape.length != 3 && shape.length != 4) ? examples
                : examples.withImageShape(shape.length == 3 ? new ImageShape(1, shape[1], shape[2], false)
                        : new ImageShape(shape[3], shape[1], shape[2], true));
    }
}
