package nnlab.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Function;
import nnlab.nn.Parameter;
import nnlab.tensor.DType;
import nnlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Three steps of each optimiser on L(θ) = ½‖θ‖² + c·θ (so ∇L = θ + c) from θ = (1, −2, 0.5),
 * c = (0.3, −0.1, 0.2). Expected values were computed with PyTorch 1.13's torch.optim in float64;
 * the first SGD step by hand: θ − 0.1(θ + c) = (0.87, −1.79, 0.43).
 */
class OptimizerTest {
    private static final double[] C = {0.3, -0.1, 0.2};

    private static double[][] run(Function<List<Parameter>, Optimizer> make) {
        Parameter p = new Parameter(Tensor.of(new double[] {1, -2, 0.5}, 3));
        Optimizer opt = make.apply(List.of(p));
        double[][] out = new double[3][];
        for (int t = 0; t < 3; t++) {
            opt.zeroGrad();
            p.mul(p).sum().mul(0.5).add(p.mul(Tensor.of(C, 3)).sum()).backward();
            opt.step();
            out[t] = p.toDoubleArray();
        }
        return out;
    }

    private static void assertSteps(double[][] expected, double[][] actual) {
        for (int t = 0; t < expected.length; t++) assertArrayEquals(expected[t], actual[t], 1e-12, "step " + (t + 1));
    }

    @Test
    void plainSgd() {
        assertSteps(new double[][] {{0.87, -1.79, 0.43}, {0.753, -1.601, 0.367}, {0.6477, -1.4309, 0.3103}},
                run(ps -> new Sgd(ps, 0.1)));
    }

    @Test
    void sgdWithMomentumAndWeightDecay() {
        assertSteps(new double[][] {{0.869, -1.788, 0.4295}, {0.633331, -1.406612, 0.3026705},
                {0.327262469, -0.911294988, 0.1379542295}}, run(ps -> new Sgd(ps, 0.1, 0.9, 0.01)));
    }

    @Test
    void sgdWithDampening() {
        assertSteps(new double[][] {{0.87, -1.79, 0.43}, {0.6945, -1.5065, 0.3355}, {0.486825, -1.171025, 0.223675}},
                run(ps -> new Sgd(ps, 0.1, 0.9, 0.5, 0, false)));
    }

    @Test
    void sgdNesterov() {
        assertSteps(new double[][] {{0.734, -1.563, 0.3575}, {0.410194, -1.031033, 0.1840325},
                {0.075704054, -0.481513803, 0.0048414575}}, run(ps -> new Sgd(ps, 0.1, 0.9, 0, 0.1, true)));
    }

    @Test
    void adam() {
        assertSteps(new double[][] {{0.9000000007692308, -1.9000000004761906, 0.4000000014285714},
                {0.8002882717229167, -1.800156845945396, 0.3006944212199866},
                {0.7010947850695696, -1.7005866021149054, 0.2027434841941817}}, run(ps -> new Adam(ps, 0.1)));
    }

    @Test
    void adamWithL2() {
        assertSteps(new double[][] {{0.9000000007142857, -1.9000000004347826, 0.40000000133333335},
                {0.8002965114841725, -1.8001576770798835, 0.3007229753684697},
                {0.7011271039047182, -1.7005897709187545, 0.20286326596992155}}, run(ps -> new Adam(ps, 0.1, 0.1)));
    }

    @Test
    void adamW() {
        assertSteps(new double[][] {{0.8900000007692308, -1.8800000004761905, 0.3950000014285714},
                {0.7814275220348897, -1.7613964901890649, 0.2917984452802813},
                {0.6745286953745009, -1.6443210681922988, 0.19108526011440002}}, run(ps -> Adam.adamW(ps, 0.1, 0.1)));
    }

    @Test
    void float32SgdFastPathAgreesWithFloat64() {
        Parameter single = new Parameter(Tensor.of(new float[] {1, -2, 0.5f}, 3));
        Parameter twice = new Parameter(single.to(DType.FLOAT64).copy());
        for (Parameter p : List.of(single, twice)) {
            Optimizer opt = new Sgd(List.of(p), 0.1, 0, 0.01);
            p.mul(p).sum().backward();
            opt.step();
        }
        assertArrayEquals(twice.toDoubleArray(), single.toDoubleArray(), 1e-6);
    }

