package nnlab.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link GemmBenchmark} twice, with the JVM limited to one processor and with all of them, and
 * prints a GFLOPS table (GFLOPS = 2·m·n·k · calls per second / 1e9). Takes JMH's usual command-line
 * options (forks, iterations, {@code -p} to narrow the parameters, {@code -jvmArgsAppend}, …).
 *
 * <p>Usage: {@code java --add-modules jdk.incubator.vector -cp benchmarks.jar nnlab.bench.GemmGflops
 * -f 1 -wi 3 -i 5 -jvmArgsAppend --add-modules=jdk.incubator.vector}
 */
public final class GemmGflops {

    public static void main(String[] args) throws RunnerException, CommandLineOptionException {
        CommandLineOptions cli = new CommandLineOptions(args);
        List<String> jvmArgs = new ArrayList<>(cli.getJvmArgsAppend().orElse(List.of()));
        int cores = Runtime.getRuntime().availableProcessors();
        Map<String, double[]> table = new TreeMap<>();
        String[] columns = cores > 1 ? new String[] {"1 thread", cores + " threads"} : new String[] {"1 thread"};
        for (int column = 0; column < columns.length; column++) {
            List<String> forkArgs = new ArrayList<>(jvmArgs);
            // The kernel sizes its thread pool from availableProcessors(), which this flag caps.
            if (column == 0) forkArgs.add("-XX:ActiveProcessorCount=1");
            OptionsBuilder builder = new OptionsBuilder();
            builder.parent(cli).jvmArgsAppend(forkArgs.toArray(String[]::new));
            if (cli.getIncludes().isEmpty()) builder.include(GemmBenchmark.class.getName());
            Options options = builder.build();
            Collection<RunResult> results = new Runner(options).run();
            for (RunResult result : results) {
                var params = result.getParams();
                double callsPerSecond = result.getPrimaryResult().getScore();
                String name;
                double flops;
                if (params.getBenchmark().endsWith(".square")) {
                    int size = Integer.parseInt(params.getParam("size"));
                    name = String.format(Locale.ROOT, "%-12s %-8s %-10s %5d %5d %5d  NN", "", "square", "", size, size, size);
                    flops = 2.0 * size * size * size;
                } else {
                    String product = params.getParam("product"), layer = params.getParam("layer");
                    String layout = params.getParam("layout");
                    int[] s = GemmBenchmark.shape(layout, product, layer, Integer.parseInt(params.getParam("batch")));
                    name = String.format(Locale.ROOT, "%-12s %-8s %-10s %5d %5d %5d  %s%s", layout, layer, product,
                            s[0], s[1], s[2], s[3] == 1 ? "T" : "N", s[4] == 1 ? "T" : "N");
                    flops = 2.0 * s[0] * s[1] * s[2];
                }
                table.computeIfAbsent(name, x -> new double[columns.length])[column] = flops * callsPerSecond / 1e9;
            }
        }
        StringBuilder out = new StringBuilder("\nsgemm GFLOPS (2·m·n·k · calls/s / 1e9)\n");
        out.append(String.format(Locale.ROOT, "%-12s %-8s %-10s %5s %5s %5s  %s", "layout", "layer", "product", "m", "n", "k", "op"));
        for (String column : columns) out.append(String.format(Locale.ROOT, " %11s", column));
        out.append('\n');
        table.forEach((name, gflops) -> {
            out.append(name);
            for (double g : gflops) out.append(String.format(Locale.ROOT, " %11.1f", g));
            out.append('\n');
        });
        System.out.print(out);
    }
}
