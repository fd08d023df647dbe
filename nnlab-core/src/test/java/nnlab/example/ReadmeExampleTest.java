package nnlab.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's program for a project of one's own is examples/use-nnlab's Rings.java, word for word,
 * and it compiles against the library and learns: the front door cannot drift from the library.
 */
class ReadmeExampleTest {
    private static final Path ROOT = Path.of("..");

    @Test
    void theReadmeProgramIsTheExampleProjectsAndItCompilesAndLearns(@TempDir Path dir) throws Exception {
        String readme = Files.readString(ROOT.resolve("README.md"));
        Matcher m = Pattern.compile("## Use nnlab from your own project.*?```java\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertTrue(m.find(), "README.md has no java block under 'Use nnlab from your own project'");
        Path source = ROOT.resolve("examples/use-nnlab/src/main/java/Rings.java");
        assertEquals(Files.readString(source), m.group(1), "the README's program and " + source + " differ");

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int status = javac.run(null, null, errors, "--add-modules", "jdk.incubator.vector", "-cp",
                System.getProperty("java.class.path"), "-d", dir.toString(), source.toString());
        assertEquals(0, status, errors.toString(StandardCharsets.UTF_8));

        PrintStream out = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            loader.loadClass("Rings").getMethod("main", String[].class).invoke(null, (Object) new String[0]);
        } finally {
            System.setOut(out);
        }
        String text = printed.toString(StandardCharsets.UTF_8);
        Matcher accuracy = Pattern.compile("test accuracy (\\d\\.\\d+)").matcher(text);
        assertTrue(accuracy.find(), text);
        assertTrue(Double.parseDouble(accuracy.group(1)) >= 0.9, "the example learned too little:\n" + text);
        assertTrue(List.of(text.split("\n")).size() >= 5, text);
    }
}
