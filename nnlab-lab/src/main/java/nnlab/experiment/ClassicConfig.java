package nnlab.experiment;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The settings of a numpy-track run ({@code nnlab classic}), named as the course's flags. Defaults
 * follow the course's scripts: hw1-q3.py (20 epochs, lr 0.001, hidden 200, one layer) for the
 * classifiers on Fashion-MNIST, and hw1-q2.py (150 epochs, lr 0.001, hidden 150) for the regression
 * models on ames.npz.
 */
public record ClassicConfig(String model, int epochs, double learningRate, int hiddenSize, int layers, double l2Penalty,
                            String activation, long seed, String data) implements RunConfig {

    public static final List<String> MODELS = List.of("perceptron", "logistic_regression", "mlp", "linear_regression", "nn");

    public static final Schema SCHEMA = new Schema("classic", List.of(
            Param.choice("model", "perceptron", MODELS, "the model"),
            Param.integer("epochs", 20, "passes over the training set").within("at least 1"),
            Param.number("learning_rate", 0.001, "SGD step size").within("a finite number >= 0"),
            Param.integer("hidden_size", 200, "units per hidden layer (mlp, nn)").within("at least 1"),
            Param.integer("layers", 1, "hidden layers (mlp)").within("at least 1"),
            Param.number("l2_penalty", 0, "L2 penalty of logistic regression").within("a finite number >= 0"),
            Param.choice("activation", "relu", List.of("relu", "tanh"), "hidden activation (mlp, nn)"),
            Param.longInteger("seed", 42, "seed of numpy's generator").within("in [0, 2^32 − 1], as numpy's"),
            Param.text("data", "fashion-mnist", "dataset name or path", "data_path")));

    public ClassicConfig {
        TrainConfig.require(epochs >= 1, SCHEMA.param("epochs"), epochs);
        TrainConfig.require(learningRate >= 0 && Double.isFinite(learningRate), SCHEMA.param("learning_rate"), learningRate);
        TrainConfig.require(hiddenSize >= 1, SCHEMA.param("hidden_size"), hiddenSize);
        TrainConfig.require(layers >= 1, SCHEMA.param("layers"), layers);
        TrainConfig.require(l2Penalty >= 0 && Double.isFinite(l2Penalty), SCHEMA.param("l2_penalty"), l2Penalty);
        TrainConfig.require(seed >= 0 && seed <= 0xFFFFFFFFL, SCHEMA.param("seed"), seed);
    }

    /** Whether the model is one of the regression models of hw1-q2.py. */
    public boolean isRegression() {
        return model.equals("linear_regression") || model.equals("nn");
    }

    public static ClassicConfig from(Map<String, String> settings) {
        String model = settings.getOrDefault("model", "perceptron");
        boolean regression = model.equals("linear_regression") || model.equals("nn");
        Map<String, String> defaults = regression
                ? Map.of("epochs", "150", "hidden_size", "150", "data", "ames")
                : Map.of();
        Map<String, Object> v = SCHEMA.resolve(settings, defaults);
        return new ClassicConfig((String) v.get("model"), (int) v.get("epochs"), (double) v.get("learning_rate"),
                (int) v.get("hidden_size"), (int) v.get("layers"), (double) v.get("l2_penalty"),
                (String) v.get("activation"), (long) v.get("seed"), (String) v.get("data"));
    }

    @Override
    public String kind() {
        return "classic";
    }

    @Override
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", model);
        m.put("epochs", epochs);
        m.put("learning_rate", learningRate);
        m.put("hidden_size", hiddenSize);
        m.put("layers", layers);
        m.put("l2_penalty", l2Penalty);
        m.put("activation", activation);
        m.put("seed", seed);
        m.put("data", data);
        return m;
    }
}
