package nnlab.tensor.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import nnlab.tensor.DType;
import nnlab.tensor.OpSet;
import nnlab.tensor.Shape;
import nnlab.tensor.Tensor;

/**
 * The op registry: every differentiable primitive of {@link Tensor}, and the composites built from them
 * (sub, mean, softmax), together with {@link #registry()}, the list the gradient-check test walks.
 * An op that is not reachable from the registry fails that test.
 */
public final class Ops implements OpSet {

    @Override public Tensor add(Tensor a, Tensor b) { return new Add().apply(a, b); }
    @Override public Tensor linear(Tensor x, Tensor w, Tensor b) { return b == null ? new Linear().apply(x, w) : new Linear().apply(x, w, b); }
    @Override public Tensor sub(Tensor a, Tensor b) { return add(a, neg(b)); }
    @Override public Tensor mul(Tensor a, Tensor b) { return new Mul().apply(a, b); }
    @Override public Tensor div(Tensor a, Tensor b) { return new Div().apply(a, b); }
    @Override public Tensor neg(Tensor x) { return new Neg().apply(x); }
    @Override public Tensor exp(Tensor x) { return new Exp().apply(x); }
    @Override public Tensor log(Tensor x) { return new Log().apply(x); }
    @Override public Tensor tanh(Tensor x) { return new Tanh().apply(x); }
    @Override public Tensor sigmoid(Tensor x) { return new Sigmoid().apply(x); }
    @Override public Tensor relu(Tensor x) { return new Relu().apply(x); }
    @Override public Tensor abs(Tensor x) { return new Abs().apply(x); }
    @Override public Tensor sqrt(Tensor x) { return new Sqrt().apply(x); }
    @Override public Tensor softplus(Tensor x) { return new Softplus().apply(x); }
    @Override public Tensor binaryCrossEntropy(Tensor p, Tensor y) { return new BinaryCrossEntropy(y.detach()).apply(p); }
    @Override public Tensor pow(Tensor x, double exponent) { return new Pow(exponent).apply(x); }
    @Override public Tensor clamp(Tensor x, double min, double max) { return new Clamp(min, max).apply(x); }
    @Override public Tensor sum(Tensor x, int axis, boolean keepDim) { return new Sum(axis, keepDim).apply(x); }
    @Override public Tensor max(Tensor x, int axis, boolean keepDim) { return new Max(axis, keepDim).apply(x); }
    @Override public Tensor reshape(Tensor x, Shape shape) { return new Reshape(shape).apply(x); }
    @Override public Tensor transpose(Tensor x, int axis0, int axis1) { return new Transpose(axis0, axis1).apply(x); }
    @Override public Tensor sliceRows(Tensor x, int from, int to) { return new SliceRows(from, to).apply(x); }
    @Override public Tensor indexSelect(Tensor x, int[] rows) { return new IndexSelect(rows).apply(x); }
    @Override public Tensor gather(Tensor x, int[] columns) { return new Gather(columns).apply(x); }
    @Override public Tensor logSoftmax(Tensor x, int axis) { return new LogSoftmax(axis).apply(x); }
    @Override public Tensor softmax(Tensor x, int axis) { return exp(logSoftmax(x, axis)); }
    @Override public Tensor conv2d(Tensor x, Tensor w, Tensor b, int sh, int sw, int ph, int pw) {
        return b == null ? new Conv2d(sh, sw, ph, pw).apply(x, w) : new Conv2d(sh, sw, ph, pw).apply(x, w, b);
    }
    @Override public Tensor maxPool2d(Tensor x, int kh, int kw, int sh, int sw, int ph, int pw) {
        return new MaxPool2d(kh, kw, sh, sw, ph, pw).apply(x);
    }
    @Override public Tensor avgPool2d(Tensor x, int kh, int kw, int sh, int sw, int ph, int pw) {
        return new AvgPool2d(kh, kw, sh, sw, ph, pw).apply(x);
    }

