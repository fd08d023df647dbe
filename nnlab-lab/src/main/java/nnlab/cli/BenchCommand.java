package nnlab.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import nnlab.data.CourseData;
import nnlab.experiment.ClassicConfig;
import nnlab.experiment.ClassicRun;
import nnlab.experiment.Json;
import nnlab.experiment.RunDirectory;
import nnlab.experiment.TrainConfig;
import nnlab.experiment.TrainRun;
import nnlab.metrics.EpochRecord;

/**
 * {@code nnlab bench [--quick] [--only NAME,…] [--json] [--list]}: the end-to-end workloads of the speed issue,
 * the same as the PyTorch and NumPy scripts of shared/bench, timed as they time themselves: the
 * median over epochs of the training pass alone (no evaluation).
 *
 * <p>The classic workloads run at least {@link #CLASSIC_EPOCHS} epochs, so that the median is
 * a steady epoch: their first epoch also pays for the JIT compiling the SIMD kernels (a one-time
 * cost of the process, as importing numpy is for the reference, whose timer excludes it), and the
 * next one or two still run partly optimised code while C2 recompiles the training loop (the
 * perceptron's epochs 2 and 3 ran about 25% slower than epochs 4 to 6 in every one of six
 * processes measured). That
 * first epoch is reported too ({@code first_epoch_seconds}), and the accuracies are those after
 * the reference's number of epochs, read from the per-epoch metrics. The train workloads whose
 * reference runs fewer than three epochs (batch 1: one and two) first run one untimed epoch of the
 * same workload in the same process ({@code warm_up_epochs}: 1), whose time is then the first-epoch
 * figure: otherwise their median would be mostly that one-time compilation. Their accuracies come
 * from the timed run, after the reference's epochs.
 */
final class BenchCommand {
    private BenchCommand() {}

    /**
     * Epochs a train workload's process runs before its median is a steady one: those whose
     * reference runs fewer get a warm-up epoch first (see the class comment).
     */
    static final int STEADY_EPOCHS = 3;

    /** Epochs the classic workloads run at least: the median of five is the third-fastest, a steady one. */
    static final int CLASSIC_EPOCHS = 5;

    /**
     * A workload: its name, which track, its settings, the reference script that mirrors it, and
     * whether a fused step may run (false: the graph step, as {@code nnlab train --no-fused}).
     */
    record Workload(String name, String kind, Map<String, String> settings, String reference, boolean fused) {
        Workload(String name, String kind, Map<String, String> settings, String reference) {
            this(name, kind, settings, reference, true);
        }

        /** The same workload on the graph step ({@code --no-fused}), under another name. */
        Workload onGraphStep(String graphName) {
            return new Workload(graphName, kind, settings, reference, false);
        }

        /** The epochs the reference script runs (its {@code --epochs}). */
        int referenceEpochs() {
            return Integer.parseInt(settings.get("epochs"));
        }
    }

    /** An autodiff-track MLP workload: the course's defaults changed by {@code changes} (flag, value, …). */
    private static Workload ffn(String name, String reference, String... changes) {
        Map<String, String> settings = new LinkedHashMap<>(Map.of("model", "mlp"));
        for (int i = 0; i < changes.length; i += 2) settings.put(changes[i], changes[i + 1]);
        return new Workload(name, "train", Map.copyOf(settings), reference);
    }

    private static final Workload FFN_B1 = ffn("ffn-b1", "torch_ffn.py --epochs 1", "epochs", "1");
    private static final Workload FFN_B64 = ffn("ffn-b64", "torch_ffn.py --epochs 5 --batch_size 64 --lr 0.1",
            "batch_size", "64", "learning_rate", "0.1", "epochs", "5");

