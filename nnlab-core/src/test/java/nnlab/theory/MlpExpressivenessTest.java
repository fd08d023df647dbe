package nnlab.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import nnlab.random.Rng;
import org.junit.jupiter.api.Test;

/** Question 3.2(a) (2021-22), 1.2(a) (2023-24): what a hidden layer adds, and what it does not when linear. */
class MlpExpressivenessTest {
    @Test
    void perceptronFailsReluNetworkLearnsLinearNetworkIsALinearModel() {
        for (long seed : new long[] {1, 42, 7}) {
            MlpExpressiveness.Result r = MlpExpressiveness.check(new Rng(seed));
            assertTrue(r.perceptron().bestAccuracy() <= 0.75, "seed " + seed + ": a line gets at most 3 of XOR's 4 points");
            assertTrue(r.handBuilt().exact(), "the hand-built ReLU network computes XOR");
            assertEquals(1.0, r.relu().accuracy(), "seed " + seed + ": trained ReLU network, loss " + r.relu().finalLoss());
            assertTrue(r.relu().finalLoss() < 0.05 * r.relu().initialLoss(), "seed " + seed + ": its loss fell");
            assertTrue(r.linear().accuracy() <= 0.75, "seed " + seed + ": a linear network is a linear model");
            assertTrue(r.collapse().maxDifference() <= MlpExpressiveness.COLLAPSE_TOLERANCE, "collapse " + r.collapse().maxDifference());
            assertTrue(r.passed(), "seed " + seed);
        }
    }

    /** The collapse is an identity, not an artefact of training: it holds for any weights. */
    @Test
    void aLinearNetworkEqualsItsCollapsedModelAtAnyWeights() {
        Rng rng = new Rng(5);
        double[][] w = {{1.5, -2}, {0.25, 3}, {-1, -1}};
        MlpExpressiveness.Trained net = new MlpExpressiveness.Trained(MlpExpressiveness.Activation.LINEAR, 0, 0, 0, w,
                new double[] {0.5, -1, 2}, new double[] {1, -2, 0.5}, 0.75);
        MlpExpressiveness.Collapse c = MlpExpressiveness.collapse(net, new RangeFunction(2, -1, 1), rng);
        // Wᵀv = (1.5 − 0.5 − 0.5, −2 − 6 − 0.5), vᵀb + c = 0.5 + 2 + 1 + 0.75
        assertEquals(0.5, c.weights()[0], 1e-15);
        assertEquals(-8.5, c.weights()[1], 1e-15);
        assertEquals(4.25, c.bias(), 1e-15);
        assertTrue(c.maxDifference() < 1e-12);
    }
}