    /** Composed of primitives (per-channel sums over [n, c, rest]); only BatchNorm layers run it, never a hot loop. */
    @Override
    public Tensor batchNorm(Tensor x, Tensor weight, Tensor bias, double eps) {
        if (x.rank() < 2) throw new IllegalArgumentException("batch_norm: input must be [batch, channels, ...], got " + x.shape());
        int n = x.dim(0), c = x.dim(1), rest = x.size() / Math.max(1, n * c);
        if ((long) n * rest < 2) {
            throw new IllegalArgumentException("batch_norm: expected more than 1 value per channel when training, got input "
                    + x.shape() + " (use a batch of 2 or more, or eval mode)");
        }
        Shape perChannel = Shape.of(1, c, 1);
        Tensor v = reshape(x, Shape.of(n, c, rest));
        Tensor count = Tensor.full(x.dtype(), 1.0 / ((double) n * rest), Shape.of());
        Tensor mean = mul(sum(sum(v, 2, true), 0, true), count);
        Tensor centered = sub(v, mean);
        Tensor variance = mul(sum(sum(mul(centered, centered), 2, true), 0, true), count);
        Tensor y = div(centered, sqrt(add(variance, Tensor.full(x.dtype(), eps, Shape.of()))));
        if (weight != null) y = mul(y, reshape(weight, perChannel));
        if (bias != null) y = add(y, reshape(bias, perChannel));
        return reshape(y, x.shape());
    }

    @Override
    public Tensor sum(Tensor x) {
        return sum(reshape(x, Shape.of(x.size())), 0, false);
    }

    @Override
    public Tensor mean(Tensor x) {
        return mul(sum(x), Tensor.full(x.dtype(), 1.0 / x.size(), Shape.of()));
    }

    @Override
    public Tensor mean(Tensor x, int axis, boolean keepDim) {
        return mul(sum(x, axis, keepDim), Tensor.full(x.dtype(), 1.0 / x.dim(axis), Shape.of()));
    }

    @Override
    public Tensor matmul(Tensor a, Tensor b) {
        // A vector is a row on the left and a column on the right, and that axis is dropped again.
        if (a.rank() == 1) return reshape(matmul(reshape(a, Shape.of(1, a.size())), b), dropAxis(a, b, -2));
        if (b.rank() == 1) return reshape(matmul(a, reshape(b, Shape.of(b.size(), 1))), dropAxis(a, b, -1));
        return new MatMul().apply(a, b);
    }

    private Shape dropAxis(Tensor a, Tensor b, int axis) {
        Tensor probe = a.rank() == 1 ? b : a;
        Shape result = probe.shape();
        int[] dims = result.dims();
        if (a.rank() == 1 && b.rank() == 1) return Shape.of();
        if (axis == -2) { // a was a row: result is b's shape without its row axis
            int[] out = new int[dims.length - 1];
            System.arraycopy(dims, 0, out, 0, dims.length - 2);
            out[out.length - 1] = dims[dims.length - 1];
            return Shape.of(out);
        }
        int[] out = new int[dims.length - 1]; // b was a column: result is a's shape without its column axis
        System.arraycopy(dims, 0, out, 0, dims.length - 1);
        return Shape.of(out);
    }

    // ---- the registry ------------------------------------------------------------------------------

