package nnlab.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nnlab.experiment.ClassicConfig;
import nnlab.experiment.Param;
import nnlab.experiment.Schema;
import nnlab.experiment.TrainConfig;

/**
 * What {@code nnlab COMMAND --help} (or {@code -h}, or {@code nnlab help COMMAND}) prints: the usage,
 * every option in both spellings with its default and allowed values, in groups, and an example.
 * The hyperparameters of {@code train} and {@code classic} come from their schemas, so the help
 * cannot drift from what the commands accept.
 */
final class Help {
    private Help() {}

    /** One option: its canonical name (the course's spelling), what value it takes, and a line of help. */
    record Option(String name, String value, String help) {
        static Option of(Param p) {
            if (p.type() == Param.Type.FLAG) return new Option(p.name(), null, p.help() + " (off unless given)");
            String value = !p.choices().isEmpty() ? String.join("|", p.choices()) : switch (p.type()) {
                case INT, LONG -> "N";
                case NUMBER -> "X";
                case TEXT -> p.name().equals("data") ? "NAME|PATH" : "TEXT";
                case FLAG -> throw new AssertionError();
            };
            String aliases = p.aliases().isEmpty() ? "" : " (also -" + String.join(", -", p.aliases()) + ")";
            return new Option(p.name(), value, p.help() + aliases + "; default " + shown(p.defaultValue()));
        }

        static Option flag(String name, String help) {
            return new Option(name, null, help);
        }

        private static String shown(String defaultValue) {
            return defaultValue.endsWith(".0") ? defaultValue.substring(0, defaultValue.length() - 2) : defaultValue;
        }
    }

    /** A command's help: usage line, what it does, option groups (title to options), an example. */
    record Command(String name, String usage, String about, Map<String, List<Option>> groups, String example) {}

    private static final Option OUT = new Option("out", "DIR", "the run's folder; default runs/<name>-<time>");

    /** The schema's parameters named in {@code names}, in that order. */
    private static List<Option> from(Schema schema, String... names) {
        List<Option> out = new ArrayList<>();
        for (String n : names) out.add(Option.of(schema.param(n)));
        return out;
    }

    private static Map<String, List<Option>> groups(Object... titleThenOptions) {
        Map<String, List<Option>> m = new LinkedHashMap<>();
        for (int i = 0; i < titleThenOptions.length; i += 2) {
            @SuppressWarnings("unchecked")
            List<Option> options = (List<Option>) titleThenOptions[i + 1];
            m.put((String) titleThenOptions[i], options);
        }
        return m;
    }

    static final Map<String, Command> COMMANDS = commands();