    static final List<Workload> WORKLOADS = List.of(
            FFN_B1,
            new Workload("logreg-b1", "train", Map.of("model", "logistic_regression", "learning_rate", "0.001", "epochs", "2"),
                    "torch_logreg.py --epochs 2"),
            FFN_B64,
            ffn("ffn-b512", "torch_ffn.py --epochs 5 --batch_size 512 --lr 0.1", "batch_size", "512", "learning_rate", "0.1", "epochs", "5"),
            ffn("ffn-2layers-b64", "torch_ffn.py --epochs 3 --batch_size 64 --layers 2", "batch_size", "64", "layers", "2", "epochs", "3"),
            // Batch 1: each one-at-a-time change the homework tunes, and momentum and L2 besides.
            ffn("ffn-b1-lr0.001", "torch_ffn.py --epochs 1 --lr 0.001", "epochs", "1", "learning_rate", "0.001"),
            ffn("ffn-b1-hidden100", "torch_ffn.py --epochs 1 --hidden_size 100", "epochs", "1", "hidden_size", "100"),
            ffn("ffn-b1-dropout0.5", "torch_ffn.py --epochs 1 --dropout 0.5", "epochs", "1", "dropout", "0.5"),
            ffn("ffn-b1-tanh", "torch_ffn.py --epochs 1 --activation tanh", "epochs", "1", "activation", "tanh"),
            ffn("ffn-b1-adam", "torch_ffn.py --epochs 1 --optimizer adam", "epochs", "1", "optimizer", "adam"),
            ffn("ffn-b1-2layers", "torch_ffn.py --epochs 1 --layers 2", "epochs", "1", "layers", "2"),
            ffn("ffn-b1-3layers", "torch_ffn.py --epochs 1 --layers 3", "epochs", "1", "layers", "3"),
            ffn("ffn-b1-momentum", "torch_ffn.py --epochs 1 --momentum 0.9", "epochs", "1", "momentum", "0.9"),
            ffn("ffn-b1-l2", "torch_ffn.py --epochs 1 --l2_decay 1e-4", "epochs", "1", "l2_decay", "1e-4"),
            // Batch 64 with the optimisers that have state, and with L2.
            ffn("ffn-b64-adam", "torch_ffn.py --epochs 5 --batch_size 64 --optimizer adam --lr 0.001",
                    "batch_size", "64", "optimizer", "adam", "learning_rate", "0.001", "epochs", "5"),
            ffn("ffn-b64-momentum", "torch_ffn.py --epochs 5 --batch_size 64 --momentum 0.9",
                    "batch_size", "64", "momentum", "0.9", "epochs", "5"),
            ffn("ffn-b64-l2", "torch_ffn.py --epochs 5 --batch_size 64 --lr 0.1 --l2_decay 1e-4",
                    "batch_size", "64", "learning_rate", "0.1", "l2_decay", "1e-4", "epochs", "5"),
            // The graph step alone, for the models no fused step knows.
            FFN_B1.onGraphStep("graph-b1"),
            FFN_B64.onGraphStep("graph-b64"),
            // The second homework's CNN: its default batch 8, batch 64, and stride-2 convolutions instead of pooling.
            new Workload("cnn-b8", "train", Map.of("model", "cnn", "epochs", "2"), "torch_cnn.py --epochs 2"),
            new Workload("cnn-b64", "train", Map.of("model", "cnn", "epochs", "2", "batch_size", "64"),
                    "torch_cnn.py --epochs 2 --batch_size 64"),
            new Workload("cnn-b8-nomaxpool", "train", Map.of("model", "cnn", "epochs", "2", "no_maxpool", "true"),
                    "torch_cnn.py --epochs 2 --no_maxpool"),
            new Workload("classic-mlp", "classic", Map.of("model", "mlp", "epochs", "1"), "numpy_mlp.py --epochs 1"),
            new Workload("classic-perceptron", "classic", Map.of("model", "perceptron", "epochs", "3"), "numpy_perceptron.py --epochs 3"),
            new Workload("classic-logreg", "classic", Map.of("model", "logistic_regression", "epochs", "1"), "numpy_logreg.py --epochs 1"));

