package nnlab.data;

import static nnlab.data.Fixtures.assertDataError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CSV convention: a label (or y/target) column, a split column, features. */
class CsvDatasetTest {
    @TempDir
    Path dir;

    @Test
    void labelMeansClassesAndSplitPlacesRows() throws IOException {
        Path file = csv("iris.csv", """
                a,split,label,b
                0.5,0,2,-1
                1.5,2,0,-2
                2.5,1,1,-3
                3.5,0,0,-4
                """);
        CourseData data = CourseFiles.load(file);
        assertEquals("iris", data.name());
        assertEquals(3, data.classes());
        assertArrayEquals(new double[] {0.5, -1, 3.5, -4}, data.train().x(), "features a, b in file order, rows in order");
        assertArrayEquals(new int[] {2, 0}, data.train().labels());
        assertArrayEquals(new double[] {2.5, -3}, data.dev().x());
        assertArrayEquals(new int[] {0}, data.test().labels());
        assertEquals(2, data.test().features());
    }

    @Test
    void yAndTargetMeanRegression() throws IOException {
        for (String column : new String[] {"y", "target"}) {
            Path file = csv(column + ".csv", "x," + column + ",split\n1,12.5,0\n2,11,0\n3,10.25,2\n");
            CourseData data = CourseFiles.load(file);
            assertFalse(data.train().isClassification(), column);
            assertEquals(0, data.classes());
            assertArrayEquals(new double[] {12.5, 11}, data.train().targets());
            assertArrayEquals(new double[] {10.25}, data.test().targets());
            assertNull(data.dev(), "no split-1 rows: no dev split");
        }
    }

    /** Data nobody can train on is refused when loaded, naming the file, the example and the value. */
    @Test
    void nonFiniteValuesStrayLabelsOneClassAndEmptySplitsAreRefused() throws IOException {
        assertDataError(() -> CourseFiles.load(csv("nan.csv", "x,z,label,split\n1,2,0,0\n3,nan,1,0\n5,6,1,2\n")),
                "nan.csv", "feature 1 of train example 1 is NaN", "finite");
        assertDataError(() -> CourseFiles.load(csv("inf.csv", "x,label,split\n1,0,0\n2,1,0\n-inf,1,2\n")),
                "inf.csv", "feature 0 of test example 0 is -Infinity");
        assertDataError(() -> CourseFiles.load(csv("ty.csv", "x,y,split\n1,nan,0\n2,3,0\n3,4,2\n")),
                "ty.csv", "the target of train example 0 is NaN");
        StringBuilder stray = new StringBuilder("x,label,split\n");
        for (int i = 0; i < 30; i++) stray.append(i).append(',').append(i % 3).append(",0\n");
        stray.append("7,1000000,0\n8,1,2\n");
        assertDataError(() -> CourseFiles.load(csv("stray.csv", stray.toString())), "stray.csv",
                "label 1000000 (train example 30) is far above the others", "4 different labels", "1000001 classes");
        assertDataError(() -> CourseFiles.load(csv("straydev.csv", stray.toString().replace("7,1000000,0", "7,1000000,1"))),
                "straydev.csv", "label 1000000 (dev example 0) is far above the others");
        assertDataError(() -> CourseFiles.load(csv("nofeatures.csv", "label,split\n0,0\n1,0\n1,2\n")),
                "nofeatures.csv", "no features");
        assertDataError(() -> CourseFiles.load(csv("one.csv", "x,label,split\n1,4,0\n2,4,0\n3,4,2\n")),
                "one.csv", "one class only (label 4)");
        assertDataError(() -> CourseFiles.load(csv("notest.csv", "x,label,split\n1,0,0\n2,1,0\n")),
                "notest.csv", "has no test (split 2) rows");
        assertDataError(() -> CourseFiles.load(csv("empty.csv", "x,label,split\n")), "empty.csv", "is empty");
    }

    @Test
    void missingOrAmbiguousColumnsAreExplained() throws IOException {
        assertDataError(() -> CourseFiles.load(csv("a.csv", "x,split\n1,0\n")), "a.csv", "has no label column",
                "[x, split]", "'label'");
        assertDataError(() -> CourseFiles.load(csv("b.csv", "x,label,y,split\n1,0,1,0\n")), "several label columns [label, y]");
        assertDataError(() -> CourseFiles.load(csv("c.csv", "x,label\n1,0\n")), "c.csv", "has no 'split' column");
    }

    @Test
    void badSplitsAndLabelsNameTheRow() throws IOException {
        assertDataError(() -> CourseFiles.load(csv("s.csv", "x,label,split\n1,0,0\n2,1,3\n")), "data row 2 has split 3.0");
        assertDataError(() -> CourseFiles.load(csv("t.csv", "x,label,split\n1,0,0\n2,1,1\n")), "has no test (split 2) rows");
        assertDataError(() -> CourseFiles.load(csv("n.csv", "x,label,split\n1,0,0\n2,-1,0\n3,0,2\n")),
                "n.csv", "the label of data row 2 is -1");
        assertDataError(() -> CourseFiles.load(csv("f.csv", "x,label,split\n1,0,0\n2,1,2\n3,1.5,2\n")),
                "the label of data row 3 is 1.5");
    }

    private Path csv(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    /**
     * A CSV dataset loads in about twice its size: a 16 MB file of two features, a label and a split
     * per row (727,273 rows, 23 MB as float64) loads in a JVM of 48 MB heap. Reading it as a table of
     * rows first (an array per row, then the splits' arrays) needed over 64 MB.
     */
    @Test
    void aCsvDatasetLoadsInAboutTwiceItsSize() throws Exception {
        Path file = dir.resolve("narrow.csv");
        int rows = 727_273;
        try (var out = new java.io.BufferedWriter(Files.newBufferedWriter(file), 1 << 16)) {
            out.write("split,label,x0,x1\n");
            for (int i = 0; i < rows; i++) {
                out.write((i % 10 < 8 ? 0 : i % 10 == 8 ? 1 : 2) + "," + i % 10 + ",0." + (100_000 + i * 7919L % 900_000) + ",0."
                        + (100_000 + i * 104_729L % 900_000) + "\n");
            }
        }
        List<String> command = List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx48m", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), LoadCsv.class.getName(), file.toString());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), Files.size(file) + "-byte file:\n" + output);
        assertEquals("581819 train, 72727 dev, 72727 test, 2 features, 10 classes", output.strip());
    }

    /** Loads a CSV dataset in a JVM of its own (see {@link #aCsvDatasetLoadsInAboutTwiceItsSize}). */
    public static final class LoadCsv {
        public static void main(String[] args) {
            CourseData data = CourseFiles.load(Path.of(args[0]));
            System.out.println(data.train().n() + " train, " + data.dev().n() + " dev, " + data.test().n() + " test, "
                    + data.train().features() + " features, " + data.classes() + " classes");
        }
    }
}