    /** Every op with an input generator for its gradient check. */
    public static List<OpSpec> registry() {
        List<OpSpec> specs = new ArrayList<>();
        specs.add(new OpSpec("add", r -> pair(r, -1, 1, false), x -> x[0].add(x[1])));
        specs.add(new OpSpec("sub", r -> pair(r, -1, 1, false), x -> x[0].sub(x[1])));
        specs.add(new OpSpec("mul", r -> pair(r, -1, 1, false), x -> x[0].mul(x[1])));
        specs.add(new OpSpec("div", r -> pair(r, -1, 1, true), x -> x[0].div(x[1])));
        specs.add(new OpSpec("neg", r -> one(r, -1, 1), x -> x[0].neg()));
        specs.add(new OpSpec("exp", r -> one(r, -1.5, 1.5), x -> x[0].exp()));
        specs.add(new OpSpec("log", r -> one(r, 0.3, 2), x -> x[0].log()));
        specs.add(new OpSpec("tanh", r -> one(r, -2, 2), x -> x[0].tanh()));
        specs.add(new OpSpec("sigmoid", r -> one(r, -3, 3), x -> x[0].sigmoid()));
        specs.add(new OpSpec("relu", r -> awayFromZero(r, randomShape(r)), x -> x[0].relu()));
        specs.add(new OpSpec("abs", r -> awayFromZero(r, randomShape(r)), x -> x[0].abs()));
        specs.add(new OpSpec("softplus", r -> one(r, -4, 4), x -> x[0].softplus()));
        specs.add(new OpSpec("softplus at 0", r -> new Tensor[] {Tensor.zeros(DType.FLOAT64, Shape.of(3))}, x -> x[0].softplus()));
        specs.add(new OpSpec("binaryCrossEntropy", r -> one(r, 0.05, 0.95), x -> x[0].binaryCrossEntropy(targetsLike(x[0]))));
        specs.add(new OpSpec("sqrt", r -> one(r, 0.3, 2), x -> x[0].sqrt()));
        specs.add(new OpSpec("pow(3)", r -> one(r, -1.5, 1.5), x -> x[0].pow(3)));
        specs.add(new OpSpec("pow(0.5)", r -> one(r, 0.3, 2), x -> x[0].pow(0.5)));
        specs.add(new OpSpec("clamp(-0.5, 0.5)", r -> clampInputs(r, randomShape(r)), x -> x[0].clamp(-0.5, 0.5)));
        specs.add(new OpSpec("matmul", r -> {
            int m = 1 + r.nextInt(4), k = 1 + r.nextInt(5), n = 1 + r.nextInt(4);
            return new Tensor[] {uniform(r, Shape.of(m, k), -1, 1), uniform(r, Shape.of(k, n), -1, 1)};
        }, x -> x[0].matmul(x[1])));
        specs.add(new OpSpec("matmul batched", r -> {
            int bs = 1 + r.nextInt(3), m = 1 + r.nextInt(3), k = 1 + r.nextInt(4), n = 1 + r.nextInt(3);
            return new Tensor[] {uniform(r, Shape.of(bs, m, k), -1, 1), uniform(r, Shape.of(bs, k, n), -1, 1)};
        }, x -> x[0].matmul(x[1])));
        specs.add(new OpSpec("matmul batch by matrix", r -> {
            int bs = 2 + r.nextInt(2), m = 1 + r.nextInt(3), k = 1 + r.nextInt(4), n = 1 + r.nextInt(3);
            return r.nextBoolean()
                    ? new Tensor[] {uniform(r, Shape.of(bs, m, k), -1, 1), uniform(r, Shape.of(k, n), -1, 1)}
                    : new Tensor[] {uniform(r, Shape.of(m, k), -1, 1), uniform(r, Shape.of(bs, k, n), -1, 1)};
        }, x -> x[0].matmul(x[1])));
        specs.add(new OpSpec("matmul vector", r -> {
            int k = 1 + r.nextInt(5), n = 1 + r.nextInt(4);
            return new Tensor[] {uniform(r, Shape.of(k), -1, 1), uniform(r, Shape.of(k, n), -1, 1)};
        }, x -> x[0].matmul(x[1]).add(x[1].transpose().matmul(x[0]).sum())));
        specs.add(new OpSpec("linear", r -> {
            int bs = 1 + r.nextInt(4), in = 1 + r.nextInt(5), out = 1 + r.nextInt(4);
            return new Tensor[] {uniform(r, Shape.of(bs, in), -1, 1), uniform(r, Shape.of(out, in), -1, 1),
                    uniform(r, Shape.of(out), -1, 1)};
        }, x -> x[0].linear(x[1], x[2])));
        specs.add(new OpSpec("linear without bias, batched", r -> {
            int in = 1 + r.nextInt(5), out = 1 + r.nextInt(4);
            return new Tensor[] {uniform(r, Shape.of(2, 3, in), -1, 1), uniform(r, Shape.of(out, in), -1, 1)};
        }, x -> x[0].linear(x[1], null)));
        specs.add(new OpSpec("sum", r -> one(r, -1, 1), x -> x[0].sum()));
        specs.add(new OpSpec("sum(axis)", r -> one(r, -1, 1), x -> x[0].sum(axisOf(x[0]), x[0].size() % 2 == 0)));
        specs.add(new OpSpec("mean", r -> one(r, -1, 1), x -> x[0].mean()));
        specs.add(new OpSpec("mean(axis)", r -> one(r, -1, 1), x -> x[0].mean(-1, true)));
        specs.add(new OpSpec("max(axis)", r -> new Tensor[] {distinct(r, randomShape(r))},
                x -> x[0].max(axisOf(x[0]), x[0].size() % 2 == 1)));
        specs.add(new OpSpec("reshape", r -> one(r, -1, 1), x -> x[0].reshape(-1).mul(x[0].reshape(-1))));
        specs.add(new OpSpec("transpose", r -> new Tensor[] {uniform(r, Shape.of(2, 3, 1 + r.nextInt(3)), -1, 1)},
                x -> x[0].transpose(0, 2).mul(x[0].transpose(0, 2).exp())));
        specs.add(new OpSpec("sliceRows", r -> new Tensor[] {uniform(r, Shape.of(5, 1 + r.nextInt(3)), -1, 1)},
                x -> x[0].sliceRows(1, 4)));
        specs.add(new OpSpec("indexSelect", r -> new Tensor[] {uniform(r, Shape.of(4, 1 + r.nextInt(3)), -1, 1)},
                x -> x[0].indexSelect(new int[] {3, 0, 3, 1})));
        specs.add(new OpSpec("gather", r -> new Tensor[] {uniform(r, Shape.of(4, 3), -1, 1)},
                x -> x[0].gather(new int[] {2, 0, 1, 2})));
        specs.add(new OpSpec("logSoftmax", r -> one(r, -3, 3), x -> x[0].logSoftmax(axisOf(x[0]))));
        specs.add(new OpSpec("softmax", r -> one(r, -3, 3), x -> x[0].softmax(-1)));
        // Convolutions: batch 1–2, odd sizes, strides 1–3, padding 0–1 and non-square kernels.
        specs.add(new OpSpec("conv2d", r -> {
            int n = 1 + r.nextInt(2), c = 1 + r.nextInt(3), o = 1 + r.nextInt(3), kh = 1 + r.nextInt(3), kw = 1 + r.nextInt(3);
            return new Tensor[] {uniform(r, Shape.of(n, c, kh + r.nextInt(4), kw + r.nextInt(5)), -1, 1),
                    uniform(r, Shape.of(o, c, kh, kw), -1, 1), uniform(r, Shape.of(o), -1, 1)};
        }, x -> x[0].conv2d(x[1], x[2], 1 + x[0].dim(2) % 3, 1 + x[0].dim(3) % 2, x[1].dim(2) / 2, x[1].dim(3) % 2)));
        specs.add(new OpSpec("conv2d without bias, stride 2, padding 1", r -> {
            int c = 1 + r.nextInt(2);
            return new Tensor[] {uniform(r, Shape.of(1, c, 5 + r.nextInt(3), 4 + r.nextInt(3)), -1, 1),
                    uniform(r, Shape.of(2, c, 3, 3), -1, 1)};
        }, x -> x[0].conv2d(x[1], null, 2, 1)));
        specs.add(new OpSpec("maxPool2d", r -> new Tensor[] {
                distinct(r, Shape.of(1 + r.nextInt(2), 1 + r.nextInt(2), 2 + r.nextInt(4), 2 + r.nextInt(5)))},
                x -> x[0].maxPool2d(2)));
        specs.add(new OpSpec("maxPool2d 3x2, stride 2x1, padding 1x0", r -> new Tensor[] {
                distinct(r, Shape.of(2, 2, 3 + r.nextInt(3), 2 + r.nextInt(3)))},
                x -> x[0].maxPool2d(3, 2, 2, 1, 1, 0)));
        specs.add(new OpSpec("avgPool2d 3x2, stride 2x1, padding 1x1", r -> new Tensor[] {
                uniform(r, Shape.of(1 + r.nextInt(2), 1 + r.nextInt(2), 3 + r.nextInt(3), 2 + r.nextInt(3)), -1, 1)},
                x -> x[0].avgPool2d(3, 2, 2, 1, 1, 1)));
        specs.add(new OpSpec("batchNorm [n, c]", r -> new Tensor[] {uniform(r, Shape.of(3 + r.nextInt(3), 1 + r.nextInt(3)), -1, 1)},
                x -> x[0].batchNorm(null, null, 1e-5)));
        specs.add(new OpSpec("batchNorm [n, c, h, w] with weight and bias", r -> {
            int c = 1 + r.nextInt(3);
            return new Tensor[] {uniform(r, Shape.of(1 + r.nextInt(2), c, 2, 1 + r.nextInt(3)), -1, 1),
                    uniform(r, Shape.of(c), 0.5, 1.5), uniform(r, Shape.of(c), -1, 1)};
        }, x -> x[0].batchNorm(x[1], x[2], 1e-5)));
        return specs;
    }

