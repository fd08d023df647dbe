package nnlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CheckCommandTest {
    private record Run(int status, String out, String err) {}

    private static Run run(String... argv) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int status = Main.run(argv, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void allChecksPass() {
        Run r = run("check", "all");
        assertEquals(0, r.status(), r.out() + r.err());
        for (String line : new String[] {
                "σ′(z) = σ(z)(1 − σ(z))", "J = diag(p) − ppᵀ", "convex in z: smallest Hessian eigenvalue",
                "null direction", "squared loss ½‖z − y‖² convex in (W, b)", "logistic loss convex in (W, b)",
                "negative curvature at random θ", "not convex: a, b = θ ±", "not linearly separable",
                "perceptron on all 4 points", "exact on 4/4 points", "c_Θᵀφ(x)", "closed form ≤ gradient descent",
                "ReLU activation learns it: accuracy 1.0000", "linear activation g(z) = z does not", "it is a linear model",
                "singular Q (rank 1 of 4)"}) {
            assertTrue(r.out().contains(line), "missing '" + line + "' in:\n" + r.out());
        }
        assertFalse(r.out().contains("  FAIL "), r.out());
        assertTrue(r.out().contains("summary: 32 PASS, 0 FAIL"), r.out());
    }

    @Test
    void rangeFunctionTakesItsOptions() {
        Run r = run("check", "range-function", "--dim", "5", "--a", "-1", "--b", "3", "--seed", "3");
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(r.out().contains("exact on 32/32 points"), r.out());
        assertTrue(r.out().contains("ε = 1/(2D) = 0.1"), r.out());
    }

    @Test
    void mistakesAreUsageErrors() {
        assertEquals(2, run("check", "curvature").status());
        assertEquals(2, run("check", "sigmoid", "--dim", "3").status());
        assertEquals(2, run("check").status());
        Run r = run("check", "range-function", "--dim", "40");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("dimension D must be 1..16"), r.err());
        r = run("check", "range-function", "--a", "1", "--b", "-1");
        assertEquals(2, r.status(), "a > b is no range: " + r.out());
        assertTrue(r.err().contains("--a 1.0 is above --b -1.0") && r.err().contains("swap them: --a -1.0 --b 1.0"), r.err());
    }

    /** --data takes what 'nnlab data' lists (a user types ames, not a path), or a path; a classification dataset is refused. */
    @Test
    void quadraticNetworkTakesADatasetNameOrPath() {
        Run r = run("check", "quadratic-network", "--data", "ames", "--features", "3");
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(r.out().contains("data: ames, the training set's first 3 features; 1465 examples"), r.out());
        r = run("check", "quadratic-network", "--data", "fashion-mnist-sample");
        assertEquals(2, r.status(), r.out());
        assertTrue(r.err().contains("fashion-mnist-sample is a classification dataset") && r.err().contains("ames"), r.err());
        r = run("check", "quadratic-network", "--data", "ames", "--features", "0");
        assertTrue(r.status() == 2 && r.err().contains("features must be 1..348 for ames, got 0"), r.err());
        // All of ames's 348 features: P = 61,075, a 30 GB matrix (it ran out of memory after 40 s).
        r = run("check", "quadratic-network", "--data", "ames", "--features", "348");
        assertTrue(r.status() == 2 && r.err().contains("P = 61,075 quadratic features") && r.err().contains("--features 47 or fewer"),
                r.err());
        assertTrue(r.out().isEmpty(), "refused before any check ran: " + r.out());
    }
}
