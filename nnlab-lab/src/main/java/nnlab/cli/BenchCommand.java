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
 * {@code nnlab bench [--quick] [--only NAME,…] [--json]}: the end-to-end workloads of the speed issue,
 * the same as the PyTorch and NumPy scripts of shared/bench, timed as they time themselves: the
 * median over epochs of the training pass alone (no evaluation).
 */
final class BenchCommand {
    private BenchCommand() {}

    /** A workload: its name, which track, its settings, and the reference script that mirrors it. */
    record Workload(String name, String kind, Map<String, String> settings, String reference) {}

    static final List<Workload> WORKLOADS = List.of(
            new Workload("ffn-b1", "train", Map.of("model", "mlp", "epochs", "1"), "torch_ffn.py --epochs 1"),
            new Workload("logreg-b1", "train", Map.of("model", "logistic_regression", "learning_rate", "0.001", "epochs", "2"),
                    "torch_logreg.py --epochs 2"),
            new Workload("ffn-b64", "train", Map.of("model", "mlp", "batch_size", "64", "learning_rate", "0.1", "epochs", "5"),
                    "torch_ffn.py --epochs 5 --batch_size 64 --lr 0.1"),
            new Workload("ffn-b512", "train", Map.of("model", "mlp", "batch_size", "512", "learning_rate", "0.1", "epochs", "5"),
                    "torch_ffn.py --epochs 5 --batch_size 512 --lr 0.1"),
            new Workload("ffn-2layers-b64", "train", Map.of("model", "mlp", "batch_size", "64", "layers", "2", "epochs", "3"),
                    "torch_ffn.py --epochs 3 --batch_size 64 --layers 2"),
            new Workload("classic-mlp", "classic", Map.of("model", "mlp", "epochs", "1"), "numpy_mlp.py --epochs 1"),
            new Workload("classic-perceptron", "classic", Map.of("model", "perceptron", "epochs", "3"), "numpy_perceptron.py --epochs 3"),
            new Workload("classic-logreg", "classic", Map.of("model", "logistic_regression", "epochs", "1"), "numpy_logreg.py --epochs 1"));

    static int run(Args args, PrintStream out, Function<String, CourseData> datasets) {
        boolean quick = args.flag("quick");
        boolean json = args.flag("json");
        String only = args.string("only", null);
        String data = args.string("data", quick ? "fashion-mnist-sample" : "fashion-mnist", "data_path");
        args.rejectUnknown("bench");
        List<Workload> chosen = new ArrayList<>();
        for (Workload w : WORKLOADS) if (only == null || Arrays.asList(only.split(",")).contains(w.name())) chosen.add(w);
        if (chosen.isEmpty()) {
            throw new Args.UsageException("no workload named " + only + "; known: "
                    + String.join(", ", WORKLOADS.stream().map(Workload::name).toList()));
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        if (!json) out.printf("%-20s %14s %14s %9s %9s   reference script%n", "workload", "s/epoch", "examples/s", "dev acc", "test acc");
        for (Workload w : chosen) {
            Map<String, Object> row = measure(w, datasets.apply(data), quick);
            rows.add(row);
            if (!json) {
                out.printf("%-20s %14.3f %,14.0f %9.4f %9.4f   %s%n", w.name(), (double) row.get("seconds_per_epoch"),
                        (double) row.get("examples_per_second"), (double) row.get("dev_acc"), (double) row.get("test_acc"),
                        w.reference());
            }
        }
        if (json) out.print(Json.toString(rows));
        return 0;
    }

    static Map<String, Object> measure(Workload w, CourseData data, boolean quick) {
        Path dir;
        try {
            dir = Files.createTempDirectory("nnlab-bench-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> settings = new LinkedHashMap<>(w.settings());
        if (quick) settings.put("epochs", "2");
        Map<String, Object> result;
        if (w.kind().equals("train")) {
            result = TrainRun.run(TrainConfig.from(settings), data, dir, new TrainRun.Output() {});
        } else {
            result = ClassicRun.run(ClassicConfig.from(settings), data, dir, r -> {});
        }
        double[] seconds = RunDirectory.readMetrics(dir).stream().mapToDouble(EpochRecord::seconds).sorted().toArray();
        double median = seconds.length % 2 == 1 ? seconds[seconds.length / 2]
                : (seconds[seconds.length / 2 - 1] + seconds[seconds.length / 2]) / 2;
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("workload", w.name());
        row.put("seconds_per_epoch", median);
        row.put("examples_per_second", data.train().n() / median);
        row.put("epochs", seconds.length);
        row.put("dev_acc", result.getOrDefault("final_dev_acc", Double.NaN));
        row.put("test_acc", result.getOrDefault("final_test_acc", Double.NaN));
        row.put("reference", w.reference());
        return row;
    }
}
