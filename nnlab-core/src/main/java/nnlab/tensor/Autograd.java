package nnlab.tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The reverse-mode engine: order the graph below a tensor topologically (iteratively, so a chain of
 * any length is fine), then sweep it backwards, summing each tensor's gradient over its uses and
 * accumulating into the {@code grad} of the leaves that require one.
 *
 * <p>Gradient tracking is per thread, so parallel trials do not disturb each other.
 */
public final class Autograd {
    private static final ThreadLocal<int[]> NO_GRAD_DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    private Autograd() {}

    /** A scope in which no graph is recorded: {@code try (var s = Autograd.noGrad()) { ... }}. Scopes nest. */
    public static Scope noGrad() {
        int[] depth = NO_GRAD_DEPTH.get();
        depth[0]++;
        boolean[] closed = {false};
        // Closing twice must not re-enable tracking a level too early (or disable it for good on this thread).
        return () -> {
            if (!closed[0]) {
                closed[0] = true;
                depth[0]--;
            }
        };
    }

    /** Whether operations on this thread are being recorded for differentiation. */
    public static boolean isEnabled() {
        return NO_GRAD_DEPTH.get()[0] == 0;
    }

    /** A no-grad scope; closing it restores the previous mode. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    static void backward(Tensor root, Tensor gradient) {
        List<Tensor> order = topologicalOrder(root);
        Map<Tensor, Tensor> grads = new IdentityHashMap<>();
        grads.put(root, gradient);
        try (var scope = noGrad()) {
            for (int i = order.size() - 1; i >= 0; i--) {
                Tensor t = order.get(i);
                Tensor g = grads.remove(t);
                if (g == null) continue;
                Op op = t.gradFn();
                if (op == null) {
                    t.accumulateGrad(g);
                    continue;
                }
                Tensor[] inputs = op.inputs();
                Tensor[] inputGrads = op.runBackward(g);
                for (int j = 0; j < inputs.length; j++) {
                    Tensor input = inputs[j];
                    if (!input.requiresGrad() || inputGrads[j] == null) continue;
                    if (!inputGrads[j].shape().equals(input.shape())) {
                        throw new IllegalStateException(op.name() + ".backward returned a gradient of shape "
                                + inputGrads[j].shape() + " for input " + j + " of shape " + input.shape());
                    }
                    grads.merge(input, inputGrads[j], Tensor::add);
                }
            }
        }
    }

    /** Tensors that require grad below {@code root}, each after all its inputs (post-order, iterative). */
    static List<Tensor> topologicalOrder(Tensor root) {
        List<Tensor> order = new ArrayList<>();
        Set<Tensor> visited = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Tensor> stack = new ArrayDeque<>();
        ArrayDeque<Integer> next = new ArrayDeque<>();
        visited.add(root);
        stack.push(root);
        next.push(0);
        while (!stack.isEmpty()) {
            Tensor t = stack.peek();
            int i = next.pop();
            Tensor[] inputs = t.gradFn() == null ? new Tensor[0] : t.gradFn().inputs();
            if (i < inputs.length) {
                next.push(i + 1);
                Tensor child = inputs[i];
                if (child.requiresGrad() && visited.add(child)) {
                    stack.push(child);
                    next.push(0);
                }
            } else {
                stack.pop();
                order.add(t);
            }
        }
        return order;
    }
}
