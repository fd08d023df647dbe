package nnlab.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Numpy's {@code .npz} format: a zip archive with one {@code .npy} file per array, named after its key
 * ({@code Xtrain} is stored as {@code Xtrain.npy}). {@code np.savez} stores the entries uncompressed,
 * {@code np.savez_compressed} deflates them; both are read. Keys may contain dots
 * ({@code layers.0.weight}), as checkpoints use.
 */
public final class Npz {
    /** Entries get a fixed date, so saving the same arrays twice gives byte-identical files. */
    private static final LocalDateTime ENTRY_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);

    private Npz() {
    }

    /**
     * Reads every array of an {@code .npz} file, in the order of the archive, keyed by entry name
     * without the {@code .npy} suffix.
     */
    public static Map<String, NdArray> read(Path file) {
        String name = file.toString();
        checkMagic(file, name);
        Map<String, NdArray> arrays = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            for (ZipEntry entry : Collections.list(zip.entries())) {
                if (entry.isDirectory()) continue;
                String entryName = name + " (entry " + entry.getName() + ")";
                if (!entry.getName().endsWith(".npy")) {
                    throw new DataFileException(entryName, "is not a .npy array (every entry of an .npz should be)",
                            "Write the archive with np.savez or np.savez_compressed");
                }
                // ZipFile does not check CRCs; checking them turns silent corruption into an error.
                CRC32 crc = new CRC32();
                try (InputStream in = new CheckedInputStream(zip.getInputStream(entry), crc)) {
                    NdArray array = Npy.read(in, entryName, entry.getSize());
                    if (entry.getCrc() != -1 && crc.getValue() != entry.getCrc()) {
                        throw new DataFileException(entryName, String.format(
                                "the data's checksum is %08x but the archive says %08x", crc.getValue(), entry.getCrc()),
                                "The file is corrupt: save or download it again");
                    }
                    String key = entry.getName().substring(0, entry.getName().length() - ".npy".length());
                    arrays.put(key, array);
                } catch (IOException e) {
                    throw DataIo.readFailed(entryName, e);
                }
            }
        } catch (ZipException e) {
            throw new DataFileException(name, "is not a readable zip archive (" + e.getMessage() + ")",
                    "The file is probably truncated or corrupt: save or download it again", e);
        } catch (IOException e) {
            throw DataIo.readFailed(name, e);
        }
        return arrays;
    }

    /**
     * The dtype each array of an {@code .npz} file declares, as numpy wrote it ({@code <f4}, {@code |b1}),
     * keyed as {@link #read}: {@link #read} gives bools as u1, and a message about them should say bool.
     */
    public static Map<String, String> storedDtypes(Path file) {
        String name = file.toString();
        checkMagic(file, name);
        Map<String, String> dtypes = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            for (ZipEntry entry : Collections.list(zip.entries())) {
                if (entry.isDirectory() || !entry.getName().endsWith(".npy")) continue;
                try (InputStream in = zip.getInputStream(entry)) {
                    String key = entry.getName().substring(0, entry.getName().length() - ".npy".length());
                    dtypes.put(key, Npy.storedDtype(in, name + " (entry " + entry.getName() + ")"));
                }
            }
        } catch (ZipException e) {
            throw new DataFileException(name, "is not a readable zip archive (" + e.getMessage() + ")",
                    "The file is probably truncated or corrupt: save or download it again", e);
        } catch (IOException e) {
            throw DataIo.readFailed(name, e);
        }
        return dtypes;
    }

    /**
     * Writes arrays as an {@code .npz} file that {@code numpy.load} reads, in the map's order.
     *
     * <p>The file is written atomically: to a temporary file in the same folder, synced, then renamed
     * over {@code file}. Until the rename any previous file stays as it was, so a crash or an error
     * midway never leaves half a checkpoint. Missing folders are created.
     *
     * @param compressed deflate the entries (as {@code np.savez_compressed}) or store them (as {@code np.savez})
     */
    public static void write(Path file, Map<String, NdArray> arrays, boolean compressed) {
        arrays.forEach((key, array) -> {
            if (key == null || key.isEmpty() || array == null) {
                throw new IllegalArgumentException("npz keys must be non-empty and arrays non-null; got key '"
                        + key + "' for " + array + " (writing " + file + ")");
            }
        });
        DataIo.writeAtomically(file, out -> {
            ZipOutputStream zip = new ZipOutputStream(out);
            for (Map.Entry<String, NdArray> pair : arrays.entrySet()) {
                ZipEntry entry = new ZipEntry(pair.getKey() + ".npy");
                entry.setTimeLocal(ENTRY_TIME);
                if (compressed) {
                    entry.setMethod(ZipEntry.DEFLATED);
                } else {
                    // A stored entry's size and CRC go before its data, so compute them in a first pass.
                    CRC32 crc = new CRC32();
                    CountingStream counter = new CountingStream();
                    Npy.write(new CheckedOutputStream(counter, crc), pair.getValue());
                    entry.setMethod(ZipEntry.STORED);
                    entry.setSize(counter.count);
                    entry.setCompressedSize(counter.count);
                    entry.setCrc(crc.getValue());
                }
                zip.putNextEntry(entry);
                Npy.write(zip, pair.getValue());
                zip.closeEntry();
            }
            zip.finish();
        });
    }

    /** Gives a clear message for the usual mix-ups before the zip library gives an obscure one. */
    private static void checkMagic(Path file, String name) {
        byte[] start;
        try (InputStream in = DataIo.open(file)) {
            start = in.readNBytes(6);
        } catch (IOException e) {
            throw DataIo.readFailed(name, e);
        }
        // PK\3\4 starts a zip with entries, PK\5\6 an empty one.
        boolean zip = start.length >= 4 && start[0] == 'P' && start[1] == 'K'
                && ((start[2] == 3 && start[3] == 4) || (start[2] == 5 && start[3] == 6));
        if (zip) return;
        if (start.length >= 6 && start[0] == (byte) 0x93 && new String(start, 1, 5, java.nio.charset.StandardCharsets.ISO_8859_1).equals("NUMPY")) {
            throw new DataFileException(name, "is a single .npy array, not an .npz archive", "Read it with Npy.read");
        }
        throw new DataFileException(name, "is not an .npz (zip) archive: it starts with "
                + (start.length == 0 ? "nothing, the file is empty" : "bytes " + DataIo.hex(start, 4))
                + " instead of PK 03 04", "Check that this file was written by np.savez or np.savez_compressed");
    }

    /** Counts bytes and discards them. */
    private static final class CountingStream extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }
}
