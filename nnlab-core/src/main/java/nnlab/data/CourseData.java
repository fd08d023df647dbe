package nnlab.data;

/**
 * A dataset split as the course's loaders return it: train, dev (null where the course has none,
 * as for ames.npz) and test.
 *
 * @param name    a short name for reports ({@code fashion-mnist}, {@code ames}, …)
 * @param classes number of classes, 0 for regression
 */
public record CourseData(String name, Examples train, Examples dev, Examples test, int classes) {
    /** The same splits with a bias column of ones appended (for the linear models). */
    public CourseData withBias() {
        return new CourseData(name, train.withBias(), dev == null ? null : dev.withBias(), test.withBias(), classes);
    }
}
