package nnlab.tensor.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Elementwise loops over float and double arrays: unary maps, binary zips with NumPy broadcasting,
 * and the reverse of broadcasting (summing a gradient back onto a smaller shape).
 *
 * <p>Broadcast loops take the output dimensions and, for each operand, strides over those dimensions
 * (0 along a broadcast axis), so one walker serves every combination of shapes.
 */
public final class Elementwise {
    private Elementwise() {}

    /** Unary functions. {@code STEP} is 1 where x &gt; 0 (ReLU's derivative), {@code SIGN} is -1, 0 or 1. */
    public enum Unary { NEG, EXP, LOG, TANH, SIGMOID, RELU, STEP, ABS, SIGN, SQRT, SQUARE, RECIPROCAL }

    /** Binary functions. Comparisons give 1 or 0. */
    public enum Binary {
        ADD, SUB, MUL, DIV, POW, MAX, MIN, EQ, NE, LT, LE, GT, GE,
        /** a where b &gt; 0, else 0: ReLU's backward pass (g where x &gt; 0) in one pass, as PyTorch's threshold_backward. */
        WHERE_POSITIVE
    }

    public static double apply(Unary op, double x) {
        return switch (op) {
            case NEG -> -x;
            case EXP -> Math.exp(x);
            case LOG -> Math.log(x);
            case TANH -> Math.tanh(x);
            case SIGMOID -> sigmoid(x);
            case RELU -> Math.max(x, 0); // NaN stays NaN, as in PyTorch, so divergence shows
            case STEP -> x > 0 ? 1 : 0;
            case ABS -> Math.abs(x);
            case SIGN -> Math.signum(x);
            case SQRT -> Math.sqrt(x);
            case SQUARE -> x * x;
            case RECIPROCAL -> 1 / x;
        };
    }

