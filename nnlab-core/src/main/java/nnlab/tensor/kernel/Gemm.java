package nnlab.tensor.kernel;

/**
 * Matrix products. C (+)= op(A)·op(B), row-major. op(A) is m×k: A is stored m×k, or k×m when
 * {@code transA}. op(B) is k×n: B is stored k×n, or n×k when {@code transB}. C is m×n and is
 * overwritten unless {@code accumulate}.
 */
public final class Gemm {
    private Gemm() {}

    public static void sgemm(boolean transA, boolean transB, int m, int n, int k,
                             float[] a, int aOffset, float[] b, int bOffset,
                             float[] c, int cOffset, boolean accumulate) {
        for (int i = 0; i < m; i++) {
            int row = cOffset + i * n;
            if (!accumulate) java.util.Arrays.fill(c, row, row + n, 0f);
            for (int p = 0; p < k; p++) {
                float aip = transA ? a[aOffset + p * m + i] : a[aOffset + i * k + p];
                if (aip == 0f) continue;
                if (transB) {
                    for (int j = 0; j < n; j++) c[row + j] += aip * b[bOffset + j * k + p];
                } else {
                    int bRow = bOffset + p * n;
                    for (int j = 0; j < n; j++) c[row + j] += aip * b[bRow + j];
                }
            }
        }
    }

    public static void dgemm(boolean transA, boolean transB, int m, int n, int k,
                             double[] a, int aOffset, double[] b, int bOffset,
                             double[] c, int cOffset, boolean accumulate) {
        for (int i = 0; i < m; i++) {
            int row = cOffset + i * n;
            if (!accumulate) java.util.Arrays.fill(c, row, row + n, 0.0);
            for (int p = 0; p < k; p++) {
                double aip = transA ? a[aOffset + p * m + i] : a[aOffset + i * k + p];
                if (transB) {
                    for (int j = 0; j < n; j++) c[row + j] += aip * b[bOffset + j * k + p];
                } else {
                    int bRow = bOffset + p * n;
                    for (int j = 0; j < n; j++) c[row + j] += aip * b[bRow + j];
                }
            }
        }
    }
}
