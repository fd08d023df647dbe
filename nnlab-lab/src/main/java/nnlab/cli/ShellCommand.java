package nnlab.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import jdk.jshell.tool.JavaShellToolBuilder;

/**
 * {@code nnlab shell}: JShell with nnlab on the class path and its packages imported — the place to
 * try the library a line at a time. It runs in nnlab's own JVM (JShell's local execution), so the
 * Vector API flag the launcher set holds for what it runs.
 */
final class ShellCommand {
    private ShellCommand() {}

    /** The imports every session starts with, after JShell's own defaults. */
    static final String IMPORTS = """
            import nnlab.tensor.*;
            import nnlab.nn.*;
            import nnlab.optim.*;
            import nnlab.data.*;
            import nnlab.random.*;
            import nnlab.train.*;
            """;

    static int run(Args args, InputStream in, PrintStream out) {
        args.rejectUnknown("shell");
        args.rejectPositional("shell");
        Path startup;
        try {
            startup = Files.createTempFile("nnlab-shell-", ".jsh");
            Files.writeString(startup, IMPORTS + "System.out.println(\"nnlab \" + \"" + nnlab.experiment.Provenance.VERSION
                    + "\" + \": nnlab's packages are imported (Tensor, Sequential, Linear, Sgd, Adam, Datasets, Trainer, …); /exit to leave\");\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the shell's startup file: " + e.getMessage(), e);
        }
        try {
            return JavaShellToolBuilder.builder().in(in, null).out(out).start("--class-path", System.getProperty("java.class.path"),
                    "--execution", "local", "--startup", "DEFAULT", "--startup", startup.toString());
        } catch (Exception e) {
            throw new IllegalStateException("JShell did not start: " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(startup);
            } catch (IOException ignored) {
                // a temporary file of a few lines
            }
        }
    }
}
