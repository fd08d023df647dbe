package nnlab.tensor.ops;

import java.util.function.Function;
import java.util.random.RandomGenerator;
import nnlab.tensor.Tensor;

/**
 * One entry of the op registry: how to call an op, and how to draw float64 inputs for its gradient
 * check (random shapes, broadcasting included, values kept away from the op's kinks and poles).
 *
 * @param name   the op, as it appears in failure messages
 * @param inputs draws a fresh set of inputs
 * @param apply  the computation to check, from those inputs
 */
public record OpSpec(String name, Function<RandomGenerator, Tensor[]> inputs, Function<Tensor[], Tensor> apply) {
}
