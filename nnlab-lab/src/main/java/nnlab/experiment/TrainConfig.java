package nnlab.experiment;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The settings of an autodiff-track run ({@code nnlab train}), named as the course's flags. Defaults
 * are the course's Table 1 (2021-22): 20 epochs, batch 1, lr 0.01, hidden 200, one layer, dropout 0.3,
 * ReLU, SGD, no momentum, no L2, PyTorch's default initialisation. The {@code cnn} (the second
 * homework's network, hw2-q2.py) takes that homework's defaults instead: batch 8, dropout 0.7; the
 * MLP's shape settings (hidden size, layers, activation, init) do not apply to it, nor
 * {@code no_maxpool} to the others, and such settings are refused rather than ignored.
 *
 * @param earlyStopping patience in epochs; 0 turns early stopping off
 */
public record TrainConfig(String model, int epochs, int batchSize, double learningRate, double l2Decay, int hiddenSize,
                          int layers, double dropout, String activation, String optimizer, double momentum, String init,
                          boolean noMaxpool, int earlyStopping, long seed, String data) implements RunConfig {

    public static final Schema SCHEMA = new Schema("train", List.of(
            Param.choice("model", "mlp", java.util.Arrays.stream(Architecture.values()).map(a -> a.model).toList(), "the model"),
            Param.integer("epochs", 20, "passes over the training set").within("at least 1"),
            Param.integer("batch_size", 1, "examples per step (cnn: default 8)").within("at least 1"),
            Param.number("learning_rate", 0.01, "step size").within("a finite number >= 0"),
            Param.number("l2_decay", 0, "L2 penalty, applied as the optimiser's weight decay").within("a finite number >= 0"),
            Param.integer("hidden_size", 200, "mlp: units per hidden layer", "hidden_sizes").within("at least 1"),
            Param.integer("layers", 1, "mlp: number of hidden layers").within("at least 1"),
            Param.number("dropout", 0.3, "probability of dropping a hidden unit (after each hidden activation; cnn: default 0.7)")
                    .within("in [0, 1)"),
            Param.choice("activation", "relu", List.of("relu", "tanh", "sigmoid"), "mlp: hidden activation"),
            Param.choice("optimizer", "sgd", List.of("sgd", "adam"), "optimiser"),
            Param.number("momentum", 0, "SGD momentum").within("a finite number >= 0"),
            Param.choice("init", "pytorch", List.of("pytorch", "normal", "xavier", "kaiming"), "mlp: weight initialisation"),
            Param.flag("no_maxpool", "cnn: stride-2 convolutions instead of max pooling (the second homework's Q2.2)"),
            Param.integer("early_stopping", 0, "stop after this many epochs without a better dev accuracy (0: off)")
                    .within(">= 0"),
            Param.longInteger("seed", 42, "seed of every random draw of the run"),
            Param.text("data", "fashion-mnist", "dataset name or path", "data_path")));

    public TrainConfig {
        require(epochs >= 1, SCHEMA.param("epochs"), epochs);
        require(batchSize >= 1, SCHEMA.param("batch_size"), batchSize);
        require(learningRate >= 0 && Double.isFinite(learningRate), SCHEMA.param("learning_rate"), learningRate);
        require(l2Decay >= 0 && Double.isFinite(l2Decay), SCHEMA.param("l2_decay"), l2Decay);
        require(hiddenSize >= 1, SCHEMA.param("hidden_size"), hiddenSize);
        require(layers >= 1, SCHEMA.param("layers"), layers);
        require(dropout >= 0 && dropout < 1, SCHEMA.param("dropout"), dropout);
        require(momentum >= 0 && Double.isFinite(momentum), SCHEMA.param("momentum"), momentum);
        require(earlyStopping >= 0, SCHEMA.param("early_stopping"), earlyStopping);
        // (Fields are not yet assigned in a compact constructor: the parameters are read.)
        Map<String, Object> given = Map.of("hidden_size", hiddenSize, "layers", layers, "activation", activation, "init", init,
                "no_maxpool", noMaxpool);
        for (String notOwn : Architecture.of(model).notItsOwn) {
            Param p = SCHEMA.param(notOwn);
            if (!given.get(notOwn).equals(p.parse(p.defaultValue()))) {
                throw new IllegalArgumentException("-" + notOwn + " is a setting of the " + Architecture.ownerOf(notOwn) + "; "
                        + (Architecture.of(model) == Architecture.CNN ? "the cnn's layers are fixed as the homework's (nnlab train --help lists the cnn's settings)"
                        : "the " + model + " has no pooling"));
            }
        }
        if (optimizer.equals("adam") && momentum != 0) {
            throw new IllegalArgumentException("-momentum " + momentum + " is an SGD setting; Adam has none (use -optimizer sgd)");
        }
    }

    public Architecture architecture() {
        return Architecture.of(model);
    }

    /** Refuses a setting out of the range its parameter gives ({@link Param#within}). */
    static void require(boolean ok, Param param, Object value) {
        if (!ok) throw param.outOfRange(value);
    }

    /** The configuration from flat settings (keys may be the course's aliases); missing keys take defaults. */
    public static TrainConfig from(Map<String, String> settings) {
        String model = settings.getOrDefault("model", SCHEMA.param("model").defaultValue());
        // An unknown model name is the schema's to refuse (with its list of choices), not the defaults'.
        Map<String, String> defaults = java.util.Arrays.stream(Architecture.values()).anyMatch(a -> a.model.equals(model))
                ? Architecture.of(model).defaults : Map.of();
        Map<String, Object> v = SCHEMA.resolve(settings, defaults);
        return new TrainConfig((String) v.get("model"), (int) v.get("epochs"), (int) v.get("batch_size"),
                (double) v.get("learning_rate"), (double) v.get("l2_decay"), (int) v.get("hidden_size"),
                (int) v.get("layers"), (double) v.get("dropout"), (String) v.get("activation"),
                (String) v.get("optimizer"), (double) v.get("momentum"), (String) v.get("init"),
                (boolean) v.get("no_maxpool"), (int) v.get("early_stopping"), (long) v.get("seed"), (String) v.get("data"));
    }

    @Override
    public String kind() {
        return "train";
    }

    /**
     * The settings that apply to this model, by canonical name: the cnn's leave out the mlp's shape
     * settings, the others leave out no_maxpool (so their stored configurations are as before it).
     */
    @Override
    public Map<String, Object> toMap() {
        Map<String, Object> m = toMapAll();
        architecture().notItsOwn.forEach(m::remove);
        return m;
    }

    private Map<String, Object> toMapAll() {
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
        m.put("no_maxpool", noMaxpool);
        m.put("early_stopping", earlyStopping);
        m.put("seed", seed);
        m.put("data", data);
        return m;
    }
}
