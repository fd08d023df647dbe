package nnlab.classic;

import nnlab.data.Examples;

/** Argument checks shared by the models; messages carry the offending values. */
final class Checks {
    private Checks() {}

    static int positive(String name, int value) {
        if (value <= 0) throw new IllegalArgumentException(name + " must be positive, got " + value);
        return value;
    }

    static double learningRate(double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("learning rate must be positive and finite, got " + value);
        }
        return value;
    }

    static double nonNegative(String name, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be non-negative and finite, got " + value);
        }
        return value;
    }

    static void features(Examples examples, int features, String model) {
        int got = examples.features();
        if (got != features) {
            String hint = got == features + 1 ? " (one too many: the MLP takes no bias column)"
                    : got + 1 == features ? " (one too few: the linear models need the bias column, Examples.withBias())"
                    : "";
            throw new IllegalArgumentException(model + " expects " + features + " features per example, got " + got + hint);
        }
    }

    static void classification(Examples examples, int classes, String model) {
        if (!examples.isClassification()) {
            throw new IllegalArgumentException(model + " needs labelled examples, got regression targets");
        }
        for (int i = 0; i < examples.n(); i++) {
            int label = examples.labels()[i];
            if (label < 0 || label >= classes) {
                throw new IllegalArgumentException(model + " has " + classes + " classes but example " + i
                        + " has label " + label);
            }
        }
    }

    static void regression(Examples examples, String model) {
        if (examples.isClassification()) {
            throw new IllegalArgumentException(model + " needs regression targets, got class labels");
        }
    }

    static void order(int[] order, int n) {
        for (int i = 0; i < order.length; i++) {
            if (order[i] < 0 || order[i] >= n) {
                throw new IllegalArgumentException("order[" + i + "] = " + order[i] + " is not a row of " + n + " examples");
            }
        }
    }
}
