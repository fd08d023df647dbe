package nnlab.data;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import org.junit.jupiter.api.function.Executable;

/** Shared by the data tests: the numpy fixtures and the value pattern they hold. */
final class Fixtures {
    static final String[] DTYPES = {"u1", "i1", "i2", "i4", "i8", "f4", "f8"};

    private Fixtures() {
    }

    /** A file written by make_fixtures.py (numpy), from the test classpath. */
    static Path fixture(String name) {
        URL url = Fixtures.class.getResource("fixtures/" + name);
        if (url == null) throw new IllegalStateException("missing fixture " + name + ": run make_fixtures.py");
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The folder holding make_fixtures.py and check_written.py on the test classpath. */
    static Path scripts() {
        return fixture("f8.npy").getParent().getParent();
    }

    /**
     * The same values as make_fixtures.pattern: element i is k = (37*i mod 200) - 100, scaled per dtype
     * (u1 37*i mod 256, i1 k, i2 k*300, i4 k*20_000_000, i8 k*3_000_000_000, f4 and f8 k/3).
     */
    static NdArray pattern(String dtype, int... shape) {
        int n = Math.toIntExact(NdArray.sizeOf(shape));
        Object data = Dtype.of(dtype).newArray(n);
        for (int i = 0; i < n; i++) {
            long k = (37L * i) % 200 - 100;
            switch (dtype) {
                case "u1" -> ((byte[]) data)[i] = (byte) ((37L * i) % 256);
                case "i1" -> ((byte[]) data)[i] = (byte) k;
                case "i2" -> ((int[]) data)[i] = (int) (k * 300);
                case "i4" -> ((int[]) data)[i] = (int) (k * 20_000_000);
                case "i8" -> ((long[]) data)[i] = k * 3_000_000_000L;
                case "f4" -> ((float[]) data)[i] = (float) (k / 3.0);
                case "f8" -> ((double[]) data)[i] = k / 3.0;
                default -> throw new IllegalArgumentException(dtype);
            }
        }
        return new NdArray(dtype, shape, data);
    }

    /** Runs {@code action}, expects a DataFileException, and checks that its message contains every fragment. */
    static DataFileException assertDataError(Executable action, String... fragments) {
        DataFileException e = assertThrows(DataFileException.class, action);
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), () -> "message lacks '" + fragment + "': " + e.getMessage());
        }
        return e;
    }
}
