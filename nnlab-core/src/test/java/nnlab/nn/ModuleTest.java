package nnlab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import nnlab.random.Rng;
import nnlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

class ModuleTest {
    /** A module with its own parameter and a nested Sequential, to check name order and nesting. */
    static final class Net extends Module {
        final Parameter scale = registerParameter("scale", new Parameter(Tensor.ones(1)));
        final Sequential layers;

        Net(Rng rng) {
            layers = registerModule("layers", new Sequential(new Linear(3, 4, rng), new ReLU(), new Linear(4, 2, rng)));
        }

        @Override
        public Tensor forward(Tensor x) {
            return layers.forward(x).mul(scale);
        }
    }

    @Test
    void parametersHaveDottedNamesInRegistrationOrder() {
        Net net = new Net(new Rng(1));
        assertEquals(List.of("scale", "layers.0.weight", "layers.0.bias", "layers.2.weight", "layers.2.bias"),
                List.copyOf(net.namedParameters().keySet()));
        assertEquals(1 + 12 + 4 + 8 + 2, net.numParameters());
        assertTrue(net.toString().contains("(0): Linear(in_features=3, out_features=4, bias=true)"), net.toString());
    }

    @Test
    void trainAndEvalReachEverySubmodule() {
        Net net = new Net(new Rng(1));
        net.eval();
        assertFalse(net.layers.get(0).isTraining());
        net.train();
        assertTrue(net.layers.get(2).isTraining());
    }

    @Test
    void stateDictRoundTripsAndRejectsAnotherArchitecture() {
        Net a = new Net(new Rng(1)), b = new Net(new Rng(2));
        Tensor x = Tensor.randn(new Rng(3), 5, 3);
        assertFalse(java.util.Arrays.equals(a.forward(x).toFloatArray(), b.forward(x).toFloatArray()));
        b.loadStateDict(a.stateDict());
        assertArrayEquals(a.forward(x).toFloatArray(), b.forward(x).toFloatArray());

        Map<String, Tensor> wrong = new java.util.LinkedHashMap<>(a.stateDict());
        wrong.put("layers.0.weight", Tensor.zeros(4, 4));
        var e = assertThrows(IllegalArgumentException.class, () -> b.loadStateDict(wrong));
        assertTrue(e.getMessage().contains("layers.0.weight") && e.getMessage().contains("[4, 4]"), e.getMessage());
        wrong.remove("layers.0.weight");
        e = assertThrows(IllegalArgumentException.class, () -> b.loadStateDict(wrong));
        assertTrue(e.getMessage().contains("missing"), e.getMessage());
    }

    @Test
    void linearUsesPytorchDefaultInitialisationBounds() {
        Linear layer = new Linear(784, 200, new Rng(5));
        double bound = 1 / Math.sqrt(784);
        double max = 0, sumSq = 0;
        for (int i = 0; i < layer.weight().size(); i++) {
            max = Math.max(max, Math.abs(layer.weight().getFlat(i)));
            sumSq += layer.weight().getFlat(i) * layer.weight().getFlat(i);
        }
        assertTrue(max <= bound && max > 0.99 * bound, "max |w| " + max + " vs bound " + bound);
        // U(−b, b) has variance b²/3.
        assertEquals(bound * bound / 3, sumSq / layer.weight().size(), 0.02 * bound * bound);
        assertEquals(List.of(200, 784), List.of(layer.weight().dim(0), layer.weight().dim(1)));
        assertThrows(IllegalArgumentException.class, () -> new Linear(0, 3, new Rng(1)));
    }

    @Test
    void dropoutIsInvertedInTrainingAndTheIdentityInEval() {
        Dropout dropout = new Dropout(0.3, new Rng(9));
        Tensor x = Tensor.ones(100_000);
        float[] y = dropout.forward(x).toFloatArray();
        int zeros = 0;
        double sum = 0;
        for (float v : y) {
            if (v == 0) zeros++;
            else assertEquals(1 / 0.7, v, 1e-6);
            sum += v;
        }
        assertEquals(0.3, zeros / 100_000.0, 0.01);
        assertEquals(1.0, sum / 100_000, 0.02);
        dropout.eval();
        assertSame(x, dropout.forward(x));
        var e = assertThrows(IllegalArgumentException.class, () -> new Dropout(1.5, new Rng(1)));
        assertTrue(e.getMessage().contains("1.5"), e.getMessage());
    }

    @Test
    void initialisersHaveTheDocumentedSpread() {
        Rng rng = new Rng(11);
        Tensor w = Tensor.zeros(300, 400);
        Init.kaimingNormal(w, 0, Init.Fan.IN, Init.Nonlinearity.RELU, rng);
        assertEquals(Math.sqrt(2.0 / 400), std(w), 0.01 * Math.sqrt(2.0 / 400) * 3);
        Init.xavierUniform(w, 1, rng);
        double a = Math.sqrt(6.0 / 700);
        assertEquals(a / Math.sqrt(3), std(w), 0.03 * a);
        Init.normal(w, 0.1, 0.1, rng);
        assertEquals(0.1, std(w), 0.003);
        Init.constant(w, 2);
        assertEquals(2.0, w.get(299, 399));
        assertEquals(5.0 / 3, Init.gain(Init.Nonlinearity.TANH, 0));
    }

    private static double std(Tensor t) {
        double mean = 0, sq = 0;
        for (int i = 0; i < t.size(); i++) mean += t.getFlat(i);
        mean /= t.size();
        for (int i = 0; i < t.size(); i++) sq += (t.getFlat(i) - mean) * (t.getFlat(i) - mean);
        return Math.sqrt(sq / t.size());
    }
}
