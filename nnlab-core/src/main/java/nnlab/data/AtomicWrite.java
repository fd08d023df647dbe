package nnlab.data;

import java.nio.file.Path;

/**
 * Whole-file writes that are atomic and durable: the bytes go to a temporary file in the same folder
 * (readable by others, as a plain file would be), are forced to disk, then renamed over the target.
 * A reader, or a process killed mid-write, sees the old file or the new one, never part of one.
 * The one mechanism behind every file nnlab writes.
 */
public final class AtomicWrite {
    private AtomicWrite() {}

    /**
     * Whether a file name is one of the temporary files an atomic write renames into place
     * ({@code .NAME.PID-N.tmp}): one that is still there was left by a process killed mid-write.
     */
    public static boolean isTemporary(String fileName) {
        return fileName.startsWith(".") && fileName.endsWith(".tmp");
    }

    /** Writes {@code content} to {@code file}, creating missing folders. */
    public static void write(Path file, byte[] content) {
        DataIo.writeAtomically(file, out -> out.write(content));
    }
}
