package nnlab.data;

/**
 * A data file that cannot be read or written: missing, truncated, corrupt, or in a format or dtype
 * nnlab does not support.
 *
 * <p>The message has three parts: the file, what is wrong (with the expected and the found values)
 * and what to do about it, as in
 * {@code "train.npy: the header promises 6272 data bytes (shape (8, 784), dtype <f8) but only 100
 * follow it. The file is truncated: save or download it again."}
 */
public final class DataFileException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String file;

    /**
     * @param file    the file as the user named it (for an archive entry: {@code "data.npz (entry x.npy)"})
     * @param problem what is wrong, with the values found and expected, without a final period
     * @param fix     what the user can do about it
     */
    public DataFileException(String file, String problem, String fix) {
        this(file, problem, fix, null);
    }

    /** As {@link #DataFileException(String, String, String)}, keeping the low-level cause. */
    public DataFileException(String file, String problem, String fix, Throwable cause) {
        super(file + ": " + problem + ". " + fix, cause);
        this.file = file;
    }

    /** The file (or archive entry) the problem is in, as named in the message. */
    public String file() {
        return file;
    }
}
