package nnlab.data;

/**
 * A dataset split as the course's loaders return it: train, dev (null where the course has none,
 * as for ames.npz) and test.
 *
 * @param name    a short name for reports ({@code fashion-mnist}, {@code ames}, …)
 * @param classes number of classes, 0 for regression
 */
public record CourseData(String name, Examples train, Examples dev, Examples test, int classes) {
    /**
     * The same splits batched as images [b, channels, height, width] (for convolutional networks):
     * examples loaded from image files keep their shape; rows of a square number of features with no
     * shape of their own (the course's Fashion-MNIST.npz, 784 = 28×28) are read as one-channel square
     * images, as the course's {@code x.view(-1, 1, 28, 28)} does.
     *
     * @throws IllegalArgumentException if the examples are not images and not square
     */
    public CourseData asImages() {
        ImageShape shape = train.imageShape();
        if (shape == null) {
            int side = (int) Math.round(Math.sqrt(train.features()));
            if (side * side != train.features()) {
                throw new IllegalArgumentException("dataset '" + name + "' is not images: its " + train.features()
                        + " features have no image shape and are not a square number (a convolutional network needs images; "
                        + "use an image dataset such as fashion-mnist, octmnist or intel-landscapes)");
            }
            shape = new ImageShape(1, side, side, false);
        }
        ImageShape s = shape;
        java.util.function.UnaryOperator<Examples> images = e -> e == null ? null
                : (e.imageShape() != null ? e : e.withImageShape(s)).asImages();
        return new CourseData(name, images.apply(train), images.apply(dev), images.apply(test), classes);
    }

    /** The same splits with a bias column of ones appended (for the linear models). */
    public CourseData withBias() {
        return new CourseData(name, train.withBias(), dev == null ? null : dev.withBias(), test.withBias(), classes);
    }
}