    private static Map<String, Command> commands() {
        Schema t = TrainConfig.SCHEMA, c = ClassicConfig.SCHEMA;
        List<Command> list = List.of(
                new Command("train", "nnlab train logistic_regression|mlp|cnn [options]",
                        "An autodiff-track run with the course's hw1-q4.py flags (cnn: hw2-q2.py's, whose defaults are batch 8 and\n"
                                + "dropout 0.7): trains, evaluates on dev every epoch, keeps the best checkpoint (best.npz) and writes\n"
                                + "metrics.csv, result.json, plots and a report. Its first line says which training step runs (a fused\n"
                                + "step, or the graph step) and why.",
                        groups("model", from(t, "hidden_size", "layers", "activation", "dropout", "init", "no_maxpool"),
                                "training", from(t, "epochs", "batch_size", "learning_rate", "optimizer", "momentum", "l2_decay",
                                        "early_stopping"),
                                "data and run", new ArrayList<>(List.of(Option.of(t.param("data")), Option.of(t.param("seed")), OUT,
                                        Option.flag("no_fused", "take the graph step even where a fused step knows the model (to compare)")))),
                        "nnlab train mlp -batch_size 64 -learning_rate 0.1 -epochs 5"),
                new Command("classic", "nnlab classic perceptron|logistic_regression|mlp|linear_regression|nn [options]",
                        "A numpy-track run (the course's hw1-q2/q3.py): per-example SGD on plain arrays, the course's seeded\n"
                                + "shuffling; prints train/val/test accuracy (or RMSE) per epoch and the final test figure.",
                        groups("model", from(c, "hidden_size", "layers", "activation"),
                                "training", from(c, "epochs", "learning_rate", "l2_penalty"),
                                "data and run", new ArrayList<>(List.of(Option.of(c.param("data")), Option.of(c.param("seed")), OUT))),
                        "nnlab classic perceptron -epochs 20"),
                new Command("sweep", "nnlab sweep train|classic MODEL --grid NAME=V1,V2 … [options] [fixed settings]",
                        "A hyperparameter sweep: one run folder per setting, run in parallel, resumable after a kill; writes\n"
                                + "summary.csv, the best trial by dev accuracy, plots per hyperparameter and a report. Any option of\n"
                                + "'nnlab train' or 'nnlab classic' fixes a setting for every trial. Diverged trials are recorded and\n"
                                + "counted in the last line; the exit status is 1 only if a trial failed (a rerun retries it) or none trained.\n"
                                + "With --store the trials live in PostgreSQL and 'nnlab worker' on other machines runs them too.",
                        groups("sweep", List.of(new Option("grid", "NAME=V1,V2,…", "values of one hyperparameter (repeat for more)"),
                                Option.flag("one_at_a_time", "vary one hyperparameter at a time around the fixed settings, not the full grid"),
                                new Option("parallel", "N", "trials at once; default the number of processors"), OUT),
                                "search", List.of(new Option("random", "K", "draw K trials at random instead of the full grid (--grid "
                                        + "values become choices)"),
                                new Option("range", "NAME=LOW..HIGH[:log]", "with --random: draw NAME uniformly (:log log-uniformly)"),
                                new Option("search_seed", "N", "the seed of the random draws; default 0"),
                                new Option("prune", "median|none", "stop a trial whose dev accuracy at an epoch is below the finished "
                                        + "trials' median there; default none")),
                                "several machines", List.of(new Option("store", "URL", "keep the trials in PostgreSQL: "
                                        + "postgresql://HOST[:PORT]/DB?user=U (password: URL, PGPASSWORD, ~/.pgpass)"),
                                new Option("name", "NAME", "the sweep's name in the store (workers and reports give it)"),
                                new Option("workers", "N", "with --store: local workers; 0 only enqueues; default --parallel's"),
                                new Option("lease_seconds", "S", "a claimed trial's lease, renewed by a heartbeat; default 60"),
                                new Option("shard", "I/N", "without a database: run every N-th trial (a job array's I-th job); "
                                        + "nnlab report merges the shards' folders"))),
                        "nnlab sweep train mlp --grid learning_rate=0.001,0.01,0.1 --grid dropout=0.3,0.5"),
                new Command("worker", "nnlab worker --store URL [--sweep NAME] [options]",
                        "Runs a sweep's trials from PostgreSQL on this machine until every trial has ended: claims one, runs it,\n"
                                + "records its epochs as they come; waits while others hold trials and takes over one whose lease expired.\n"
                                + "Exit 0 when all have ended. Start the sweep with nnlab sweep … --store URL --name NAME [--workers 0].",
                        groups("worker", List.of(new Option("store", "URL", "postgresql://HOST[:PORT]/DB?user=U (password: URL, "
                                        + "PGPASSWORD or ~/.pgpass)"),
                                new Option("sweep", "NAME", "the sweep to work on; default the only one with trials to run"),
                                new Option("parallel", "N", "trials at once on this machine; default 1"),
                                new Option("lease_seconds", "S", "how long a claim holds without a heartbeat; default 60"),
                                new Option("out", "DIR", "where this machine keeps its trials' files; default runs/<sweep>"))),
                        "nnlab worker --store postgresql://db.lab/nnlab?user=ana --sweep fmnist-lr"),
                new Command("hw1", "nnlab hw1 [--quick] [--edition 2021|2023|2024] [options]",
                        "All of Homework 1 of an edition, each question as a resumable sweep, into one report.",
                        groups("homework", List.of(Option.flag("quick", "few epochs on the embedded sample (about a minute)"),
                                new Option("edition", "2021|2023|2024", "which year's homework; default 2021"),
                                new Option("data", "NAME|PATH", "the dataset of the classification questions"),
                                new Option("parallel", "N", "trials at once; default the number of processors"),
                                new Option("out", "DIR", "default runs/hw1-<edition>[-quick]"))),
                        "nnlab hw1 --quick"),
                new Command("hw2", "nnlab hw2 [--quick] [--edition 2021|2023|2024] [options]",
                        "Homework 2's CNN questions (hw2-q2.py) on an edition's images, into one report: the network with max pooling\n"
                                + "and its learning rate tuned (Q2.1), without max pooling (Q2.2), the parameter counts (Q2.3), with the\n"
                                + "first layer's filters and a test image's feature maps.",
                        groups("homework", List.of(Option.flag("quick", "few epochs on the embedded sample"),
                                new Option("edition", "2021|2023|2024", "which year's images (Fashion-MNIST, OCTMNIST, Intel); default 2021"),
                                new Option("data", "NAME|PATH", "the images to use instead"),
                                new Option("parallel", "N", "trials at once; default the number of processors"),
                                new Option("out", "DIR", "default runs/hw2-<edition>[-quick]"))),
                        "nnlab hw2 --quick"),
                new Command("report", "nnlab report DIR [--pdf] | --store URL --sweep NAME --out DIR | SHARD_DIR… --out DIR",
                        "Rebuilds the plots and report of a run, sweep or homework folder from its files alone; of a sweep in\n"
                                + "PostgreSQL from the store; or of a sweep's --shard folders merged into one.",
                        groups("options", List.of(Option.flag("pdf", "also print the report to report.pdf with headless Chromium "
                                        + "(the course asks for a PDF)"),
                                new Option("store", "URL", "the PostgreSQL store of the sweep"),
                                new Option("sweep", "NAME", "the sweep's name there"),
                                new Option("out", "DIR", "where the report goes (a store's sweep, merged shards)"))),
                        "nnlab report runs/hw1-2021-quick --pdf"),
                new Command("evaluate", "nnlab evaluate RUN_DIR [--data NAME|PATH]",
                        "Rebuilds a run's model from config.json, loads best.npz and evaluates it on dev and test.",
                        groups("data", List.of(new Option("data", "NAME|PATH", "evaluate on another dataset; default the run's"))),
                        "nnlab evaluate runs/train-mlp-20261207-010203"),
                new Command("check", "nnlab check NAME|all [options]",
                        "The homework's derivations checked numerically: " + String.join(", ", CheckCommand.NAMES.subList(0, 5))
                                + ",\n" + String.join(", ", CheckCommand.NAMES.subList(5, CheckCommand.NAMES.size()))
                                + " (nnlab hw1 shows each under the questions it answers).",
                        groups("options", List.of(new Option("dim", "N", "range-function: input dimension; default 2"),
                                new Option("a", "NUMBER", "range-function: lower end; default -1"),
                                new Option("b", "NUMBER", "range-function: upper end; default 1"),
                                new Option("data", "NAME|PATH", "quadratic-network: fit a regression dataset (ames, a course .npz "
                                        + "or a CSV) instead of generated data"),
                                new Option("features", "N", "quadratic-network with --data: features used; default 16"),
                                new Option("seed", "N", "default 42"))),
                        "nnlab check all"),
                new Command("bench", "nnlab bench [--quick] [--only NAME,…] [--json] [--list]",
                        "End-to-end seconds per epoch of the speed workloads (scripts/compare-speed runs them beside the\n"
                                + "PyTorch and NumPy scripts of ../shared/bench).",
                        groups("options", List.of(Option.flag("quick", "two epochs on the embedded sample"),
                                new Option("only", "NAME,…", "these workloads (see --list)"),
                                Option.flag("json", "print the rows as JSON"),
                                Option.flag("list", "list the workloads and their reference scripts"),
                                new Option("data", "NAME|PATH", "default fashion-mnist (the sample with --quick)"))),
                        "nnlab bench --only ffn-b1,ffn-b64"),
                new Command("data", "nnlab data", "Lists the datasets nnlab knows and where it finds them.", groups(), "nnlab data"),
                new Command("shell", "nnlab shell", "JShell with nnlab on the class path and its packages imported: try the library "
                        + "a line at a time\n(e.g. Tensor.of(new float[] {1, 2, 3}).sum()); /exit to leave.", groups(), "nnlab shell"),
                new Command("demo", "nnlab demo [--epochs N] [--seed N]", "A small MLP learns a generated spiral (no data needed).",
                        groups("options", List.of(new Option("epochs", "N", "default 30"), new Option("seed", "N", "default 42"))),
                        "nnlab demo"));
        Map<String, Command> m = new LinkedHashMap<>();
        for (Command command : list) m.put(command.name(), command);
        return m;
    }

