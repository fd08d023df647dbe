package nnlab.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The IDX format of MNIST and Fashion-MNIST ({@code train-images-idx3-ubyte}, usually gzipped).
 *
 * <p>Layout, all big-endian:
 * <ol>
 *   <li>2 zero bytes;</li>
 *   <li>1 byte of element type: 0x08 u1, 0x09 i1, 0x0B i2, 0x0C i4, 0x0D f4, 0x0E f8;</li>
 *   <li>1 byte: the number of dimensions (3 for images: count, rows, columns; 1 for labels);</li>
 *   <li>one 4-byte size per dimension, outermost first;</li>
 *   <li>the elements in C order, nothing after them.</li>
 * </ol>
 * Whether a file is gzipped is told by its first two bytes (1f 8b), not by its name, since
 * decompressed copies often keep the {@code .gz} name and vice versa.
 */
public final class Idx {
    /** numpy's limit; an IDX file with more dimensions is surely corrupt. */
    private static final int MAX_DIMS = 32;

    private Idx() {
    }

    /** Reads an IDX file, raw or gzipped. */
    public static NdArray read(Path file) {
        return read(file, null);
    }

    /** {@link #read(Path)}, through a cache of decompressed copies (null: none). */
    static NdArray read(Path file, IdxCache cache) {
        return withData(file, cache, (in, header) -> {
            Object data = DataIo.readElements(in, header.type, ByteOrder.BIG_ENDIAN, header.count, header.name, header.what);
            header.requireEnd(in);
            return new NdArray(header.type.code, header.shape, data);
        });
    }

    /** What {@link #readRows} hands the rows of a file of unsigned bytes to. */
    interface RowReader {
        /** Called once, before any row, with the shape the header gives. */
        void start(int[] shape);

        /** Row {@code index} (0-based, in file order); {@code values} is reused for the next row. */
        void row(int index, byte[] values);
    }

    /**
     * Reads an IDX file of unsigned bytes (MNIST-style images) one row at a time, a row being one
     * index of the first dimension, so the file is never held whole: a caller that splits it keeps
     * only its parts (Fashion-MNIST's training images: no 47 MB copy that is garbage once split).
     *
     * @return false, having called nothing, when the elements are not unsigned bytes (read those with {@link #read})
     * @throws DataFileException as {@link #read}
     */
    static boolean readRows(Path file, RowReader rows) {
        return readRows(file, rows, null);
    }

    /**
     * {@link #readRows(Path, RowReader)} through a cache of decompressed copies of gzipped files
     * (null: none); {@code rows} is started again when a copy turns out to be damaged.
     */
    static boolean readRows(Path file, RowReader rows, IdxCache cache) {
        return withData(file, cache, (in, header) -> {
            if (header.type != Dtype.U1) return false;
            rows.start(header.shape.clone());
            int n = header.shape[0];
            int rowBytes = n == 0 ? 0 : header.count / n;
            byte[] values = new byte[rowBytes];
            for (int r = 0; r < n; r++) {
                int got = in.readNBytes(values, 0, rowBytes);
                if (got < rowBytes) throw DataIo.truncated(header.name, header.dataBytes, (long) r * rowBytes + got, header.what);
                rows.row(r, values);
            }
            header.requireEnd(in);
            return true;
        });
    }

    private interface DataReader<T> {
        T read(InputStream in, Header header) throws IOException;
    }

    /**
     * Opens a file, raw or gzipped, reads and checks its header, and lets {@code body} read the
     * elements. With a cache, a sound copy of a gzipped file's decompressed bytes is read instead,
     * and a gzipped file read whole leaves one.
     */
    private static <T> T withData(Path file, IdxCache cache, DataReader<T> body) {
        String name = file.toString();
        if (cache != null) {
            // Errors in a copy are the copy's (it is then read past); the source's are reported below, against it.
            T cached = cache.read(file, (in, length) -> body.read(in, header(in, name, length)));
            if (cached != null) return cached;
        }
        try (InputStream raw = new BufferedInputStream(DataIo.open(file), 1 << 16)) {
            raw.mark(2);
            boolean gzipped = raw.read() == 0x1f && raw.read() == 0x8b;
            raw.reset();
            // The size of a raw file is known, so a header that does not match it is caught before allocating.
            if (!gzipped) return body.read(raw, header(raw, name, DataIo.size(file)));
            try (IdxCache.Writer copy = cache == null ? null : cache.writer(file);
                 InputStream in = copy == null ? new GZIPInputStream(raw, 1 << 16) : copy.tee(new GZIPInputStream(raw, 1 << 16))) {
                T result = body.read(in, header(in, name, -1));
                if (copy != null && in.read() < 0) copy.keep();
                return result;
            }
        } catch (IOException e) {
            throw DataIo.readFailed(name, e);
        }
    }

