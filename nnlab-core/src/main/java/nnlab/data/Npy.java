package nnlab.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Numpy's {@code .npy} format: one array per file, as written by {@code numpy.save}.
 *
 * <p>Layout (numpy's {@code numpy/lib/format.py}):
 * <ol>
 *   <li>6 bytes of magic: {@code \x93NUMPY};</li>
 *   <li>2 bytes of version, major then minor: 1.0, 2.0 or 3.0;</li>
 *   <li>the header length: 2 bytes little-endian in version 1.0, 4 bytes in 2.0 and 3.0 (for headers over 64 KiB);</li>
 *   <li>the header: a Python dict literal (Latin-1; UTF-8 in 3.0), padded with spaces and ended by
 *       {@code \n} so the data starts at a multiple of 64 bytes, e.g.
 *       {@code {'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }}, where
 *       {@code descr} is the byte order ({@code <} little-endian, {@code >} big-endian, {@code |} not
 *       applicable, {@code =} this machine's) followed by the type and its size in bytes,
 *       {@code fortran_order} says whether the first index varies fastest, and {@code shape} is a
 *       tuple of sizes ({@code ()} for a scalar, {@code (3,)} for a vector);</li>
 *   <li>the elements, back to back, nothing after them.</li>
 * </ol>
 * Supported dtypes: u1, i1, i2, i4, i8, f4, f8 in either byte order, and bool (read as u1).
 * Arrays of Python objects ({@code descr} {@code |O}) are stored as pickles, which can run arbitrary
 * code when loaded: they are refused, never unpickled. Written files are version 1.0, little-endian,
 * C order, which every numpy reads.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** Numpy aligns the data to 64 bytes so that it can be memory-mapped and read with aligned loads. */
    private static final int ALIGN = 64;
    /** Real headers are about 128 bytes; a larger claimed length means a corrupt file, not a huge allocation. */
    private static final int MAX_HEADER_LENGTH = 100_000;

    private Npy() {
    }

    /** Reads the array in a {@code .npy} file. */
    public static NdArray read(Path file) {
        String name = file.toString();
        try (InputStream in = DataIo.open(file)) {
            return read(in, name, DataIo.size(file));
        } catch (IOException e) {
            throw DataIo.readFailed(name, e);
        }
    }

    /**
     * Reads one {@code .npy} array from a stream, leaving the stream just after its data (several arrays
     * saved one after the other into one stream can be read in turn). The stream is not closed.
     *
     * @param nameForErrors how error messages name the stream, usually its file name
     */
    public static NdArray read(InputStream in, String nameForErrors) {
        try {
            return read(in, nameForErrors, -1);
        } catch (IOException e) {
            throw DataIo.readFailed(nameForErrors, e);
        }
    }

    /** Writes an array as a {@code .npy} file, atomically (see {@link Npz#write}). */
    public static void write(Path file, NdArray array) {
        DataIo.writeAtomically(file, out -> writeTo(out, array));
    }

    /** Writes an array in {@code .npy} format to a stream, which is flushed but not closed. */
    public static void write(OutputStream out, NdArray array) {
        try {
            writeTo(out, array);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write a .npy array: " + e.getMessage(), e);
        }
    }

    /**
     * Reads the header and data; {@code totalBytes}, when known (not -1), is the size of the whole file
     * or archive entry, so a header that does not match the data is reported before reading anything.
     */
    static NdArray read(InputStream in, String name, long totalBytes) throws IOException {
        Header header = readHeader(in, name);
        int count = DataIo.elementCount(header.shape, name);
        long dataBytes = (long) count * header.type.itemSize;
        String what = "shape " + tuple(header.shape) + ", dtype " + header.descr;
        if (totalBytes >= 0) {
            long found = totalBytes - header.length;
            if (found < dataBytes) throw DataIo.truncated(name, dataBytes, found, what);
            if (found > dataBytes) throw DataIo.extraBytes(name, dataBytes, found, what);
        }
        Object data = DataIo.readElements(in, header.type, header.order, count, name, what);
        // NdArray is always C order, so a Fortran-order file (first index fastest) is rearranged once here.
        return new NdArray(header.type.code, header.shape, header.fortranOrder ? DataIo.fortranToC(data, header.shape) : data);
    }

    /** The dtype an array's header declares, as numpy writes it ({@code <i4}, {@code |b1}), reading only the header. */
    static String storedDtype(InputStream in, String name) throws IOException {
        return readHeader(in, name).descr;
    }

    /** A parsed header: what the data is, and how many bytes the preamble took (magic to newline). */
    private record Header(Dtype type, String descr, ByteOrder order, boolean fortranOrder, int[] shape, int length) {
    }

    private static Header readHeader(InputStream in, String name) throws IOException {
        byte[] start = in.readNBytes(MAGIC.length + 2);
        if (start.length < MAGIC.length || !Arrays.equals(start, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw notNpy(name, start);
        }
        if (start.length < MAGIC.length + 2) throw shortHeader(name, "version");
        int major = start[6], minor = start[7];
        if (major < 1 || major > 3 || minor != 0) {
            throw new DataFileException(name, "unsupported .npy format version " + major + "." + minor
                    + " (nnlab reads 1.0, 2.0 and 3.0)", "Save the array again with numpy.save");
        }
        int lengthBytes = major == 1 ? 2 : 4;
        byte[] lengthField = in.readNBytes(lengthBytes);
        if (lengthField.length < lengthBytes) throw shortHeader(name, "header length");
        ByteBuffer lengthBuffer = ByteBuffer.wrap(lengthField).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = major == 1 ? Short.toUnsignedInt(lengthBuffer.getShort())
                : Integer.toUnsignedLong(lengthBuffer.getInt());
        if (headerLength > MAX_HEADER_LENGTH) {
            throw new DataFileException(name, "the header claims to be " + headerLength + " bytes long (at most "
                    + MAX_HEADER_LENGTH + " expected)", "The file is corrupt: save or download it again");
        }
        byte[] headerBytes = in.readNBytes((int) headerLength);
        if (headerBytes.length < headerLength) throw shortHeader(name, "header");
        String text = new String(headerBytes, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Map<?, ?> dict = switch (new Literal(text, name).parse()) {
            case Map<?, ?> map -> map;
            default -> throw badHeader(name, "is not a dict", text);
        };
        Object descr = dict.get("descr");
        Object fortran = dict.get("fortran_order");
        Object shapeValue = dict.get("shape");
        if (descr == null || !(fortran instanceof Boolean) || !(shapeValue instanceof List<?> shapeList)) {
            throw badHeader(name, "needs the keys 'descr', 'fortran_order' (True or False) and 'shape' (a tuple)", text);
        }
        int[] shape = new int[shapeList.size()];
        for (int k = 0; k < shape.length; k++) {
            if (!(shapeList.get(k) instanceof Long size) || size < 0 || size > Integer.MAX_VALUE) {
                throw badHeader(name, "has a shape entry that is not a size in 0.." + Integer.MAX_VALUE, text);
            }
            shape[k] = (int) (long) size;
        }
        if (!(descr instanceof String descrText)) {
            throw new DataFileException(name, "holds a structured array (dtype " + descr + "), which nnlab does not read",
                    "Save each field as its own array: np.savez(path, a=x['a'], b=x['b'])");
        }
        ByteOrder order = switch (descrText.isEmpty() ? ' ' : descrText.charAt(0)) {
            case '<' -> ByteOrder.LITTLE_ENDIAN;
            case '>' -> ByteOrder.BIG_ENDIAN;
            default -> ByteOrder.nativeOrder(); // '|' (one byte: order does not matter), '=' or none: native
        };
        String code = "<>|=".indexOf(descrText.isEmpty() ? ' ' : descrText.charAt(0)) >= 0 ? descrText.substring(1) : descrText;
        if (code.startsWith("O")) {
            throw new DataFileException(name, "holds Python objects (dtype " + descrText + "), which numpy stores as"
                    + " a pickle; nnlab never unpickles, because loading a pickle can run arbitrary code",
                    "Save a numeric array instead, e.g. np.save(path, np.asarray(x, dtype=np.float64))");
        }
        Dtype type = switch (code) {
            case "b1" -> Dtype.U1; // numpy bools are one byte, 0 or 1
            default -> Dtype.of(code);
        };
        if (type == null) {
            throw new DataFileException(name, "has dtype " + descrText + ", which nnlab does not read (it reads "
                    + Dtype.SUPPORTED + " and b1)", "Convert it in numpy first, e.g. np.save(path, x.astype(np.float64))");
        }
        int length = MAGIC.length + 2 + lengthBytes + headerBytes.length;
        return new Header(type, descrText, order, (Boolean) fortran, shape, length);
    }

    private static void writeTo(OutputStream out, NdArray array) throws IOException {
        Dtype type = Dtype.of(array.dtype());
        String descr = (type.itemSize == 1 ? "|" : "<") + type.code;
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + tuple(array.shape()) + ", }";
        // Always version 1.0: a dict for even 64 dimensions stays far below its 65535-byte limit.
        int preamble = MAGIC.length + 2 + 2;
        int padding = (ALIGN - (preamble + dict.length() + 1) % ALIGN) % ALIGN;
        byte[] header = (dict + " ".repeat(padding) + "\n").getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer start = ByteBuffer.allocate(preamble).order(ByteOrder.LITTLE_ENDIAN);
        start.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length);
        out.write(start.array());
        out.write(header);
        DataIo.writeElements(out, array, ByteOrder.LITTLE_ENDIAN);
        out.flush();
    }

    /** A shape as Python writes a tuple: {@code ()}, {@code (3,)}, {@code (2, 3)}. */
    static String tuple(int[] shape) {
        if (shape.length == 1) return "(" + shape[0] + ",)";
        StringBuilder text = new StringBuilder("(");
        for (int k = 0; k < shape.length; k++) text.append(k > 0 ? ", " : "").append(shape[k]);
        return text.append(")").toString();
    }

    private static DataFileException notNpy(String name, byte[] start) {
        if (start.length >= 4 && start[0] == 'P' && start[1] == 'K' && start[2] == 3 && start[3] == 4) {
            return new DataFileException(name, "is a zip archive, not a .npy array", "Read it with Npz.read: it is probably an .npz");
        }
        if (start.length >= 2 && start[0] == 0x1f && start[1] == (byte) 0x8b) {
            return new DataFileException(name, "is gzip-compressed, not a .npy array", "Decompress it first (gunzip)");
        }
        return new DataFileException(name, "does not start with the .npy magic \\x93NUMPY (found bytes: "
                + (start.length == 0 ? "none, the file is empty" : DataIo.hex(start, 8)) + ")",
                "Check that this is a file written by numpy.save");
    }

    private static DataFileException shortHeader(String name, String part) {
        return new DataFileException(name, "ends inside the .npy " + part, "The file is truncated: save or download it again");
    }

    private static DataFileException badHeader(String name, String problem, String header) {
        return new DataFileException(name, "the .npy header " + problem + " (header: " + header.strip() + ")",
                "The file is corrupt or not written by numpy.save: save it again");
    }

    /**
     * Parses the Python literal numpy writes as a header: dicts, tuples and lists, quoted strings,
     * integers (with Python 2's {@code L} suffix), True and False. Nothing is evaluated, so a
     * malicious header can at worst be refused.
     */
    private static final class Literal {
        /** Real headers nest at most a few levels; the limit keeps a hostile one from overflowing the stack. */
        private static final int MAX_DEPTH = 32;
        private final String text;
        private final String name;
        private int pos;

        Literal(String text, String name) {
            this.text = text;
            this.name = name;
        }

        Object parse() {
            Object value = value(0);
            skipSpace();
            if (pos < text.length()) throw error("unexpected text after the dict");
            return value;
        }

        private Object value(int depth) {
            if (depth > MAX_DEPTH) throw error("nests deeper than " + MAX_DEPTH + " levels");
            skipSpace();
            if (pos >= text.length()) throw error("ends early");
            char c = text.charAt(pos);
            if (c == '{') return dict(depth);
            if (c == '(') return sequence(')', depth);
            if (c == '[') return sequence(']', depth);
            if (c == '\'' || c == '"') return string(c);
            if (c == '-' || Character.isDigit(c)) return integer();
            if (text.startsWith("True", pos)) { pos += 4; return Boolean.TRUE; }
            if (text.startsWith("False", pos)) { pos += 5; return Boolean.FALSE; }
            throw error("unexpected '" + c + "'");
        }

        private Map<Object, Object> dict(int depth) {
            Map<Object, Object> map = new LinkedHashMap<>();
            pos++; // '{'
            while (!closes('}')) {
                Object key = value(depth + 1);
                skipSpace();
                if (!text.startsWith(":", pos)) throw error("expected ':'");
                pos++;
                map.put(key, value(depth + 1));
                if (!separatorOrEnd('}')) throw error("expected ',' or '}'");
            }
            return map;
        }

        private List<Object> sequence(char end, int depth) {
            List<Object> items = new java.util.ArrayList<>();
            pos++; // '(' or '['
            while (!closes(end)) {
                items.add(value(depth + 1));
                if (!separatorOrEnd(end)) throw error("expected ',' or '" + end + "'");
            }
            return items;
        }

        /** Consumes {@code end} if it comes next (after spaces). */
        private boolean closes(char end) {
            skipSpace();
            if (pos >= text.length()) throw error("ends before '" + end + "'");
            if (text.charAt(pos) != end) return false;
            pos++;
            return true;
        }

        /** After an item: a comma (consumed) or the closing bracket (left for {@link #closes}). */
        private boolean separatorOrEnd(char end) {
            skipSpace();
            if (pos < text.length() && text.charAt(pos) == ',') {
                pos++;
                return true;
            }
            return pos < text.length() && text.charAt(pos) == end;
        }

        private String string(char quote) {
            StringBuilder value = new StringBuilder();
            for (pos++; pos < text.length(); pos++) {
                char c = text.charAt(pos);
                if (c == quote) {
                    pos++;
                    return value.toString();
                }
                if (c == '\\' && pos + 1 < text.length()) c = text.charAt(++pos);
                value.append(c);
            }
            throw error("a string is not closed");
        }

        private Long integer() {
            int start = pos;
            if (text.charAt(pos) == '-') pos++;
            while (pos < text.length() && Character.isDigit(text.charAt(pos))) pos++;
            String digits = text.substring(start, pos);
            if (pos < text.length() && (text.charAt(pos) == 'L' || text.charAt(pos) == 'l')) pos++;
            try {
                return Long.parseLong(digits);
            } catch (NumberFormatException e) {
                throw error("'" + digits + "' is not an integer in range");
            }
        }

        private void skipSpace() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) pos++;
        }

        private DataFileException error(String problem) {
            return badHeader(name, "cannot be parsed: " + problem + " at character " + pos, text);
        }
    }
}
