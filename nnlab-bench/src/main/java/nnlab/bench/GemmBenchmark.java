package nnlab.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import nnlab.tensor.kernel.Gemm;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * sgemm on a dense layer's three products, and on a large square product for the machine's peak.
 * Scores are calls per second; {@link GemmGflops} turns them into GFLOPS = 2·m·n·k·calls/s / 1e9.
 *
 * <p>For a layer {@code in}×{@code out} and a batch of B examples, in three layouts. {@code inOut}:
 * weights W stored in×out, examples as rows (the textbook layout):
 * <ul>
 *   <li>{@code forward}: Y = X·W, (B×in)·(in×out)</li>
 *   <li>{@code gradInput}: dX = dY·Wᵀ, (B×out)·(out×in), W read transposed (transB)</li>
 *   <li>{@code gradWeight}: dW = Xᵀ·dY, (in×B)·(B×out), X read transposed (transA)</li>
 * </ul>
 * {@code outIn}: W stored out×in as {@code nn.Linear} keeps it (and its op's calls): forward X·Wᵀ (transB),
 * gradInput dY·W, gradWeight dYᵀ·X (out×B)·(B×in) (transA). {@code featureMajor}: the fused mini-batch
 * step's calls, activations stored one row per feature: forward W·Xᵀ (out×in)·(in×B) (transB),
 * gradInput Wᵀ·dY (in×out)·(out×B) (transA), gradWeight dY·X (out×B)·(B×in).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class GemmBenchmark {

    /**
     * {m, n, k, transA, transB} of a layer product (transposes as 0/1); shared with {@link GemmGflops} so
     * both count the same flops.
     */
    static int[] shape(String layout, String product, String layer, int batch) {
        String[] io = layer.split("x");
        int in = Integer.parseInt(io[0]), out = Integer.parseInt(io[1]);
        int[] s = switch (layout + " " + product) {
            case "inOut forward" -> new int[] {batch, out, in, 0, 0};
            case "inOut gradInput" -> new int[] {batch, in, out, 0, 1};
            case "inOut gradWeight" -> new int[] {in, out, batch, 1, 0};
            case "outIn forward" -> new int[] {batch, out, in, 0, 1};
            case "outIn gradInput" -> new int[] {batch, in, out, 0, 0};
            case "outIn gradWeight" -> new int[] {out, in, batch, 1, 0};
            case "featureMajor forward" -> new int[] {out, batch, in, 0, 1};
            case "featureMajor gradInput" -> new int[] {in, batch, out, 1, 0};
            case "featureMajor gradWeight" -> new int[] {out, in, batch, 0, 0};
            default -> null;
        };
        if (s == null) {
            throw new IllegalArgumentException("unknown layout '" + layout + "' or product '" + product
                    + "'; layouts: inOut, outIn, featureMajor; products: forward, gradInput, gradWeight");
        }
        return s;
    }

    @State(Scope.Thread)
    public static class Layer {
        @Param({"784x200"}) // add 200x10 with: -p layer=784x200,200x10
        public String layer;
        @Param({"inOut"}) // the library's own calls: -p layout=inOut,outIn,featureMajor
        public String layout;
        @Param({"1", "64", "512"})
        public int batch;
        @Param({"forward", "gradInput", "gradWeight"})
        public String product;

        int m, n, k;
        boolean transA, transB;
        float[] a, b, c;

        @Setup
        public void setUp() {
            int[] s = shape(layout, product, layer, batch);
            m = s[0];
            n = s[1];
            k = s[2];
            transA = s[3] == 1;
            transB = s[4] == 1;
            Random random = new Random(42);
            a = randoms(random, m * k);
            b = randoms(random, k * n);
            c = new float[m * n];
        }
    }

    @State(Scope.Thread)
    public static class Square {
        @Param({"1024"})
        public int size;

        float[] a, b, c;

        @Setup
        public void setUp() {
            Random random = new Random(42);
            a = randoms(random, size * size);
            b = randoms(random, size * size);
            c = new float[size * size];
        }
    }

    @Benchmark
    public float[] layer(Layer s) {
        Gemm.sgemm(s.transA, s.transB, s.m, s.n, s.k, s.a, 0, s.b, 0, s.c, 0, false);
        return s.c;
    }

    @Benchmark
    public float[] square(Square s) {
        Gemm.sgemm(false, false, s.size, s.size, s.size, s.a, 0, s.b, 0, s.c, 0, false);
        return s.c;
    }

    static float[] randoms(Random random, int length) {
        float[] x = new float[length];
        for (int i = 0; i < length; i++) x[i] = random.nextFloat() * 2 - 1;
        return x;
    }
}