    public static double apply(Binary op, double a, double b) {
        return switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case POW -> Math.pow(a, b);
            case MAX -> Math.max(a, b);
            case MIN -> Math.min(a, b);
            case EQ -> a == b ? 1 : 0;
            case NE -> a != b ? 1 : 0;
            case LT -> a < b ? 1 : 0;
            case LE -> a <= b ? 1 : 0;
            case GT -> a > b ? 1 : 0;
            case GE -> a >= b ? 1 : 0;
            case WHERE_POSITIVE -> b > 0 ? a : 0;
        };
    }

    /** The logistic function 1 / (1 + e^-x), computed without overflow for large |x|. */
    public static double sigmoid(double x) {
        if (x >= 0) return 1 / (1 + Math.exp(-x));
        double e = Math.exp(x);
        return e / (1 + e);
    }

    /** out[i] = op(x[i]); out may be x. */
    public static void map(Unary op, float[] x, float[] out) {
        int n = out.length;
        switch (op) {
            // The cases the training loop runs every step get loops of their own, so the JIT can vectorise them.
            case RELU -> { for (int i = 0; i < n; i++) out[i] = Math.max(x[i], 0f); }
            case NEG -> { for (int i = 0; i < n; i++) out[i] = -x[i]; }
            case STEP -> { for (int i = 0; i < n; i++) out[i] = x[i] > 0 ? 1f : 0f; }
            default -> { for (int i = 0; i < n; i++) out[i] = (float) apply(op, x[i]); }
        }
    }

    /** out[i] = op(x[i]); out may be x. */
    public static void map(Unary op, double[] x, double[] out) {
        for (int i = 0; i < out.length; i++) out[i] = apply(op, x[i]);
    }

    /**
     * out = op(a, b) over the output dimensions {@code dims}, reading a and b through broadcast strides.
     */
    public static void zip(Binary op, float[] a, int[] aStrides, float[] b, int[] bStrides, float[] out, int[] dims) {
        if (out.length == 0) return;
        if (a.length == out.length && b.length == out.length) {
            switch (op) {
                case ADD -> { for (int i = 0; i < out.length; i++) out[i] = a[i] + b[i]; }
                case MUL -> { for (int i = 0; i < out.length; i++) out[i] = a[i] * b[i]; }
                case WHERE_POSITIVE -> wherePositive(a, b, out);
                default -> { for (int i = 0; i < out.length; i++) out[i] = (float) apply(op, a[i], b[i]); }
            }
            return;
        }
        forEachRow(aStrides, bStrides, dims, out.length, (ai, as, bi, bs, o, inner) -> {
            for (int j = 0, pa = ai, pb = bi; j < inner; j++, pa += as, pb += bs) {
                out[o + j] = (float) apply(op, a[pa], b[pb]);
            }
        });
    }

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    /**
     * out = a where b &gt; 0, else 0, in SIMD blends: the JIT leaves the select scalar, and there a
     * branch on the sign of a ReLU's input mispredicts about every other element.
     */
    private static void wherePositive(float[] a, float[] b, float[] out) {
        int n = out.length, i = 0;
        FloatVector zero = FloatVector.zero(F);
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            VectorMask<Float> positive = FloatVector.fromArray(F, b, i).compare(VectorOperators.GT, 0f);
            zero.blend(FloatVector.fromArray(F, a, i), positive).intoArray(out, i);
        }
        for (; i < n; i++) out[i] = b[i] > 0 ? a[i] : 0f;
    }

    /** Double version of {@link #zip(Binary, float[], int[], float[], int[], float[], int[])}. */
    public static void zip(Binary op, double[] a, int[] aStrides, double[] b, int[] bStrides, double[] out, int[] dims) {
        if (out.length == 0) return;
        if (a.length == out.length && b.length == out.length) {
            for (int i = 0; i < out.length; i++) out[i] = apply(op, a[i], b[i]);
            return;
        }
        forEachRow(aStrides, bStrides, dims, out.length, (ai, as, bi, bs, o, inner) -> {
            for (int j = 0, pa = ai, pb = bi; j < inner; j++, pa += as, pb += bs) {
                out[o + j] = apply(op, a[pa], b[pb]);
            }
        });
    }

    /** One innermost row of a broadcast zip: the operands' start offsets and strides, the output's start and length. */
    private interface Row {
        void run(int aStart, int aStride, int bStart, int bStride, int outStart, int length);
    }

    /**
     * The one walker behind both zips: visits the output's innermost rows in order, carrying each
     * operand's offset through the outer axes with its broadcast strides.
     */
    private static void forEachRow(int[] aStrides, int[] bStrides, int[] dims, int size, Row row) {
        int rank = dims.length;
        int inner = rank == 0 ? 1 : dims[rank - 1];
        int as = rank == 0 ? 0 : aStrides[rank - 1], bs = rank == 0 ? 0 : bStrides[rank - 1];
        int[] counter = new int[Math.max(rank - 1, 0)];
        int ai = 0, bi = 0;
        for (int o = 0; o < size; o += inner) {
            row.run(ai, as, bi, bs, o, inner);
            for (int d = rank - 2; d >= 0; d--) {
                ai += aStrides[d];
                bi += bStrides[d];
                if (++counter[d] < dims[d]) break;
                counter[d] = 0;
                ai -= aStrides[d] * dims[d];
                bi -= bStrides[d] * dims[d];
            }
        }
    }

    /**
     * The offsets into a broadcast operand for every element of the output dimensions {@code dims}:
     * {@code index[o]} is where output element o reads from. Used to broadcast and to un-broadcast.
     */
    public static int[] broadcastIndex(int[] strides, int[] dims) {
        int n = 1;
        for (int d : dims) n *= d;
        int[] index = new int[n];
        int rank = dims.length;
        int[] counter = new int[rank];
        int offset = 0;
        for (int o = 0; o < n; o++) {
            index[o] = offset;
            for (int d = rank - 1; d >= 0; d--) {
                offset += strides[d];
                if (++counter[d] < dims[d]) break;
                counter[d] = 0;
                offset -= strides[d] * dims[d];
            }
        }
        return index;
    }

    /** out[i] = x[index[i]]. */
    public static void gather(float[] x, int[] index, float[] out) {
        for (int i = 0; i < out.length; i++) out[i] = x[index[i]];
    }

    /** out[i] = x[index[i]]. */
    public static void gather(double[] x, int[] index, double[] out) {
        for (int i = 0; i < out.length; i++) out[i] = x[index[i]];
    }

    /** out[index[i]] += x[i]: the adjoint of {@link #gather}, which sums repeated reads. */
    public static void scatterAdd(float[] x, int[] index, float[] out) {
        for (int i = 0; i < x.length; i++) out[index[i]] += x[i];
    }

    /** out[index[i]] += x[i]. */
    public static void scatterAdd(double[] x, int[] index, double[] out) {
        for (int i = 0; i < x.length; i++) out[index[i]] += x[i];
    }

    /** Source offsets that lay out {@code dims} permuted by {@code perm} (output axis i is input axis perm[i]). */
    public static int[] permuteIndex(int[] dims, int[] perm) {
        int rank = dims.length;
        int[] inStrides = new int[rank];
        for (int i = rank - 1, s = 1; i >= 0; i--) {
            inStrides[i] = s;
            s *= dims[i];
        }
        int[] outDims = new int[rank];
        int[] strides = new int[rank];
        for (int i = 0; i < rank; i++) {
            outDims[i] = dims[perm[i]];
            strides[i] = inStrides[perm[i]];
        }
        return broadcastIndex(strides, outDims);
    }
}