    /**
     * The float32 Adam update runs in SIMD lanes plus a scalar tail; every element must round exactly
     * as the scalar formula of the class comment does in float32 (37 elements: vector lanes and a
     * tail on any width), for Adam, Adam with L2 and AdamW, over several steps.
     */
    @Test
    void float32AdamRoundsElementByElementAsTheScalarFormula() {
        java.util.Random random = new java.util.Random(3);
        for (int variant = 0; variant < 3; variant++) {
            double lr = 0.01, lambda = variant == 0 ? 0 : 0.05;
            boolean decoupled = variant == 2;
            float[] start = new float[37];
            for (int i = 0; i < start.length; i++) start[i] = (float) random.nextGaussian();
            Parameter p = new Parameter(Tensor.of(start.clone(), start.length));
            Adam adam = new Adam(List.of(p), lr, 0.9, 0.999, 1e-8, lambda, decoupled);
            float[] theta = start.clone(), m = new float[37], v = new float[37];
            for (int t = 1; t <= 5; t++) {
                float[] grad = new float[37];
                for (int i = 0; i < grad.length; i++) grad[i] = (float) (random.nextGaussian() * (i % 5 == 0 ? 0 : 1));
                p.zeroGrad();
                p.mul(Tensor.of(grad, 37)).sum().backward();
                adam.step();
                float b1 = 0.9f, b2 = 0.999f, c1 = (float) (1 / (1 - Math.pow(0.9, t))), c2 = (float) (1 / (1 - Math.pow(0.999, t)));
                for (int i = 0; i < 37; i++) {
                    float th = theta[i], g = grad[i];
                    if (decoupled) th *= (float) (1 - lr * lambda);
                    else g += (float) lambda * th;
                    m[i] = Optimizer.flushSubnormal(b1 * m[i] + (1 - b1) * g);
                    v[i] = Optimizer.flushSubnormal(b2 * v[i] + (1 - b2) * g * g);
                    theta[i] = th - (float) lr * (m[i] * c1) / ((float) Math.sqrt(v[i] * c2) + 1e-8f);
                }
                float[] got = p.toFloatArray();
                for (int i = 0; i < 37; i++) {
                    assertEquals(Float.floatToIntBits(theta[i]), Float.floatToIntBits(got[i]),
                            "variant " + variant + ", step " + t + ", element " + i + ": " + theta[i] + " vs " + got[i]);
                }
            }
        }
    }

    /**
     * The float32 SGD rule, with and without momentum, dampening, Nesterov and weight decay, rounds
     * element by element as the class comment's formula does in float32 (37 elements: SIMD lanes and
     * a scalar tail), whichever loop of the rule runs.
     */
    @Test
    void float32SgdRoundsElementByElementAsTheScalarFormula() {
        java.util.Random random = new java.util.Random(5);
        double[][] settings = {{0, 0, 0, 0}, {0, 0, 0.01, 0}, {0.9, 0, 0, 0}, {0.9, 0.2, 0, 0}, {0.9, 0, 0.01, 0},
                {0.9, 0, 0, 1}, {0.8, 0, 0.01, 1}};
        for (double[] c : settings) {
            float mu = (float) c[0], keep = (float) (1 - c[1]), decay = (float) c[2], lr = 0.05f;
            boolean nesterov = c[3] == 1;
            float[] start = new float[37];
            for (int i = 0; i < start.length; i++) start[i] = (float) random.nextGaussian();
            Parameter p = new Parameter(Tensor.of(start.clone(), start.length));
            Sgd sgd = new Sgd(List.of(p), lr, c[0], c[1], c[2], nesterov);
            float[] theta = start.clone(), b = new float[37];
            for (int t = 1; t <= 4; t++) {
                float[] grad = new float[37];
                for (int i = 0; i < grad.length; i++) grad[i] = (float) (random.nextGaussian() * (i % 5 == 0 ? 0 : 1));
                p.zeroGrad();
                p.mul(Tensor.of(grad, 37)).sum().backward();
                sgd.step();
                for (int i = 0; i < 37; i++) {
                    float g = grad[i] + decay * theta[i];
                    if (mu != 0) {
                        b[i] = t == 1 ? g : Optimizer.flushSubnormal(mu * b[i] + keep * g);
                        g = nesterov ? g + mu * b[i] : b[i];
                    }
                    theta[i] -= lr * g;
                }
                float[] got = p.toFloatArray();
                for (int i = 0; i < 37; i++) {
                    assertEquals(Float.floatToIntBits(theta[i]), Float.floatToIntBits(got[i]),
                            java.util.Arrays.toString(c) + ", step " + t + ", element " + i + ": " + theta[i] + " vs " + got[i]);
                }
            }
        }
    }

