package nnlab.data;

/**
 * Which test examples a loader keeps. Only OCTMNIST differs from "all of them": the 2023-24
 * course's {@code load_oct_data(eq_test_dist=False)}, the default its scripts use, keeps the first
 * 182, 55, 42 and 250 test examples of classes 0, 1, 2 and 3, stacked in class order (529 in all,
 * in the proportions of the training set), and {@code eq_test_dist=True} keeps the full balanced
 * test set of 1,000.
 */
public enum TestSplit {
    /**
     * The course subset for a file whose name starts with {@code octmnist} (any case; so also
     * for the catalogue's {@code octmnist}, whose file is {@code octmnist.npz}), all test
     * examples for any other file.
     */
    AUTO,
    /** The course subset (182/55/42/250 of classes 0–3), whatever the file is called. */
    OCTMNIST_SUBSET,
    /** Every test example, as {@code load_oct_data(eq_test_dist=True)}. */
    FULL;

    /** Per class, how many of the first test examples of classes 0–3 the OCTMNIST subset keeps. */
    static final int[] OCTMNIST_PER_CLASS = {182, 55, 42, 250};

    /** Whether to apply the OCTMNIST subset to a file or folder with this name. */
    boolean subsetFor(String fileName) {
        return switch (this) {
            case AUTO -> isOctmnist(fileName);
            case OCTMNIST_SUBSET -> true;
            case FULL -> false;
        };
    }

    /** Whether a file name marks OCTMNIST ({@code octmnist.npz}, {@code OCTMNIST_v2.npz}, ...). */
    static boolean isOctmnist(String fileName) {
        return fileName.toLowerCase(java.util.Locale.ROOT).startsWith("octmnist");
    }

    /**
     * The course's OCTMNIST test subset: the first {@link #OCTMNIST_PER_CLASS}[c] examples of each
     * class c = 0..3, class 0's first, each class in file order. Like numpy's slicing, a class with
     * fewer examples contributes all it has.
     */
    static Examples octmnistSubset(Examples test) {
        if (!test.isClassification()) {
            throw new IllegalArgumentException("the OCTMNIST test subset picks examples by class, but this test set "
                    + "holds regression targets: load it with TestSplit.FULL");
        }
        int[] rows = new int[test.n()];
        int count = 0;
        for (int c = 0; c < OCTMNIST_PER_CLASS.length; c++) {
            int taken = 0;
            for (int i = 0; i < test.n() && taken < OCTMNIST_PER_CLASS[c]; i++) {
                if (test.labels()[i] == c) {
                    rows[count++] = i;
                    taken++;
                }
            }
        }
        return test.select(java.util.Arrays.copyOf(rows, count));
    }
}
