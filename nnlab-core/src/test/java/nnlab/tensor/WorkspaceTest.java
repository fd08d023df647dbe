package nnlab.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** A step's tensors reuse the last step's storage, zeroed; nothing that must outlive a step is taken from it. */
class WorkspaceTest {
    private static final int BIG = Workspace.SMALL * 2;

    @Test
    void theSameSizesInTheSameOrderGetTheLastStepsArraysZeroed() {
        Workspace w = new Workspace();
        float[] first, second;
        int[] indices;
        try (var step = w.step()) {
            first = Tensor.zeros(BIG).fill(3).floatData();
            second = Tensor.zeros(BIG + 1).fill(4).floatData();
            indices = Workspace.ints(BIG);
            indices[7] = 9;
        }
        try (var step = w.step()) {
            float[] again = Tensor.zeros(BIG).floatData();
            assertSame(first, again);
            assertEquals(0, again[0]);
            assertEquals(0, again[BIG - 1]);
            assertSame(second, Tensor.zeros(BIG + 1).floatData());
            int[] ints = Workspace.ints(BIG);
            assertSame(indices, ints);
            assertEquals(0, ints[7]);
            // More than the last step asked for: new storage, kept for the next step.
            assertNotSame(first, Tensor.zeros(BIG).floatData());
        }
        assertEquals(3L * BIG + 1 + BIG, w.values());
    }

    @Test
    void anotherSizeAtAPlaceReplacesItsArrayAndSmallOrDoubleTensorsAndTensorsOutsideAStepAreNew() {
        Workspace w = new Workspace();
        float[] first;
        try (var step = w.step()) {
            first = Tensor.zeros(BIG).floatData();
        }
        try (var step = w.step()) {
            assertEquals(BIG - 1, Tensor.zeros(BIG - 1).floatData().length); // the smaller last batch of an epoch
        }
        try (var step = w.step()) {
            assertNotSame(first, Tensor.zeros(BIG).floatData());
            float[] small = Tensor.zeros(Workspace.SMALL - 1).floatData();
            assertNotSame(small, Tensor.zeros(Workspace.SMALL - 1).floatData());
            assertEquals(DType.FLOAT64, Tensor.zeros(DType.FLOAT64, Shape.of(BIG)).dtype());
        }
        assertNotSame(Tensor.zeros(BIG).floatData(), Tensor.zeros(BIG).floatData());
    }

    @Test
    void aLeafsGradientOutlivesTheStepThatMadeIt() {
        Workspace w = new Workspace();
        Tensor p = Tensor.full(1, BIG).requiresGrad(true);
        try (var step = w.step()) {
            p.mul(2).sum().backward();
        }
        float[] expected = new float[BIG];
        Arrays.fill(expected, 2);
        assertArrayEquals(expected, p.grad().floatData());
        try (var step = w.step()) {
            // The same requests as the first step, and some: none may land on p's gradient.
            Tensor q = Tensor.full(5, BIG).mul(Tensor.full(7, BIG));
            Tensor r = q.add(q).mul(q);
            assertEquals(70 * 35, r.floatData()[0]);
        }
        assertArrayEquals(expected, p.grad().floatData());
    }

    @Test
    void stepsDoNotNest() {
        Workspace w = new Workspace(), other = new Workspace();
        try (var step = w.step()) {
            assertThrows(IllegalStateException.class, w::step);
            assertThrows(IllegalStateException.class, other::step);
        }
        try (var step = other.step()) {
            assertEquals(0, Tensor.zeros(BIG).floatData()[0]);
        }
    }
}
