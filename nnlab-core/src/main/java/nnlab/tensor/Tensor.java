package nnlab.tensor;

import java.util.Arrays;
import java.util.ServiceLoader;
import java.util.random.RandomGenerator;
import nnlab.tensor.kernel.Elementwise;
import nnlab.tensor.kernel.Elementwise.Binary;
import nnlab.tensor.kernel.Reduce;

/**
 * An n-dimensional array of float32 or float64 numbers, stored contiguously in row-major order, that
 * can record the operations made on it and compute gradients by reverse-mode differentiation.
 *
 * <p>Arithmetic broadcasts as NumPy does. Operations never modify their operands; methods that do
 * say so in their name ({@code addInPlace}, {@code fill}). {@link #reshape} and {@link #detach} share
 * storage with the original, every other operation returns new storage.
 *
 * <pre>{@code
 * Tensor w = Tensor.randn(rng, 3, 2).requiresGrad(true);
 * Tensor loss = x.matmul(w).relu().sum();
 * loss.backward();          // w.grad() now holds d loss / d w
 * }</pre>
 */
public class Tensor {
    private static final OpSet OPS = ServiceLoader.load(OpSet.class, Tensor.class.getClassLoader()).findFirst()
            .orElseThrow(() -> new IllegalStateException("no nnlab.tensor.OpSet implementation on the class path "
                    + "(META-INF/services/nnlab.tensor.OpSet is missing from the nnlab-core jar)"));

    private final Shape shape;
    private final DType dtype;
    private final float[] f;
    private final double[] d;
    private boolean requiresGrad;
    private Tensor grad;
    /** zeroGrad() was called since grad was last written: its storage holds stale values that read as zeros. */
    private boolean gradIsZero;
    private Op gradFn;

    private Tensor(Shape shape, DType dtype, float[] f, double[] d) {
        this.shape = shape;
        this.dtype = dtype;
        this.f = f;
        this.d = d;
    }

    /** A tensor sharing {@code other}'s storage (for subclasses such as {@code Parameter}). */
    protected Tensor(Tensor other) {
        this(other.shape, other.dtype, other.f, other.d);
    }

    // ---- creation -------------------------------------------------------------------------------

    /** Zeros of the given type and shape (float32 storage from the thread's open {@link Workspace} step, if any). */
    public static Tensor zeros(DType dtype, Shape shape) {
        return dtype == DType.FLOAT32 ? new Tensor(shape, dtype, Workspace.floats(shape.size()), null) : lasting(dtype, shape);
    }

    /** Zeros that outlive any workspace step: a leaf's gradient is kept from step to step. */
    private static Tensor lasting(DType dtype, Shape shape) {
        return dtype == DType.FLOAT32
                ? new Tensor(shape, dtype, new float[shape.size()], null)
                : new Tensor(shape, dtype, null, new double[shape.size()]);
    }

    /** float32 zeros. */
    public static Tensor zeros(int... dims) {
        return zeros(DType.FLOAT32, Shape.of(dims));
    }

    /** float32 ones. */
    public static Tensor ones(int... dims) {
        return full(1, dims);
    }

    /** float32 tensor filled with {@code value}. */
    public static Tensor full(double value, int... dims) {
        return full(DType.FLOAT32, value, Shape.of(dims));
    }

    public static Tensor full(DType dtype, double value, Shape shape) {
        return zeros(dtype, shape).fill(value);
    }

    /** A float32 scalar (rank 0). */
    public static Tensor scalar(double value) {
        return full(DType.FLOAT32, value, Shape.of());
    }

    /** A float32 tensor holding a copy of {@code values}, laid out as {@code dims} (all of it when none given). */
    public static Tensor of(float[] values, int... dims) {
        Shape s = dims.length == 0 ? Shape.of(values.length) : Shape.of(dims);
        checkLength(values.length, s);
        return new Tensor(s, DType.FLOAT32, values.clone(), null);
    }

