package nnlab.optim;

import java.util.function.IntToDoubleFunction;

/**
 * Learning-rate schedules as pure functions of the step (or epoch) t = 0, 1, 2, …: give
 * {@code schedule.applyAsDouble(t)} to {@link Optimizer#setLearningRate} before step t.
 */
public final class Schedules {
    private Schedules() {}

    /** lr·γ^⌊t / stepSize⌋ (PyTorch's StepLR). */
    public static IntToDoubleFunction step(double lr, int stepSize, double gamma) {
        if (stepSize <= 0) throw new IllegalArgumentException("step schedule: stepSize must be positive, got " + stepSize);
        return t -> lr * Math.pow(gamma, Math.floorDiv(t, stepSize));
    }

    /** lr·γ^t (PyTorch's ExponentialLR). */
    public static IntToDoubleFunction exponential(double lr, double gamma) {
        return t -> lr * Math.pow(gamma, t);
    }

    /** minLr + (lr − minLr)·(1 + cos(π·t / total)) / 2, then minLr after {@code total} (CosineAnnealingLR). */
    public static IntToDoubleFunction cosine(double lr, int total, double minLr) {
        if (total <= 0) throw new IllegalArgumentException("cosine schedule: total must be positive, got " + total);
        return t -> t >= total ? minLr : minLr + (lr - minLr) * (1 + Math.cos(Math.PI * t / total)) / 2;
    }

    /** The same rate at every step. */
    public static IntToDoubleFunction constant(double lr) {
        return t -> lr;
    }
}