    /** Constant targets in [0.1, 0.9] for a loss's gradient check (the loss is not differentiated in them). */
    private static Tensor targetsLike(Tensor x) {
        Tensor t = Tensor.zeros(x.dtype(), x.shape());
        for (int i = 0; i < t.size(); i++) t.setFlat(i, 0.5 + 0.4 * Math.sin(2.3 * i + 1));
        return t;
    }

    private static int axisOf(Tensor x) {
        return x.rank() == 0 ? 0 : (x.size() * 7919) % x.rank();
    }

    /** A shape of rank 1–3 with dimensions 1–4. */
    static Shape randomShape(RandomGenerator r) {
        int[] dims = new int[1 + r.nextInt(3)];
        for (int i = 0; i < dims.length; i++) dims[i] = 1 + r.nextInt(4);
        return Shape.of(dims);
    }

    private static Tensor[] one(RandomGenerator r, double lo, double hi) {
        return new Tensor[] {uniform(r, randomShape(r), lo, hi)};
    }

    /** Two operands whose shapes broadcast: the second drops leading axes and/or has some axes set to 1. */
    private static Tensor[] pair(RandomGenerator r, double lo, double hi, boolean secondAwayFromZero) {
        Shape s = randomShape(r);
        int[] dims = s.dims();
        int drop = r.nextInt(dims.length + 1);
        int[] other = new int[dims.length - drop];
        for (int i = 0; i < other.length; i++) {
            other[i] = r.nextInt(3) == 0 ? 1 : dims[i + drop];
        }
        Shape o = Shape.of(other);
        boolean swap = r.nextBoolean();
        Shape first = swap ? o : s, second = swap ? s : o;
        return new Tensor[] {uniform(r, first, lo, hi),
                secondAwayFromZero ? awayFromZero(r, second)[0] : uniform(r, second, lo, hi)};
    }

