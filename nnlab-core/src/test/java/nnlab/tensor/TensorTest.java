package nnlab.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TensorTest {

    @Test
    void broadcastingFollowsNumpy() {
        Tensor a = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor row = Tensor.of(new float[] {10, 20, 30}, 3);
        Tensor col = Tensor.of(new float[] {100, 200}, 2, 1);
        assertArrayEquals(new float[] {11, 22, 33, 14, 25, 36}, a.add(row).toFloatArray());
        assertArrayEquals(new float[] {101, 102, 103, 204, 205, 206}, a.add(col).toFloatArray());
        assertEquals(Shape.of(2, 3), col.add(row).shape());
        assertArrayEquals(new float[] {2, 4, 6, 8, 10, 12}, a.mul(2).toFloatArray());
    }

    @Test
    void incompatibleShapesNameBothShapes() {
        Tensor a = Tensor.zeros(2, 3), b = Tensor.zeros(4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.add(b));
        assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[4]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> a.matmul(Tensor.zeros(2, 5)));
        assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[2, 5]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> a.add(Tensor.zeros(DType.FLOAT64, Shape.of(3))));
        assertTrue(e.getMessage().contains("float32") && e.getMessage().contains("float64"), e.getMessage());
    }

    @Test
    void matmulMatchesHandComputation() {
        Tensor a = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor b = Tensor.of(new double[] {7, 8, 9, 10, 11, 12}, 3, 2);
        assertArrayEquals(new double[] {58, 64, 139, 154}, a.matmul(b).toDoubleArray());
        Tensor batch = Tensor.of(new double[] {1, 2, 3, 4, 5, 6, 1, 0, 0, 0, 1, 0}, 2, 2, 3);
        Tensor c = batch.matmul(b);
        assertEquals(Shape.of(2, 2, 2), c.shape());
        assertArrayEquals(new double[] {58, 64, 139, 154, 7, 8, 9, 10}, c.toDoubleArray());
        Tensor v = Tensor.of(new double[] {1, 1, 1}, 3);
        assertArrayEquals(new double[] {6, 15}, a.matmul(v).toDoubleArray());
        assertEquals(Shape.of(2), v.matmul(b).shape());
    }

    @Test
    void reductionsAlongAxes() {
        Tensor a = Tensor.of(new double[] {1, 5, 3, 4, 2, 6}, 2, 3);
        assertArrayEquals(new double[] {5, 7, 9}, a.sum(0).toDoubleArray());
        assertArrayEquals(new double[] {9, 12}, a.sum(1).toDoubleArray());
        assertEquals(Shape.of(2, 1), a.sum(-1, true).shape());
        assertArrayEquals(new double[] {3, 4}, a.mean(1).toDoubleArray());
        assertEquals(3.5, a.mean().item());
        assertArrayEquals(new double[] {5, 6}, a.max(1).toDoubleArray());
        assertArrayEquals(new int[] {1, 2}, a.argmax(1));
        assertArrayEquals(new int[] {1, 0, 1}, a.argmax(0));
    }

    @Test
    void argmaxTakesTheFirstOfTiedMaxima() {
        Tensor a = Tensor.of(new float[] {0, 3, 3, 1, 1, 1}, 2, 3);
        assertArrayEquals(new int[] {1, 0}, a.argmax(-1));
    }

    @Test
    void logSoftmaxIsStableForHugeLogits() {
        Tensor x = Tensor.of(new float[] {1000, 0, -1000}, 1, 3);
        float[] y = x.logSoftmax(1).toFloatArray();
        assertEquals(0f, y[0], 1e-6);
        assertEquals(-1000f, y[1], 1e-3);
        assertEquals(-2000f, y[2], 1e-3);
        double[] p = Tensor.of(new double[] {1, 2, 3}, 3).softmax(0).toDoubleArray();
        double z = Math.exp(1) + Math.exp(2) + Math.exp(3);
        assertArrayEquals(new double[] {Math.exp(1) / z, Math.exp(2) / z, Math.exp(3) / z}, p, 1e-15);
    }

    @Test
    void reshapeInfersOneDimensionAndSharesStorage() {
        Tensor a = Tensor.arange(6);
        Tensor b = a.reshape(2, -1);
        assertEquals(Shape.of(2, 3), b.shape());
        a.set(42, 0);
        assertEquals(42, b.get(0, 0));
        assertThrows(IllegalArgumentException.class, () -> a.reshape(4, -1));
    }

    @Test
    void transposeSlicesAndGathers() {
        Tensor a = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, a.transpose().toFloatArray());
        assertEquals(Shape.of(3, 2), a.transpose().shape());
        assertArrayEquals(new float[] {4, 5, 6}, a.sliceRows(1, 2).toFloatArray());
        assertArrayEquals(new float[] {4, 5, 6, 1, 2, 3, 4, 5, 6}, a.indexSelect(new int[] {1, 0, 1}).toFloatArray());
        assertArrayEquals(new float[] {3, 4}, a.gather(new int[] {2, 0}).toFloatArray());
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> a.gather(new int[] {3, 0}));
        assertTrue(e.getMessage().contains("3"), e.getMessage());
    }

    @Test
    void comparisonsGiveZerosAndOnes() {
        Tensor a = Tensor.of(new float[] {1, 2, 3}, 3);
        assertArrayEquals(new float[] {0, 0, 1}, a.gt(2).toFloatArray());
        assertArrayEquals(new float[] {0, 1, 0}, a.eq(Tensor.of(new float[] {0, 2, 0}, 3)).toFloatArray());
        assertFalse(a.gt(2).requiresGrad());
    }

    @Test
    void gradientsAccumulateAcrossBackwardPassesUntilZeroed() {
        Tensor w = Tensor.of(new double[] {1, 2}, 2).requiresGrad(true);
        w.mul(w).sum().backward();
        assertArrayEquals(new double[] {2, 4}, w.grad().toDoubleArray());
        w.mul(3).sum().backward();
        assertArrayEquals(new double[] {5, 7}, w.grad().toDoubleArray());
        w.zeroGrad();
        assertArrayEquals(new double[] {0, 0}, w.grad().toDoubleArray());
    }

    /**
     * A linear layer writes its weight's and bias's gradient straight into their grad: after
     * zeroGrad() it must overwrite the stale values, without it add to them, and a weight used by two
     * layers (or by a layer and another op) must get the sum of every use, in float32 and float64.
     */
    @Test
    void gradientsWrittenStraightIntoALeafAccumulateAsAnyOther() {
        for (DType type : DType.values()) {
            Tensor w = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3).to(type).requiresGrad(true);
            Tensor b = Tensor.of(new double[] {0.5, -1}, 2).to(type).requiresGrad(true);
            Tensor x = Tensor.of(new double[] {1, 0, 2, -1, 3, 1}, 2, 3).to(type);
            Tensor h = x.linear(w, b);                       // [2, 2]
            // w again, through a plain op: d/dw sum(w*w) = 2w
            h.sum().add(w.mul(w).sum()).backward();
            // d sum(x·wᵀ + b) / dw[j, i] = Σ_r x[r, i]; d/db[j] = rows
            double[] once = {0 + 2, 3 + 4, 3 + 6, 0 + 8, 3 + 10, 3 + 12};
            assertArrayEquals(once, w.grad().toDoubleArray(), 1e-6, type + ": two uses of w");
            assertArrayEquals(new double[] {2, 2}, b.grad().toDoubleArray(), 1e-6);
            x.linear(w, b).sum().backward();                 // no zeroGrad: adds Σ_r x once more
            assertArrayEquals(new double[] {2, 10, 12, 8, 16, 18}, w.grad().toDoubleArray(), 1e-6, type + ": accumulated");
            assertArrayEquals(new double[] {4, 4}, b.grad().toDoubleArray(), 1e-6);
            w.zeroGrad();
            b.zeroGrad();
            x.linear(w, b).sum().backward();                 // after zeroGrad: the new gradient alone
            assertArrayEquals(new double[] {0, 3, 3, 0, 3, 3}, w.grad().toDoubleArray(), 1e-6, type + ": after zeroGrad");
            assertArrayEquals(new double[] {2, 2}, b.grad().toDoubleArray(), 1e-6);
            w.zeroGrad();
            w.mul(2).sum().backward();                       // after zeroGrad, through the engine's own accumulation
            assertArrayEquals(new double[] {2, 2, 2, 2, 2, 2}, w.grad().toDoubleArray(), 1e-6);
        }
    }

    @Test
    void aTensorUsedTwiceGetsTheSumOfBothGradients() {
        Tensor x = Tensor.of(new double[] {3}, 1).requiresGrad(true);
        Tensor y = x.mul(x).add(x.exp()); // dy/dx = 2x + e^x
        y.sum().backward();
        assertEquals(6 + Math.exp(3), x.grad().item(), 1e-12);
    }

    @Test
    void backwardWithAnExplicitUpstreamGradient() {
        Tensor x = Tensor.of(new double[] {1, 2, 3}, 3).requiresGrad(true);
        x.mul(x).backward(Tensor.of(new double[] {1, 10, 100}, 3));
        assertArrayEquals(new double[] {2, 40, 600}, x.grad().toDoubleArray());
    }

    @Test
    void backwardNeedsAScalarOrAGradient() {
        Tensor x = Tensor.ones(2).requiresGrad(true);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> x.mul(2).backward());
        assertTrue(e.getMessage().contains("[2]"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> Tensor.ones(1).backward());
    }

    @Test
    void noGradScopeRecordsNothingAndNests() {
        Tensor w = Tensor.ones(2).requiresGrad(true);
        try (var outer = Autograd.noGrad()) {
            try (var inner = Autograd.noGrad()) {
                assertFalse(w.mul(2).requiresGrad());
            }
            assertFalse(Autograd.isEnabled());
        }
        assertTrue(Autograd.isEnabled());
        assertTrue(w.mul(2).requiresGrad());
    }

    @Test
    void detachSharesValuesButLeavesTheGraph() {
        Tensor w = Tensor.ones(2).requiresGrad(true);
        Tensor y = w.mul(2);
        Tensor d = y.detach();
        assertFalse(d.requiresGrad());
        assertNull(d.gradFn());
        assertArrayEquals(y.toFloatArray(), d.toFloatArray());
    }

    @Test
    void aChainOfTenThousandOpsDoesNotOverflowTheStack() {
        Tensor x = Tensor.of(new double[] {1}, 1).requiresGrad(true);
        Tensor y = x;
        for (int i = 0; i < 10_000; i++) y = y.mul(1.0001);
        y.sum().backward();
        assertEquals(Math.pow(1.0001, 10_000), x.grad().item(), 1e-9);
    }

    @Test
    void float32AndFloat64AgreeAndConvert() {
        SplittableRandom rng = new SplittableRandom(3);
        Tensor a = Tensor.randn(rng, 4, 5), b = Tensor.randn(rng, 5, 3);
        double[] single = a.matmul(b).relu().toDoubleArray();
        double[] twice = a.to(DType.FLOAT64).matmul(b.to(DType.FLOAT64)).relu().toDoubleArray();
        assertArrayEquals(twice, single, 1e-5);
        assertSame(a, a.to(DType.FLOAT32));
    }

    @Test
    void creationChecksLengths() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tensor.of(new float[5], 2, 3));
        assertTrue(e.getMessage().contains("[2, 3]"), e.getMessage());
        assertEquals(Shape.of(), Tensor.scalar(2).shape());
        assertEquals(2.0, Tensor.scalar(2).item());
        assertArrayEquals(new float[] {7, 7}, Tensor.full(7, 2).toFloatArray());
        Tensor rows = Tensor.of(new float[][] {{1, 2, 3}, {4, 5, 6}});
        assertEquals(Shape.of(2, 3), rows.shape());
        assertEquals(DType.FLOAT32, rows.dtype());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, rows.toFloatArray());
        e = assertThrows(IllegalArgumentException.class, () -> Tensor.of(new float[][] {{1, 2}, {3}}));
        assertTrue(e.getMessage().contains("row 1 has 1 values, row 0 has 2"), e.getMessage());
        var examples = nnlab.data.Examples.classification(new float[][] {{1, 2}, {3, 4}, {5, 6}}, new int[] {0, 1, 0});
        assertEquals(3, examples.n());
        assertEquals(2, examples.features());
        e = assertThrows(IllegalArgumentException.class,
                () -> nnlab.data.Examples.classification(new float[][] {{1, 2}, {3, 4}}, new int[] {0}));
        assertTrue(e.getMessage().contains("2 rows of features but 1 labels"), e.getMessage());
    }

    @Test
    void broadcastingHelpersRefuseShapesThatDoNotBroadcast() {
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(1, 4).broadcastTo(Shape.of(3, 1)));
        assertTrue(e.getMessage().contains("[1, 4]") && e.getMessage().contains("[3, 1]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).sumTo(Shape.of(3, 3)));
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).sumTo(Shape.of(2)));
        assertArrayEquals(new float[] {2, 2, 2}, Tensor.ones(2, 3).sumTo(Shape.of(1, 3)).toFloatArray());
        e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(6).reshape(-1, -1));
        assertTrue(e.getMessage().contains("only one"), e.getMessage());
    }

    @Test
    void noGradIsPerThreadAndClosingTwiceIsHarmless() throws Exception {
        Tensor w = Tensor.ones(2).requiresGrad(true);
        var scope = Autograd.noGrad();
        boolean[] otherThreadTracks = new boolean[1];
        Thread t = new Thread(() -> otherThreadTracks[0] = w.mul(2).requiresGrad());
        t.start();
        t.join();
        assertTrue(otherThreadTracks[0], "no-grad on one thread must not stop another from tracking");
        scope.close();
        scope.close();
        assertTrue(Autograd.isEnabled());
        try (var outer = Autograd.noGrad()) {
            Autograd.noGrad().close();
            assertFalse(Autograd.isEnabled(), "closing an inner scope keeps the outer one");
        }
    }

    @Test
    void float32GradientsOfABatchedNetworkAgreeWithFloat64() {
        SplittableRandom rng = new SplittableRandom(8);
        Tensor x = Tensor.randn(rng, 64, 784), w1 = Tensor.randn(rng, 200, 784).mul(0.05), b1 = Tensor.randn(rng, 200),
                w2 = Tensor.randn(rng, 10, 200).mul(0.1);
        Tensor[] single = {w1.copy().requiresGrad(true), b1.copy().requiresGrad(true), w2.copy().requiresGrad(true)};
        Tensor[] twice = {w1.to(DType.FLOAT64).requiresGrad(true), b1.to(DType.FLOAT64).requiresGrad(true),
                w2.to(DType.FLOAT64).requiresGrad(true)};
        int[] labels = new int[64];
        for (int i = 0; i < 64; i++) labels[i] = i % 10;
        for (Tensor[] p : new Tensor[][] {single, twice}) {
            Tensor in = p[0].dtype() == DType.FLOAT32 ? x : x.to(DType.FLOAT64);
            in.linear(p[0], p[1]).tanh().matmul(p[2].transpose()).logSoftmax(1).gather(labels).neg().mean().backward();
        }
        for (int k = 0; k < 3; k++) {
            double[] a = single[k].grad().toDoubleArray(), b = twice[k].grad().toDoubleArray();
            double scale = 0;
            for (double v : b) scale = Math.max(scale, Math.abs(v));
            for (int i = 0; i < a.length; i++) assertEquals(b[i], a[i], 1e-4 * scale, "parameter " + k + " element " + i);
        }
    }
}
