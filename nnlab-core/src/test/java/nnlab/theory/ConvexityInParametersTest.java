package nnlab.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import nnlab.random.Rng;
import org.junit.jupiter.api.Test;

/** Question 1.5 and 2.1 (2021-22): linear models are convex in (W, b); a tanh MLP is not. */
class ConvexityInParametersTest {
    @Test
    void squaredLossOfALinearModelIsConvexInWAndB() {
        LinearModelConvexity.Result r = LinearModelConvexity.check(LinearModelConvexity.Loss.SQUARED, new Rng(5), 4);
        SecondOrder.Result d = r.derivatives();
        assertEquals(8, d.points().get(0).at().length, "θ = (W ∈ ℝ^{2×3}, b ∈ ℝ²)");
        assertTrue(d.gradientPassed(), d.gradientAutogradError() + " / " + d.gradientNumericalError());
        assertTrue(d.hessianPassed(), d.hessianAutogradError() + " / " + d.hessianNumericalError());
        // the Hessian (1/N) Σ JᵀJ does not depend on θ and, with N = 6 > D + 1, is positive definite
        assertTrue(d.smallestFormulaEigenvalue() > 1e-3, "λmin " + d.smallestFormulaEigenvalue());
        assertTrue(r.passed());
    }

    @Test
    void logisticLossOfALinearModelIsConvexInWAndB() {
        LinearModelConvexity.Result r = LinearModelConvexity.check(LinearModelConvexity.Loss.LOGISTIC, new Rng(6), 4);
        SecondOrder.Result d = r.derivatives();
        assertTrue(d.gradientPassed(), d.gradientAutogradError() + " / " + d.gradientNumericalError());
        assertTrue(d.hessianPassed(), d.hessianAutogradError() + " / " + d.hessianNumericalError());
        assertTrue(d.smallestAutogradEigenvalue() >= -1e-7, "λmin autograd " + d.smallestAutogradEigenvalue());
        assertTrue(d.smallestNumericalEigenvalue() >= -1e-5, "λmin numerical " + d.smallestNumericalEigenvalue());
        // shifting every class's (w, b) by the same vector changes nothing: a zero eigenvalue, as in z
        assertEquals(0, d.smallestFormulaEigenvalue(), 1e-12);
        assertTrue(r.passed());
    }

    @Test
    void aOneHiddenLayerMlpHasNegativeCurvature() {
        MlpNonConvexity.Result r = MlpNonConvexity.check(new Rng(7));
        assertTrue(r.autogradSmallest() < -1e-3, "λmin autograd " + r.autogradSmallest());
        assertTrue(r.numericalSmallest() < -1e-3, "λmin numerical " + r.numericalSmallest());
        assertTrue(r.hessianAgreement().maxAbsError() <= 1e-5, "Hessians: " + r.hessianAgreement());
        assertEquals(r.autogradSmallest(), r.curvatureAlongDirection(), 1e-4 * Math.max(1, Math.abs(r.autogradSmallest())),
                "second difference along the eigenvector");
        assertTrue(r.midpointGap() > 0, "L(mid) − (L(a) + L(b))/2 = " + r.midpointGap());
        assertTrue(r.passed());
    }
}