    /**
     * A piece whose gradient scale is 0 (a fused step's row of a unit switched off by ReLU or dropout)
     * moves the parameter and its state exactly as an explicit zero gradient does, for every rule.
     */
    @Test
    void aPieceWithZeroScaleUpdatesAsAZeroGradient() {
        java.util.Random random = new java.util.Random(8);
        List<java.util.function.Function<List<Parameter>, Optimizer>> rules = List.of(
                ps -> new Sgd(ps, 0.05), ps -> new Sgd(ps, 0.05, 0, 0.01), ps -> new Sgd(ps, 0.05, 0.9, 0),
                ps -> new Sgd(ps, 0.05, 0.9, 0.3, 0.01, false), ps -> new Sgd(ps, 0.05, 0.9, 0, 0, true),
                ps -> new Adam(ps, 0.01), ps -> new Adam(ps, 0.01, 0.01), ps -> Adam.adamW(ps, 0.01, 0.01));
        for (int r = 0; r < rules.size(); r++) {
            float[] start = new float[37];
            for (int i = 0; i < start.length; i++) start[i] = (float) random.nextGaussian();
            Parameter a = new Parameter(Tensor.of(start.clone(), 37)), b = new Parameter(Tensor.of(start.clone(), 37));
            Optimizer.Pieces pa = rules.get(r).apply(List.of(a)).pieces(a), pb = rules.get(r).apply(List.of(b)).pieces(b);
            for (int t = 1; t <= 5; t++) {
                float[] grad = new float[37], noise = new float[37];
                for (int i = 0; i < 37; i++) {
                    grad[i] = (float) random.nextGaussian();
                    noise[i] = (float) random.nextGaussian();
                }
                pa.advance();
                pb.advance();
                boolean zero = t % 2 == 0; // a real gradient on odd steps, so that state builds up
                pa.update(0, 37, zero ? 0f : 1f, zero ? noise : grad, 0);
                pb.update(0, 37, 1f, zero ? new float[37] : grad, 0);
                assertArrayEquals(b.toFloatArray(), a.toFloatArray(), 0f, "rule " + r + ", step " + t);
            }
        }
    }

    /**
     * Momentum skips the chunks of its buffer known to be 0 when a piece's gradient is zero: over a
     * long run of zero-gradient rows (the buffer decays and is flushed to 0), then real gradients
     * again, parameters and buffer stay bit for bit those of explicit zero gradients, on pieces that
     * start on a vector boundary and pieces that do not.
     */
    @Test
    void momentumSkipsZeroBufferChunksWithoutChangingAnything() {
        java.util.Random random = new java.util.Random(11);
        int n = 5 * 64 + 7;
        float[] start = new float[n];
        for (int i = 0; i < n; i++) start[i] = (float) random.nextGaussian();
        Parameter a = new Parameter(Tensor.of(start.clone(), n)), b = new Parameter(Tensor.of(start.clone(), n));
        Sgd sa = new Sgd(List.of(a), 1e-3, 0.9, 0), sb = new Sgd(List.of(b), 1e-3, 0.9, 0);
        Optimizer.Pieces pa = sa.pieces(a), pb = sb.pieces(b);
        int[] cuts = {0, 64, 128, 131, 200, 256, n}; // pieces on and off vector boundaries
        // Zero gradients from step 292 to 1400: the buffer falls below float's normal range (0.9^k < 2^-126
        // from about k = 830) and is flushed, so chunks become known zeros; then one real gradient, which
        // must unmark them, and zero gradients again.
        for (int t = 1; t <= 1500; t++) {
            boolean real = t == 1 || t == 1401 || t % 97 == 0 && t < 300;
            float[] grad = new float[n];
            if (real) for (int i = 0; i < n; i++) grad[i] = (float) random.nextGaussian();
            pa.advance();
            pb.advance();
            for (int c = 0; c + 1 < cuts.length; c++) {
                int from = cuts[c], count = cuts[c + 1] - from;
                pa.update(from, count, real ? 1f : 0f, real ? grad : start, from);
            }
            pb.update(0, n, 1f, grad, 0);
            assertArrayEquals(b.toFloatArray(), a.toFloatArray(), 0f, "parameters, step " + t);
            assertArrayEquals(sb.momentumBuffer(b), sa.momentumBuffer(a), 0f, "buffer, step " + t);
        }
    }

