package nnlab.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Set;

/** The {@code nnlab} command: one subcommand per kind of work. */
public final class Main {
    private static final String USAGE = """
            usage: nnlab COMMAND [options]

            commands:
              demo                      train a small network on generated data (no download)
              check NAME|all            verify the homework's derivations numerically (sigmoid, softmax-jacobian, ...)

            Options take the course's spelling (-learning_rate 0.01) or --learning-rate 0.01.
            """;

    private Main() {}

    public static void main(String[] argv) {
        System.exit(run(argv, System.out, System.err));
    }

    /** Runs a command line; returns the exit status (0 ok, 1 failure, 2 usage error). */
    public static int run(String[] argv, PrintStream out, PrintStream err) {
        if (argv.length == 0 || Set.of("-h", "--help", "help").contains(argv[0])) {
            out.print(USAGE);
            return argv.length == 0 ? 2 : 0;
        }
        String command = argv[0];
        String[] rest = Arrays.copyOfRange(argv, 1, argv.length);
        try {
            return switch (command) {
                case "demo" -> Demo.run(Args.parse(rest, Set.of()), out);
                case "check" -> CheckCommand.run(Args.parse(rest, Set.of()), out);
                default -> throw new Args.UsageException("unknown command '" + command + "'\n" + USAGE);
            };
        } catch (Args.UsageException e) {
            err.println("nnlab " + command + ": " + e.getMessage());
            return 2;
        } catch (RuntimeException e) {
            err.println("nnlab " + command + ": " + e.getMessage());
            if (System.getenv("NNLAB_DEBUG") != null) e.printStackTrace(err);
            return 1;
        }
    }
}
