package nnlab.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import nnlab.data.CourseData;
import nnlab.data.Datasets;
import nnlab.experiment.Provenance;
import nnlab.experiment.TrainConfig;

/** The {@code nnlab} command: one subcommand per kind of work. */
public final class Main {
    private static final String USAGE = """
            usage: nnlab COMMAND [options]

            commands:
              demo                                 train a small network on generated data (no download)
              classic MODEL                        a numpy-track run: perceptron, logistic_regression, mlp,
                                                   linear_regression, nn (the course's hw1-q2/q3.py flags)
              train logistic_regression|mlp|cnn    an autodiff-track run (hw1-q4.py's flags; cnn: hw2-q2.py's)
              sweep train|classic MODEL --grid k=v1,v2 …   a hyperparameter sweep, resumable
              hw1 [--quick] [--edition 2021|2023|2024]   the whole Homework 1 of an edition, one report
              hw2 [--quick] [--edition 2021|2023|2024]   Homework 2's CNN questions, one report
              worker --store URL [--sweep NAME]    run a sweep's trials from PostgreSQL, on any machine, until all have ended
              report DIR [--pdf]                   rebuild the plots and report of a run or sweep from its files
                                                   (--pdf: also report.pdf, printed by headless Chromium);
                                                   --store URL --sweep NAME --out DIR: of a sweep in PostgreSQL
              evaluate DIR                         load a run's best.npz and evaluate it on the test set again
              bench [--quick] [--only NAME,…] [--json]   end-to-end speed of the course's workloads
              data                                 list the datasets nnlab knows and where it finds them
              shell                                JShell with nnlab's packages imported, to try the library
              check NAME|all                       verify the homework's derivations numerically (sigmoid, softmax-jacobian,
                                                   logistic-loss, multinomial-loss, linear-convexity, mlp-nonconvexity,
                                                   mlp-expressiveness, range-function, quadratic-network)

            nnlab COMMAND --help (or nnlab help COMMAND) lists a command's options, defaults and an example;
            nnlab --version prints the version and commit; source <(nnlab completion bash) (or zsh) completes
            commands, options and their values in the shell.
            Options take the course's spelling (-learning_rate 0.01) or --learning-rate 0.01.
            Datasets: --data NAME|PATH (fashion-mnist, fashion-mnist-sample, ames, mnist, octmnist, …).
            Exit status: 0 done; 1 failed, or a run diverged (a sweep: a trial failed, or none trained); 2 a
            mistake in the command line.
            """;

    private Main() {}

    public static void main(String[] argv) {
        Stderr.reclaim();
        System.exit(run(argv, System.out, System.err));
    }

