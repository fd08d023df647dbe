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

    static int run(Args args, PrintStream out, Function<String, CourseData> datasets) {
        String dataOverride = args.string("data", null, "data_path");
        args.rejectUnknown("evaluate");
        if (args.positional().size() != 1) throw new Args.UsageException("usage: nnlab evaluate RUN_DIR [--data NAME|PATH]");
        Path dir = Path.of(args.positional().get(0));
        Map<String, Object> stored = RunDirectory.readConfig(dir);
        if (!"train".equals(stored.get("kind"))) {
            throw new IllegalArgumentException(dir + " is not an autodiff-track run (kind " + stored.get("kind") + ")");
        }
        Map<String, String> settings = new LinkedHashMap<>();
        for (String key : TrainConfig.SCHEMA.names()) {
            if (stored.containsKey(key)) settings.put(key, String.valueOf(stored.get(key)));
        }
        if (dataOverride != null) settings.put("data", dataOverride);
        TrainConfig config = TrainConfig.from(settings);
        CourseData data = datasets.apply(config.data());
        Sequential model = Models.build(config, data.train().features(), data.classes(), new Rng(0));
        model.loadStateDict(Checkpoints.load(dir.resolve(RunDirectory.CHECKPOINT)));
        Trainer.Evaluation dev = Trainer.evaluate(model, data.dev());
        Trainer.Evaluation test = Trainer.evaluate(model, data.test());
        out.printf("%s (best checkpoint) on %s: dev acc %.4f, test acc %.4f (test loss %.4f)%n", dir, data.name(),
                dev.accuracy(), test.accuracy(), test.loss());
        return 0;
    }
}
