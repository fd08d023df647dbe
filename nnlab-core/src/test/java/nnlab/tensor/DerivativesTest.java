package nnlab.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Function;
import nnlab.tensor.Derivatives.Comparison;
import org.junit.jupiter.api.Test;

/** Derivatives against closed forms and against PyTorch (torch.autograd.functional, float64). */
class DerivativesTest {
    /** f(x) = Σ tanh(xᵢ)²·x₀ + exp(x₁x₂). */
    private static final Function<Tensor, Tensor> F = x -> x.tanh().pow(2).sum().mul(x.sliceRows(0, 1).sum())
            .add(x.sliceRows(1, 2).mul(x.sliceRows(2, 3)).exp().sum());
    private static final Tensor AT = Tensor.of(new double[] {0.3, -1.2, 0.7});
    /** torch.autograd.functional.hessian(f, [0.3, -1.2, 0.7]). */
    private static final double[] TORCH_HESSIAN = {
            1.4756555882332458, -0.5085626501382733, 0.7672323100919166,
            -0.5085626501382733, 0.0129811175868203, 0.0690736837486528,
            0.7672323100919166, 0.0690736837486528, 0.5851854705229038};

    @Test
    void elementwiseDerivativeOfCube() {
        Tensor x = Tensor.of(new double[] {-2, -0.5, 0, 1.5});
        double[] expected = {12, 0.75, 0, 6.75};
        assertArrayEquals(expected, Derivatives.derivative(t -> t.pow(3), x).toDoubleArray(), 1e-12);
        assertArrayEquals(expected, Derivatives.numericalDerivative(t -> t.pow(3), x).toDoubleArray(), 1e-8);
    }

    @Test
    void gradientOfQuadraticForm() {
        // f(x) = ½ xᵀMx with symmetric M: ∇f = Mx, ∇²f = M
        Tensor m = Tensor.of(new double[][] {{2, -1, 0}, {-1, 3, 1}, {0, 1, 4}});
        Function<Tensor, Tensor> f = x -> x.reshape(1, 3).matmul(m).matmul(x.reshape(3, 1)).sum().mul(0.5);
        Tensor x = Tensor.of(new double[] {1, -2, 0.5});
        double[] mx = {4, -6.5, 0};
        assertArrayEquals(mx, Derivatives.gradient(f, x).toDoubleArray(), 1e-12);
        assertArrayEquals(mx, Derivatives.numericalGradient(f, x).toDoubleArray(), 1e-8);
        assertArrayEquals(m.toDoubleArray(), Derivatives.hessian(f, x).toDoubleArray(), 1e-8);
        assertArrayEquals(m.toDoubleArray(), Derivatives.numericalHessian(f, x).toDoubleArray(), 1e-6);
    }

    @Test
    void hessianMatchesPyTorch() {
        Tensor autograd = Derivatives.hessian(F, AT), numerical = Derivatives.numericalHessian(F, AT);
        assertEquals(java.util.List.of(3, 3), java.util.Arrays.stream(autograd.dims()).boxed().toList());
        Comparison a = Comparison.of(autograd.toDoubleArray(), TORCH_HESSIAN);
        Comparison n = Comparison.of(numerical.toDoubleArray(), TORCH_HESSIAN);
        assertTrue(a.maxAbsError() < 1e-9, "autograd Hessian vs torch: " + a);
        assertTrue(n.maxAbsError() < 1e-6, "numerical Hessian vs torch: " + n);
        // and the gradient, the central row of the same computation, agrees both ways
        Comparison g = Comparison.of(Derivatives.gradient(F, AT), Derivatives.numericalGradient(F, AT));
        assertTrue(g.maxAbsError() < 1e-9, "gradient: " + g);
    }

    @Test
    void jacobianOfSoftmaxMatchesPyTorch() {
        double[] torch = {0.1893442808115681, -0.01436331253979683, -0.17498096827177131,
                -0.01436331253979683, 0.05340684401320447, -0.03904353147340765,
                -0.17498096827177131, -0.03904353147340765, 0.2140244997451789};
        Tensor z = Tensor.of(new double[] {1, -0.5, 2});
        assertArrayEquals(torch, Derivatives.jacobian(t -> t.softmax(0), z).toDoubleArray(), 1e-15);
        assertArrayEquals(torch, Derivatives.numericalJacobian(t -> t.softmax(0), z).toDoubleArray(), 1e-9);
    }

    @Test
    void jacobianOfRectangularMapIsItsMatrix() {
        Tensor m = Tensor.of(new double[][] {{1, 2, 3}, {-4, 5, -6}});
        Function<Tensor, Tensor> f = x -> m.matmul(x.reshape(3, 1)).reshape(2);
        Tensor x = Tensor.of(new double[] {0.1, 0.2, 0.3});
        Tensor j = Derivatives.jacobian(f, x);
        assertArrayEquals(new int[] {2, 3}, j.dims());
        assertArrayEquals(m.toDoubleArray(), j.toDoubleArray(), 0);
        assertArrayEquals(m.toDoubleArray(), Derivatives.numericalJacobian(f, x).toDoubleArray(), 1e-9);
    }

    @Test
    void leavesTheCallersTensorAloneAndAcceptsFloat32() {
        Tensor x = Tensor.of(new float[] {0.5f, -1f, 2f});
        Derivatives.hessian(t -> t.pow(3).sum(), x);
        Derivatives.numericalHessian(t -> t.pow(3).sum(), x);
        assertArrayEquals(new float[] {0.5f, -1f, 2f}, x.floatData());
        assertFalse(x.requiresGrad());
        assertArrayEquals(new double[] {3, 0, 0, 0, -6, 0, 0, 0, 12},
                Derivatives.hessian(t -> t.pow(3).sum(), x).toDoubleArray(), 1e-8);
    }

    @Test
    void functionNotDependingOnXHasZeroDerivatives() {
        Tensor c = Tensor.of(new double[] {1, 2});
        Tensor x = Tensor.of(new double[] {3, 4});
        assertArrayEquals(new double[2], Derivatives.gradient(t -> c.sum(), x).toDoubleArray());
        assertArrayEquals(new double[4], Derivatives.jacobian(t -> c, x).toDoubleArray());
    }

    @Test
    void scalarFunctionsAreRequiredWhereTheyMakeSense() {
        Tensor x = Tensor.of(new double[] {1, 2});
        var e = assertThrows(IllegalArgumentException.class, () -> Derivatives.gradient(t -> t.mul(2), x));
        assertTrue(e.getMessage().contains("[2]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Derivatives.numericalHessian(t -> t.mul(2), x));
        assertThrows(IllegalArgumentException.class, () -> Derivatives.derivative(Tensor::sum, x));
    }

    @Test
    void comparisonReportsAbsoluteAndScaleRelativeErrors() {
        Comparison c = Comparison.of(new double[] {1.001, 0, -2}, new double[] {1, 1e-9, -2});
        assertEquals(0.001, c.maxAbsError(), 1e-12);
        assertEquals(0.0005, c.maxRelError(), 1e-12); // relative to max |expected| = 2
        assertTrue(c.within(1e-2, 0));
        assertTrue(c.within(0, 1e-3));
        assertFalse(c.within(1e-4, 1e-4));
        Comparison nan = Comparison.of(new double[] {Double.NaN, 1}, new double[] {0, 1});
        assertTrue(Double.isNaN(nan.maxAbsError()));
        assertFalse(nan.within(1, 1));
        assertThrows(IllegalArgumentException.class, () -> Comparison.of(new double[1], new double[2]));
    }
}
