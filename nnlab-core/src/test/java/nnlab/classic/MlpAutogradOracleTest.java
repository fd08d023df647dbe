package nnlab.classic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import nnlab.data.Examples;
import nnlab.nn.CrossEntropyLoss;
import nnlab.nn.Linear;
import nnlab.nn.MSELoss;
import nnlab.nn.Module;
import nnlab.nn.ReLU;
import nnlab.nn.Reduction;
import nnlab.nn.Sequential;
import nnlab.nn.Tanh;
import nnlab.random.RandomState;
import nnlab.random.Rng;
import nnlab.tensor.DType;
import nnlab.tensor.Shape;
import nnlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Two independent implementations, one answer: the hand-written backpropagation of {@link Mlp} and the
 * autograd engine give the same gradients for the same weights and examples (STYLE habit 4).
 */
class MlpAutogradOracleTest {
    private static final int FEATURES = 5;

    private static Examples examples(boolean classification) {
        Rng rng = new Rng(11);
        int n = 6;
        double[] x = new double[n * FEATURES];
        for (int i = 0; i < x.length; i++) x[i] = rng.nextDouble() < 0.3 ? 0 : rng.nextGaussian();
        if (classification) return Examples.classification(x, n, FEATURES, new int[] {0, 2, 1, 1, 0, 2});
        double[] y = new double[n];
        for (int i = 0; i < n; i++) y[i] = rng.nextGaussian();
        return Examples.regression(x, n, FEATURES, y);
    }

    /** The autograd twin of {@code mlp}: same layers, same weights, float64. */
    private static Sequential twin(Mlp mlp, boolean tanh) {
        List<Module> layers = new ArrayList<>();
        for (int l = 0; l < mlp.layers(); l++) {
            Linear linear = new Linear(mlp.inputsOf(l), mlp.outputsOf(l), true, DType.FLOAT64, new Rng(0));
            linear.weight().copyFrom(Tensor.wrap(mlp.weights(l), Shape.of(mlp.outputsOf(l), mlp.inputsOf(l))));
            linear.bias().copyFrom(Tensor.wrap(mlp.biases(l), Shape.of(mlp.outputsOf(l))));
            layers.add(linear);
            if (l + 1 < mlp.layers()) layers.add(tanh ? new Tanh() : new ReLU());
        }
        return new Sequential(layers);
    }

    private static void assertSameGradients(Mlp mlp, Sequential twin, Examples e, Tensor loss) {
        loss.backward();
        Mlp.Gradients hand = mlp.gradients(e);
        assertEquals(hand.loss(), loss.item(), 1e-10 * Math.max(1, Math.abs(loss.item())), "loss");
        for (int l = 0; l < mlp.layers(); l++) {
            Linear linear = (Linear) twin.get(2 * l);
            double[] w = linear.weight().grad().toDoubleArray(), b = linear.bias().grad().toDoubleArray();
            for (int i = 0; i < w.length; i++) {
                assertEquals(w[i], hand.weights()[l][i], 1e-10 * Math.max(1, Math.abs(w[i])), "layer " + l + " weight " + i);
            }
            for (int i = 0; i < b.length; i++) {
                assertEquals(b[i], hand.biases()[l][i], 1e-10 * Math.max(1, Math.abs(b[i])), "layer " + l + " bias " + i);
            }
        }
    }

    @Test
    void classifierGradientsEqualAutogradsForReluAndTanh() {
        for (boolean tanh : new boolean[] {false, true}) {
            Mlp mlp = Mlp.classifier(FEATURES, new int[] {4, 3}, 3, tanh ? Mlp.Activation.TANH : Mlp.Activation.RELU, 0.01)
                    .initializeNormal(new RandomState(42), 0.1, 0.1);
            Sequential twin = twin(mlp, tanh);
            Examples e = examples(true);
            Tensor x = Tensor.wrap(e.x().clone(), Shape.of(e.n(), FEATURES));
            // The numpy track's epoch loss is the sum over examples of −log softmax(z)_y.
            assertSameGradients(mlp, twin, e, new CrossEntropyLoss(Reduction.SUM).forward(twin.forward(x), e.labels()));
        }
    }

    @Test
    void regressorGradientsEqualAutogradsForHalfSquaredError() {
        Mlp mlp = Mlp.regressor(FEATURES, new int[] {4}, Mlp.Activation.RELU, 0.01).initializeNormal(new RandomState(7), 0.1, 0.1);
        Sequential twin = twin(mlp, false);
        Examples e = examples(false);
        Tensor x = Tensor.wrap(e.x().clone(), Shape.of(e.n(), FEATURES));
        Tensor y = Tensor.wrap(e.targets().clone(), Shape.of(e.n(), 1));
        // The course's regression network descends ½(ŷ − y)² per example.
        assertSameGradients(mlp, twin, e, new MSELoss(Reduction.SUM).forward(twin.forward(x), y).mul(0.5));
    }
}
