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
 * <p>For a layer {@code in}×{@code out} (weights W stored in×out) and a batch of B rows:
 * <ul>
 *   <li>{@code forward}: Y = X·W, (B×in)·(in×out)</li>
 *   <li>{@code gradInput}: dX = dY·Wᵀ, (B×out)·(out×in), W read transposed (transB)</li>
 *   <li>{@code gradWeight}: dW = Xᵀ·dY, (in×B)·(B×out), X read transposed (transA)</li>
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class GemmBenchmark {

    /** {m, n, k} of a layer product; shared with {@link GemmGflops} so both count the same flops. */
    static int[] shape(String product, String layer, int batch) {
        String[] io = layer.split("x");
        int in = Integer.parseInt(io[0]), out = Integer.parseInt(io[1]);
        return switch (product) {
            case "forward" -> new int[] {batch, out, in};
            case "gradInput" -> new int[] {batch, in, out};
            case "gradWeight" -> new int[] {in, out, batch};
            default -> throw new IllegalArgumentException("unknown product '" + product
                    + "'; use forward, gradInput or gradWeight");
        };
    }

    @State(Scope.Thread)
    public static class Layer {
        @Param({"784x200"}) // add 200x10 with: -p layer=784x200,200x10
        public String layer;
        @Param({"1", "64", "512"})
        public int batch;
        @Param({"forward", "gradInput", "gradWeight"})
        public String product;

        int m, n, k;
        boolean transA, transB;
        float[] a, b, c;

        @Setup
        public void setUp() {
            int[] s = shape(product, layer, batch);
            m = s[0];
            n = s[1];
            k = s[2];
            transA = product.equals("gradWeight");
            transB = product.equals("gradInput");
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
