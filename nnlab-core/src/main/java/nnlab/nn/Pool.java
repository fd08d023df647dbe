package nnlab.nn;

/** The argument checks the pooling layers share. */
final class Pool {
    private Pool() {}

    static void check(String layer, int kernelSize, int stride, int padding) {
        if (kernelSize <= 0 || stride <= 0 || padding < 0 || 2 * padding > kernelSize) {
            throw new IllegalArgumentException(layer + " needs kernel_size and stride >= 1 and padding in [0, kernel_size/2], got "
                    + "kernel_size=" + kernelSize + ", stride=" + stride + ", padding=" + padding);
        }
    }
}