    static Tensor uniform(RandomGenerator r, Shape shape, double lo, double hi) {
        Tensor t = Tensor.zeros(DType.FLOAT64, shape);
        for (int i = 0; i < t.size(); i++) t.setFlat(i, lo + (hi - lo) * r.nextDouble());
        return t;
    }

    /** Values in ±[0.3, 1.5]: clear of the kinks of relu and abs, and of the pole of 1/x. */
    private static Tensor[] awayFromZero(RandomGenerator r, Shape shape) {
        Tensor t = Tensor.zeros(DType.FLOAT64, shape);
        for (int i = 0; i < t.size(); i++) t.setFlat(i, (r.nextBoolean() ? 1 : -1) * (0.3 + 1.2 * r.nextDouble()));
        return new Tensor[] {t};
    }

    /** Values in ±[0.1, 0.4] or ±[0.6, 1.5]: inside and outside clamp(−0.5, 0.5), clear of its edges. */
    private static Tensor[] clampInputs(RandomGenerator r, Shape shape) {
        Tensor t = Tensor.zeros(DType.FLOAT64, shape);
        for (int i = 0; i < t.size(); i++) {
            double magnitude = r.nextBoolean() ? 0.1 + 0.3 * r.nextDouble() : 0.6 + 0.9 * r.nextDouble();
            t.setFlat(i, (r.nextBoolean() ? 1 : -1) * magnitude);
        }
        return new Tensor[] {t};
    }

    /** Values at least 0.1 apart, so the maximum is not tied within a finite-difference step. */
    private static Tensor distinct(RandomGenerator r, Shape shape) {
        Tensor t = Tensor.zeros(DType.FLOAT64, shape);
        int n = t.size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
        for (int i = 0; i < n; i++) t.setFlat(i, 0.1 * order[i] - 0.05 * n + 0.01 * r.nextDouble());
        return t;
    }
}
