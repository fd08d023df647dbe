package nnlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Decompressed copies of gzipped IDX files: used only when sound and current, rebuilt otherwise, never required. */
class IdxCacheTest {
    private static final String TRAIN_IMAGES = "train-images-idx3-ubyte";

    @TempDir
    Path dir;
    private Path folder;
    private IdxCache cache;

    @BeforeEach
    void gzippedFolder() {
        folder = CourseFixtures.idxFolder(dir.resolve("tiny"), 120, 30, 3, false);
        cache = new IdxCache(dir.resolve("cache"));
    }

    private CourseData load(IdxCache through) {
        return CourseFiles.load(folder, "tiny", TestSplit.AUTO, 0, through);
    }

    private Path trainImagesCopy() {
        return cache.copyOf(folder.resolve(TRAIN_IMAGES + ".gz"));
    }

    private static void assertSameExamples(CourseData expected, CourseData actual) {
        Examples[][] pairs = {{expected.train(), actual.train()}, {expected.dev(), actual.dev()}, {expected.test(), actual.test()}};
        for (Examples[] pair : pairs) {
            assertArrayEquals(pair[0].x(), pair[1].x());
            assertArrayEquals(pair[0].labels(), pair[1].labels());
            assertEquals(pair[0].imageShape(), pair[1].imageShape());
            assertEquals(pair[0].heldAsBytes(), pair[1].heldAsBytes());
        }
        assertEquals(expected.classes(), actual.classes());
    }

    @Test
    void aCopyReadBackGivesTheSameExamples() throws IOException {
        CourseData plain = load(null);
        CourseData first = load(cache);
        try (Stream<Path> copies = Files.list(dir.resolve("cache"))) {
            assertEquals(4, copies.count(), "one copy per gzipped file, no temporary file left");
        }
        Path source = folder.resolve(TRAIN_IMAGES + ".gz");
        assertTrue(Files.size(trainImagesCopy()) > 16 + 120 * 5 * 4, "the copy holds the decompressed bytes: IDX header and pixels");

        // The copy is what is read: the source's bytes swapped behind the cache's back, with the same size and time, go unseen.
        FileTime time = Files.getLastModifiedTime(source);
        byte[] garbage = new byte[(int) Files.size(source)];
        Arrays.fill(garbage, (byte) 7);
        Files.write(source, garbage);
        Files.setLastModifiedTime(source, time);
        CourseData second = load(cache);
        assertSameExamples(plain, first);
        assertSameExamples(plain, second);
    }

    @Test
    void aTruncatedCopyIsRebuiltNotRead() throws IOException {
        CourseData plain = load(null);
        load(cache);
        Path copy = trainImagesCopy();
        byte[] whole = Files.readAllBytes(copy);
        Files.write(copy, Arrays.copyOf(whole, whole.length - 50));
        assertSameExamples(plain, load(cache));
        assertArrayEquals(whole, Files.readAllBytes(copy), "rebuilt whole");
    }

    @Test
    void aCorruptedCopyIsRebuiltNotRead() throws IOException {
        CourseData plain = load(null);
        load(cache);
        Path copy = trainImagesCopy();
        byte[] whole = Files.readAllBytes(copy);
        byte[] damaged = whole.clone();
        damaged[damaged.length - 30] ^= 0x55; // a pixel: the IDX structure stays valid, only the checksum can tell
        Files.write(copy, damaged);
        assertSameExamples(plain, load(cache));
        assertArrayEquals(whole, Files.readAllBytes(copy), "rebuilt from the source");

        Files.write(copy, new byte[] {1, 2, 3});
        assertSameExamples(plain, load(cache));
        assertArrayEquals(whole, Files.readAllBytes(copy), "a copy too short for its header is rebuilt too");
    }

    @Test
    void aChangedSourceMakesItsCopyStale() throws IOException {
        CourseData before = load(cache);
        Path source = folder.resolve(TRAIN_IMAGES + ".gz");
        FileTime time = Files.getLastModifiedTime(source);
        // Other images of the same count and size: only the modification time tells the copy is stale.
        NdArray images = CourseFixtures.images(120, 5, 4);
        byte[] pixels = (byte[]) images.data();
        for (int i = 0; i < pixels.length; i++) pixels[i] = (byte) (255 - pixels[i]);
        Idx.write(source, images, true);
        Files.setLastModifiedTime(source, FileTime.fromMillis(time.toMillis() + 2000));

        CourseData after = load(cache);
        assertSameExamples(load(null), after);
        assertNotEquals(before.train().x()[5], after.train().x()[5], "the new images, not the copy of the old");
    }

    @Test
    void anUnwritableCacheFolderOnlyMeansNoCopy() throws IOException {
        Path notAFolder = Files.writeString(dir.resolve("file"), "a file where the cache folder's parent should be");
        IdxCache unwritable = new IdxCache(notAFolder.resolve("decoded"));
        assertSameExamples(load(null), CourseFiles.load(folder, "tiny", TestSplit.AUTO, 0, unwritable));
        assertFalse(Files.exists(notAFolder.resolve("decoded")));
        assertEquals(List.of("file", "tiny"), listing(dir), "no temporary file left anywhere");
    }

    @Test
    void imagesOfAnotherTypeAreCopiedAndReadBackToo() {
        for (String file : new String[] {TRAIN_IMAGES, "t10k-images-idx3-ubyte"}) {
            Path gz = folder.resolve(file + ".gz");
            NdArray images = Idx.read(gz);
            Idx.write(gz, new NdArray("i2", images.shape(), images.toInts()), true);
        }
        CourseData plain = load(null);
        load(cache);
        assertTrue(Files.isRegularFile(trainImagesCopy()));
        assertSameExamples(plain, load(cache));
    }

    private static List<String> listing(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
