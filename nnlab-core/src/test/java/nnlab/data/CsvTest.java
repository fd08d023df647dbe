package nnlab.data;

import static nnlab.data.Fixtures.assertDataError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvTest {
    @TempDir
    Path dir;

    private Path csv(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void readsHeaderAndNumbers() throws IOException {
        Path file = csv("houses.csv", "\uFEFF\"area\", rooms ,\"price, log\"\r\n"
                + "1.5, 3, 12.2\r\n"
                + "\r\n"
                + "-2e-3,4,nan\r\n"
                + "0,-inf,+7\n");
        Table table = Csv.read(file);
        assertEquals(List.of("area", "rooms", "price, log"), table.columns());
        assertEquals(3, table.rowCount());
        assertEquals(3, table.columnCount());
        assertArrayEquals(new double[] {1.5, 3, 12.2}, table.rows()[0]);
        assertArrayEquals(new double[] {-2e-3, 4, Double.NaN}, table.rows()[1]);
        assertArrayEquals(new double[] {0, Double.NEGATIVE_INFINITY, 7}, table.rows()[2]);
        assertArrayEquals(new double[] {3, 4, Double.NEGATIVE_INFINITY}, table.column("rooms"));
        NdArray array = table.toNdArray();
        assertArrayEquals(new int[] {3, 3}, array.shape());
        assertEquals(12.2, array.getDouble(2));
        assertEquals(4.0, array.getDouble(4));
    }

    @Test
    void readsAHeaderWithoutRows() throws IOException {
        Table table = Csv.read(csv("header.csv", "a,b\n"));
        assertEquals(List.of("a", "b"), table.columns());
        assertEquals(0, table.rowCount());
        assertArrayEquals(new int[] {0, 2}, table.toNdArray().shape());
    }

    @Test
    void namesFileLineAndColumnOfABadCell() throws IOException {
        Path file = csv("bad.csv", "a,b,c\n1,2,3\n4,abc,6\n");
        assertDataError(() -> Csv.read(file), "bad.csv", "line 3, column 2 ('b')", "'abc'", "not a number");
        Path javaOnly = csv("java.csv", "a\n1d\n");
        assertDataError(() -> Csv.read(javaOnly), "java.csv", "line 2, column 1 ('a')", "'1d'");
        Path empty = csv("hole.csv", "a,b\n1,\n");
        assertDataError(() -> Csv.read(empty), "hole.csv", "line 2, column 2 ('b') is empty");
    }

    @Test
    void reportsShapeProblems() throws IOException {
        assertDataError(() -> Csv.read(csv("ragged.csv", "a,b,c\n1,2,3\n4,5\n")), "ragged.csv", "line 3 has 2 cells",
                "3 columns");
        assertDataError(() -> Csv.read(csv("empty.csv", "\n\n")), "empty.csv", "is empty");
        assertDataError(() -> Csv.read(csv("twice.csv", "a,b,a\n1,2,3\n")), "twice.csv", "'a' twice", "columns 1 and 3");
        assertDataError(() -> Csv.read(csv("quote.csv", "a,\"b\n1,2\n")), "quote.csv", "line 1", "never closed");
        assertDataError(() -> Csv.read(dir.resolve("missing.csv")), "missing.csv", "no such file");
        Path binary = Files.write(dir.resolve("binary.csv"), new byte[] {'a', '\n', (byte) 0xff, (byte) 0xfe});
        assertDataError(() -> Csv.read(binary), "binary.csv", "not UTF-8");
        Files.writeString(dir.resolve("latin.csv"), "x\n1\n", StandardCharsets.ISO_8859_1);
        assertEquals(1, Csv.read(dir.resolve("latin.csv")).rowCount());
    }
}