    /** Runs a command line; returns the exit status (0 ok, 1 failure, 2 usage error). */
    public static int run(String[] argv, PrintStream out, PrintStream err) {
        if (argv.length == 0) {
            err.print(USAGE);
            return 2;
        }
        String command = argv[0];
        String[] rest = Arrays.copyOfRange(argv, 1, argv.length);
        if (Set.of("-h", "--help").contains(command) || command.equals("help") && rest.length == 0) {
            out.print(USAGE);
            return 0;
        }
        if (Set.of("--version", "-V", "version").contains(command)) {
            out.println("nnlab " + Provenance.VERSION + " (commit " + Provenance.gitCommit() + ", Java " + Runtime.version() + ")");
            return 0;
        }
        if (command.equals("completion")) {
            if (rest.length > 0 && Set.of("-h", "--help").contains(rest[0])) {
                out.println("usage: nnlab completion bash|zsh\n\nPrints a script that completes nnlab's commands, options and their "
                        + "values in the shell.\nexample: source <(nnlab completion bash)   (in ~/.bashrc to keep it)");
                return 0;
            }
            try {
                out.print(Help.completion(rest.length == 0 ? "bash" : rest[0]));
                return 0;
            } catch (Args.UsageException e) {
                err.println("nnlab completion: " + e.getMessage());
                return 2;
            }
        }
        if (command.equals("help")) {
            command = rest[0];
            rest = new String[] {"--help"};
        }
        if (!Help.COMMANDS.containsKey(command)) {
            String guess = Help.closest(command, Help.COMMANDS.keySet());
            err.println("nnlab: unknown command '" + command + "'" + (guess != null ? "; did you mean '" + guess + "'?" : "")
                    + "\ncommands: " + String.join(", ", Help.COMMANDS.keySet()) + " (nnlab --help says what each does)");
            return 2;
        }
        if (Arrays.asList(rest).contains("--help") || Arrays.asList(rest).contains("-h")) {
            out.print(Help.text(Help.COMMANDS.get(command)));
            return 0;
        }
        Function<String, CourseData> datasets = cachedDatasets();
        try {
            return switch (command) {
                case "demo" -> Demo.run(Args.parse(rest, Set.of()), out);
                case "classic" -> ClassicCommand.run(Args.parse(rest, Set.of()), out, datasets);
                case "train" -> TrainCommand.run(Args.parse(rest, withFlags(Set.of("no_fused"), TrainConfig.SCHEMA)), out, err, datasets);
                case "sweep" -> SweepCommand.run(Args.parse(rest, withFlags(Set.of("one_at_a_time"), TrainConfig.SCHEMA)), out, err, datasets,
                        new SweepCommand.Runners());
                case "hw1" -> HomeworkCommand.run(Args.parse(rest, Set.of("quick")), out, err, datasets, 1);
                case "hw2" -> HomeworkCommand.run(Args.parse(rest, Set.of("quick")), out, err, datasets, 2);
                case "report" -> ReportCommand.run(Args.parse(rest, Set.of("pdf")), out);
                case "worker" -> WorkerCommand.run(Args.parse(rest, Set.of()), out, err, datasets, new SweepCommand.Runners());
                case "evaluate" -> EvaluateCommand.run(Args.parse(rest, Set.of()), out, datasets);
                case "bench" -> BenchCommand.run(Args.parse(rest, Set.of("quick", "json", "list")), out, datasets);
                case "data" -> DataCommand.run(Args.parse(rest, Set.of()), out);
                case "check" -> CheckCommand.run(Args.parse(rest, Set.of()), out, datasets);
                case "shell" -> ShellCommand.run(Args.parse(rest, Set.of()), System.in, out);
                default -> throw new IllegalStateException("no case for command " + command);
            };
        } catch (Args.UsageException e) {
            err.println("nnlab " + command + ": " + e.getMessage());
            return 2;
        } catch (java.nio.file.InvalidPathException e) {
            // Java spells file names in the locale's character set: under LANG=C (ASCII) a name with é
            // arrived as ?? and cannot be made. The launcher switches such a locale to C.UTF-8 where it can.
            String charset = System.getProperty("sun.jnu.encoding", "");
            boolean utf8 = charset.equalsIgnoreCase("UTF-8");
            err.println("nnlab " + command + ": '" + e.getInput() + "' cannot be a file name here ("
                    + e.getReason().toLowerCase(java.util.Locale.ROOT) + ")" + (utf8 ? "; choose another name"
                    : ": this locale's character set, " + charset + ", has no letters beyond ASCII. Run nnlab in a UTF-8 "
                    + "locale (e.g. LC_ALL=C.UTF-8 ./nnlab ...), or give names in ASCII letters"));
            return 2;
        } catch (OutOfMemoryError e) {
            long max = Runtime.getRuntime().maxMemory() >> 20;
            err.println("nnlab " + command + ": out of memory: the Java heap's maximum, " + max + " MiB, was not enough"
                    + " for this " + command + ". Give it more, e.g. NNLAB_JAVA_OPTS=-Xmx" + Math.max(2, 2 * max / 1024 + 1)
                    + "g ./nnlab " + command + " …, or use fewer examples, trials at once (--parallel) or a smaller model");
            return 1;
        } catch (RuntimeException e) {
            // A bare exception (no message) still says what it was; NNLAB_DEBUG=1 prints the stack.
            err.println("nnlab " + command + ": " + (e.getMessage() != null ? e.getMessage() : e.toString())
                    + (System.getenv("NNLAB_DEBUG") == null && e.getMessage() == null ? " (NNLAB_DEBUG=1 shows where)" : ""));
            if (System.getenv("NNLAB_DEBUG") != null) e.printStackTrace(err);
            return 1;
        }
    }

    /**
     * Each dataset is loaded once per process, however many trials ask for it. The places are read
     * from the environment on first use, so that a bad NNLAB_MIRROR is reported as the command's
     * error by the commands that load data, and stops none of the others.
     */
    static Function<String, CourseData> cachedDatasets() {
        Map<String, CourseData> cache = new ConcurrentHashMap<>();
        Map<String, Datasets> places = new ConcurrentHashMap<>();
        return name -> cache.computeIfAbsent(name, n -> {
            Datasets datasets = places.computeIfAbsent("standard", k -> Datasets.standard());
            if (nnlab.data.Catalogue.find(n) == null && !Files.exists(Path.of(n))) {
                // A Python user types fashion_mnist; a typist fashoin-mnist: name the dataset meant.
                String guess = Help.closest(n.strip().toLowerCase(java.util.Locale.ROOT).replace('_', '-'), datasets.names());
                if (guess != null) {
                    throw new IllegalArgumentException("--data '" + n + "' is neither a dataset name nor an existing file or folder; "
                            + "did you mean " + guess + "? (nnlab data lists the names)");
                }
            }
            return datasets.load(n);
        });
    }

    /** A command's own switches and its schema's on/off settings: the options that take no value. */
    private static Set<String> withFlags(Set<String> switches, nnlab.experiment.Schema schema) {
        Set<String> out = new java.util.HashSet<>(switches);
        out.addAll(schema.flags());
        return out;
    }
}
