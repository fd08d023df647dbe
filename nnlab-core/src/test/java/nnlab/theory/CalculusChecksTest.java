package nnlab.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import nnlab.random.Rng;
import nnlab.tensor.DType;
import nnlab.tensor.Shape;
import nnlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Questions 1.1–1.4 (2021-22): σ′, the softmax Jacobian, and the logistic losses' gradients, Hessians and convexity. */
class CalculusChecksTest {
    @Test
    void sigmoidDerivativeIsSigmaTimesOneMinusSigma() {
        SigmoidDerivative.Result r = SigmoidDerivative.check(new Rng(1), 50);
        assertTrue(r.autogradError().maxAbsError() <= 1e-12, "autograd vs σ(1 − σ): " + r.autogradError());
        assertTrue(r.numericalError().maxAbsError() <= 1e-8, "numerical vs σ(1 − σ): " + r.numericalError());
        assertTrue(r.passed());
        // known values: σ′(0) = 1/4
        assertEquals(0.25, SigmoidDerivative.check(new double[] {0}).numerical()[0], 1e-10);
    }

    @Test
    void softmaxJacobianIsDiagPMinusPPTransposed() {
        SoftmaxJacobian.Result r = SoftmaxJacobian.check(new Rng(2), 5, 4);
        assertTrue(r.autogradError().maxAbsError() <= 1e-12, "autograd: " + r.autogradError());
        assertTrue(r.numericalError().maxAbsError() <= 1e-8, "numerical: " + r.numericalError());
        assertTrue(r.passed());
        // the columns of J sum to 0 (Σⱼ pⱼ = 1 for every z)
        Tensor j = r.points().get(0).autograd();
        for (int k = 0; k < 5; k++) {
            double column = 0;
            for (int i = 0; i < 5; i++) column += j.get(i, k);
            assertEquals(0, column, 1e-15);
        }
    }

    @Test
    void aWrongSoftmaxFormulaIsCaught() {
        // diag(p) alone, forgetting −ppᵀ: the check must not pass it
        double[] z = {0.5, -1, 2};
        double[] p = SoftmaxJacobian.softmax(z);
        Tensor wrong = Tensor.zeros(DType.FLOAT64, Shape.of(3, 3));
        for (int i = 0; i < 3; i++) wrong.set(p[i], i, i);
        Tensor right = SoftmaxJacobian.check(List.of(z)).points().get(0).autograd();
        assertTrue(nnlab.tensor.Derivatives.Comparison.of(wrong, right).maxAbsError() > 0.1);
    }

    @Test
    void binaryLogisticLossIsConvexInZ() {
        LogisticLoss.Result r = LogisticLoss.check(new Rng(3), 20);
        SecondOrder.Result d = r.derivatives();
        assertTrue(d.gradientAutogradError().maxAbsError() <= 1e-10, "L′ autograd: " + d.gradientAutogradError());
        assertTrue(d.gradientNumericalError().maxAbsError() <= 1e-7, "L′ numerical: " + d.gradientNumericalError());
        assertTrue(d.hessianAutogradError().maxAbsError() <= 1e-7, "L″ autograd: " + d.hessianAutogradError());
        assertTrue(d.hessianNumericalError().maxAbsError() <= 1e-5, "L″ numerical: " + d.hessianNumericalError());
        assertTrue(d.smallestFormulaEigenvalue() > 0, "σ(1 − σ) > 0, got " + d.smallestFormulaEigenvalue());
        assertTrue(r.passed());
        // y = +1 at z = 0: L′ = σ(0) − 1 = −½, L″ = ¼
        SecondOrder.Point p = LogisticLoss.check(new double[] {0}, new int[] {1}).derivatives().points().get(0);
        assertEquals(-0.5, p.gradientNumerical().item(), 1e-9);
        assertEquals(0.25, p.hessianNumerical().item(), 1e-6);
    }

    @Test
    void multinomialLossIsConvexWithTheNullDirectionOne() {
        MultinomialLoss.Result r = MultinomialLoss.check(new Rng(4), 4, 6);
        SecondOrder.Result d = r.derivatives();
        assertTrue(d.gradientPassed(), "p − e_y: " + d.gradientAutogradError() + " / " + d.gradientNumericalError());
        assertTrue(d.hessianPassed(), "diag(p) − ppᵀ: " + d.hessianAutogradError() + " / " + d.hessianNumericalError());
        assertTrue(d.smallestAutogradEigenvalue() >= -1e-7, "λmin autograd " + d.smallestAutogradEigenvalue());
        assertTrue(d.smallestNumericalEigenvalue() >= -1e-5, "λmin numerical " + d.smallestNumericalEigenvalue());
        assertTrue(r.largestNullEigenvalue() <= 1e-9, "|λmin| " + r.largestNullEigenvalue());
        assertTrue(r.worstNullAlignment() >= 1 - 1e-9, "|⟨v, 1/√K⟩| " + r.worstNullAlignment());
        assertTrue(r.smallestSecondEigenvalue() > 1e-9, "λ₂ " + r.smallestSecondEigenvalue());
        assertTrue(r.passed());
    }

    @Test
    void aNonConvexFunctionFailsTheConvexityTest() {
        // f(z) = −½‖z‖² handed in with its correct derivatives: everything agrees but λmin = −1
        Tensor gradient = Tensor.of(new double[] {-1, -2});
        Tensor hessian = Tensor.of(new double[][] {{-1, 0}, {0, -1}});
        SecondOrder.Result r = new SecondOrder.Result(List.of(
                SecondOrder.at(z -> z.pow(2).sum().mul(-0.5), new double[] {1, 2}, gradient, hessian)));
        assertTrue(r.gradientPassed() && r.hessianPassed());
        assertEquals(-1, r.smallestAutogradEigenvalue(), 1e-7);
        assertFalse(r.convexPassed());
        assertFalse(r.passed());
    }

    @Test
    void aWrongHessianFormulaFailsTheHessianTest() {
        // L″ = σ(1 − σ) replaced by σ: the three-way comparison must flag it
        double z = 0.7, s = 1 / (1 + Math.exp(-z));
        SecondOrder.Result r = new SecondOrder.Result(List.of(SecondOrder.at(LogisticLoss.loss(1), new double[] {z},
                Tensor.of(new double[] {s - 1}), Tensor.of(new double[] {s}, 1, 1))));
        assertTrue(r.gradientPassed());
        assertFalse(r.hessianPassed(), "wrong L″ passed: " + r.hessianAutogradError());
    }
}
