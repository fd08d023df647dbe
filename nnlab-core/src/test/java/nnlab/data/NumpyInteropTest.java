package nnlab.data;

import static nnlab.data.Fixtures.pattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files nnlab writes, loaded by real numpy (skipped where /usr/bin/python3 with numpy is missing). */
class NumpyInteropTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");

    @TempDir
    Path dir;

    @BeforeAll
    static void needsNumpy() throws Exception {
        assumeTrue(Files.isExecutable(PYTHON), "no " + PYTHON);
        assumeTrue(run(List.of(PYTHON.toString(), "-c", "import numpy")).exitCode == 0, "python3 has no numpy");
    }

    @Test
    void numpyLoadsOurNpyAndNpzFiles() throws Exception {
        StringBuilder manifest = new StringBuilder();
        int[][] shapes = {{}, {5}, {2, 3, 4}, {0, 3}};
        for (String dtype : Fixtures.DTYPES) {
            for (int[] shape : shapes) {
                Path file = dir.resolve(dtype + "-" + shape.length + ".npy");
                Npy.write(file, pattern(dtype, shape));
                manifest.append(line(file, "-", dtype, shape));
            }
        }
        for (boolean compressed : new boolean[] {false, true}) {
            Path file = dir.resolve(compressed ? "compressed.npz" : "stored.npz");
            Map<String, NdArray> arrays = new LinkedHashMap<>();
            arrays.put("z", pattern("i8", 4));
            arrays.put("layers.0.weight", pattern("f4", 3, 2));
            arrays.put("a", pattern("u1", 30, 40));
            arrays.put("scalar", pattern("f8"));
            Npz.write(file, arrays, compressed);
            arrays.forEach((key, array) -> manifest.append(line(file, key, array.dtype(), array.shape())));
        }
        Result result = check(manifest.toString());
        assertEquals("OK", result.output.strip(), result.output);
        assertEquals(0, result.exitCode);
    }

    @Test
    void theNumpyCheckCanFail() throws Exception {
        // Guards against a checker that passes everything: a f8 file declared as f4 must be reported.
        Path file = dir.resolve("wrong.npy");
        Npy.write(file, pattern("f8", 3));
        Result result = check(line(file, "-", "f4", new int[] {3}));
        assertNotEquals(0, result.exitCode, result.output);
        assertEquals(true, result.output.contains("dtype <f8, expected <f4"), result.output);
    }

    private static String line(Path file, String key, String dtype, int[] shape) {
        String sizes = IntStream.of(shape).mapToObj(Integer::toString).collect(Collectors.joining(","));
        return file + "\t" + key + "\t" + dtype + "\t" + sizes + "\n";
    }

    private Result check(String manifest) throws Exception {
        Path file = Files.writeString(dir.resolve("manifest.tsv"), manifest);
        Path script = Fixtures.scripts().resolve("check_written.py");
        // -B: no __pycache__ next to the scripts.
        return run(List.of(PYTHON.toString(), "-B", script.toString(), file.toString()));
    }

    private record Result(int exitCode, String output) {
    }

    private static Result run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("python did not finish: " + command);
        }
        return new Result(process.exitValue(), output);
    }
}
