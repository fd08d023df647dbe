package nnlab.tensor.ops;

import nnlab.tensor.Op;
import nnlab.tensor.Shape;
import nnlab.tensor.Tensor;
import nnlab.tensor.kernel.Gemm;

/**
 * C = A·B for A [..., m, k] and B [..., k, n], batched over the leading axes when both have the same
 * batch shape, or when one of them is a plain matrix (shared by every batch). dA = G·Bᵀ, dB = Aᵀ·G,
 * summed over the batches that shared the operand.
 */
final class MatMul extends Op {
    private Tensor a;
    private Tensor b;
    private int m, k, n, batches, batchesA, batchesB;

    @Override
    protected Tensor forward(Tensor... inputs) {
        a = inputs[0];
        b = inputs[1];
        if (a.dtype() != b.dtype()) {
            throw new IllegalArgumentException("matmul of " + a.dtype() + " " + a.shape() + " and " + b.dtype() + " "
                    + b.shape() + ": convert one with to(DType)");
        }
        if (a.rank() < 2 || b.rank() < 2) {
            throw new IllegalArgumentException("matmul needs matrices, got shapes " + a.shape() + " and " + b.shape());
        }
        m = a.dim(-2);
        k = a.dim(-1);
        n = b.dim(-1);
        if (b.dim(-2) != k) {
            throw new IllegalArgumentException("matmul: inner dimensions differ, " + a.shape() + " @ " + b.shape()
                    + " (" + k + " vs " + b.dim(-2) + ")");
        }
        batchesA = a.size() / Math.max(m * k, 1);
        batchesB = b.size() / Math.max(k * n, 1);
        int[] batchShape;
        if (a.rank() > 2 && b.rank() > 2) {
            if (!Shape.of(batchDims(a)).equals(Shape.of(batchDims(b)))) {
                throw new IllegalArgumentException("matmul: batch axes differ, " + a.shape() + " @ " + b.shape()
                        + "; they must be equal, or one operand a plain matrix");
            }
            batchShape = batchDims(a);
        } else {
            batchShape = a.rank() > 2 ? batchDims(a) : batchDims(b);
        }
        batches = Math.max(batchesA, batchesB);
        int[] dims = new int[batchShape.length + 2];
        System.arraycopy(batchShape, 0, dims, 0, batchShape.length);
        dims[dims.length - 2] = m;
        dims[dims.length - 1] = n;
        Tensor c = Tensor.zeros(a.dtype(), Shape.of(dims));
        if (batchesB == 1) {
            // A stack of matrices times one matrix is a single tall product.
            gemm(false, false, batchesA * m, n, k, a, 0, b, 0, c, 0, false);
        } else {
            for (int i = 0; i < batches; i++) {
                gemm(false, false, m, n, k, a, batchesA == 1 ? 0 : i * m * k, b, i * k * n, c, i * m * n, false);
            }
        }
        return c;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor ga = null, gb = null;
        if (needsGrad(0)) {
            ga = Tensor.zeros(a.dtype(), a.shape());
            if (batchesB == 1) {
                gemm(false, true, batchesA * m, k, n, g, 0, b, 0, ga, 0, false);
            } else {
                for (int i = 0; i < batches; i++) {
                    gemm(false, true, m, k, n, g, i * m * n, b, i * k * n, ga, batchesA == 1 ? 0 : i * m * k, true);
                }
            }
        }
        if (needsGrad(1)) {
            gb = Tensor.zeros(b.dtype(), b.shape());
            if (batchesB == 1) {
                gemm(true, false, k, n, batchesA * m, a, 0, g, 0, gb, 0, false);
            } else {
                for (int i = 0; i < batches; i++) {
                    gemm(true, false, k, n, m, a, batchesA == 1 ? 0 : i * m * k, g, i * m * n, gb, i * k * n, true);
                }
            }
        }
        return new Tensor[] {ga, gb};
    }

    private static int[] batchDims(Tensor t) {
        int[] dims = t.dims();
        return java.util.Arrays.copyOf(dims, dims.length - 2);
    }

    private static void gemm(boolean transA, boolean transB, int m, int n, int k, Tensor a, int aOffset,
                             Tensor b, int bOffset, Tensor c, int cOffset, boolean accumulate) {
        switch (c.dtype()) {
            case FLOAT32 -> Gemm.sgemm(transA, transB, m, n, k, a.floatData(), aOffset, b.floatData(), bOffset,
                    c.floatData(), cOffset, accumulate);
            case FLOAT64 -> Gemm.dgemm(transA, transB, m, n, k, a.doubleData(), aOffset, b.doubleData(), bOffset,
                    c.doubleData(), cOffset, accumulate);
        }
    }
}
