package nnlab.data;

import static nnlab.data.Fixtures.assertDataError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
}
