package nnlab.experiment;

import java.util.List;
import java.util.Map;
import nnlab.train.Criterion;

/**
 * What sets the autodiff track's models apart, in one place: each model's own defaults (the cnn's are
 * the second homework's, hw2-q2.py), the settings that do not apply to it (refused when given, left out
 * of its stored configuration), whether it takes images or rows, and the loss its outputs call for.
 */
public enum Architecture {
    LOGISTIC_REGRESSION("logistic_regression", Map.of(), List.of("no_maxpool"), false, Criterion.CROSS_ENTROPY),
    MLP("mlp", Map.of(), List.of("no_maxpool"), false, Criterion.CROSS_ENTROPY),
    /** Ends in log-softmax and trains on NLL, as hw2-q2.py's CNN (log_softmax, then nll_loss). */
    CNN("cnn", Map.of("batch_size", "8", "dropout", "0.7"), List.of("hidden_size", "layers", "activation", "init"), true, Criterion.NLL);

    /** The name the command line and config.json give it. */
    public final String model;
    /** Defaults that differ from the schema's (Table 1 of the first homework). */
    public final Map<String, String> defaults;
    /** Settings it has no use for. */
    public final List<String> notItsOwn;
    /** Whether its batches are images [b, c, h, w] ({@link nnlab.data.CourseData#asImages()}) rather than rows. */
    public final boolean images;
    /** The loss it trains and is evaluated on: what its outputs are (scores, or log-probabilities). */
    public final Criterion criterion;

    Architecture(String model, Map<String, String> defaults, List<String> notItsOwn, boolean images, Criterion criterion) {
        this.model = model;
        this.defaults = defaults;
        this.notItsOwn = notItsOwn;
        this.images = images;
        this.criterion = criterion;
    }

    /** The architecture a model name names (the schema has checked the name). */
    public static Architecture of(String model) {
        for (Architecture a : values()) if (a.model.equals(model)) return a;
        throw new IllegalArgumentException("unknown model '" + model + "'; nnlab train takes logistic_regression, mlp or cnn");
    }

    /** The model whose setting {@code name} is, for a refusal's message: the cnn's no_maxpool, the mlp's shape settings. */
    static String ownerOf(String name) {
        return CNN.notItsOwn.contains(name) ? MLP.model : CNN.model;
    }
}
