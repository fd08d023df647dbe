package nnlab.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package table of DESIGN.md: which nnlab package may use which. Every reference to another
 * nnlab package in main sources (imports and fully qualified names alike) must be allowed here.
 */
class PackageDependencyTest {
    private static final Set<String> CORE = Set.of("tensor.kernel", "tensor", "tensor.ops", "random", "nn", "optim",
            "data", "metrics", "classic", "train", "train.fused", "theory");

    private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry("tensor.kernel", Set.of()),
            Map.entry("tensor", Set.of("tensor.kernel")),
            Map.entry("tensor.ops", Set.of("tensor", "tensor.kernel")),
            Map.entry("random", Set.of()),
            Map.entry("nn", Set.of("tensor", "tensor.ops", "tensor.kernel", "random")),
            Map.entry("optim", Set.of("tensor", "nn")),
            Map.entry("data", Set.of("tensor", "random")),
            Map.entry("metrics", Set.of()),
            Map.entry("classic", Set.of("data", "metrics", "random")),
            // train also reaches tensor.kernel (not in DESIGN.md's table): its fused batch-1 step runs the SIMD loops itself.
            Map.entry("train", Set.of("tensor", "tensor.kernel", "nn", "optim", "data", "metrics")),
            // The fused steps are part of train (DESIGN.md's "train/fused/"): they implement its Step.
            Map.entry("train.fused", Set.of("train", "tensor", "tensor.kernel", "nn", "optim", "data", "metrics")),
            // Not in DESIGN.md's table: the theory checks of issue 6 (numerical derivatives, convexity, hand-built nets).
            Map.entry("theory", Set.of("tensor", "tensor.ops", "nn", "optim", "random", "data", "classic", "metrics")),
            // nnlab-lab: report is rebuilt from files alone, so it never reaches training code; nothing uses cli.
            Map.entry("experiment", union(CORE, Set.of())),
            // Where sweeps live (DESIGN.md's "experiment/store/"): built on experiment's runs and files, never the reverse.
            Map.entry("experiment.store", union(CORE, Set.of("experiment"))),
            Map.entry("report", Set.of("experiment", "experiment.store", "metrics")),
            Map.entry("cli", union(CORE, Set.of("experiment", "experiment.store", "report"))));

    private static final Pattern REFERENCE = Pattern.compile("\\bnnlab\\.((?:[a-z]+\\.)*[a-z]+)\\.[A-Z*]");

    @Test
    void everyPackageUsesOnlyWhatTheDesignAllows() throws IOException {
        List<String> violations = new ArrayList<>();
        int files = 0;
        for (Path root : List.of(Path.of("src/main/java"), Path.of("../nnlab-lab/src/main/java"))) {
            if (!Files.isDirectory(root)) continue;
            try (Stream<Path> paths = Files.walk(root)) {
                for (Path file : (Iterable<Path>) paths.filter(p -> p.toString().endsWith(".java"))::iterator) {
                    files++;
                    String pkg = root.resolve("nnlab").relativize(file.getParent()).toString().replace('/', '.');
                    Set<String> allowed = ALLOWED.get(pkg);
                    if (allowed == null) {
                        violations.add(file + ": package nnlab." + pkg + " is not in the design's table");
                        continue;
                    }
                    Matcher m = REFERENCE.matcher(stripComments(Files.readString(file)));
                    Set<String> used = new TreeSet<>();
                    while (m.find()) used.add(m.group(1));
                    for (String target : used) {
                        if (!target.equals(pkg) && !target.startsWith(pkg + ".") && !allowed.contains(target)
                                && ALLOWED.containsKey(target)) {
                            violations.add(file + ": nnlab." + pkg + " may not use nnlab." + target);
                        }
                    }
                }
            }
        }
        assertTrue(files > 20, "found only " + files + " source files: is the working directory nnlab-core?");
        assertEquals(List.of(), violations);
    }

    @Test
    void coreHasNoThirdPartyImports() throws IOException {
        List<String> violations = new ArrayList<>();
        Pattern imp = Pattern.compile("^import\\s+(?:static\\s+)?([\\w.]+)", Pattern.MULTILINE);
        try (Stream<Path> paths = Files.walk(Path.of("src/main/java"))) {
            for (Path file : (Iterable<Path>) paths.filter(p -> p.toString().endsWith(".java"))::iterator) {
                Matcher m = imp.matcher(Files.readString(file));
                while (m.find()) {
                    String name = m.group(1);
                    if (!name.startsWith("java.") && !name.startsWith("jdk.incubator.vector") && !name.startsWith("nnlab.")) {
                        violations.add(file + " imports " + name);
                    }
                }
            }
        }
        assertEquals(List.of(), violations);
    }

    private static String stripComments(String source) {
        return source.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\n]*", "");
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> out = new TreeSet<>(a);
        out.addAll(b);
        return out;
    }
}
