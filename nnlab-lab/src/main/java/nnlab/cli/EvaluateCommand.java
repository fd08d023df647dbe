package nnlab.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import nnlab.data.CourseData;
import nnlab.experiment.Checkpoints;
import nnlab.experiment.Models;
import nnlab.experiment.RunDirectory;
import nnlab.experiment.TrainConfig;
import nnlab.nn.Sequential;
import nnlab.random.Rng;
import nnlab.train.Trainer;

/** {@code nnlab evaluate RUN_DIR [--data NAME|PATH]}: rebuilds the model from config.json, loads best.npz, evaluates. */
final class EvaluateCommand {
    private EvaluateCommand() {}

    /**
     * Refuses a folder that is not a train run with its checkpoint, saying what it is instead: a sweep
     * or homework folder lists the trial folders that can be evaluated.
     */
    private static void requireRun(Path dir) {
        if (!java.nio.file.Files.exists(dir)) throw new IllegalArgumentException(dir + " does not exist; give the folder of a run (its --out)");
        if (!java.nio.file.Files.isDirectory(dir)) throw new IllegalArgumentException(dir + " is a file, not a folder; give the folder of a run");
        if (!java.nio.file.Files.exists(dir.resolve(RunDirectory.CONFIG))) {
            java.util.List<String> runs = new java.util.ArrayList<>();
            try (var paths = java.nio.file.Files.walk(dir, 4)) {
                // Runs inside it that can be evaluated: a checkpoint with its config.json (not this folder itself).
                paths.filter(p -> p.getFileName().toString().equals(RunDirectory.CHECKPOINT) && !p.getParent().equals(dir)
                                && java.nio.file.Files.exists(p.resolveSibling(RunDirectory.CONFIG))).limit(6)
                        .forEach(p -> runs.add(p.getParent().toString()));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            boolean checkpointHere = java.nio.file.Files.exists(dir.resolve(RunDirectory.CHECKPOINT));
            throw new IllegalArgumentException(dir + " holds no run (no " + RunDirectory.CONFIG + ")"
                    + (checkpointHere ? ": it has a " + RunDirectory.CHECKPOINT + " but not the config.json that says which model it "
                    + "is, so it cannot be rebuilt; rerun the training that wrote it"
                    : runs.isEmpty() ? "; give the folder a 'nnlab train' run wrote (its --out)"
                    : "; it holds runs that can be evaluated, e.g. " + String.join(", ", runs)));
        }
        Object kind = RunDirectory.readConfig(dir).get("kind");
        if (kind == null) {
            throw new IllegalArgumentException(dir.resolve(RunDirectory.CONFIG) + " names no kind of run (\"kind\": \"train\" in "
                    + "the ones nnlab train writes): it was edited or damaged; rerun the training that wrote it");
        }
        if (!"train".equals(kind)) {
            // A classic run keeps no checkpoint: its figures per epoch are all it leaves.
            throw new IllegalArgumentException(dir + " is not an autodiff-track run (kind " + kind + "): nnlab evaluate reloads "
                    + "the best.npz of a 'nnlab train' run; a classic run's test figures are in its result.json and metrics.csv");
        }
        if (!java.nio.file.Files.exists(dir.resolve(RunDirectory.CHECKPOINT))) {
            throw new IllegalArgumentException(dir + " has no " + RunDirectory.CHECKPOINT + ": the run ended before its first "
                    + "epoch did (killed or diverged), so there is no model to evaluate");
        }
    }

    /**
     * Data given with --data must have the shape the model was trained on, as the run's provenance
     * records it: otherwise the checkpoint's first layer would be blamed for the data's width.
     */
    @SuppressWarnings("unchecked")
    private static void requireSameShape(Path dir, Map<String, Object> stored, CourseData data, String given) {
        if (!(stored.get("provenance") instanceof Map<?, ?> provenance) || !(provenance.get("data") instanceof Map<?, ?> trained)) return;
        Map<String, Object> was = (Map<String, Object>) trained;
        if (!(was.get("features") instanceof Number features) || !(was.get("classes") instanceof Number classes)) return;
        if (features.intValue() != data.train().features() || classes.intValue() != data.classes()) {
            throw new IllegalArgumentException("--data " + given + " has " + data.train().features() + " features per example and "
                    + data.classes() + " classes, but the model in " + dir + " expects " + features + " features and " + classes
                    + " classes (it was trained on " + was.get("name") + "): give data of that shape, or evaluate a run trained "
                    + "on this data");
        }
    }

    static int run(Args args, PrintStream out, Function<String, CourseData> datasets) {
        String dataOverride = args.string("data", null, "data_path");
        args.rejectUnknown("evaluate");
        if (args.positional().size() != 1) throw new Args.UsageException("usage: nnlab evaluate RUN_DIR [--data NAME|PATH]");
        Path dir = Path.of(args.positional().get(0));
        requireRun(dir);
        Map<String, Object> stored = RunDirectory.readConfig(dir);
        Map<String, String> settings = new LinkedHashMap<>();
        for (String key : TrainConfig.SCHEMA.names()) {
            if (stored.containsKey(key)) settings.put(key, String.valueOf(stored.get(key)));
        }
        if (dataOverride != null) settings.put("data", dataOverride);
        TrainConfig config;
        try {
            config = TrainConfig.from(settings);
            // A missing setting would take its default: another model rebuilt, or other data evaluated, without a word.
            for (String key : java.util.List.of("model", "data", "hidden_size", "layers", "activation", "no_maxpool")) {
                if (!stored.containsKey(key) && !config.architecture().notItsOwn.contains(key) && !(key.equals("data") && dataOverride != null)) {
                    throw new IllegalArgumentException("it lacks \"" + key + "\"");
                }
            }
        } catch (IllegalArgumentException e) {
            // The user typed none of these settings: say whose they are.
            throw new IllegalArgumentException(dir.resolve(RunDirectory.CONFIG) + " describes no model nnlab can build ("
                    + e.getMessage() + "): it was edited or damaged; rerun the training that wrote it", e);
        }
        CourseData data = Models.prepare(config, datasets.apply(config.data()));
        if (dataOverride != null) requireSameShape(dir, stored, data, dataOverride);
        // The checkpoint is checked against the shapes the configuration implies before anything is built.
        var state = Checkpoints.load(dir.resolve(RunDirectory.CHECKPOINT),
                Models.parameterShapes(config, Models.Input.of(data.train()), data.classes()));
        Sequential model = Models.build(config, Models.Input.of(data.train()), data.classes(), new Rng(0));
        model.loadStateDict(state);
        Trainer.Evaluation dev = Trainer.evaluate(model, data.dev(), config.architecture().criterion);
        Trainer.Evaluation test = Trainer.evaluate(model, data.test(), config.architecture().criterion);
        out.printf("%s (best checkpoint) on %s: dev acc %.4f, test acc %.4f (test loss %.4f)%n", dir, data.name(),
                dev.accuracy(), test.accuracy(), test.loss());
        return 0;
    }
}
