package nnlab.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nnlab.nn.Dropout;
import nnlab.nn.Init;
import nnlab.nn.Linear;
import nnlab.nn.Module;
import nnlab.nn.Parameter;
import nnlab.nn.ReLU;
import nnlab.nn.Sequential;
import nnlab.nn.Sigmoid;
import nnlab.nn.Tanh;
import nnlab.optim.Adam;
import nnlab.optim.Optimizer;
import nnlab.optim.Sgd;
import nnlab.random.Rng;

/** Builds the autodiff track's models and optimisers from a {@link TrainConfig}. */
public final class Models {
    private Models() {}

    /**
     * {@code logistic_regression}: one Linear layer. {@code mlp}: {@code layers} × (Linear, activation,
     * Dropout) then a Linear output, registered as "0", "1", … so parameters are named {@code 0.weight},
     * {@code 3.weight}, …. {@code init}: {@code pytorch} keeps Linear's default; {@code normal} draws
     * weights from N(0.1, 0.1²) with zero biases (the course's numpy MLP); {@code xavier} and
     * {@code kaiming} use the uniform variants (gain for the activation) with zero biases.
     */
    public static Sequential build(TrainConfig c, int features, int classes, Rng rng) {
        List<Module> layers = new ArrayList<>();
        int in = features;
        if (c.model().equals("mlp")) {
            for (int i = 0; i < c.layers(); i++) {
                layers.add(new Linear(in, c.hiddenSize(), rng));
                layers.add(activation(c.activation()));
                layers.add(new Dropout(c.dropout(), rng.split()));
                in = c.hiddenSize();
            }
        }
        layers.add(new Linear(in, classes, rng));
        Sequential model = new Sequential(layers);
        initialise(model, c, rng);
        return model;
    }

    /**
     * The parameters {@link #build} makes, by name and shape, without making them: what a checkpoint
     * is checked against before a model of a stored configuration (perhaps gigabytes) is built.
     */
    public static Map<String, int[]> parameterShapes(TrainConfig c, int features, int classes) {
        Map<String, int[]> shapes = new LinkedHashMap<>();
        int in = features, index = 0;
        if (c.model().equals("mlp")) {
            for (int i = 0; i < c.layers(); i++, index += 3) { // Linear, activation, Dropout
                shapes.put(index + ".weight", new int[] {c.hiddenSize(), in});
                shapes.put(index + ".bias", new int[] {c.hiddenSize()});
                in = c.hiddenSize();
            }
        }
        shapes.put(index + ".weight", new int[] {classes, in});
        shapes.put(index + ".bias", new int[] {classes});
        return shapes;
    }

    private static Module activation(String name) {
        return switch (name) {
            case "relu" -> new ReLU();
            case "tanh" -> new Tanh();
            case "sigmoid" -> new Sigmoid();
            default -> throw new IllegalArgumentException("unknown activation '" + name + "' (relu, tanh, sigmoid)");
        };
    }

    private static void initialise(Sequential model, TrainConfig c, Rng rng) {
        if (c.init().equals("pytorch")) return;
        Init.Nonlinearity nonlinearity = switch (c.activation()) {
            case "tanh" -> Init.Nonlinearity.TANH;
            case "sigmoid" -> Init.Nonlinearity.SIGMOID;
            default -> Init.Nonlinearity.RELU;
        };
        for (int i = 0; i < model.size(); i++) {
            if (!(model.get(i) instanceof Linear layer)) continue;
            Parameter w = layer.weight();
            switch (c.init()) {
                case "normal" -> Init.normal(w, 0.1, 0.1, rng);
                case "xavier" -> Init.xavierUniform(w, Init.gain(nonlinearity, 0), rng);
                case "kaiming" -> Init.kaimingUniform(w, 0, Init.Fan.IN, nonlinearity, rng);
                default -> throw new IllegalArgumentException("unknown init '" + c.init() + "' (pytorch, normal, xavier, kaiming)");
            }
            if (layer.bias() != null) Init.zeros(layer.bias());
        }
    }

    /** SGD with momentum and weight decay, or Adam with L2 as weight decay (as the course's torch script). */
    public static Optimizer optimizer(TrainConfig c, List<Parameter> parameters) {
        return switch (c.optimizer()) {
            case "sgd" -> new Sgd(parameters, c.learningRate(), c.momentum(), c.l2Decay());
            case "adam" -> new Adam(parameters, c.learningRate(), c.l2Decay());
            default -> throw new IllegalArgumentException("unknown optimizer '" + c.optimizer() + "' (sgd, adam)");
        };
    }
}
