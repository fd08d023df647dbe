package nnlab.experiment;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The settings of an autodiff-track run ({@code nnlab train}), named as the course's flags. Defaults
 * are the course's Table 1 (2021-22): 20 epochs, batch 1, lr 0.01, hidden 200, one layer, dropout 0.3,
 * ReLU, SGD, no momentum, no L2, PyTorch's default initialisation.
 *
 * @param earlyStopping patience in epochs; 0 turns early stopping off
 */
public record TrainConfig(String model, int epochs, int batchSize, double learningRate, double l2Decay, int hiddenSize,
                          int layers, double dropout, String activation, String optimizer, double momentum, String init,
                          int earlyStopping, long seed, String data) implements RunConfig {

    public static final Schema SCHEMA = new Schema("train", List.of(
            Param.choice("model", "mlp", List.of("logistic_regression", "mlp"), "the model"),
            Param.integer("epochs", 20, "passes over the training set"),
            Param.integer("batch_size", 1, "examples per step"),
            Param.number("learning_rate", 0.01, "step size"),
            Param.number("l2_decay", 0, "L2 penalty, applied as the optimiser's weight decay"),
            Param.integer("hidden_size", 200, "units per hidden layer", "hidden_sizes"),
            Param.integer("layers", 1, "number of hidden layers"),
            Param.number("dropout", 0.3, "probability of dropping a hidden unit (after each hidden activation)"),
            Param.choice("activation", "relu", List.of("relu", "tanh", "sigmoid"), "hidden activation"),
            Param.choice("optimizer", "sgd", List.of("sgd", "adam"), "optimiser"),
            Param.number("momentum", 0, "SGD momentum"),
            Param.choice("init", "pytorch", List.of("pytorch", "normal", "xavier", "kaiming"), "weight initialisation"),
            Param.integer("early_stopping", 0, "stop after this many epochs without a better dev accuracy (0: off)"),
            Param.longInteger("seed", 42, "seed of every random draw of the run"),
            Param.text("data", "fashion-mnist", "dataset name or path", "data_path")));

    public TrainConfig {
        require(epochs >= 1, "epochs", epochs, "at least 1");
        require(batchSize >= 1, "batch_size", batchSize, "at least 1");
        require(learningRate >= 0 && Double.isFinite(learningRate), "learning_rate", learningRate, "a finite number >= 0");
        require(l2Decay >= 0, "l2_decay", l2Decay, ">= 0");
        require(hiddenSize >= 1, "hidden_size", hiddenSize, "at least 1");
        require(layers >= 1, "layers", layers, "at least 1");
        require(dropout >= 0 && dropout < 1, "dropout", dropout, "in [0, 1)");
        require(momentum >= 0, "momentum", momentum, ">= 0");
        require(earlyStopping >= 0, "early_stopping", earlyStopping, ">= 0");
        if (optimizer.equals("adam") && momentum != 0) {
            throw new IllegalArgumentException("-momentum " + momentum + " is an SGD setting; Adam has none (use -optimizer sgd)");
        }
    }

    static void require(boolean ok, String name, Object value, String what) {
        if (!ok) throw new IllegalArgumentException("-" + name + " must be " + what + ", got " + value);
    }

    /** The configuration from flat settings (keys may be the course's aliases); missing keys take defaults. */
    public static TrainConfig from(Map<String, String> settings) {
        Map<String, Object> v = SCHEMA.resolve(settings, Map.of());
        return new TrainConfig((String) v.get("model"), (int) v.get("epochs"), (int) v.get("batch_size"),
                (double) v.get("learning_rate"), (double) v.get("l2_decay"), (int) v.get("hidden_size"),
                (int) v.get("layers"), (double) v.get("dropout"), (String) v.get("activation"),
                (String) v.get("optimizer"), (double) v.get("momentum"), (String) v.get("init"),
                (int) v.get("early_stopping"), (long) v.get("seed"), (String) v.get("data"));
    }

    @Override
    public String kind() {
        return "train";
    }

    @Override
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", model);
        m.put("epochs", epochs);
        m.put("batch_size", batchSize);
        m.put("learning_rate", learningRate);
        m.put("l2_decay", l2Decay);
        m.put("hidden_size", hiddenSize);
        m.put("layers", layers);
        m.put("dropout", dropout);
        m.put("activation", activation);
        m.put("optimizer", optimizer);
        m.put("momentum", momentum);
        m.put("init", init);
        m.put("early_stopping", earlyStopping);
        m.put("seed", seed);
        m.put("data", data);
        return m;
    }
}