    /** Moments that decay below float's normal range become zero (flush-to-zero), and only they. */
    @Test
    void float32AdamFlushesSubnormalMomentsToZero() {
        assertEquals(0f, Optimizer.flushSubnormal(Float.MIN_NORMAL / 2));
        assertEquals(0f, Optimizer.flushSubnormal(-Float.MIN_VALUE));
        assertEquals(Float.MIN_NORMAL, Optimizer.flushSubnormal(Float.MIN_NORMAL));
        assertEquals(-1e-30f, Optimizer.flushSubnormal(-1e-30f));
        // A gradient that is nonzero once, then zero: m decays by 0.9 a step and must reach exactly 0
        // as soon as it leaves the normal range, in the SIMD lanes and the scalar tail alike.
        Parameter p = new Parameter(Tensor.of(new float[37], 37));
        Adam adam = new Adam(List.of(p), 1e-3);
        Adam.Pieces pieces = adam.pieces(p);
        float[] once = new float[37];
        java.util.Arrays.fill(once, 1e-3f);
        float[] none = new float[37];
        for (int step = 0; step < 900; step++) {
            pieces.advance();
            pieces.update(0, 37, 1f, step == 0 ? once : none, 0);
            float[] m = adam.firstMoment(p);
            for (int i = 0; i < 37; i++) {
                // m = 1e-4·0.9^step: normal until step 741, then flushed to 0 (unflushed, it would stay
                // subnormal and nonzero until about step 896)
                assertTrue(m[i] == 0 || Math.abs(m[i]) >= Float.MIN_NORMAL, "subnormal m at step " + step + ", element " + i);
                if (step < 735) assertTrue(m[i] != 0, "m flushed too early at step " + step);
                if (step > 745) assertEquals(0f, m[i], "step " + step);
            }
        }
    }

    @Test
    void float32MomentumBuffersAreFlushedToZeroToo() {
        Parameter p = new Parameter(Tensor.of(new float[] {1, 2, 3}, 3));
        Sgd sgd = new Sgd(List.of(p), 1e-3, 0.9, 0);
        for (int step = 0; step < 900; step++) {
            p.zeroGrad();
            p.mul(Tensor.of(step == 0 ? new float[] {1e-4f, 1e-4f, 1e-4f} : new float[3], 3)).sum().backward();
            sgd.step();
            for (float b : sgd.momentumBuffer(p)) {
                assertTrue(b == 0 || Math.abs(b) >= Float.MIN_NORMAL, "subnormal momentum at step " + step);
                if (step > 745) assertEquals(0f, b, "step " + step);
            }
        }
    }

    @Test
    void piecewiseAdamUpdatesNeedAdvanceAndStayInRange() {
        Parameter p = new Parameter(Tensor.of(new float[] {1, 2, 3}, 3));
        Adam.Pieces pieces = new Adam(List.of(p), 0.1).pieces(p);
        assertThrows(IllegalStateException.class, () -> pieces.update(0, 3, 1f, new float[3], 0));
        pieces.advance();
        assertThrows(IndexOutOfBoundsException.class, () -> pieces.update(1, 3, 1f, new float[3], 0));
        Parameter d = new Parameter(Tensor.of(new double[] {1}, 1));
        assertThrows(IllegalArgumentException.class, () -> new Adam(List.of(d), 0.1).pieces(d));
    }

    @Test
    void invalidHyperparametersAreRejectedWithTheirValue() {
        List<Parameter> ps = List.of(new Parameter(Tensor.zeros(2)));
        var e = assertThrows(IllegalArgumentException.class, () -> new Sgd(ps, -0.1));
        assertTrue(e.getMessage().contains("-0.1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Sgd(ps, 0.1, -0.5, 0));
        assertTrue(e.getMessage().contains("-0.5"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Sgd(ps, 0.1, 0, 0, 0, true));
        e = assertThrows(IllegalArgumentException.class, () -> new Adam(ps, 0.1, 1.0, 0.999, 1e-8, 0, false));
        assertTrue(e.getMessage().contains("1.0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Adam(ps, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new Sgd(List.of(), 0.1));
    }

    @Test
    void parametersWithoutGradientsAreLeftAlone() {
        Parameter used = new Parameter(Tensor.of(new double[] {1}, 1));
        Parameter unused = new Parameter(Tensor.of(new double[] {5}, 1));
        Optimizer opt = new Sgd(List.of(used, unused), 0.5, 0.9, 0);
        used.mul(used).sum().backward();
        opt.step();
        assertEquals(0.0, used.item(), 1e-15);
        assertEquals(5.0, unused.item());
    }

    @Test
    void schedulesArePureFunctionsOfTheStep() {
        var step = Schedules.step(0.1, 10, 0.5);
        assertEquals(0.1, step.applyAsDouble(9), 1e-15);
        assertEquals(0.05, step.applyAsDouble(10), 1e-15);
        assertEquals(0.025, step.applyAsDouble(25), 1e-15);
        assertEquals(0.1 * Math.pow(0.9, 3), Schedules.exponential(0.1, 0.9).applyAsDouble(3), 1e-15);
        var cosine = Schedules.cosine(0.1, 100, 0.001);
        assertEquals(0.1, cosine.applyAsDouble(0), 1e-15);
        assertEquals(0.0505, cosine.applyAsDouble(50), 1e-12);
        assertEquals(0.001, cosine.applyAsDouble(100), 1e-15);
        assertEquals(0.05, step.applyAsDouble(17), 1e-15);
    }
}
