package nnlab.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import nnlab.random.Rng;
import nnlab.tensor.Autograd;
import nnlab.tensor.DType;
import nnlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The autograd gradients of a whole 2-hidden-layer MLP with cross-entropy equal float64 central differences. */
class MlpGradientTest {

    @Test
    void everyParameterGradientMatchesCentralDifferences() {
        Rng rng = new Rng(7);
        Sequential mlp = new Sequential(
                new Linear(5, 7, true, DType.FLOAT64, rng), new ReLU(),
                new Linear(7, 6, true, DType.FLOAT64, rng), new Tanh(),
                new Linear(6, 4, true, DType.FLOAT64, rng));
        Tensor x = Tensor.randn(rng, 9, 5).to(DType.FLOAT64);
        int[] y = {0, 3, 1, 2, 2, 0, 1, 3, 3};
        CrossEntropyLoss loss = new CrossEntropyLoss();

        mlp.zeroGrad();
        loss.forward(mlp.forward(x), y).backward();

        double h = 1e-6;
        for (Map.Entry<String, Parameter> e : mlp.namedParameters().entrySet()) {
            Parameter p = e.getValue();
            for (int i = 0; i < p.size(); i++) {
                double v = p.getFlat(i);
                double plus, minus;
                try (var s = Autograd.noGrad()) {
                    p.setFlat(i, v + h);
                    plus = loss.forward(mlp.forward(x), y).item();
                    p.setFlat(i, v - h);
                    minus = loss.forward(mlp.forward(x), y).item();
                    p.setFlat(i, v);
                }
                double numerical = (plus - minus) / (2 * h);
                assertEquals(numerical, p.grad().getFlat(i), 1e-7 + 1e-5 * Math.abs(numerical),
                        e.getKey() + " element " + i);
            }
        }
    }
}