    /** A checked header: the element type, the shape, and how to name both in messages. */
    private record Header(String name, Dtype type, int[] shape, int count, long dataBytes, String what) {
        /** Checks that nothing follows the elements. */
        void requireEnd(InputStream in) throws IOException {
            long extra = in.transferTo(OutputStream.nullOutputStream());
            if (extra > 0) throw DataIo.extraBytes(name, dataBytes, dataBytes + extra, what);
        }
    }

    private static Header header(InputStream in, String name, long totalBytes) throws IOException {
        byte[] magic = in.readNBytes(4);
        if (magic.length < 4) {
            throw new DataFileException(name, "has " + magic.length + " bytes, too few for the 4-byte IDX magic number",
                    "The file is truncated or empty: download it again");
        }
        Dtype type = magic[0] != 0 || magic[1] != 0 ? null : switch (magic[2]) {
            case 0x08 -> Dtype.U1;
            case 0x09 -> Dtype.I1;
            case 0x0B -> Dtype.I2;
            case 0x0C -> Dtype.I4;
            case 0x0D -> Dtype.F4;
            case 0x0E -> Dtype.F8;
            default -> null;
        };
        if (type == null) {
            throw new DataFileException(name, "does not start with an IDX magic number: expected 00 00, a type"
                    + " (08 u1, 09 i1, 0b i2, 0c i4, 0d f4, 0e f8) and a dimension count, found " + DataIo.hex(magic, 4),
                    "Check that this is an IDX file such as train-images-idx3-ubyte(.gz)");
        }
        int ndims = Byte.toUnsignedInt(magic[3]);
        if (ndims < 1 || ndims > MAX_DIMS) {
            throw new DataFileException(name, "the IDX header gives " + ndims + " dimensions (expected 1 to " + MAX_DIMS + ")",
                    "The file is corrupt: download it again");
        }
        byte[] dimBytes = in.readNBytes(4 * ndims);
        if (dimBytes.length < 4 * ndims) {
            throw new DataFileException(name, "ends inside the IDX header (" + ndims + " sizes of 4 bytes expected, "
                    + dimBytes.length + " bytes found)", "The file is truncated: download it again");
        }
        ByteBuffer dims = ByteBuffer.wrap(dimBytes); // big-endian by default
        int[] shape = new int[ndims];
        for (int k = 0; k < ndims; k++) {
            shape[k] = dims.getInt();
            if (shape[k] < 0) {
                throw new DataFileException(name, "the IDX header gives a negative size " + shape[k] + " for dimension " + k,
                        "The file is corrupt: download it again");
            }
        }
        int count = DataIo.elementCount(shape, name);
        long dataBytes = (long) count * type.itemSize;
        String what = "shape " + Arrays.toString(shape) + ", dtype " + type.code;
        long headerBytes = 4 + 4L * ndims;
        if (totalBytes >= 0 && totalBytes - headerBytes < dataBytes) {
            throw DataIo.truncated(name, dataBytes, totalBytes - headerBytes, what);
        }
        return new Header(name, type, shape, count, dataBytes, what);
    }

    /**
     * Writes an array as an IDX file, gzipped or not, atomically (see {@link Npz#write}).
     *
     * @throws IllegalArgumentException for i8 (IDX has no 64-bit integers) and 0-d arrays (IDX needs a dimension)
     */
    public static void write(Path file, NdArray array, boolean gzip) {
        int code = switch (array.dtype()) {
            case "u1" -> 0x08;
            case "i1" -> 0x09;
            case "i2" -> 0x0B;
            case "i4" -> 0x0C;
            case "f4" -> 0x0D;
            case "f8" -> 0x0E;
            default -> throw new IllegalArgumentException("IDX has no " + array.dtype()
                    + " type: convert to i4 (toInts) or f8 before writing " + file);
        };
        int[] shape = array.shape();
        if (shape.length < 1 || shape.length > MAX_DIMS) {
            throw new IllegalArgumentException("IDX files hold 1 to " + MAX_DIMS + " dimensions, the array has "
                    + shape.length + ": reshape it before writing " + file);
        }
        ByteBuffer header = ByteBuffer.allocate(4 + 4 * shape.length); // big-endian by default
        header.put((byte) 0).put((byte) 0).put((byte) code).put((byte) shape.length);
        for (int size : shape) header.putInt(size);
        DataIo.writeAtomically(file, out -> {
            OutputStream target = gzip ? new GZIPOutputStream(out, 1 << 16) : out;
            target.write(header.array());
            DataIo.writeElements(target, array, ByteOrder.BIG_ENDIAN);
            if (target instanceof GZIPOutputStream zipped) zipped.finish();
        });
    }
}
