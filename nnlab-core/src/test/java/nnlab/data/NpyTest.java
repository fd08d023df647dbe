package nnlab.data;

import static nnlab.data.Fixtures.assertDataError;
import static nnlab.data.Fixtures.fixture;
import static nnlab.data.Fixtures.pattern;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class NpyTest {
    @TempDir
    Path dir;

    static Stream<Arguments> numpyFiles() {
        // For each dtype: little-endian C order, big-endian, and Fortran order, all written by numpy.
        return Arrays.stream(Fixtures.DTYPES).flatMap(dtype -> Stream.of("", "_be", "_fortran")
                .map(variant -> Arguments.of(dtype, dtype + variant + ".npy")));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("numpyFiles")
    void readsNumpyFilesOfEveryDtypeByteOrderAndLayout(String dtype, String file) {
        assertEquals(pattern(dtype, 2, 3, 4), Npy.read(fixture(file)));
    }

    @Test
    void readsBigEndianFortranOrder() {
        assertEquals(pattern("f8", 2, 3, 4), Npy.read(fixture("f8_be_fortran.npy")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"v2.npy", "v3.npy"})
    void readsFormatVersions2And3(String file) {
        assertEquals(pattern("f4", 2, 3, 4), Npy.read(fixture(file)));
    }

    @Test
    void readsBoolAsUnsignedBytes() {
        assertEquals(NdArray.ofBytes(new byte[] {1, 0, 1, 1}, 4), Npy.read(fixture("bool.npy")));
    }

    @Test
    void readsScalarVectorAndEmptyArrays() {
        NdArray scalar = Npy.read(fixture("scalar.npy"));
        assertEquals("f8", scalar.dtype());
        assertArrayEquals(new int[0], scalar.shape());
        assertEquals(3.5, scalar.getDouble(0));
        assertEquals(NdArray.ofLongs(new long[] {0, 1, 2, 3, 4}, 5), Npy.read(fixture("vector.npy")));
        assertEquals(NdArray.ofFloats(new float[0], 0, 3), Npy.read(fixture("empty.npy")));
    }

    @Test
    void rearrangesFortranOrderOfFourDimensions() {
        // Element (a, b, c, d) of a Fortran-order (2, 3, 4, 5) array sits at a + 2b + 6c + 24d; store its
        // C-order index there, so the C-order result must read 0, 1, 2, ...
        int[] file = new int[120];
        for (int a = 0; a < 2; a++) for (int b = 0; b < 3; b++) for (int c = 0; c < 4; c++) for (int d = 0; d < 5; d++) {
            file[a + 2 * b + 6 * c + 24 * d] = ((a * 3 + b) * 4 + c) * 5 + d;
        }
        ByteBuffer data = ByteBuffer.allocate(480).order(ByteOrder.LITTLE_ENDIAN);
        data.asIntBuffer().put(file);
        byte[] bytes = npy("{'descr': '<i4', 'fortran_order': True, 'shape': (2, 3, 4, 5), }", data.array());
        NdArray array = Npy.read(new ByteArrayInputStream(bytes), "four.npy");
        assertArrayEquals(new int[] {2, 3, 4, 5}, array.shape());
        for (int i = 0; i < 120; i++) assertEquals(i, array.toInts()[i], "flat index " + i);
    }

    @Test
    void readsHeadersNumpyDidNotWriteItself() {
        byte[] data = ByteBuffer.allocate(24).order(ByteOrder.BIG_ENDIAN).putLong(1).putLong(-2).putLong(3).array();
        NdArray expected = NdArray.ofLongs(new long[] {1, -2, 3}, 1, 3);
        // Python 2 wrote longs with an L suffix; other writers use double quotes and any key order.
        assertEquals(expected, Npy.read(new ByteArrayInputStream(
                npy("{'descr': '>i8', 'fortran_order': False, 'shape': (1L, 3L), }", data)), "py2.npy"));
        assertEquals(expected, Npy.read(new ByteArrayInputStream(
                npy("{\"shape\": (1, 3), \"fortran_order\": False, \"descr\": \">i8\"}", data)), "quotes.npy"));
    }

    static Stream<Arguments> roundTrips() {
        int[][] shapes = {{}, {5}, {2, 3, 4}, {0, 3}};
        return Arrays.stream(Fixtures.DTYPES).flatMap(dtype -> Arrays.stream(shapes).map(shape -> Arguments.of(dtype, shape)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("roundTrips")
    void roundTripsThroughFilesAndStreams(String dtype, int[] shape) throws IOException {
        NdArray array = pattern(dtype, shape);
        Path file = dir.resolve("a.npy");
        Npy.write(file, array);
        assertEquals(array, Npy.read(file));
        byte[] bytes = Files.readAllBytes(file);
        // The header (magic to newline) ends on a 64-byte boundary, version 1.0, as numpy writes it.
        int headerEnd = 10 + (bytes[8] & 0xFF) + ((bytes[9] & 0xFF) << 8);
        assertEquals(0, headerEnd % 64);
        assertEquals('\n', bytes[headerEnd - 1]);
        assertEquals(1, bytes[6]);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Npy.write(out, array);
        assertArrayEquals(bytes, out.toByteArray());
    }

    @Test
    void readsArraysSavedOneAfterAnotherInOneStream() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Npy.write(out, pattern("i4", 3));
        Npy.write(out, pattern("f8", 2, 2));
        ByteArrayInputStream in = new ByteArrayInputStream(out.toByteArray());
        assertEquals(pattern("i4", 3), Npy.read(in, "two"));
        assertEquals(pattern("f8", 2, 2), Npy.read(in, "two"));
    }

    @Test
    void writesBigArraysInChunks() {
        // Larger than the 64 KiB conversion chunk, with a length that does not divide it.
        NdArray array = pattern("f8", 3, 12_345);
        Path file = dir.resolve("big.npy");
        Npy.write(file, array);
        assertEquals(array, Npy.read(file));
    }

    @Test
    void refusesObjectArraysWithoutUnpickling() {
        assertDataError(() -> Npy.read(fixture("object.npy")), "object.npy", "pickle", "|O");
    }

    @Test
    void refusesUnsupportedDtypesNamingThem() {
        assertDataError(() -> Npy.read(fixture("complex.npy")), "complex.npy", "<c16", "astype");
        assertDataError(() -> Npy.read(fixture("unicode.npy")), "unicode.npy", "<U2");
        assertDataError(() -> Npy.read(fixture("structured.npy")), "structured.npy", "structured");
    }

    @Test
    void reportsMissingEmptyAndForeignFiles() throws IOException {
        assertDataError(() -> Npy.read(dir.resolve("nope.npy")), "nope.npy", "no such file");
        assertDataError(() -> Npy.read(dir), dir.toString(), "folder");
        Path empty = Files.write(dir.resolve("empty.npy"), new byte[0]);
        assertDataError(() -> Npy.read(empty), "empty.npy", "the file is empty");
        Path text = Files.writeString(dir.resolve("text.npy"), "x,y\n1,2\n");
        assertDataError(() -> Npy.read(text), "text.npy", "\\x93NUMPY", "78 2c 79");
        assertDataError(() -> Npy.read(fixture("savez.npz")), "savez.npz", "Npz.read");
    }

    @Test
    void reportsTruncatedDataWithExpectedAndFoundSizes() throws IOException {
        byte[] bytes = Files.readAllBytes(fixture("f8.npy")); // 128-byte header + 24 * 8 data bytes
        Path cut = Files.write(dir.resolve("cut.npy"), Arrays.copyOf(bytes, bytes.length - 5));
        assertDataError(() -> Npy.read(cut), "cut.npy", "192 data bytes", "(2, 3, 4)", "only 187 follow", "truncated");
        // Through a stream the size is not known in advance; the shortfall is found while reading.
        assertDataError(() -> Npy.read(new ByteArrayInputStream(Arrays.copyOf(bytes, 200)), "stream.npy"),
                "stream.npy", "192 data bytes", "only 72 follow");
        Path header = Files.write(dir.resolve("header.npy"), Arrays.copyOf(bytes, 40));
        assertDataError(() -> Npy.read(header), "header.npy", "ends inside the .npy header");
    }

    /**
     * A few bytes whose header claims 16 GB (the largest shape an array can hold, float64): the claim
     * is not trusted with an allocation, so reading ends in the "truncated" error instead of
     * OutOfMemoryError, through a stream (where the size is unknown) and in an archive whose entry
     * is as small as its data.
     */
    @Test
    void aHugeClaimedShapeOnSmallDataIsReportedNotAllocated() throws IOException {
        String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (40000, 50000), }";
        StringBuilder header = new StringBuilder(dict);
        while ((10 + header.length() + 1) % 64 != 0) header.append(' ');
        header.append('\n');
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        out.write(header.length() & 0xff);
        out.write(header.length() >> 8);
        out.write(header.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        out.write(new byte[64]);
        byte[] bomb = out.toByteArray();
        assertDataError(() -> Npy.read(new ByteArrayInputStream(bomb), "bomb.npy"), "bomb.npy",
                "16000000000 data bytes", "(40000, 50000)", "only 64 follow", "truncated");
        Path npz = dir.resolve("bomb.npz");
        try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(npz))) {
            zip.putNextEntry(new java.util.zip.ZipEntry("x.npy"));
            zip.write(bomb);
            zip.closeEntry();
        }
        assertDataError(() -> Npz.read(npz), "bomb.npz", "x.npy", "(40000, 50000)", "truncated");
        // The zip64 format too (make_zip64_fixtures.py): 282 bytes whose array claims 4 GB, and the same with
        // the zip64 size fields claiming 4 GB as well. One died with OutOfMemoryError.
        for (String file : new String[] {"zip64.npz", "zip64-lying.npz"}) {
            assertDataError(() -> Npz.read(fixture(file)), file, "Xtrain.npy", "(1000000000,)", "truncated");
        }
    }

    @Test
    void reportsDataBeyondWhatTheHeaderDescribes() throws IOException {
        byte[] bytes = Files.readAllBytes(fixture("i4.npy"));
        Path longer = Files.write(dir.resolve("longer.npy"), Arrays.copyOf(bytes, bytes.length + 4));
        assertDataError(() -> Npy.read(longer), "longer.npy", "96 data bytes", "100 follow", "4 too many");
    }

    @Test
    void reportsBadHeaders() {
        byte[] data = new byte[8];
        assertDataError(() -> read(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (2, }", data)),
                "bad.npy", "cannot be parsed");
        assertDataError(() -> read(npy("{'descr': '<f8', 'shape': (1,), }", data)), "bad.npy", "needs the keys");
        assertDataError(() -> read(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (-1,), }", data)),
                "bad.npy", "shape entry");
        assertDataError(() -> read(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), 'x': __import__('os')}", data)),
                "bad.npy", "cannot be parsed", "unexpected '_'");
        String deep = "[".repeat(5000) + "]".repeat(5000);
        assertDataError(() -> read(npy("{'descr': " + deep + ", 'fortran_order': False, 'shape': (1,), }", data)),
                "bad.npy", "nests deeper");
        byte[] version4 = npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }", data);
        version4[6] = 4;
        assertDataError(() -> read(version4), "bad.npy", "version 4.0");
        byte[] huge = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0, (byte) 0xf0, (byte) 0xff, (byte) 0xff, (byte) 0xff};
        assertDataError(() -> read(huge), "bad.npy", "claims to be 4294967280 bytes");
    }

    private static NdArray read(byte[] bytes) {
        return Npy.read(new ByteArrayInputStream(bytes), "bad.npy");
    }

    /** A version 1.0 .npy file with this header dict (padded as numpy pads it) and these data bytes. */
    static byte[] npy(String dict, byte[] data) {
        int padding = (64 - (10 + dict.length() + 1) % 64) % 64;
        byte[] header = (dict + " ".repeat(padding) + "\n").getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer out = ByteBuffer.allocate(10 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        out.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length);
        return out.put(header).put(data).array();
    }
}
