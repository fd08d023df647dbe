package nnlab.classic;

import nnlab.data.Examples;
import nnlab.metrics.Metrics;

/** A {@link ClassicModel} that predicts a real value. */
public interface Regressor extends ClassicModel {
    /** The prediction for the example stored at {@code x[offset .. offset + features)}. */
    double predictValue(double[] x, int offset);

    /** The prediction for every example, in order. */
    default double[] predictValues(Examples examples) {
        double[] predicted = new double[examples.n()];
        for (int i = 0; i < predicted.length; i++) {
            predicted[i] = predictValue(examples.x(), i * examples.features());
        }
        return predicted;
    }

    /** {@code sqrt(mean((predict(X) − y)²))}, the course's regression {@code evaluate}. */
    default double rootMeanSquaredError(Examples examples) {
        return Metrics.rootMeanSquaredError(predictValues(examples), examples.targets());
    }
}
