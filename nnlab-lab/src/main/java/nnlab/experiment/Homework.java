package nnlab.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The experiment list of one edition of the course's Homework 1, as {@link Step}s: each step is a
 * small sweep (a grid of one for a single run) of the numpy track ({@code classic}) or the autodiff
 * track ({@code train}). Settings and grids follow the assignment texts (COURSE.md, the seeds).
 */
public final class Homework {
    private Homework() {}

    /**
     * One experiment of the homework.
     *
     * @param id         folder name, e.g. {@code q4-1-logistic-regression}
     * @param question   the assignment's numbering, e.g. {@code Q4.1}
     * @param title      what it asks, in a line
     * @param kind       {@code classic} or {@code train}
     * @param base       fixed settings
     * @param grid       values per hyperparameter (empty for a single run)
     * @param oneAtATime vary one hyperparameter at a time around {@code base}
     * @param ran        what a quick run cut short ("3 of 20 epochs (quick), on the 4,000-image sample"),
     *                   empty for the homework's own settings
     */
    public record Step(String id, String question, String title, String kind, Map<String, String> base,
                       Map<String, List<String>> grid, boolean oneAtATime, String ran) {

        /** A step of the homework as the handout sets it (nothing cut short). */
        public Step(String id, String question, String title, String kind, Map<String, String> base,
                    Map<String, List<String>> grid, boolean oneAtATime) {
            this(id, question, title, kind, base, grid, oneAtATime, "");
        }

        /** The sweep specification stored as sweep.json. */
        public Map<String, Object> spec() {
            Map<String, Object> spec = new LinkedHashMap<>();
            spec.put("kind", kind);
            spec.put("base", base);
            spec.put("grid", grid.isEmpty() ? Map.of("seed", List.of(base.getOrDefault("seed", "42"))) : grid);
            spec.put("one_at_a_time", oneAtATime);
            return spec;
        }
    }

    /** The editions nnlab knows. */
    public static final List<String> EDITIONS = List.of("2021", "2023", "2024");

    /**
     * The steps of an edition. {@code quick} runs the same steps on a small dataset with few epochs
     * (about a minute in all); {@code data} overrides the dataset of the classification steps.
     */
    public static List<Step> steps(String edition, boolean quick, String data) {
        return steps(1, edition, quick, data);
    }

    /** The homeworks nnlab runs: 1 (linear models and MLPs) and 2 (the CNN). */
    public static final List<Integer> HOMEWORKS = List.of(1, 2);

    /** The steps of an edition's Homework 1 or 2 ({@link #steps(String, boolean, String)}). */
    public static List<Step> steps(int homework, String edition, boolean quick, String data) {
        String classification = data != null ? data : quick && edition.equals("2021") ? SAMPLE : dataset(edition);
        if (!EDITIONS.contains(edition)) {
            throw new IllegalArgumentException("unknown edition '" + edition + "'; known: " + EDITIONS);
        }
        List<Step> steps = switch (homework) {
            case 1 -> switch (edition) {
                case "2021" -> edition2021(classification);
                case "2023" -> edition2023(classification);
                default -> edition2024(classification);
            };
            case 2 -> homework2(classification);
            default -> throw new IllegalArgumentException("unknown homework " + homework + "; known: " + HOMEWORKS);
        };
        return quick ? steps.stream().map(Homework::quick).toList() : steps;
    }

    /**
     * Homework 2's CNN questions (hw2-q2.py, COURSE.md §4), on the edition's images: the network with
     * max pooling, its learning rate tuned (Q2.1); the same without max pooling, stride-2 convolutions
     * (Q2.2), at each of those learning rates so that the comparison at Q2.1's best one is there
     * whichever it is. The homework's defaults otherwise: 20 epochs, batch 8, dropout 0.7, SGD.
     */
    private static List<Step> homework2(String data) {
        Map<String, String> cnn = settings("model", "cnn", "epochs", "20", "batch_size", "8", "dropout", "0.7",
                "optimizer", "sgd", "l2_decay", "0", "data", data);
        Map<String, String> strided = new LinkedHashMap<>(cnn);
        strided.put("no_maxpool", "true");
        return List.of(
                new Step("q2-1-cnn", "Q2.1", "CNN with max pooling, 20 epochs, batch 8, dropout 0.7, learning rate tuned", "train",
                        cnn, grid("learning_rate", "0.1,0.01,0.001"), false),
                new Step("q2-2-no-maxpool", "Q2.2", "CNN without max pooling (stride-2 convolutions), 20 epochs, the same learning rates",
                        "train", strided, grid("learning_rate", "0.1,0.01,0.001"), false));
    }

    /** The dataset of an edition's classification questions: the one that year's course used. */
    public static String dataset(String edition) {
        return switch (edition) {
            case "2021" -> "fashion-mnist";
            case "2023" -> "octmnist";
            case "2024" -> "intel-landscapes";
            default -> throw new IllegalArgumentException("unknown edition '" + edition + "'; known: " + EDITIONS);
        };
    }

