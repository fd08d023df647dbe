package nnlab.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.Stream;
import nnlab.tensor.ops.OpSpec;
import nnlab.tensor.ops.Ops;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Every op in the registry, on random shapes (broadcasting included), against float64 central differences. */
class OpRegistryGradCheckTest {
    private static final int TRIALS = 8;

    @TestFactory
    Stream<DynamicTest> everyOpMatchesCentralDifferences() {
        return Ops.registry().stream().map(spec -> DynamicTest.dynamicTest(spec.name(), () -> {
            SplittableRandom rng = new SplittableRandom(spec.name().hashCode());
            for (int trial = 0; trial < TRIALS; trial++) {
                Tensor[] inputs = spec.inputs().apply(rng);
                GradCheck.Result r = GradCheck.check(spec.name() + " (trial " + trial + ")", spec.apply(), inputs);
                assertTrue(r.passed(), r.message());
            }
        }));
    }

    /** The registry must reach every op class, so a new op cannot skip its gradient check. */
    @Test
    void registryCoversEveryOpClass() throws IOException, URISyntaxException {
        Set<String> reached = new TreeSet<>();
        SplittableRandom rng = new SplittableRandom(1);
        for (OpSpec spec : Ops.registry()) {
            Tensor[] inputs = spec.inputs().apply(rng);
            for (Tensor t : inputs) t.requiresGrad(true);
            collectOps(spec.apply().apply(inputs), reached);
        }
        Set<String> declared = new TreeSet<>();
        Path dir = Path.of(Ops.class.getResource("Ops.class").toURI()).getParent();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String name = p.getFileName().toString();
                if (!name.endsWith(".class") || name.contains("$")) continue;
                String simple = name.substring(0, name.length() - 6);
                try {
                    Class<?> c = Class.forName("nnlab.tensor.ops." + simple);
                    if (Op.class.isAssignableFrom(c)) declared.add(simple);
                } catch (ClassNotFoundException e) {
                    throw new AssertionError(e);
                }
            }
        }
        assertFalse(declared.isEmpty());
        declared.removeAll(reached);
        assertEquals(Set.of(), declared, "op classes that no registry entry exercises");
    }

    private static void collectOps(Tensor root, Set<String> names) {
        ArrayDeque<Tensor> todo = new ArrayDeque<>();
        todo.push(root);
        while (!todo.isEmpty()) {
            Tensor t = todo.pop();
            if (t.gradFn() == null) continue;
            names.add(t.gradFn().name());
            for (Tensor in : t.gradFn().inputs()) todo.push(in);
        }
    }

    @Test
    void aWrongGradientIsReportedWithOpShapeIndexAndBothValues() {
        // An op whose backward is deliberately off by a factor of two.
        class Doubling extends Op {
            @Override protected Tensor forward(Tensor... in) { return in[0].mul(3); }
            @Override protected Tensor[] backward(Tensor g) { return new Tensor[] {g.mul(6)}; }
        }
        Tensor x = Tensor.of(new double[] {0.5, -1, 2}, 3);
        GradCheck.Result r = GradCheck.check("doubling", in -> new Doubling().apply(in[0]), x);
        assertFalse(r.passed());
        assertTrue(r.message().contains("doubling") && r.message().contains("[3]") && r.message().contains("[0]")
                && r.message().contains("autograd") && r.message().contains("numerical"), r.message());
    }
}
