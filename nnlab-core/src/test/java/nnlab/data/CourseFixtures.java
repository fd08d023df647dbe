package nnlab.data;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small datasets in the course's layouts, generated for the loader and resolver tests. */
final class CourseFixtures {
    private CourseFixtures() {
    }

    /**
     * uint8 images of shape (n, rows, columns[, channels]) whose first two pixels spell the image's
     * index (i mod 256, i / 256), so a test can tell which image ended up where; the other pixels
     * follow (i + 7k) mod 256.
     */
    static NdArray images(int n, int... imageShape) {
        int size = 1;
        for (int d : imageShape) size *= d;
        byte[] pixels = new byte[n * size];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < size; k++) pixels[i * size + k] = (byte) ((i + 7 * k) % 256);
            pixels[i * size] = (byte) (i % 256);
            pixels[i * size + 1] = (byte) (i / 256);
        }
        int[] shape = new int[imageShape.length + 1];
        shape[0] = n;
        System.arraycopy(imageShape, 0, shape, 1, imageShape.length);
        return new NdArray("u1", shape, pixels);
    }

    /** The index spelled by the first two pixels of a row of {@link #images} after division by 256. */
    static int imageIndex(Examples examples, int row) {
        double[] x = examples.x();
        int d = examples.features();
        return (int) Math.round(x[row * d] * 256) + 256 * (int) Math.round(x[row * d + 1] * 256);
    }

    /** uint8 labels of shape (n) or (n, 1): label i is {@code (i * step + offset) % classes}. */
    static NdArray labels(int n, int classes, int step, int offset, boolean column) {
        byte[] y = new byte[n];
        for (int i = 0; i < n; i++) y[i] = (byte) ((i * step + offset) % classes);
        return column ? NdArray.ofBytes(y, n, 1) : NdArray.ofBytes(y, n);
    }

    /** An images-layout .npz (as octmnist.npz): 28x28 grey images, labels of shape (n, 1). */
    static Path imagesNpz(Path file, int nTrain, int nVal, int nTest, int classes) {
        Map<String, NdArray> arrays = new LinkedHashMap<>();
        arrays.put("train_images", images(nTrain, 28, 28));
        arrays.put("train_labels", labels(nTrain, classes, 1, 0, true));
        arrays.put("val_images", images(nVal, 28, 28));
        arrays.put("val_labels", labels(nVal, classes, 1, 1, true));
        arrays.put("test_images", images(nTest, 28, 28));
        arrays.put("test_labels", labels(nTest, classes, 1, 2, true));
        Npz.write(file, arrays, true);
        return file;
    }

    /**
     * A folder of the four MNIST-style IDX files: nTrain and nTest images of 5x4 pixels, label i
     * = (i + offset) mod 10; the label files are gzipped, the image files raw when {@code rawImages}.
     */
    static Path idxFolder(Path folder, int nTrain, int nTest, int offset, boolean rawImages) {
        List<String> names = IdxFolder.FILES;
        Idx.write(folder.resolve(names.get(0) + (rawImages ? "" : ".gz")), images(nTrain, 5, 4), !rawImages);
        Idx.write(folder.resolve(names.get(1) + ".gz"), labels(nTrain, 10, 1, offset, false), true);
        Idx.write(folder.resolve(names.get(2) + (rawImages ? "" : ".gz")), images(nTest, 5, 4), !rawImages);
        Idx.write(folder.resolve(names.get(3) + ".gz"), labels(nTest, 10, 1, offset, false), true);
        return folder;
    }
}
