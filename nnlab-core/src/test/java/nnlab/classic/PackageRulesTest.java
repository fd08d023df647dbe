package nnlab.classic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * DESIGN.md's import rules for the packages this branch adds: {@code classic} may use only
 * {@code data}, {@code metrics} and {@code random} (never autograd: it is the oracle for
 * {@code nn}), and {@code metrics} no other nnlab package. Reads the sources. The JDK's Vector API is
 * allowed in {@code classic} as everywhere (PackageDependencyTest): SIMD loops are not autograd.
 */
class PackageRulesTest {
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(static\\s+)?([\\w.]+)", Pattern.MULTILINE);

    @Test
    void classicImportsOnlyDataMetricsRandomAndJava() throws IOException {
        assertEquals(List.of(), violations("classic", List.of("java.", "jdk.incubator.vector.", "nnlab.data.", "nnlab.metrics.", "nnlab.random.")));
    }

    @Test
    void metricsImportsOnlyJava() throws IOException {
        assertEquals(List.of(), violations("metrics", List.of("java.")));
    }

    private static List<String> violations(String pkg, List<String> allowed) throws IOException {
        Path dir = Path.of("src/main/java/nnlab", pkg);
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".java")).flatMap(file -> {
                try {
                    Matcher m = IMPORT.matcher(Files.readString(file));
                    return m.results().map(r -> r.group(2))
                            .filter(name -> allowed.stream().noneMatch(name::startsWith))
                            .map(name -> file.getFileName() + " imports " + name).toList().stream();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).sorted().toList();
        }
    }
}
