package nnlab.data;

import static nnlab.data.Fixtures.assertDataError;
import static nnlab.data.Fixtures.fixture;
import static nnlab.data.Fixtures.pattern;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NpzTest {
    @TempDir
    Path dir;

    /** The arrays make_fixtures.py saves into savez.npz and savez_compressed.npz, in that order. */
    static Map<String, NdArray> numpyArrays() {
        Map<String, NdArray> arrays = new LinkedHashMap<>();
        arrays.put("Xtrain", pattern("f8", 3, 4));
        arrays.put("ytrain", pattern("i8", 3));
        arrays.put("layers.0.weight", pattern("f4", 2, 3));
        arrays.put("odd", pattern("i2", 2, 3, 4)); // saved big-endian and in Fortran order
        return arrays;
    }

    @ParameterizedTest
    @ValueSource(strings = {"savez.npz", "savez_compressed.npz"})
    void readsNumpyArchivesInFileOrder(String file) {
        Map<String, NdArray> arrays = Npz.read(fixture(file));
        assertEquals(List.of("Xtrain", "ytrain", "layers.0.weight", "odd"), List.copyOf(arrays.keySet()));
        assertEquals(numpyArrays(), arrays);
    }

    @Test
    void refusesAnArchiveHoldingAnObjectArray() {
        assertDataError(() -> Npz.read(fixture("object.npz")), "object.npz", "bad.npy", "pickle");
    }

    @ParameterizedTest(name = "compressed={0}")
    @ValueSource(booleans = {false, true})
    void roundTripsInOrderWithDottedKeys(boolean compressed) {
        Map<String, NdArray> arrays = new LinkedHashMap<>();
        arrays.put("z", pattern("u1", 10));
        arrays.put("layers.0.weight", pattern("f4", 3, 2));
        arrays.put("layers.0.bias", pattern("f4", 3));
        arrays.put("step", pattern("i8"));
        arrays.put("none", pattern("f8", 0, 4));
        arrays.put("a", pattern("f8", 200, 300));
        Path file = dir.resolve("model.npz");
        Npz.write(file, arrays, compressed);
        Map<String, NdArray> back = Npz.read(file);
        assertEquals(List.copyOf(arrays.keySet()), List.copyOf(back.keySet()));
        assertEquals(arrays, back);
    }

    @Test
    void compressesAndWritesTheSameBytesEveryTime() throws IOException {
        Map<String, NdArray> arrays = Map.of("x", NdArray.ofDoubles(new double[10_000], 100, 100));
        Npz.write(dir.resolve("a.npz"), arrays, true);
        Npz.write(dir.resolve("b.npz"), arrays, true);
        Npz.write(dir.resolve("stored.npz"), arrays, false);
        byte[] a = Files.readAllBytes(dir.resolve("a.npz"));
        assertArrayEquals(a, Files.readAllBytes(dir.resolve("b.npz")));
        assertEquals(true, a.length < 1_000, "10,000 zeros deflate to " + a.length + " bytes");
        assertEquals(true, Files.size(dir.resolve("stored.npz")) > 80_000);
    }

    @Test
    void replacesFilesAtomicallyAndLeavesNoTemporaryFiles() throws IOException {
        Path file = dir.resolve("sub/folder/ckpt.npz");
        Npz.write(file, Map.of("w", pattern("f8", 2)), false);
        Npz.write(file, Map.of("w", pattern("f8", 3)), true);
        assertEquals(pattern("f8", 3), Npz.read(file).get("w"));
        byte[] before = Files.readAllBytes(file);

        // An array broken after it was built makes the writer fail midway through the archive.
        int[] values = {1, 2, 3};
        NdArray broken = new NdArray("i2", new int[] {3}, values);
        values[2] = 100_000;
        Map<String, NdArray> arrays = new LinkedHashMap<>();
        arrays.put("fine", pattern("f8", 1000));
        arrays.put("broken", broken);
        assertThrows(IllegalArgumentException.class, () -> Npz.write(file, arrays, false));

        assertArrayEquals(before, Files.readAllBytes(file));
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertEquals(List.of(file), files.toList());
        }
    }

    @Test
    void reportsMissingAndForeignFiles() throws IOException {
        assertDataError(() -> Npz.read(dir.resolve("missing.npz")), "missing.npz", "no such file");
        Path text = Files.writeString(dir.resolve("text.npz"), "hello");
        assertDataError(() -> Npz.read(text), "text.npz", "68 65 6c 6c", "PK 03 04");
        Path empty = Files.write(dir.resolve("empty.npz"), new byte[0]);
        assertDataError(() -> Npz.read(empty), "empty.npz", "the file is empty");
        assertDataError(() -> Npz.read(fixture("f8.npy")), "f8.npy", "Npy.read");
    }

    @Test
    void reportsTruncatedArchives() throws IOException {
        byte[] bytes = Files.readAllBytes(fixture("savez_compressed.npz"));
        Path cut = Files.write(dir.resolve("cut.npz"), Arrays.copyOf(bytes, bytes.length / 2));
        assertDataError(() -> Npz.read(cut), "cut.npz", "not a readable zip archive", "truncated");
    }

    @Test
    void reportsCorruptDataThroughTheChecksum() throws IOException {
        Path file = dir.resolve("flip.npz");
        Npz.write(file, Map.of("x", pattern("f8", 4)), false);
        byte[] bytes = Files.readAllBytes(file);
        int data = indexOf(bytes, "NUMPY".getBytes(StandardCharsets.US_ASCII)) - 1 + 128; // after the .npy header
        bytes[data + 3] ^= 0x10;
        Files.write(file, bytes);
        assertDataError(() -> Npz.read(file), "flip.npz", "x.npy", "checksum");
    }

    @Test
    void reportsCorruptCompressedData() throws IOException {
        Path file = dir.resolve("garbled.npz");
        Npz.write(file, Map.of("x", pattern("f8", 1000)), true);
        byte[] bytes = Files.readAllBytes(file);
        // The deflated data starts after the 30-byte local header and the 5-byte name "x.npy".
        for (int i = 40; i < 60; i++) bytes[i] = (byte) (i * 7);
        Files.write(file, bytes);
        assertDataError(() -> Npz.read(file), "garbled.npz", "x.npy", "corrupt");
    }

    @Test
    void reportsEntriesThatAreNotArrays() throws IOException {
        Path file = dir.resolve("mixed.npz");
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("readme.txt"));
            zip.write("hi".getBytes(StandardCharsets.US_ASCII));
            zip.closeEntry();
        }
        assertDataError(() -> Npz.read(file), "mixed.npz", "readme.txt", "not a .npy");
    }

    @Test
    void readsTheCourseAmesFileIfPresent() {
        // The course's own ames.npz lives in the project's shared folder, above the checkout.
        Path ames = null;
        for (Path folder = Path.of("").toAbsolutePath(); folder != null && ames == null; folder = folder.getParent()) {
            Path candidate = folder.resolve("shared/data/ames.npz");
            if (Files.isRegularFile(candidate)) ames = candidate;
        }
        assumeTrue(ames != null, "shared/data/ames.npz not found above the working folder");
        Map<String, NdArray> arrays = Npz.read(ames);
        assertEquals(List.of("Xtrain", "ytrain", "Xtest", "ytest"), List.copyOf(arrays.keySet()));
        NdArray x = arrays.get("Xtrain");
        assertEquals("f8", x.dtype());
        assertArrayEquals(new int[] {1465, 348}, x.shape());
        assertArrayEquals(new int[] {1465, 1}, arrays.get("ytest").shape());
        // Values printed by numpy: Xtrain[0, :3] and ytrain[:2].
        assertArrayEquals(new double[] {-0.99699335, -0.87685516, 3.07187592},
                Arrays.copyOf(x.toDoubles(), 3), 1e-8);
        assertArrayEquals(new double[] {12.27839331, 11.56171563},
                Arrays.copyOf(arrays.get("ytrain").toDoubles(), 2), 1e-8);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) if (haystack[i + j] != needle[j]) continue outer;
            return i;
        }
        throw new AssertionError("not found");
    }
}
