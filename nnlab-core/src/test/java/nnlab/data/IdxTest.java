package nnlab.data;

import static nnlab.data.Fixtures.assertDataError;
import static nnlab.data.Fixtures.fixture;
import static nnlab.data.Fixtures.pattern;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class IdxTest {
    private static final Path FASHION = Path.of("/usr/share/datasets/fashion-mnist");

    @TempDir
    Path dir;

    static Stream<Arguments> roundTrips() {
        return Stream.of("u1", "i1", "i2", "i4", "f4", "f8")
                .flatMap(dtype -> Stream.of(false, true).map(gzip -> Arguments.of(dtype, gzip)));
    }

    @ParameterizedTest(name = "{0} gzip={1}")
    @MethodSource("roundTrips")
    void roundTripsEveryIdxType(String dtype, boolean gzip) throws IOException {
        for (NdArray array : new NdArray[] {pattern(dtype, 2, 3, 4), pattern(dtype, 7), pattern(dtype, 5, 20_000)}) {
            Path file = dir.resolve("a.idx");
            Idx.write(file, array, gzip);
            assertEquals(gzip, Files.readAllBytes(file)[0] == 0x1f, "gzip magic");
            assertEquals(array, Idx.read(file));
        }
    }

    @Test
    void detectsGzipByContentNotByName() {
        Path raw = dir.resolve("raw.gz");
        Path zipped = dir.resolve("zipped-idx1-ubyte");
        Idx.write(raw, pattern("u1", 10), false);
        Idx.write(zipped, pattern("u1", 10), true);
        assertEquals(pattern("u1", 10), Idx.read(raw));
        assertEquals(pattern("u1", 10), Idx.read(zipped));
    }

    @Test
    void readsFilesWrittenByPython() {
        assertEquals(pattern("i4", 2, 3, 4), Idx.read(fixture("i4.idx")));
        assertEquals(pattern("f8", 2, 3, 4), Idx.read(fixture("f8.idx.gz")));
        assertEquals(pattern("u1", 10), Idx.read(fixture("u1-labels.idx")));
    }

    @Test
    void readsTheRealFashionMnist() {
        Path images = fashionFile("train-images-idx3-ubyte");
        Path labels = fashionFile("train-labels-idx1-ubyte");
        Path testLabels = fashionFile("t10k-labels-idx1-ubyte");
        assumeTrue(images != null && labels != null && testLabels != null, "Fashion-MNIST is not in " + FASHION);

        NdArray x = Idx.read(images);
        assertEquals("u1", x.dtype());
        assertArrayEquals(new int[] {60000, 28, 28}, x.shape());
        // The first image's pixel sum and the first labels, as computed with Python's gzip module.
        byte[] pixels = (byte[]) x.data();
        long sum = 0;
        for (int i = 0; i < 784; i++) sum += pixels[i] & 0xFF;
        assertEquals(76247, sum);

        NdArray y = Idx.read(labels);
        assertArrayEquals(new int[] {60000}, y.shape());
        assertArrayEquals(new int[] {9, 0, 0, 3, 0, 2, 7, 2, 5, 5}, Arrays.copyOf(y.toInts(), 10));
        NdArray yTest = Idx.read(testLabels);
        assertArrayEquals(new int[] {10000}, yTest.shape());
        assertArrayEquals(new int[] {9, 2, 1, 1, 6, 1, 4, 6, 5, 7}, Arrays.copyOf(yTest.toInts(), 10));
    }

    /** Debian installs the files gzipped; a decompressed copy is fine too. */
    private static Path fashionFile(String name) {
        for (Path file : new Path[] {FASHION.resolve(name + ".gz"), FASHION.resolve(name)}) {
            if (Files.isRegularFile(file)) return file;
        }
        return null;
    }

    @Test
    void refusesWhatIdxCannotHold() {
        assertThrows(IllegalArgumentException.class, () -> Idx.write(dir.resolve("a.idx"), pattern("i8", 3), false));
        assertThrows(IllegalArgumentException.class, () -> Idx.write(dir.resolve("a.idx"), pattern("f8"), false));
    }

    @Test
    void reportsMissingEmptyAndForeignFiles() throws IOException {
        assertDataError(() -> Idx.read(dir.resolve("missing-idx1-ubyte")), "missing-idx1-ubyte", "no such file");
        Path empty = Files.write(dir.resolve("empty.idx"), new byte[0]);
        assertDataError(() -> Idx.read(empty), "empty.idx", "has 0 bytes");
        assertDataError(() -> Idx.read(fixture("f8.npy")), "f8.npy", "IDX magic", "93 4e 55 4d");
        Path unknownType = Files.write(dir.resolve("type.idx"), new byte[] {0, 0, 0x0A, 1, 0, 0, 0, 0});
        assertDataError(() -> Idx.read(unknownType), "type.idx", "00 00 0a 01");
    }

    @Test
    void reportsWrongNumbersOfDimensions() throws IOException {
        Path none = Files.write(dir.resolve("none.idx"), new byte[] {0, 0, 8, 0, 1});
        assertDataError(() -> Idx.read(none), "none.idx", "gives 0 dimensions", "1 to 32");
        Path many = Files.write(dir.resolve("many.idx"), new byte[] {0, 0, 8, (byte) 200});
        assertDataError(() -> Idx.read(many), "many.idx", "gives 200 dimensions");
        Path shortHeader = Files.write(dir.resolve("short.idx"), new byte[] {0, 0, 8, 3, 0, 0, 0, 1, 0, 0});
        assertDataError(() -> Idx.read(shortHeader), "short.idx", "ends inside the IDX header", "6 bytes found");
        Path negative = Files.write(dir.resolve("negative.idx"), new byte[] {0, 0, 8, 1, (byte) 0xff, 0, 0, 0});
        assertDataError(() -> Idx.read(negative), "negative.idx", "negative size");
    }

    @Test
    void reportsSizeMismatchesRawAndGzipped() throws IOException {
        for (boolean gzip : new boolean[] {false, true}) {
            Path file = dir.resolve(gzip ? "labels.gz" : "labels");
            Idx.write(file, pattern("i2", 100), false);
            byte[] bytes = Files.readAllBytes(file); // 8-byte header + 200 data bytes
            Path cut = dir.resolve("cut-" + file.getFileName());
            Path longer = dir.resolve("long-" + file.getFileName());
            Files.write(cut, gzip ? gzip(Arrays.copyOf(bytes, 150)) : Arrays.copyOf(bytes, 150));
            Files.write(longer, gzip ? gzip(Arrays.copyOf(bytes, 218)) : Arrays.copyOf(bytes, 218));
            assertDataError(() -> Idx.read(cut), cut.getFileName().toString(), "200 data bytes", "only 142 follow", "[100]");
            assertDataError(() -> Idx.read(longer), longer.getFileName().toString(), "200 data bytes", "10 too many");
        }
    }

    @Test
    void reportsATruncatedGzipStream() throws IOException {
        Path file = dir.resolve("images.gz");
        Idx.write(file, pattern("f8", 50, 50), true);
        byte[] bytes = Files.readAllBytes(file);
        Path cut = Files.write(dir.resolve("cut.gz"), Arrays.copyOf(bytes, bytes.length / 2));
        assertDataError(() -> Idx.read(cut), "cut.gz", "truncated");
    }

    @Test
    void readRowsHandsOverTheRowsReadWouldReturn() {
        for (boolean gzip : new boolean[] {false, true}) {
            for (NdArray array : new NdArray[] {pattern("u1", 6, 5, 4), pattern("u1", 9), pattern("u1", 0, 3)}) {
                Path file = dir.resolve("rows.idx");
                Idx.write(file, array, gzip);
                int[] shape = array.shape();
                int rowBytes = shape[0] == 0 ? 0 : array.size() / shape[0];
                byte[] got = new byte[array.size()];
                int[] seen = {0};
                assertEquals(true, Idx.readRows(file, new Idx.RowReader() {
                    @Override
                    public void start(int[] s) {
                        assertArrayEquals(shape, s);
                    }

                    @Override
                    public void row(int index, byte[] values) {
                        assertEquals(seen[0]++, index, "rows come in file order");
                        System.arraycopy(values, 0, got, index * rowBytes, rowBytes);
                    }
                }));
                assertEquals(shape[0], seen[0]);
                assertArrayEquals((byte[]) Idx.read(file).data(), got, Arrays.toString(shape) + " gzip=" + gzip);
            }
        }
    }

    @Test
    void readRowsLeavesOtherTypesToRead() {
        Path file = dir.resolve("i2.idx");
        Idx.write(file, pattern("i2", 3, 4), false);
        assertEquals(false, Idx.readRows(file, new Idx.RowReader() {
            @Override
            public void start(int[] shape) {
                throw new AssertionError("nothing is read from an i2 file");
            }

            @Override
            public void row(int index, byte[] values) {
                throw new AssertionError("nothing is read from an i2 file");
            }
        }));
    }

    @Test
    void readRowsRefusesCutAndOverlongFiles() throws IOException {
        Idx.RowReader ignore = new Idx.RowReader() {
            @Override
            public void start(int[] shape) {}

            @Override
            public void row(int index, byte[] values) {}
        };
        Path file = dir.resolve("u1.idx");
        Idx.write(file, pattern("u1", 10, 20), false);
        byte[] bytes = Files.readAllBytes(file); // 12-byte header + 200 data bytes
        Path cut = Files.write(dir.resolve("cut-u1.gz"), gzip(Arrays.copyOf(bytes, 150)));
        Path longer = Files.write(dir.resolve("long-u1.gz"), gzip(Arrays.copyOf(bytes, bytes.length + 3)));
        assertDataError(() -> Idx.readRows(cut, ignore), "cut-u1.gz", "200 data bytes", "only 138 follow");
        assertDataError(() -> Idx.readRows(longer, ignore), "long-u1.gz", "200 data bytes", "3 too many");
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        var out = new java.io.ByteArrayOutputStream();
        try (var zip = new java.util.zip.GZIPOutputStream(out)) {
            zip.write(bytes);
        }
        return out.toByteArray();
    }
}