    /** The help text of a command. */
    static String text(Command c) {
        StringBuilder sb = new StringBuilder("usage: ").append(c.usage()).append("\n\n").append(c.about()).append('\n');
        for (var group : c.groups().entrySet()) {
            sb.append('\n').append(group.getKey()).append(":\n");
            for (Option o : group.getValue()) {
                String kebab = o.name().replace('_', '-');
                String names = "-" + o.name() + ", --" + kebab + (o.value() == null ? "" : " " + o.value());
                sb.append(String.format("  %-40s %s%n", names, o.help()));
            }
        }
        sb.append("\nOptions take the course's spelling (-learning_rate 0.01) or the usual one (--learning-rate 0.01).\n");
        return sb.append("example: ").append(c.example()).append('\n').toString();
    }

    /**
     * A bash completion script for every command and option of this table (both spellings), with the
     * allowed values of options that have a fixed set, and file names for paths. zsh runs the same
     * script through bashcompinit. {@code source <(nnlab completion bash)} loads it.
     */
    static String completion(String shell) {
        StringBuilder sb = new StringBuilder();
        if (shell.equals("zsh")) sb.append("autoload -U +X bashcompinit && bashcompinit\n");
        else if (!shell.equals("bash")) throw new Args.UsageException("nnlab completion bash|zsh (got '" + shell + "')");
        sb.append("# nnlab's completion, made by 'nnlab completion ").append(shell).append("' from its help table\n");
        sb.append("_nnlab() {\n  local cur=\"${COMP_WORDS[COMP_CWORD]}\" prev=\"${COMP_WORDS[COMP_CWORD-1]}\" opts=\"\"\n");
        sb.append("  if [ \"$COMP_CWORD\" -eq 1 ]; then\n    COMPREPLY=( $(compgen -W \"")
                .append(String.join(" ", COMMANDS.keySet())).append(" help completion --help --version\" -- \"$cur\") )\n    return\n  fi\n");
        sb.append("  case \"$prev\" in\n");
        // An option's values: the union over the commands that have it (classic's activations are a subset of train's).
        java.util.Map<String, java.util.Set<String>> values = new java.util.TreeMap<>();
        java.util.Set<String> paths = new java.util.TreeSet<>();
        for (Command c : COMMANDS.values()) {
            for (List<Option> group : c.groups().values()) {
                for (Option o : group) {
                    if (o.value() == null) continue;
                    String names = "-" + o.name() + "|--" + o.name().replace('_', '-');
                    if (o.value().contains("PATH") || o.value().equals("DIR")) {
                        paths.add(names);
                    } else if (o.value().contains("|") && o.value().equals(o.value().toLowerCase(java.util.Locale.ROOT))) {
                        values.computeIfAbsent(names, k -> new java.util.LinkedHashSet<>()).addAll(List.of(o.value().split("\\|")));
                    }
                }
            }
        }
        values.forEach((names, v) -> sb.append("    ").append(names).append(") COMPREPLY=( $(compgen -W \"")
                .append(String.join(" ", v)).append("\" -- \"$cur\") ); return ;;\n"));
        paths.forEach(names -> sb.append("    ").append(names).append(") COMPREPLY=( $(compgen -f -- \"$cur\") ); return ;;\n"));
        sb.append("  esac\n  case \"${COMP_WORDS[1]}\" in\n");
        for (Command c : COMMANDS.values()) {
            List<String> words = new ArrayList<>(List.of("--help"));
            for (List<Option> group : c.groups().values()) {
                for (Option o : group) {
                    words.add("--" + o.name().replace('_', '-'));
                    words.add("-" + o.name());
                }
            }
            String positional = switch (c.name()) {
                case "train" -> " logistic_regression mlp";
                case "classic" -> " perceptron logistic_regression mlp linear_regression nn";
                case "sweep" -> " train classic";
                case "check" -> " all " + String.join(" ", CheckCommand.NAMES);
                default -> "";
            };
            sb.append("    ").append(c.name()).append(") opts=\"").append(String.join(" ", words)).append(positional).append("\" ;;\n");
        }
        sb.append("    help) opts=\"").append(String.join(" ", COMMANDS.keySet())).append("\" ;;\n");
        sb.append("    completion) opts=\"bash zsh\" ;;\n  esac\n");
        sb.append("  COMPREPLY=( $(compgen -W \"$opts\" -- \"$cur\") )\n}\ncomplete -o default -F _nnlab nnlab\n");
        return sb.toString();
    }

    /** The known name closest to {@code given} by edit distance, if it is close enough to be a typo, else null. */
    static String closest(String given, Iterable<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = distance(given, k);
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        return best != null && bestDistance <= Math.max(2, given.length() / 3) ? best : null;
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1], current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) previous[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] t = previous;
            previous = current;
            current = t;
        }
        return previous[b.length()];
    }
}