    static int run(Args args, PrintStream out, Function<String, CourseData> datasets) {
        boolean quick = args.flag("quick");
        boolean json = args.flag("json");
        if (args.flag("list")) {
            args.rejectUnknown("bench");
            args.rejectPositional("bench");
            // For scripts/compare-speed: one workload a line, its name and its reference script.
            for (Workload w : WORKLOADS) out.println(w.name() + "\t" + w.reference());
            return 0;
        }
        String only = args.string("only", null);
        String data = args.string("data", quick ? "fashion-mnist-sample" : "fashion-mnist", "data_path");
        args.rejectUnknown("bench");
        args.rejectPositional("bench");
        List<Workload> chosen = new ArrayList<>();
        for (Workload w : WORKLOADS) if (only == null || Arrays.asList(only.split(",")).contains(w.name())) chosen.add(w);
        List<String> names = WORKLOADS.stream().map(Workload::name).toList();
        // Every name must be known: one misspelt among good ones was dropped without a word.
        List<String> unknown = only == null ? List.of() : Arrays.stream(only.split(",")).filter(n -> !names.contains(n)).toList();
        if (!unknown.isEmpty() || chosen.isEmpty()) {
            throw new Args.UsageException("no workload named " + (unknown.isEmpty() ? "'" + only + "'" : String.join(", ", unknown))
                    + "; known: " + String.join(", ", names));
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        if (!json) {
            out.printf("%-20s %9s %11s %14s %9s %9s   reference script%n", "workload", "s/epoch", "1st epoch", "examples/s",
                    "dev acc", "test acc");
        }
        for (Workload w : chosen) {
            // Loaded as nnlab train loads it (warming up the train workloads' kernels meanwhile), so that the
            // first epoch is the one a user sees.
            CourseData loaded = w.kind().equals("train")
                    ? TrainRun.loadWarmingUp(TrainConfig.from(w.settings()), w.fused(), () -> datasets.apply(data))
                    : datasets.apply(data);
            Map<String, Object> row = measure(w, loaded, quick);
            rows.add(row);
            if (!json) {
                out.printf("%-20s %9.3f %11.3f %,14.0f %9.4f %9.4f   %s%n", w.name(), (double) row.get("seconds_per_epoch"),
                        (double) row.get("first_epoch_seconds"), (double) row.get("examples_per_second"), (double) row.get("dev_acc"), (double) row.get("test_acc"),
                        w.reference());
            }
        }
        if (json) out.print(Json.toString(rows));
        return 0;
    }

    /** Times one workload in a scratch run folder, deleted afterwards (its figures are all in the returned row). */
    static Map<String, Object> measure(Workload w, CourseData data, boolean quick) {
        Path dir;
        try {
            dir = Files.createTempDirectory("nnlab-bench-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            return measure(w, data, quick, dir);
        } finally {
            deleteTree(dir);
        }
    }

    private static void deleteTree(Path dir) {
        try {
            RunDirectory.delete(dir);
        } catch (IOException e) {
            System.err.println("nnlab bench: could not delete its scratch folder " + dir + ": " + e.getMessage());
        }
    }

    private static Map<String, Object> measure(Workload w, CourseData data, boolean quick, Path dir) {
        Map<String, String> settings = new LinkedHashMap<>(w.settings());
        int accuracyEpoch = quick ? 2 : w.referenceEpochs();
        boolean classic = w.kind().equals("classic");
        int epochs = classic ? Math.max(accuracyEpoch, CLASSIC_EPOCHS) : accuracyEpoch;
        Double warmUpEpoch = null;
        if (!classic && epochs < STEADY_EPOCHS) {
            Map<String, String> warmUp = new LinkedHashMap<>(settings);
            warmUp.put("epochs", "1");
            Path scratch = dir.resolve("warm-up");
            TrainRun.run(TrainConfig.from(warmUp), data, scratch, new TrainRun.Output() {}, w.fused());
            warmUpEpoch = RunDirectory.readMetrics(scratch).getFirst().seconds();
        }
        settings.put("epochs", Integer.toString(epochs));
        Map<String, Object> result;
        dir = dir.resolve("timed"); // beside the warm-up run's folder, not around it
        if (classic) {
            result = ClassicRun.run(ClassicConfig.from(settings), data, dir, r -> {});
        } else {
            result = TrainRun.run(TrainConfig.from(settings), data, dir, new TrainRun.Output() {}, w.fused());
        }
        List<EpochRecord> records = RunDirectory.readMetrics(dir);
        double[] seconds = records.stream().mapToDouble(EpochRecord::seconds).sorted().toArray();
        double median = seconds.length % 2 == 1 ? seconds[seconds.length / 2]
                : (seconds[seconds.length / 2 - 1] + seconds[seconds.length / 2]) / 2;
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("workload", w.name());
        row.put("seconds_per_epoch", median);
        row.put("first_epoch_seconds", warmUpEpoch != null ? warmUpEpoch : records.getFirst().seconds());
        row.put("warm_up_epochs", warmUpEpoch != null ? 1 : 0);
        row.put("examples_per_second", data.train().n() / median);
        row.put("epochs", seconds.length);
        if (classic) {
            // Accuracies after the reference's number of epochs (classic runs evaluate every epoch).
            EpochRecord atReference = records.get(accuracyEpoch - 1);
            row.put("dev_acc", atReference.devAccuracy());
            row.put("test_acc", atReference.testAccuracy());
            row.put("accuracy_epoch", accuracyEpoch);
        } else {
            row.put("dev_acc", result.getOrDefault("final_dev_acc", Double.NaN));
            row.put("test_acc", result.getOrDefault("final_test_acc", Double.NaN));
            row.put("accuracy_epoch", epochs);
        }
        row.put("reference", w.reference());
        if (!classic) row.put("step", result.get("step"));
        return row;
    }
}
