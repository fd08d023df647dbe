package nnlab.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import nnlab.tensor.DType;
import nnlab.tensor.GradCheck;
import nnlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Loss values against PyTorch 1.13 (computed once in float64), and their gradients against central differences. */
class LossTest {
    private static final Tensor LOGITS = Tensor.of(new double[] {1, 2, 0.5, -1, 0, 3}, 2, 3);

    @Test
    void crossEntropyMatchesPytorch() {
        assertEquals(3.015126343932687, new CrossEntropyLoss().forward(LOGITS, new int[] {2, 0}).item(), 1e-12);
        assertEquals(6.030252687865374, new CrossEntropyLoss(Reduction.SUM).forward(LOGITS, new int[] {2, 0}).item(), 1e-12);
        assertEquals(3.015126343932687, new NLLLoss().forward(LOGITS.logSoftmax(1), Tensor.of(new double[] {2, 0}, 2)).item(), 1e-12);
    }

    @Test
    void regressionAndBinaryLossesMatchPytorch() {
        assertEquals(0.75, new MSELoss().forward(Tensor.of(new double[] {0.5, -1, 2}), Tensor.of(new double[] {1, 0, 1})).item(), 1e-15);
        assertEquals(23.491358994726735, new BCEWithLogitsLoss().forward(Tensor.of(new double[] {0.5, -30, 40}),
                Tensor.of(new double[] {1, 1, 0})).item(), 1e-12);
        assertEquals(33.36845350521927, new BCELoss().forward(Tensor.of(new double[] {0.9, 0, 1}),
                Tensor.of(new double[] {1, 1, 1})).item(), 1e-9);
    }

    @Test
    void lossGradientsMatchCentralDifferences() {
        SplittableRandom rng = new SplittableRandom(4);
        Tensor logits = Tensor.randn(rng, 5, 4).to(DType.FLOAT64);
        Tensor targets = Tensor.rand(rng, 5, 4).to(DType.FLOAT64);
        Tensor probabilities = Tensor.rand(rng, 5, 4).to(DType.FLOAT64).mul(0.8).add(0.1);
        int[] classes = {3, 0, 1, 1, 2};
        check(GradCheck.check("cross-entropy", x -> new CrossEntropyLoss().forward(x[0], classes), logits));
        check(GradCheck.check("mse", x -> new MSELoss().forward(x[0], x[1]), logits, targets));
        check(GradCheck.check("bce-with-logits", x -> new BCEWithLogitsLoss().forward(x[0], targets), logits));
        check(GradCheck.check("bce", x -> new BCELoss().forward(x[0], targets), probabilities));
    }

    private static void check(GradCheck.Result r) {
        assertTrue(r.passed(), r.message());
    }

    @Test
    void binaryLossesHaveTheRightGradientAtTheirEdges() {
        // BCEWithLogits at logit 0: d/dx = (σ(0) − y) / n = (0.5 − y) / 2 (PyTorch gives the same).
        Tensor logits = Tensor.of(new double[] {0, 0}, 2).requiresGrad(true);
        new BCEWithLogitsLoss().forward(logits, Tensor.of(new double[] {1, 0}, 2)).backward();
        assertEquals(-0.25, logits.grad().getFlat(0), 1e-15);
        assertEquals(0.25, logits.grad().getFlat(1), 1e-15);
        // BCE at saturated probabilities stays finite, in value and gradient (p = σ(20) is 1.0 in float32).
        Tensor z = Tensor.of(new float[] {20, -20}, 2).requiresGrad(true);
        Tensor loss = new BCELoss().forward(z.sigmoid(), Tensor.of(new float[] {1, 0}, 2));
        loss.backward();
        assertTrue(Double.isFinite(loss.item()) && Double.isFinite(z.grad().getFlat(0)) && Double.isFinite(z.grad().getFlat(1)),
                "loss " + loss.item() + ", gradient " + z.grad());
        Tensor wrong = Tensor.of(new double[] {1.0}, 1).requiresGrad(true);
        Tensor l = new BCELoss().forward(wrong, Tensor.of(new double[] {0}, 1));
        l.backward();
        assertEquals(100.0, l.item(), 1e-12);
        assertEquals(1e12, wrong.grad().item(), 1);
    }

    @Test
    void badTargetsAreNamed() {
        var e = assertThrows(IndexOutOfBoundsException.class, () -> new CrossEntropyLoss().forward(LOGITS, new int[] {3, 0}));
        assertTrue(e.getMessage().contains("3"), e.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class,
                () -> new CrossEntropyLoss().forward(LOGITS, Tensor.of(new double[] {0.5, 1}, 2)));
        assertTrue(e2.getMessage().contains("0.5"), e2.getMessage());
        var e3 = assertThrows(IllegalArgumentException.class,
                () -> new MSELoss().forward(Tensor.zeros(3), Tensor.zeros(2, 3)));
        assertTrue(e3.getMessage().contains("[3]") && e3.getMessage().contains("[2, 3]"), e3.getMessage());
    }
}
