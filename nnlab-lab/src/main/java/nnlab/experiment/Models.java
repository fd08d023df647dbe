package nnlab.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nnlab.data.CourseData;
import nnlab.data.Examples;
import nnlab.data.ImageShape;
import nnlab.nn.Conv2d;
import nnlab.nn.Dropout;
import nnlab.nn.Flatten;
import nnlab.nn.LogSoftmax;
import nnlab.nn.MaxPool2d;
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
     * What a model takes: rows of {@code features} values, or images of a shape (the cnn; channels
     * and size follow the data).
     */
    public record Input(int features, ImageShape image) {
        public static Input of(Examples examples) {
            return new Input(examples.features(), examples.imageShape());
        }

        public static Input flat(int features) {
            return new Input(features, null);
        }
    }

    /**
     * The data in the layout the configured model takes: the cnn's batches are images [b, c, h, w]
     * ({@link CourseData#asImages()}), the others' rows.
     */
    public static CourseData prepare(TrainConfig c, CourseData data) {
        return c.architecture().images ? data.asImages() : data;
    }

    /** {@link #build(TrainConfig, Input, int, Rng)} for rows of {@code features} values. */
    public static Sequential build(TrainConfig c, int features, int classes, Rng rng) {
        return build(c, Input.flat(features), classes, rng);
    }

    /**
     * {@code logistic_regression}: one Linear layer. {@code mlp}: {@code layers} × (Linear, activation,
     * Dropout) then a Linear output, registered as "0", "1", … so parameters are named {@code 0.weight},
     * {@code 3.weight}, …. {@code init}: {@code pytorch} keeps Linear's default; {@code normal} draws
     * weights from N(0.1, 0.1²) with zero biases (the course's numpy MLP); {@code xavier} and
     * {@code kaiming} use the uniform variants (gain for the activation) with zero biases.
     */
    public static Sequential build(TrainConfig c, Input input, int classes, Rng rng) {
        if (c.architecture() == Architecture.CNN) return cnn(c, image(input), classes, rng);
        List<Module> layers = new ArrayList<>();
        int in = input.features();
        if (c.architecture() == Architecture.MLP) {
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
    public static Map<String, int[]> parameterShapes(TrainConfig c, Input input, int classes) {
        Map<String, int[]> shapes = new LinkedHashMap<>();
        if (c.architecture() == Architecture.CNN) {
            Cnn shape = Cnn.of(c, image(input));
            shapes.put("0.weight", new int[] {8, shape.channels(), 3, 3});
            shapes.put("0.bias", new int[] {8});
            int second = shape.pooling() ? 3 : 2;
            shapes.put(second + ".weight", new int[] {16, 8, 3, 3});
            shapes.put(second + ".bias", new int[] {16});
            int first = second + (shape.pooling() ? 4 : 3); // conv, ReLU, [pool], Flatten
            int[][] linears = {{320, shape.flat()}, {120, 320}, {classes, 120}};
            int[] offsets = {0, 3, 5}; // Linear, ReLU, Dropout, Linear, ReLU, Linear
            for (int i = 0; i < 3; i++) {
                shapes.put((first + offsets[i]) + ".weight", linears[i]);
                shapes.put((first + offsets[i]) + ".bias", new int[] {linears[i][0]});
            }
            return shapes;
        }
        int in = input.features(), index = 0;
        if (c.architecture() == Architecture.MLP) {
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

    /**
     * The second homework's CNN (hw2-q2.py): conv(c→8, 3×3, padding 1) – ReLU – max-pool 2 –
     * conv(8→16, 3×3) – ReLU – max-pool 2 – flatten – 320 – ReLU – dropout – 120 – ReLU – classes –
     * log-softmax; with no_maxpool both convolutions have stride 2 and nothing pools (28×28 images
     * reach the first affine layer as 16×6×6 = 576 values either way). PyTorch's initialisation.
     */
    private static Sequential cnn(TrainConfig c, ImageShape image, int classes, Rng rng) {
        Cnn shape = Cnn.of(c, image);
        List<Module> layers = new ArrayList<>();
        layers.add(new Conv2d(image.channels(), 8, 3, shape.stride(), 1, rng));
        layers.add(new ReLU());
        if (shape.pooling()) layers.add(new MaxPool2d(2));
        layers.add(new Conv2d(8, 16, 3, shape.stride(), 0, rng));
        layers.add(new ReLU());
        if (shape.pooling()) layers.add(new MaxPool2d(2));
        layers.add(new Flatten());
        layers.add(new Linear(shape.flat(), 320, rng));
        layers.add(new ReLU());
        layers.add(new Dropout(c.dropout(), rng.split()));
        layers.add(new Linear(320, 120, rng));
        layers.add(new ReLU());
        layers.add(new Linear(120, classes, rng));
        layers.add(new LogSoftmax(1));
        return new Sequential(layers);
    }

    /** The cnn's geometry for images of a shape: the convolutions' stride, whether it pools, the flattened size. */
    private record Cnn(int channels, int stride, boolean pooling, int flat) {
        static Cnn of(TrainConfig c, ImageShape image) {
            boolean pooling = !c.noMaxpool();
            int stride = pooling ? 1 : 2;
            int h = image.height(), w = image.width();
            h = Math.floorDiv(h + 2 - 3, stride) + 1; // first convolution, padding 1
            w = Math.floorDiv(w + 2 - 3, stride) + 1;
            if (pooling) { h /= 2; w /= 2; }
            h = Math.floorDiv(h - 3, stride) + 1; // second convolution, no padding
            w = Math.floorDiv(w - 3, stride) + 1;
            if (pooling) { h /= 2; w /= 2; }
            if (h < 1 || w < 1) {
                throw new IllegalArgumentException("images of " + image + " are too small for the cnn (at least 8x8 with max "
                        + "pooling, 5x5 without)");
            }
            return new Cnn(image.channels(), stride, pooling, 16 * h * w);
        }
    }

    private static ImageShape image(Input input) {
        if (input.image() == null) {
            throw new IllegalArgumentException("the cnn takes images, and these examples are rows of " + input.features()
                    + " features (load them with Models.prepare, or CourseData.asImages())");
        }
        return input.image();
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