    /** A float64 tensor holding a copy of {@code values}, laid out as {@code dims} (all of it when none given). */
    public static Tensor of(double[] values, int... dims) {
        Shape s = dims.length == 0 ? Shape.of(values.length) : Shape.of(dims);
        checkLength(values.length, s);
        return new Tensor(s, DType.FLOAT64, null, values.clone());
    }

    /** A float32 matrix from rows of equal length (a copy): {@code float[n][d]} becomes [n, d]. */
    public static Tensor of(float[][] rows) {
        int cols = rows.length == 0 ? 0 : rows[0].length;
        float[] data = new float[rows.length * cols];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != cols) {
                throw new IllegalArgumentException("row " + i + " has " + rows[i].length + " values, row 0 has " + cols);
            }
            System.arraycopy(rows[i], 0, data, i * cols, cols);
        }
        return new Tensor(Shape.of(rows.length, cols), DType.FLOAT32, data, null);
    }

    /** A float64 matrix from rows of equal length. */
    public static Tensor of(double[][] rows) {
        int cols = rows.length == 0 ? 0 : rows[0].length;
        double[] data = new double[rows.length * cols];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != cols) {
                throw new IllegalArgumentException("row " + i + " has " + rows[i].length + " values, row 0 has " + cols);
            }
            System.arraycopy(rows[i], 0, data, i * cols, cols);
        }
        return new Tensor(Shape.of(rows.length, cols), DType.FLOAT64, null, data);
    }

    /** Wraps {@code values} without copying: later writes to the array show in the tensor. */
    public static Tensor wrap(float[] values, Shape shape) {
        checkLength(values.length, shape);
        return new Tensor(shape, DType.FLOAT32, values, null);
    }

    /** Wraps {@code values} without copying: later writes to the array show in the tensor. */
    public static Tensor wrap(double[] values, Shape shape) {
        checkLength(values.length, shape);
        return new Tensor(shape, DType.FLOAT64, null, values);
    }

    /** float32 values uniform in [0, 1) drawn from {@code rng}. */
    public static Tensor rand(RandomGenerator rng, int... dims) {
        Tensor t = zeros(dims);
        for (int i = 0; i < t.f.length; i++) t.f[i] = (float) rng.nextDouble();
        return t;
    }

    /** float32 values from the standard normal distribution drawn from {@code rng}. */
    public static Tensor randn(RandomGenerator rng, int... dims) {
        Tensor t = zeros(dims);
        for (int i = 0; i < t.f.length; i++) t.f[i] = (float) rng.nextGaussian();
        return t;
    }

    /** float32 [0, 1, …, n−1]. */
    public static Tensor arange(int n) {
        Tensor t = zeros(n);
        for (int i = 0; i < n; i++) t.f[i] = i;
        return t;
    }

    private static void checkLength(int length, Shape shape) {
        if (length != shape.size()) {
            throw new IllegalArgumentException(length + " values cannot fill shape " + shape
                    + " (" + shape.size() + " elements)");
        }
    }

    // ---- properties and element access ------------------------------------------------------------

    public Shape shape() {
        return shape;
    }

    /** The dimensions, outermost first (a copy). */
    public int[] dims() {
        return shape.dims();
    }

    /** Dimension along {@code axis} (negative counts from the end). */
    public int dim(int axis) {
        return shape.dim(axis);
    }

    public int rank() {
        return shape.rank();
    }

    /** Number of elements. */
    public int size() {
        return shape.size();
    }

    public DType dtype() {
        return dtype;
    }

    /** The storage of a float32 tensor, shared, not a copy. */
    public float[] floatData() {
        if (f == null) throw new IllegalStateException("floatData() on a " + dtype + " tensor; use doubleData() or to(FLOAT32)");
        return f;
    }

    /** The storage of a float64 tensor, shared, not a copy. */
    public double[] doubleData() {
        if (d == null) throw new IllegalStateException("doubleData() on a " + dtype + " tensor; use floatData() or to(FLOAT64)");
        return d;
    }

    /** Element at flat (row-major) position i. */
    public double getFlat(int i) {
        return f != null ? f[i] : d[i];
    }

    /** Sets the element at flat position i (modifies this tensor). */
    public void setFlat(int i, double value) {
        if (f != null) f[i] = (float) value;
        else d[i] = value;
    }

    /** Element at the given index. */
    public double get(int... index) {
        return getFlat(flatIndex(index));
    }

    /** Sets the element at the given index (modifies this tensor). */
    public Tensor set(double value, int... index) {
        setFlat(flatIndex(index), value);
        return this;
    }

    private int flatIndex(int[] index) {
        if (index.length != shape.rank()) {
            throw new IllegalArgumentException("index " + Arrays.toString(index) + " has " + index.length
                    + " coordinates, the tensor has shape " + shape);
        }
        int flat = 0;
        for (int i = 0; i < index.length; i++) {
            if (index[i] < 0 || index[i] >= shape.dim(i)) {
                throw new IndexOutOfBoundsException("index " + Arrays.toString(index) + " is outside shape " + shape);
            }
            flat = flat * shape.dim(i) + index[i];
        }
        return flat;
    }

    /** The value of a one-element tensor. */
    public double item() {
        if (size() != 1) throw new IllegalStateException("item() needs a one-element tensor, this one has shape " + shape);
        return getFlat(0);
    }

    /** The elements as doubles, row-major (a copy). */
    public double[] toDoubleArray() {
        if (d != null) return d.clone();
        double[] out = new double[f.length];
        for (int i = 0; i < f.length; i++) out[i] = f[i];
        return out;
    }

    /** The elements as floats, row-major (a copy). */
    public float[] toFloatArray() {
        if (f != null) return f.clone();
        float[] out = new float[d.length];
        for (int i = 0; i < d.length; i++) out[i] = (float) d[i];
        return out;
    }

    /** This tensor in another type (the same object when it already is; no gradient flows across). */
    public Tensor to(DType target) {
        if (target == dtype) return this;
        return target == DType.FLOAT32 ? new Tensor(shape, target, toFloatArray(), null)
                : new Tensor(shape, target, null, toDoubleArray());
    }

    /** A copy with its own storage, outside any graph. */
    public Tensor copy() {
        return f != null ? new Tensor(shape, dtype, f.clone(), null) : new Tensor(shape, dtype, null, d.clone());
    }

    // ---- in-place updates (for optimisers and initialisers; not recorded in the graph) -----------

    /** Sets every element to {@code value}; returns this. */
    public Tensor fill(double value) {
        if (f != null) Arrays.fill(f, (float) value);
        else Arrays.fill(d, value);
        return this;
    }

    /** this += alpha · x, elementwise, shapes equal; returns this. */
    public Tensor addInPlace(double alpha, Tensor x) {
        requireSameShape(x, "addInPlace");
        if (f != null && x.f != null) {
            float a = (float) alpha;
            for (int i = 0; i < f.length; i++) f[i] += a * x.f[i];
        } else {
            for (int i = 0; i < size(); i++) setFlat(i, getFlat(i) + alpha * x.getFlat(i));
        }
        return this;
    }

    /** this ·= alpha; returns this. */
    public Tensor mulInPlace(double alpha) {
        if (f != null) {
            float a = (float) alpha;
            for (int i = 0; i < f.length; i++) f[i] *= a;
        } else {
            for (int i = 0; i < d.length; i++) d[i] *= alpha;
        }
        return this;
    }

    /** Copies x's values into this tensor (shapes equal, types may differ); returns this. */
    public Tensor copyFrom(Tensor x) {
        requireSameShape(x, "copyFrom");
        if (f != null && x.f != null) System.arraycopy(x.f, 0, f, 0, f.length);
        else if (d != null && x.d != null) System.arraycopy(x.d, 0, d, 0, d.length);
        else for (int i = 0; i < size(); i++) setFlat(i, x.getFlat(i));
        return this;
    }

    private void requireSameShape(Tensor x, String what) {
        if (!shape.equals(x.shape)) {
            throw new IllegalArgumentException(what + ": shapes differ, " + shape + " vs " + x.shape);
        }
    }

    // ---- autograd ---------------------------------------------------------------------------------

    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** Marks this tensor as a leaf whose gradient {@link #backward()} should compute; returns this. */
    public Tensor requiresGrad(boolean value) {
        if (gradFn != null && !value) {
            throw new IllegalStateException("requiresGrad(false) on a tensor computed by " + gradFn.name()
                    + "; use detach() to get a tensor outside the graph");
        }
        this.requiresGrad = value;
        return this;
    }

    /** The accumulated gradient of a leaf, or null before any backward pass. */
    public Tensor grad() {
        if (gradIsZero) {
            grad.fill(0);
            gradIsZero = false;
        }
        return grad;
    }

    /**
     * Clears the accumulated gradient to zero, keeping its storage. The zeros are written lazily: the
     * next backward pass writes its gradient over the old values instead of adding to zeros (one pass
     * over the parameter instead of three), and {@link #grad()} fills in zeros if read before that.
     * A reference to the gradient taken before this call keeps showing the old values until then.
     */
    public void zeroGrad() {
        if (grad != null) gradIsZero = true;
    }

    /** Writes a gradient contribution into a leaf's {@code grad} storage; see {@link Op#writeLeafGradient}. */
    public interface GradientWriter {
        /** Writes into {@code destination} (its shape is the leaf's), adding to what is there when {@code accumulate}. */
        void write(Tensor destination, boolean accumulate);
    }

    /** Lets {@code writer} add this leaf's gradient contribution straight into its grad storage. */
    void writeGrad(GradientWriter writer) {
        if (grad == null) {
            grad = lasting(dtype, shape);
            writer.write(grad, false);
        } else {
            writer.write(grad, !gradIsZero);
        }
        gradIsZero = false;
    }

    /** The operation that computed this tensor, or null for a leaf or an untracked result. */
    public Op gradFn() {
        return gradFn;
    }

    /** True for tensors not computed by a tracked operation. */
    public boolean isLeaf() {
        return gradFn == null;
    }

    /** The same values, sharing storage, outside the graph. */
    public Tensor detach() {
        return new Tensor(shape, dtype, f, d);
    }

    /** Back-propagates from this one-element tensor (usually a loss) into the leaves' {@code grad}. */
    public void backward() {
        if (size() != 1) {
            throw new IllegalStateException("backward() needs a one-element output, this one has shape " + shape
                    + "; reduce it (sum, mean) or pass the upstream gradient with backward(gradient)");
        }
        backward(full(dtype, 1, shape));
    }

    /** Back-propagates {@code gradient} (d loss / d this, same shape) into the leaves' {@code grad}. */
    public void backward(Tensor gradient) {
        if (!requiresGrad) {
            throw new IllegalStateException("backward() on a tensor that does not require grad: no input of the "
                    + "computation had requiresGrad(true), or it ran inside Autograd.noGrad()");
        }
        if (!gradient.shape.equals(shape)) {
            throw new IllegalArgumentException("gradient of shape " + gradient.shape + " for a tensor of shape " + shape);
        }
        Autograd.backward(this, gradient.to(dtype));
    }

    void attach(Op op) {
        this.gradFn = op;
        this.requiresGrad = true;
    }

    void accumulateGrad(Tensor g) {
        if (grad == null) grad = lasting(dtype, shape);
        if (gradIsZero) grad.copyFrom(g);
        else grad.addInPlace(1, g);
        gradIsZero = false;
    }

    // ---- differentiable operations (see nnlab.tensor.ops for each one's forward and backward) ------

    /** this + other, broadcasting. */
    public Tensor add(Tensor other) { return OPS.add(this, other); }
    public Tensor add(double value) { return OPS.add(this, like(value)); }
    /** this − other, broadcasting. */
    public Tensor sub(Tensor other) { return OPS.sub(this, other); }
    public Tensor sub(double value) { return OPS.sub(this, like(value)); }
    /** this · other elementwise, broadcasting. */
    public Tensor mul(Tensor other) { return OPS.mul(this, other); }
    public Tensor mul(double value) { return OPS.mul(this, like(value)); }
    /** this / other elementwise, broadcasting. */
    public Tensor div(Tensor other) { return OPS.div(this, other); }
    public Tensor div(double value) { return OPS.div(this, like(value)); }
    public Tensor neg() { return OPS.neg(this); }
    public Tensor exp() { return OPS.exp(this); }
    /** Natural logarithm. */
    public Tensor log() { return OPS.log(this); }
    public Tensor tanh() { return OPS.tanh(this); }
    /** 1 / (1 + e^−x). */
    public Tensor sigmoid() { return OPS.sigmoid(this); }
    /** max(x, 0). */
    public Tensor relu() { return OPS.relu(this); }
    public Tensor abs() { return OPS.abs(this); }
    public Tensor sqrt() { return OPS.sqrt(this); }
    /** log(1 + eˣ), stable for large |x|; its derivative is the sigmoid. */
    public Tensor softplus() { return OPS.softplus(this); }
    /**
     * Elementwise −(y·log p + (1 − y)·log(1 − p)) of these probabilities against constant targets y
     * (logs clamped at −100, as PyTorch's BCELoss).
     */
    public Tensor binaryCrossEntropy(Tensor target) { return OPS.binaryCrossEntropy(this, target); }
    /** x^exponent elementwise. */
    public Tensor pow(double exponent) { return OPS.pow(this, exponent); }
    /** Each element limited to [min, max]; the gradient passes where min ≤ x ≤ max. */
    public Tensor clamp(double min, double max) { return OPS.clamp(this, min, max); }
    /**
     * Matrix product: [m, k]·[k, n] → [m, n]; batched over leading axes ([…, m, k]·[…, k, n]) when the
     * batch axes agree or one operand is a matrix; a vector operand is treated as a row or a column.
     */
    public Tensor matmul(Tensor other) { return OPS.matmul(this, other); }
    /**
     * The affine map of a linear layer, x·Wᵀ + b, fused: x is [..., in], weight [out, in] (PyTorch's
     * layout), bias [out] or null; the result is [..., out].
     */
    public Tensor linear(Tensor weight, Tensor bias) { return OPS.linear(this, weight, bias); }
    /** Sum of all elements (a scalar). */
    public Tensor sum() { return OPS.sum(this); }
    /** Sum along {@code axis}, removing it unless {@code keepDim}. */
    public Tensor sum(int axis, boolean keepDim) { return OPS.sum(this, axis, keepDim); }
    public Tensor sum(int axis) { return OPS.sum(this, axis, false); }
    /** Mean of all elements (a scalar). */
    public Tensor mean() { return OPS.mean(this); }
    public Tensor mean(int axis, boolean keepDim) { return OPS.mean(this, axis, keepDim); }
    public Tensor mean(int axis) { return OPS.mean(this, axis, false); }
    /** Maximum along {@code axis}; the gradient goes to the first maximal element. */
    public Tensor max(int axis, boolean keepDim) { return OPS.max(this, axis, keepDim); }
    public Tensor max(int axis) { return OPS.max(this, axis, false); }
    /** The same elements in another shape of equal size; one dimension may be −1 (inferred). Shares storage. */
    public Tensor reshape(int... dims) { return OPS.reshape(this, inferShape(dims)); }
    /** Swaps the last two axes (the matrix transpose). */
    public Tensor transpose() {
        if (rank() < 2) throw new IllegalArgumentException("transpose() needs at least 2 axes, shape is " + shape);
        return OPS.transpose(this, -2, -1);
    }
    public Tensor transpose(int axis0, int axis1) { return OPS.transpose(this, axis0, axis1); }
    /** Rows [from, to) along the first axis. */
    public Tensor sliceRows(int from, int to) { return OPS.sliceRows(this, from, to); }
    /** The rows at the given positions along the first axis, in that order (repeats allowed). */
    public Tensor indexSelect(int[] rows) { return OPS.indexSelect(this, rows); }
    /** For a matrix [n, c]: out[i] = this[i, columns[i]], shape [n] (picks each row's target class). */
    public Tensor gather(int[] columns) { return OPS.gather(this, columns); }
    /** log(softmax(x)) along {@code axis}, computed stably. */
    public Tensor logSoftmax(int axis) { return OPS.logSoftmax(this, axis); }
    public Tensor softmax(int axis) { return OPS.softmax(this, axis); }

    /**
     * 2-D convolution of this [n, c, h, w] with weight [o, c, kh, kw] and bias [o] (may be null):
     * [n, o, oh, ow] with oh = (h + 2·padH − kh)/strideH + 1 (floor), likewise ow.
     */
    public Tensor conv2d(Tensor weight, Tensor bias, int strideH, int strideW, int padH, int padW) {
        return OPS.conv2d(this, weight, bias, strideH, strideW, padH, padW);
    }

    /** {@link #conv2d(Tensor, Tensor, int, int, int, int)} with the same stride and padding on both axes. */
    public Tensor conv2d(Tensor weight, Tensor bias, int stride, int padding) {
        return OPS.conv2d(this, weight, bias, stride, stride, padding, padding);
    }

    /** Max pooling of this [n, c, h, w] over kernelH×kernelW windows (padding counts as −∞). */
    public Tensor maxPool2d(int kernelH, int kernelW, int strideH, int strideW, int padH, int padW) {
        return OPS.maxPool2d(this, kernelH, kernelW, strideH, strideW, padH, padW);
    }

    /** Max pooling over kernel×kernel windows moved by the kernel (PyTorch's {@code max_pool2d(x, k)}). */
    public Tensor maxPool2d(int kernel) {
        return OPS.maxPool2d(this, kernel, kernel, kernel, kernel, 0, 0);
    }

    /** Average pooling of this [n, c, h, w] (zero padding counted in each window's kernelH·kernelW). */
    public Tensor avgPool2d(int kernelH, int kernelW, int strideH, int strideW, int padH, int padW) {
        return OPS.avgPool2d(this, kernelH, kernelW, strideH, strideW, padH, padW);
    }

    /**
     * Batch normalisation with this batch's statistics: each channel (axis 1) of this [n, c, ...] is
     * shifted and scaled to mean 0 and variance 1 over every other axis (biased variance, plus eps),
     * then multiplied by weight [c] and shifted by bias [c] (either may be null).
     */
    public Tensor batchNorm(Tensor weight, Tensor bias, double eps) {
        return OPS.batchNorm(this, weight, bias, eps);
    }

    private Tensor like(double value) {
        return full(dtype, value, Shape.of());
    }

    private Shape inferShape(int[] dims) {
        int known = 1, unknown = -1;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] == -1) {
                if (unknown >= 0) {
                    throw new IllegalArgumentException("reshape " + Arrays.toString(dims) + ": only one dimension may be -1");
                }
                unknown = i;
            } else {
                known *= dims[i];
            }
        }
        int[] out = dims.clone();
        if (unknown >= 0) {
            if (known == 0 || size() % known != 0) {
                throw new IllegalArgumentException("cannot reshape " + shape + " to " + Arrays.toString(dims));
            }
            out[unknown] = size() / known;
        }
        Shape s = Shape.of(out);
        if (s.size() != size()) {
            throw new IllegalArgumentException("cannot reshape " + shape + " (" + size() + " elements) to " + s
                    + " (" + s.size() + " elements)");
        }
        return s;
    }

    // ---- not differentiable: comparisons and argmax ----------------------------------------------

    /** Indices of the first maximum along {@code axis} (axis removed). */
    public int[] argmax(int axis) {
        int a = shape.axis(axis);
        if (shape.dim(a) == 0) throw new IllegalArgumentException("argmax along the empty axis " + axis + " of shape " + shape);
        int[] out = new int[shape.outer(a) * shape.inner(a)];
        if (f != null) Reduce.max(f, shape.outer(a), shape.dim(a), shape.inner(a), null, out);
        else Reduce.max(d, shape.outer(a), shape.dim(a), shape.inner(a), null, out);
        return out;
    }

    /** 1 where this == other, else 0 (broadcasting; no gradient). */
    public Tensor eq(Tensor other) { return compare(Binary.EQ, other); }
    public Tensor ne(Tensor other) { return compare(Binary.NE, other); }
    public Tensor lt(Tensor other) { return compare(Binary.LT, other); }
    public Tensor le(Tensor other) { return compare(Binary.LE, other); }
    public Tensor gt(Tensor other) { return compare(Binary.GT, other); }
    public Tensor ge(Tensor other) { return compare(Binary.GE, other); }
    public Tensor gt(double value) { return compare(Binary.GT, like(value)); }
    public Tensor lt(double value) { return compare(Binary.LT, like(value)); }

    private Tensor compare(Binary op, Tensor other) {
        return binary(op, this, other);
    }

    /**
     * The kernel of every broadcasting binary operation: out = op(a, b) in the operands' type
     * (which must agree). Not recorded in the graph; ops use it for their forward passes.
     */
    public static Tensor binary(Binary op, Tensor a, Tensor b) {
        if (a.dtype != b.dtype) {
            throw new IllegalArgumentException(op + ": operands have different types, " + a.dtype + " " + a.shape
                    + " and " + b.dtype + " " + b.shape + "; convert one with to(DType)");
        }
        Shape s = Shape.broadcast(a.shape, b.shape);
        Tensor out = zeros(a.dtype, s);
        int[] dims = s.dims();
        if (out.f != null) Elementwise.zip(op, a.f, a.shape.broadcastStrides(s), b.f, b.shape.broadcastStrides(s), out.f, dims);
        else Elementwise.zip(op, a.d, a.shape.broadcastStrides(s), b.d, b.shape.broadcastStrides(s), out.d, dims);
        return out;
    }

    /** out = op(x) elementwise, not recorded in the graph. */
    public static Tensor unary(Elementwise.Unary op, Tensor x) {
        Tensor out = zeros(x.dtype, x.shape);
        if (out.f != null) Elementwise.map(op, x.f, out.f);
        else Elementwise.map(op, x.d, out.d);
        return out;
    }

    /** This tensor's values repeated along broadcast axes to fill {@code target} (a new tensor). */
    public Tensor broadcastTo(Shape target) {
        if (shape.equals(target)) return this;
        if (!Shape.broadcast(shape, target).equals(target)) {
            throw new IllegalArgumentException("cannot broadcast shape " + shape + " to " + target);
        }
        int[] index = Elementwise.broadcastIndex(shape.broadcastStrides(target), target.dims());
        Tensor out = zeros(dtype, target);
        if (f != null) Elementwise.gather(f, index, out.f);
        else Elementwise.gather(d, index, out.d);
        return out;
    }

    /** Sums this tensor down to {@code target}, the shape it was broadcast from: the adjoint of broadcasting. */
    public Tensor sumTo(Shape target) {
        if (shape.equals(target)) return this;
        if (!Shape.broadcast(target, shape).equals(shape)) {
            throw new IllegalArgumentException("cannot sum shape " + shape + " down to " + target
                    + ": " + target + " does not broadcast to " + shape);
        }
        int[] index = Elementwise.broadcastIndex(target.broadcastStrides(shape), shape.dims());
        Tensor out = zeros(dtype, target);
        if (f != null) Elementwise.scatterAdd(f, index, out.f);
        else Elementwise.scatterAdd(d, index, out.d);
        return out;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Tensor(").append(dtype).append(' ').append(shape).append(' ');
        int n = Math.min(size(), 8);
        sb.append('[');
        for (int i = 0; i < n; i++) sb.append(i > 0 ? ", " : "").append((float) getFlat(i));
        if (size() > n) sb.append(", …");
        sb.append(']');
        if (gradFn != null) sb.append(", gradFn=").append(gradFn.name());
        else if (requiresGrad) sb.append(", requiresGrad");
        return sb.append(')').toString();
    }
}
