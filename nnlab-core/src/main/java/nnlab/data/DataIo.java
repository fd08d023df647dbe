package nnlab.data;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.ZipException;

/** What the readers and writers share: opening files with clear errors, bulk element I/O, atomic writes. */
final class DataIo {
    /** Elements are converted in chunks of this many bytes, so a 300 MB array never needs a 300 MB byte buffer. */
    private static final int CHUNK_BYTES = 1 << 16;
    /** Elements allocated before any data is read; see {@link #readElements}. */
    private static final int INITIAL_ELEMENTS = 1 << 20;
    private static final AtomicLong TEMP_COUNTER = new AtomicLong();

    private DataIo() {
    }

    /** What a writer does with the stream it is given. */
    interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Opens a file for reading, turning a missing file or a folder into a {@link DataFileException}. */
    static InputStream open(Path file) {
        requireFile(file);
        try {
            return Files.newInputStream(file);
        } catch (IOException e) {
            throw readFailed(file.toString(), e);
        }
    }

    /** Throws a {@link DataFileException} unless {@code file} is an existing regular file. */
    static void requireFile(Path file) {
        if (Files.isDirectory(file)) {
            throw new DataFileException(file.toString(), "is a folder, not a file", "Name the file inside it");
        }
        if (!Files.exists(file)) {
            throw new DataFileException(file.toString(), "no such file (looked for " + file.toAbsolutePath() + ")",
                    "Check the path, or download the data first");
        }
    }

