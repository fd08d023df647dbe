package nnlab.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import nnlab.data.NdArray;
import nnlab.data.Npz;
import nnlab.random.Rng;
import nnlab.tensor.DType;
import nnlab.tensor.Shape;
import nnlab.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * Convolution, pooling and batch-norm layers against PyTorch's outputs and gradients
 * (torch_fixtures.npz, written by make_torch_fixtures.py): in float64 to 1e-10, and through the
 * float32 training kernels to float32 rounding. The gradient checks against central differences
 * (OpRegistryGradCheckTest) cannot tell a convolution from a flipped one; these can.
 */
class ConvolutionLayersTest {
    private static final Map<String, NdArray> TORCH = fixtures();

    private static Map<String, NdArray> fixtures() {
        try {
            return Npz.read(Path.of(ConvolutionLayersTest.class.getResource("torch_fixtures.npz").toURI()));
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Tensor input(String key, DType dtype) {
        NdArray a = TORCH.get(key);
        return Tensor.of(a.toDoubles(), a.shape()).to(dtype).requiresGrad(true);
    }

    /** Applies f to the case's inputs, backpropagates L = Σ weights·y, and compares y and every gradient. */
    private static void matchesTorch(String name, DType dtype, List<String> inputs, Function<Tensor[], Tensor> f) {
        double tolerance = dtype == DType.FLOAT64 ? 1e-10 : 2e-5;
        Tensor[] x = inputs.stream().map(key -> input(name + "." + key, dtype)).toArray(Tensor[]::new);
        Tensor y = f.apply(x);
        assertClose(name + ".y", TORCH.get(name + ".y"), y, tolerance);
        y.mul(input(name + ".weights", dtype).detach()).sum().backward();
        for (int i = 0; i < x.length; i++) assertClose(name + ".d" + inputs.get(i), TORCH.get(name + ".d" + inputs.get(i)), x[i].grad(), tolerance);
    }

    private static void assertClose(String what, NdArray expected, Tensor actual, double tolerance) {
        assertEquals(Shape.of(expected.shape()), actual.shape(), what + ": shape");
        double[] e = expected.toDoubles();
        for (int i = 0; i < e.length; i++) {
            double a = actual.getFlat(i);
            if (Double.isNaN(e[i]) && Double.isNaN(a)) continue;
            assertTrue(Math.abs(a - e[i]) <= tolerance * (1 + Math.abs(e[i])),
                    what + "[" + i + "]: nnlab " + a + ", PyTorch " + e[i]);
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void convolutionMatchesPyTorch(DType dtype) {
        matchesTorch("conv", dtype, List.of("x", "weight", "bias"), t -> t[0].conv2d(t[1], t[2], 2, 1, 1, 2));
        matchesTorch("conv_course", dtype, List.of("x", "weight", "bias"), t -> t[0].conv2d(t[1], t[2], 1, 1));
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void poolingMatchesPyTorchTiesIncluded(DType dtype) {
        matchesTorch("maxpool", dtype, List.of("x"), t -> t[0].maxPool2d(3, 2, 2, 1, 1, 0));
        matchesTorch("maxpool2", dtype, List.of("x"), t -> t[0].maxPool2d(2)); // its own kernel; a NaN among ties
        matchesTorch("avgpool", dtype, List.of("x"), t -> t[0].avgPool2d(3, 2, 2, 1, 1, 1));
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void batchNormMatchesPyTorchInTrainingAndEvalMode(DType dtype) {
        BatchNorm2d bn = new BatchNorm2d(3, 1e-5, 0.1, dtype);
        bn.weight().copyFrom(input("batchnorm.weight", dtype));
        bn.bias().copyFrom(input("batchnorm.bias", dtype));
        matchesTorch("batchnorm", dtype, List.of("x"), t -> bn.forward(t[0]));
        double tolerance = dtype == DType.FLOAT64 ? 1e-10 : 2e-5;
        assertClose("running_mean", TORCH.get("batchnorm.running_mean"), bn.runningMean(), tolerance);
        assertClose("running_var", TORCH.get("batchnorm.running_var"), bn.runningVar(), tolerance);
        bn.eval();
        assertClose("eval", TORCH.get("batchnorm_eval.y"), bn.forward(input("batchnorm_eval.x", dtype)), tolerance);
    }

    /** The float32 path splits large batches over the cores (im2col/col2im by images); it must agree with float64. */
    @Test
    void largeBatchFloat32AgreesWithFloat64() {
        Rng rng = new Rng(3);
        Tensor x = Tensor.rand(rng, 64, 8, 28, 28).to(DType.FLOAT64), w = Tensor.rand(rng, 16, 8, 3, 3).to(DType.FLOAT64);
        Tensor b = Tensor.rand(rng, 16).to(DType.FLOAT64), weights = Tensor.rand(rng, 64, 16, 6, 6).to(DType.FLOAT64);
        Function<Tensor[], Tensor> f = t -> t[0].conv2d(t[1], t[2], 2, 0).relu().avgPool2d(2, 2, 2, 2, 0, 0).mul(t[3]).sum();
        Tensor[] wide = {x.copy().requiresGrad(true), w.copy().requiresGrad(true), b.copy().requiresGrad(true), weights};
        Tensor[] narrow = {x.to(DType.FLOAT32).requiresGrad(true), w.to(DType.FLOAT32).requiresGrad(true),
                b.to(DType.FLOAT32).requiresGrad(true), weights.to(DType.FLOAT32)};
        double expected = f.apply(wide).item();
        f.apply(wide).backward();
        Tensor loss = f.apply(narrow);
        loss.backward();
        assertEquals(expected, loss.item(), 1e-4 * Math.abs(expected));
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < wide[i].size(); j++) {
                double e = wide[i].grad().getFlat(j), a = narrow[i].grad().getFlat(j);
                assertTrue(Math.abs(a - e) <= 1e-4 * (1 + Math.abs(e)), "input " + i + " element " + j + ": " + a + " vs " + e);
            }
        }
    }

    /**
     * Two float32 paths of their own, held to float64's outputs and all three gradients: one input
     * channel at stride 1 runs directly on the padded images (no im2col), and several channels at
     * stride 1 without padding keep the images' rows whole in their columns (the positions past each
     * row's outputs dropped from y, zero gradients). Rows wider and narrower than a vector, kernels
     * whose width is not a multiple of three, output channels not a multiple of four, padding 0–2, and
     * batches large enough to be split into parts; the last case without gradients (evaluation).
     */
    @Test
    void directAndWholeRowConvolutionsAgreeWithFloat64() {
        Rng rng = new Rng(12);
        int[][] cases = { // n, c, h, w, o, kh, kw, padding
                {8, 1, 28, 28, 8, 3, 3, 1}, {3, 1, 9, 37, 5, 2, 4, 2}, {70, 1, 6, 5, 3, 3, 1, 0}, {2, 1, 17, 16, 1, 5, 5, 2},
                {1, 1, 4, 4, 7, 4, 4, 0}, {8, 8, 12, 12, 16, 3, 3, 0}, {40, 3, 7, 19, 5, 2, 3, 0}, {2, 2, 5, 4, 3, 5, 4, 0},
                {90, 8, 12, 12, 16, 3, 3, 0}};
        for (int[] c : cases) {
            int n = c[0], channels = c[1], h = c[2], width = c[3], o = c[4], kh = c[5], kw = c[6], padding = c[7];
            Tensor x = Tensor.rand(rng, n, channels, h, width).to(DType.FLOAT64);
            Tensor w = Tensor.rand(rng, o, channels, kh, kw).to(DType.FLOAT64), b = Tensor.rand(rng, o).to(DType.FLOAT64);
            Tensor weights = Tensor.randn(rng, n, o, h + 2 * padding - kh + 1, width + 2 * padding - kw + 1).to(DType.FLOAT64);
            Tensor[] wide = {x.copy().requiresGrad(true), w.copy().requiresGrad(true), b.copy().requiresGrad(true)};
            Tensor[] narrow = {x.to(DType.FLOAT32).requiresGrad(true), w.to(DType.FLOAT32).requiresGrad(true),
                    b.to(DType.FLOAT32).requiresGrad(true)};
            Tensor expected = wide[0].conv2d(wide[1], wide[2], 1, padding), actual = narrow[0].conv2d(narrow[1], narrow[2], 1, padding);
            Tensor evaluated;
            try (var scope = nnlab.tensor.Autograd.noGrad()) {
                evaluated = narrow[0].conv2d(narrow[1], narrow[2], 1, padding);
            }
            String name = java.util.Arrays.toString(c);
            for (int i = 0; i < expected.size(); i++) {
                assertEquals(expected.getFlat(i), actual.getFlat(i), 1e-5 * (1 + Math.abs(expected.getFlat(i))), name + " y[" + i + "]");
                assertEquals(actual.getFlat(i), evaluated.getFlat(i), 1e-6 * (1 + Math.abs(actual.getFlat(i))), name + " evaluated y[" + i + "]");
            }
            expected.mul(weights).sum().backward();
            actual.mul(weights.to(DType.FLOAT32)).sum().backward();
            for (int k = 0; k < 3; k++) {
                for (int i = 0; i < wide[k].size(); i++) {
                    double e = wide[k].grad().getFlat(i), a = narrow[k].grad().getFlat(i);
                    assertTrue(Math.abs(a - e) <= 1e-4 * (1 + Math.abs(e)), name + " gradient of input " + k + " [" + i + "]: " + a + " vs " + e);
                }
            }
        }
    }

    /**
     * The course's 2×2 pooling has a vector kernel of its own in float32 (whole vectors of windows, then
     * a scalar tail); float64 takes the general loop. 28×28 planes (196 windows: vectors and a tail),
     * ReLU-like zeros for ties: the same maxima, the gradient to the same pixels.
     */
    @Test
    void theVectorPoolingKernelAgreesWithTheGeneralLoop() {
        Rng rng = new Rng(11);
        Tensor x = Tensor.zeros(DType.FLOAT64, Shape.of(2, 3, 28, 28));
        for (int i = 0; i < x.size(); i++) x.setFlat(i, Math.max(0, rng.nextGaussian()));
        Tensor weights = Tensor.rand(rng, 2, 3, 14, 14).to(DType.FLOAT64);
        Tensor wide = x.copy().requiresGrad(true), narrow = x.to(DType.FLOAT32).requiresGrad(true);
        Tensor a = wide.maxPool2d(2), b = narrow.maxPool2d(2);
        a.mul(weights).sum().backward();
        b.mul(weights.to(DType.FLOAT32)).sum().backward();
        for (int i = 0; i < a.size(); i++) assertEquals(a.getFlat(i), b.getFlat(i), 1e-6, "maximum " + i);
        for (int i = 0; i < x.size(); i++) assertEquals(wide.grad().getFlat(i), narrow.grad().getFlat(i), 1e-6, "gradient of pixel " + i);
    }

    /** Without gradients (evaluation) the columns are not kept but made in blocks of images: the same outputs. */
    @Test
    void evaluationWithoutKeptColumnsGivesTheTrainingOutputs() {
        Rng rng = new Rng(8);
        Conv2d conv = new Conv2d(3, 8, 3, 1, 1, rng);
        Tensor x = Tensor.rand(rng, 150, 3, 10, 9).requiresGrad(true);
        Tensor kept = conv.forward(x);
        Tensor blocks;
        try (var scope = nnlab.tensor.Autograd.noGrad()) {
            blocks = conv.forward(x);
        }
        for (int i = 0; i < kept.size(); i++) assertEquals(kept.getFlat(i), blocks.getFlat(i), 1e-6, "element " + i);
    }

    @Test
    void theCoursesCnnHasTheHomeworksParameterCount() {
        Rng rng = new Rng(1);
        Sequential cnn = new Sequential(new Conv2d(1, 8, 3, 1, 1, rng), new ReLU(), new MaxPool2d(2),
                new Conv2d(8, 16, 3, 1, 0, rng), new ReLU(), new MaxPool2d(2), new Flatten(),
                new Linear(576, 320, rng), new ReLU(), new Dropout(0.7, rng), new Linear(320, 120, rng), new ReLU(),
                new Linear(120, 10, rng), new LogSoftmax(1));
        assertEquals(225_618, cnn.numParameters()); // the homework's answer (COURSE.md §4)
        Tensor logProbabilities = cnn.eval().forward(Tensor.rand(rng, 2, 1, 28, 28));
        assertEquals(Shape.of(2, 10), logProbabilities.shape());
        assertEquals(1.0, logProbabilities.exp().sum(1).getFlat(0), 1e-5);
    }

    @Test
    void convolutionInitialisationFollowsPyTorchsBounds() {
        Conv2d conv = new Conv2d(8, 16, 3, 1, 0, new Rng(5));
        double bound = 1 / Math.sqrt(8 * 9); // kaiming_uniform(a=√5) on fan_in 72 gives ±1/√72
        double max = 0;
        for (int i = 0; i < conv.weight().size(); i++) max = Math.max(max, Math.abs(conv.weight().getFlat(i)));
        assertTrue(max <= bound && max > 0.95 * bound, "largest |weight| " + max + ", bound " + bound);
        for (int i = 0; i < conv.bias().size(); i++) assertTrue(Math.abs(conv.bias().getFlat(i)) <= bound);
    }

    @Test
    void buffersAreSavedAndLoadedWithTheParameters() {
        Sequential net = new Sequential(new Conv2d(1, 2, 3, 1, 1, new Rng(1)), new BatchNorm2d(2));
        net.forward(Tensor.rand(new Rng(2), 4, 1, 5, 5)); // training mode: moves the running statistics
        Map<String, Tensor> state = net.stateDict();
        assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var"), List.copyOf(state.keySet()));
        Sequential copy = new Sequential(new Conv2d(1, 2, 3, 1, 1, new Rng(9)), new BatchNorm2d(2));
        copy.loadStateDict(state);
        Tensor x = Tensor.rand(new Rng(4), 2, 1, 5, 5);
        net.eval();
        copy.eval();
        Tensor a = net.forward(x), b = copy.forward(x);
        for (int i = 0; i < a.size(); i++) assertEquals(a.getFlat(i), b.getFlat(i), 0.0);
        assertEquals(4, net.numParameters() - 20); // BatchNorm2d(2): weight and bias, not its running statistics
    }

    @Test
    void badShapesAndSettingsAreRefusedWithTheShapes() {
        Conv2d conv = new Conv2d(3, 4, 3, 1, 0, new Rng(1));
        var flat = assertThrows(IllegalArgumentException.class, () -> conv.forward(Tensor.zeros(2, 784)));
        assertTrue(flat.getMessage().contains("[2, 784]") && flat.getMessage().contains("reshape"), flat.getMessage());
        var channels = assertThrows(IllegalArgumentException.class, () -> conv.forward(Tensor.zeros(2, 1, 28, 28)));
        assertTrue(channels.getMessage().contains("[batch, 3, height, width]"), channels.getMessage());
        var small = assertThrows(IllegalArgumentException.class, () -> conv.forward(Tensor.zeros(1, 3, 2, 5)));
        assertTrue(small.getMessage().contains("larger than the input"), small.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new MaxPool2d(2, 2, 2));
        assertThrows(IllegalArgumentException.class, () -> new Conv2d(1, 8, 0, 1, 0, new Rng(1)));
        var bn = assertThrows(IllegalArgumentException.class, () -> new BatchNorm2d(3).forward(Tensor.zeros(2, 3)));
        assertTrue(bn.getMessage().contains("[2, 3]"), bn.getMessage());
        var one = assertThrows(IllegalArgumentException.class, () -> new BatchNorm1d(3).forward(Tensor.zeros(1, 3)));
        assertTrue(one.getMessage().contains("more than 1 value per channel"), one.getMessage());
    }
}
