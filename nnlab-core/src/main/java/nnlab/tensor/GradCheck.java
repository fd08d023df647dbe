package nnlab.tensor;

import java.util.Arrays;
import java.util.function.Function;

/**
 * Checks autograd against float64 central differences. The function's output is reduced to a scalar
 * with fixed pseudo-random weights, L = Σ wᵢ·f(x)ᵢ, so every output element takes part; then for each
 * input element dL/dx ≈ (L(x + h) − L(x − h)) / 2h is compared with the gradient from {@code backward}.
 */
public final class GradCheck {
    /** Step of the central difference: its error is O(h²) ≈ 1e-12, well below the tolerances. */
    public static final double STEP = 1e-6;

    private GradCheck() {}

    /**
     * Outcome of a check: the largest absolute disagreement, the largest relative one among elements
     * whose numerical value exceeds atol (near zero only the absolute error means something) and, when
     * the check failed, a message naming the input, the element and both values.
     */
    public record Result(boolean passed, double maxAbsError, double maxRelError, String message) {}

    /**
     * Checks {@code f} at {@code inputs} (converted to float64). Passes when every element satisfies
     * |autograd − numerical| ≤ atol + rtol·|numerical|.
     */
    public static Result check(String name, Function<Tensor[], Tensor> f, double atol, double rtol, Tensor... inputs) {
        Tensor[] x = new Tensor[inputs.length];
        for (int i = 0; i < x.length; i++) x[i] = inputs[i].to(DType.FLOAT64).copy().requiresGrad(true);
        Tensor out = f.apply(x);
        Tensor weights = weightsFor(out.shape());
        Tensor loss = out.mul(weights).sum();
        if (!loss.requiresGrad()) {
            return new Result(false, Double.NaN, Double.NaN, name + ": the output does not depend on any input");
        }
        loss.backward();
        double maxAbs = 0, maxRel = 0;
        for (int i = 0; i < x.length; i++) {
            Tensor analytic = x[i].grad() == null ? Tensor.zeros(DType.FLOAT64, x[i].shape()) : x[i].grad();
            Tensor numeric = numericalGradient(xs -> f.apply(xs).mul(weights).sum().item(), x, i);
            for (int j = 0; j < x[i].size(); j++) {
                double a = analytic.getFlat(j), n = numeric.getFlat(j);
                double abs = Math.abs(a - n), rel = abs / Math.max(Math.abs(n), 1e-12);
                maxAbs = Math.max(maxAbs, abs);
                if (Math.abs(n) > atol) maxRel = Math.max(maxRel, rel); // relative error where it means something
                if (!(abs <= atol + rtol * Math.abs(n))) {
                    return new Result(false, abs, rel, String.format(
                            "%s: input %d of shape %s (inputs %s), element %s: autograd %.10g, numerical %.10g "
                                    + "(abs error %.3g > %.1g + %.1g·|numerical|)",
                            name, i, x[i].shape(), shapes(x), Arrays.toString(unravel(j, x[i].shape())), a, n,
                            abs, atol, rtol));
                }
            }
        }
        return new Result(true, maxAbs, maxRel, name + ": ok");
    }

    /** {@link #check(String, Function, double, double, Tensor...)} with atol 1e-6 and rtol 1e-5. */
    public static Result check(String name, Function<Tensor[], Tensor> f, Tensor... inputs) {
        return check(name, f, 1e-6, 1e-5, inputs);
    }

    /** Central-difference gradient of the scalar function {@code f} with respect to input {@code which}. */
    public static Tensor numericalGradient(Function<Tensor[], Double> f, Tensor[] inputs, int which) {
        Tensor[] x = new Tensor[inputs.length];
        for (int i = 0; i < x.length; i++) x[i] = inputs[i].to(DType.FLOAT64).detach().copy();
        Tensor g = Tensor.zeros(DType.FLOAT64, x[which].shape());
        try (var scope = Autograd.noGrad()) {
            for (int j = 0; j < g.size(); j++) {
                double v = x[which].getFlat(j);
                x[which].setFlat(j, v + STEP);
                double plus = f.apply(x);
                x[which].setFlat(j, v - STEP);
                double minus = f.apply(x);
                x[which].setFlat(j, v);
                g.setFlat(j, (plus - minus) / (2 * STEP));
            }
        }
        return g;
    }

    /** Weights 0.5…1.5 that vary from element to element, so a wrong index shows up as a wrong sum. */
    private static Tensor weightsFor(Shape shape) {
        Tensor w = Tensor.zeros(DType.FLOAT64, shape);
        for (int i = 0; i < w.size(); i++) w.setFlat(i, 1 + 0.5 * Math.sin(1.7 * i + 0.3));
        return w;
    }

    private static String shapes(Tensor[] x) {
        StringBuilder sb = new StringBuilder();
        for (Tensor t : x) sb.append(sb.isEmpty() ? "" : ", ").append(t.shape());
        return sb.toString();
    }

    private static int[] unravel(int flat, Shape shape) {
        int[] index = new int[shape.rank()];
        for (int i = shape.rank() - 1; i >= 0; i--) {
            index[i] = flat % shape.dim(i);
            flat /= shape.dim(i);
        }
        return index;
    }
}
