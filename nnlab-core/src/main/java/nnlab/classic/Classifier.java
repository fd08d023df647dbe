package nnlab.classic;

import nnlab.data.Examples;
import nnlab.metrics.Metrics;

/** A {@link ClassicModel} that predicts a class. */
public interface Classifier extends ClassicModel {
    /**
     * The predicted class of the example stored at {@code x[offset .. offset + features)}: the
     * argmax of the scores, the first index on ties (as {@code np.argmax}).
     */
    int predictClass(double[] x, int offset);

    /** The predicted class of every example, in order. */
    default int[] predictClasses(Examples examples) {
        int[] predicted = new int[examples.n()];
        for (int i = 0; i < predicted.length; i++) {
            predicted[i] = predictClass(examples.x(), i * examples.features());
        }
        return predicted;
    }

    /** {@code mean(predict(X) == y)}, the course's {@code evaluate}. */
    default double accuracy(Examples examples) {
        return Metrics.accuracy(predictClasses(examples), examples.labels());
    }
}