    /**
     * Few epochs: enough to draw every curve and fill every table, in about a minute. The title says
     * what ran ("Perceptron, 3 of 20 epochs (quick), on the 4,000-image sample"), so that no quick
     * figure can be taken for the homework's answer.
     */
    private static Step quick(Step s) {
        Map<String, String> base = new LinkedHashMap<>(s.base());
        int epochs = Integer.parseInt(base.get("epochs"));
        boolean ames = "ames".equals(base.get("data"));
        int ran = Math.min(epochs, ames ? 30 : s.kind().equals("classic") ? 3 : quickEpochs(base.get("batch_size")));
        base.put("epochs", Integer.toString(ran));
        Map<String, List<String>> grid = new LinkedHashMap<>(s.grid());
        String what = ran + " of " + epochs + " epochs (quick)";
        String title = s.title().contains(epochs + " epochs") ? s.title().replaceFirst(epochs + " epochs", what)
                : s.title() + "; " + what;
        if (SAMPLE.equals(base.get("data"))) {
            title += ", on the 4,000-image sample";
            what += ", on the 4,000-image sample";
        }
        return new Step(s.id(), s.question(), title, s.kind(), base, grid, s.oneAtATime(), what);
    }

    /** SGD updates a quick autodiff trial makes at least (on the 4,000-image sample), see {@link #quickEpochs}. */
    private static final int QUICK_UPDATES = 500;
    private static final int SAMPLE_TRAIN = 4000;

    /**
     * Two epochs at batch 1 are 8,000 updates, plenty to show learning; at the 2024-25 defaults (batch
     * 64, lr 0.002, plain SGD) two epochs are 126 updates and every network sat at chance (dev 0.10-0.12
     * on the sample), as did batch 512 and 1024. So a quick trial runs enough epochs for about
     * {@value #QUICK_UPDATES} updates on the sample (batch 64: 8 epochs; 1024: 128), each a fraction
     * of a second, and never more than the homework's own number.
     */
    private static int quickEpochs(String batchSize) {
        int batch = batchSize == null ? 1 : Integer.parseInt(batchSize);
        return Math.max(2, (int) Math.ceil((double) QUICK_UPDATES * batch / SAMPLE_TRAIN));
    }

    /**
     * The embedded sample of Fashion-MNIST: the quick run of the 2021 edition uses it, and a quick run of
     * another edition stands it in for that edition's data when the data is not on the machine.
     */
    public static final String SAMPLE = "fashion-mnist-sample";