    static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw readFailed(file.toString(), e);
        }
    }

    /** Turns a low-level read failure into a message a user can act on. */
    static DataFileException readFailed(String name, IOException e) {
        if (e instanceof NoSuchFileException) {
            return new DataFileException(name, "no such file", "Check the path, or download the data first", e);
        }
        if (e instanceof AccessDeniedException) {
            return new DataFileException(name, "permission denied", "Check the file's permissions", e);
        }
        if (e instanceof EOFException) {
            return new DataFileException(name, "the compressed data ends early (" + e.getMessage() + ")",
                    "The file is truncated: save or download it again", e);
        }
        if (e instanceof ZipException) {
            return new DataFileException(name, "the compressed data is corrupt (" + e.getMessage() + ")",
                    "Save or download the file again", e);
        }
        return new DataFileException(name, "could not be read (" + e + ")", "Check the file and the disk", e);
    }

    /** The product of a shape read from a file, refusing shapes too large for one Java array. */
    static int elementCount(int[] shape, String name) {
        long count = 1;
        for (int d : shape) {
            count *= d;
            if (count > Integer.MAX_VALUE) {
                throw new DataFileException(name, "shape " + Arrays.toString(shape)
                        + " has more elements than a Java array can hold (" + Integer.MAX_VALUE + ")",
                        "If the header is right, split the array into smaller files; otherwise the file is corrupt");
            }
        }
        return (int) count;
    }

    /**
     * Reads {@code count} elements of {@code type} stored back to back in {@code order}.
     *
     * @param what the data's description for the error message, e.g. {@code "shape (2, 3), dtype <f8"}
     */
    static Object readElements(InputStream in, Dtype type, ByteOrder order, int count, String name, String what)
            throws IOException {
        // The array grows as the data arrives (doubling, from a megabyte's worth), instead of being made at
        // the size the header declares: a small file that claims a huge shape (or a zip entry that claims a
        // huge size) then ends in a clear "truncated" error after reading what is there, never in an
        // allocation of the claimed gigabytes.
        Object out = type.newArray(Math.min(count, INITIAL_ELEMENTS));
        int capacity = Math.min(count, INITIAL_ELEMENTS);
        byte[] chunk = new byte[CHUNK_BYTES];
        int perChunk = CHUNK_BYTES / type.itemSize;
        for (int done = 0; done < count; ) {
            int n = Math.min(count - done, perChunk);
            if (done + n > capacity) {
                capacity = (int) Math.min(count, Math.max((long) capacity * 2, done + n));
                Object bigger = type.newArray(capacity);
                System.arraycopy(out, 0, bigger, 0, done);
                out = bigger;
            }
            int got = in.readNBytes(chunk, 0, n * type.itemSize);
            if (got < n * type.itemSize) {
                long expected = (long) count * type.itemSize;
                throw truncated(name, expected, (long) done * type.itemSize + got, what);
            }
            ByteBuffer bytes = ByteBuffer.wrap(chunk, 0, got).order(order);
            switch (type) {
                case U1, I1 -> System.arraycopy(chunk, 0, out, done, n);
                case I2 -> {
                    ShortBuffer shorts = bytes.asShortBuffer();
                    int[] ints = (int[]) out;
                    for (int i = 0; i < n; i++) ints[done + i] = shorts.get(i);
                }
                case I4 -> bytes.asIntBuffer().get((int[]) out, done, n);
                case I8 -> bytes.asLongBuffer().get((long[]) out, done, n);
                case F4 -> bytes.asFloatBuffer().get((float[]) out, done, n);
                case F8 -> bytes.asDoubleBuffer().get((double[]) out, done, n);
            }
            done += n;
        }
        return out;
    }

    static DataFileException truncated(String name, long expected, long found, String what) {
        return new DataFileException(name, "the header promises " + expected + " data bytes (" + what
                + ") but only " + found + " follow it", "The file is truncated: save or download it again");
    }

    static DataFileException extraBytes(String name, long expected, long found, String what) {
        return new DataFileException(name, "the header promises " + expected + " data bytes (" + what
                + ") but " + found + " follow it (" + (found - expected) + " too many)",
                "The header does not match the data, so the file is corrupt: save or download it again");
    }

    /** Writes all elements of {@code array} back to back in {@code order}. */
    static void writeElements(OutputStream out, NdArray array, ByteOrder order) throws IOException {
        Dtype type = Dtype.of(array.dtype());
        Object data = array.data();
        int count = array.size();
        if (type.itemSize == 1) {
            out.write((byte[]) data, 0, count);
            return;
        }
        byte[] chunk = new byte[CHUNK_BYTES];
        int perChunk = CHUNK_BYTES / type.itemSize;
        for (int done = 0; done < count; ) {
            int n = Math.min(count - done, perChunk);
            ByteBuffer bytes = ByteBuffer.wrap(chunk).order(order);
            switch (type) {
                case I2 -> {
                    int[] ints = (int[]) data;
                    for (int i = done; i < done + n; i++) {
                        // NdArray checks the range when built, but its array may have been changed since.
                        if (ints[i] != (short) ints[i]) {
                            throw new IllegalArgumentException("element " + i + " of an i2 array is " + ints[i]
                                    + ", outside -32768..32767: store it as i4");
                        }
                        bytes.putShort((short) ints[i]);
                    }
                }
                case I4 -> bytes.asIntBuffer().put((int[]) data, done, n);
                case I8 -> bytes.asLongBuffer().put((long[]) data, done, n);
                case F4 -> bytes.asFloatBuffer().put((float[]) data, done, n);
                case F8 -> bytes.asDoubleBuffer().put((double[]) data, done, n);
                default -> throw new AssertionError(type);
            }
            out.write(chunk, 0, n * type.itemSize);
            done += n;
        }
    }

    /**
     * Rearranges elements stored in Fortran order (first index fastest) into C order (last index fastest).
     * Element (i0, ..., ik) sits at Fortran offset i0 + i1*d0 + i2*d0*d1 + ...; we walk the C order with
     * an odometer and keep that offset up to date instead of recomputing it.
     */
    static Object fortranToC(Object fortran, int[] shape) {
        int n = shape.length;
        int count = java.lang.reflect.Array.getLength(fortran);
        if (n < 2 || count == 0) return fortran; // 0-d and 1-d arrays are the same in both orders
        int[] stride = new int[n];
        stride[0] = 1;
        for (int k = 1; k < n; k++) stride[k] = stride[k - 1] * shape[k - 1];
        int[] from = new int[count];
        int[] index = new int[n];
        int offset = 0;
        for (int c = 0; c < count; c++) {
            from[c] = offset;
            for (int k = n - 1; k >= 0; k--) {
                offset += stride[k];
                if (++index[k] < shape[k]) break;
                offset -= stride[k] * shape[k];
                index[k] = 0;
            }
        }
        return switch (fortran) {
            case byte[] v -> { byte[] o = new byte[count]; for (int c = 0; c < count; c++) o[c] = v[from[c]]; yield o; }
            case int[] v -> { int[] o = new int[count]; for (int c = 0; c < count; c++) o[c] = v[from[c]]; yield o; }
            case long[] v -> { long[] o = new long[count]; for (int c = 0; c < count; c++) o[c] = v[from[c]]; yield o; }
            case float[] v -> { float[] o = new float[count]; for (int c = 0; c < count; c++) o[c] = v[from[c]]; yield o; }
            case double[] v -> { double[] o = new double[count]; for (int c = 0; c < count; c++) o[c] = v[from[c]]; yield o; }
            default -> throw new AssertionError(fortran.getClass());
        };
    }

    /**
     * Writes a file so that it is either complete or absent: the body writes a temporary file in the
     * same folder (a rename is only atomic within one file system), which is synced to disk and then
     * renamed over the target. A crash or an exception midway leaves any previous file untouched.
     */
    /**
     * Makes a rename in {@code folder} durable: without it a crash right after the rename can lose the
     * new name on Linux's file systems. Where a folder cannot be opened for syncing (some systems),
     * nothing more can be done, and the write stands as written.
     */
    static void syncFolder(Path folder) {
        try (FileChannel dir = FileChannel.open(folder, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Not supported for folders here: the file itself was synced before the rename.
        }
    }

    static void writeAtomically(Path file, Body body) {
        Path target = file.toAbsolutePath();
        Path folder = target.getParent();
        // Not Files.createTempFile: its files are private (0600) and the rename would keep that.
        Path temp = folder.resolve("." + target.getFileName() + "." + ProcessHandle.current().pid()
                + "-" + TEMP_COUNTER.incrementAndGet() + ".tmp");
        try {
            Files.createDirectories(folder);
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                OutputStream out = new java.io.BufferedOutputStream(Channels.newOutputStream(channel), CHUNK_BYTES);
                body.writeTo(out);
                out.flush();
                channel.force(true);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                // Some network file systems cannot rename atomically; a plain replace is the best they offer.
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            syncFolder(folder);
        } catch (IOException e) {
            throw new DataFileException(file.toString(), "could not be written (" + e + ")",
                    "Check that the folder is writable and the disk is not full", e);
        } finally {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // The write itself succeeded or already failed with a better message; a stray temp file is harmless.
            }
        }
    }

    /** The first bytes of a file in hex, for "wrong magic" messages. */
    static String hex(byte[] bytes, int count) {
        return HexFormat.ofDelimiter(" ").formatHex(bytes, 0, Math.min(count, bytes.length));
    }
}