    private static Map<String, String> settings(String... keyValues) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) m.put(keyValues[i], keyValues[i + 1]);
        return m;
    }

    private static Map<String, List<String>> grid(Object... keyValues) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            List<String> values = new ArrayList<>();
            for (String v : ((String) keyValues[i + 1]).split(",")) values.add(v);
            m.put((String) keyValues[i], values);
        }
        return m;
    }

    /** 2021-22: Ames regression (Q2), numpy models on Fashion-MNIST (Q3), PyTorch-style models (Q4). */
    private static List<Step> edition2021(String data) {
        return List.of(
                new Step("q2a-linear-regression", "Q2.2(a)", "Linear regression on Ames, SGD lr 0.001, 150 epochs; distance to the analytic solution",
                        "classic", settings("model", "linear_regression", "epochs", "150", "learning_rate", "0.001", "data", "ames"), Map.of(), false),
                new Step("q2b-neural-regression", "Q2.2(b)", "One-hidden-layer regression network (150 ReLU units), SGD lr 0.001, 150 epochs",
                        "classic", settings("model", "nn", "epochs", "150", "hidden_size", "150", "learning_rate", "0.001", "data", "ames"), Map.of(), false),
                new Step("q3a-perceptron", "Q3.1(a)", "Perceptron, 20 epochs", "classic",
                        settings("model", "perceptron", "epochs", "20", "data", data), Map.of(), false),
                new Step("q3b-logistic-regression", "Q3.1(b)", "Logistic regression, SGD lr 0.001, 20 epochs", "classic",
                        settings("model", "logistic_regression", "epochs", "20", "learning_rate", "0.001", "data", data), Map.of(), false),
                new Step("q3c-mlp", "Q3.2(b)", "MLP, 200 ReLU units, SGD lr 0.001, N(0.1, 0.1²) weights, 20 epochs", "classic",
                        settings("model", "mlp", "epochs", "20", "hidden_size", "200", "learning_rate", "0.001", "data", data), Map.of(), false),
                new Step("q4-1-logistic-regression", "Q4.1", "Logistic regression (batch 1, 20 epochs), learning rate tuned on dev", "train",
                        settings("model", "logistic_regression", "epochs", "20", "batch_size", "1", "data", data),
                        grid("learning_rate", "0.001,0.01,0.1"), false),
                new Step("q4-2-ffn", "Q4.2", "Feed-forward network, Table 1 defaults, each hyperparameter tuned alone", "train",
                        settings("model", "mlp", "epochs", "20", "batch_size", "1", "learning_rate", "0.01", "hidden_size", "200",
                                "dropout", "0.3", "activation", "relu", "optimizer", "sgd", "layers", "1", "data", data),
                        grid("learning_rate", "0.001,0.01,0.1", "hidden_size", "100,200", "dropout", "0.3,0.5",
                                "activation", "relu,tanh", "optimizer", "sgd,adam"), true),
                new Step("q4-3-depth", "Q4.3", "Table 1 defaults with 2 and 3 hidden layers", "train",
                        settings("model", "mlp", "epochs", "20", "batch_size", "1", "learning_rate", "0.01", "hidden_size", "200",
                                "dropout", "0.3", "activation", "relu", "optimizer", "sgd", "data", data),
                        grid("layers", "2,3"), false));
    }

    /** 2023-24 (OCTMNIST, 529-example test subset). */
    private static List<Step> edition2023(String data) {
        Map<String, String> ffn = settings("model", "mlp", "epochs", "20", "batch_size", "16", "learning_rate", "0.1",
                "hidden_size", "200", "dropout", "0.0", "layers", "2", "activation", "relu", "optimizer", "sgd", "data", data);
        Map<String, String> long150 = new LinkedHashMap<>(ffn);
        long150.put("batch_size", "256");
        long150.put("epochs", "150");
        return List.of(
                new Step("q1-1a-perceptron", "Q1.1(a)", "Perceptron, 20 epochs", "classic",
                        settings("model", "perceptron", "epochs", "20", "data", data), Map.of(), false),
                new Step("q1-1b-logistic-regression", "Q1.1(b)", "Logistic regression, 50 epochs, lr 0.01 and 0.001", "classic",
                        settings("model", "logistic_regression", "epochs", "50", "data", data), grid("learning_rate", "0.01,0.001"), false),
                new Step("q1-2b-mlp", "Q1.2(b)", "MLP, 200 ReLU units, lr 0.001, 20 epochs", "classic",
                        settings("model", "mlp", "epochs", "20", "hidden_size", "200", "learning_rate", "0.001", "data", data), Map.of(), false),
                new Step("q2-1-logistic-regression", "Q2.1", "Logistic regression, batch 16, 20 epochs, lr tuned", "train",
                        settings("model", "logistic_regression", "epochs", "20", "batch_size", "16", "data", data),
                        grid("learning_rate", "0.001,0.01,0.1"), false),
                new Step("q2-2a-batch", "Q2.2(a)", "Default FFN with batch 16 and 1024", "train", ffn, grid("batch_size", "16,1024"), false),
                new Step("q2-2b-learning-rate", "Q2.2(b)", "Default FFN with lr 1, 0.1, 0.01, 0.001", "train", ffn,
                        grid("learning_rate", "1,0.1,0.01,0.001"), false),
                new Step("q2-2c-regularisation", "Q2.2(c)", "Batch 256, 150 epochs: default, L2 1e-4, dropout 0.2", "train", long150,
                        grid("l2_decay", "0.0001", "dropout", "0.2"), true));
    }

    /** 2024-25 (Intel landscapes, 48×48 RGB). */
    private static List<Step> edition2024(String data) {
        Map<String, String> ffn = settings("model", "mlp", "epochs", "200", "batch_size", "64", "learning_rate", "0.002",
                "hidden_size", "200", "dropout", "0.3", "layers", "2", "activation", "relu", "optimizer", "sgd",
                "l2_decay", "0", "data", data);
        Map<String, String> big = new LinkedHashMap<>(ffn);
        big.put("batch_size", "1024");
        return List.of(
                new Step("q1-1-perceptron", "Q1.1(a)", "Perceptron, 100 epochs", "classic",
                        settings("model", "perceptron", "epochs", "100", "data", data), Map.of(), false),
                new Step("q1-2-logistic-regression", "Q1.2(a)-(c)", "Logistic regression, lr 0.001, 100 epochs, without and with L2 0.01 (weight norms)",
                        "classic", settings("model", "logistic_regression", "epochs", "100", "learning_rate", "0.001", "data", data),
                        grid("l2_penalty", "0,0.01"), false),
                new Step("q1-3-mlp", "Q1.3(a)", "MLP, 100 ReLU units, lr 0.001, 20 epochs", "classic",
                        settings("model", "mlp", "epochs", "20", "hidden_size", "100", "learning_rate", "0.001", "data", data), Map.of(), false),
                new Step("q2-1-logistic-regression", "Q2.1", "Logistic regression, batch 32, L2 0.01, 100 epochs, lr tuned", "train",
                        settings("model", "logistic_regression", "epochs", "100", "batch_size", "32", "l2_decay", "0.01", "data", data),
                        grid("learning_rate", "0.00001,0.001,0.1"), false),
                new Step("q2-2a-batch", "Q2.2(a)", "Default FFN (batch 64) and batch 512", "train", ffn, grid("batch_size", "64,512"), false),
                new Step("q2-2b-dropout", "Q2.2(b)", "Dropout 0.01, 0.25, 0.5", "train", ffn, grid("dropout", "0.01,0.25,0.5"), false),
                new Step("q2-2c-momentum", "Q2.2(c)", "Batch 1024 with momentum 0 and 0.9", "train", big, grid("momentum", "0.0,0.9"), false));
    }
}
