package nnlab.experiment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on a run's or sweep's folder ({@code .lock}), held for the whole run, so the same
 * command started twice on one folder — a "resume" in a second terminal — fails at once instead of
 * writing into the folder the first is writing. The operating system releases it when the process
 * dies, so a killed run never leaves it stuck.
 */
public final class FolderLock implements AutoCloseable {
    /** The lock file in the folder. */
    public static final String FILE = ".lock";
    private final FileChannel channel;
    private final FileLock lock;

    private FolderLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Locks {@code dir} (made if missing) for a {@code what} ("sweep", "run"), or fails naming the folder. */
    public static FolderLock acquire(Path dir, String what) {
        Path file = dir.resolve(FILE);
        try {
            java.nio.file.Files.createDirectories(dir);
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                throw new IllegalStateException(dir + " is in use by another " + what + " that is still running; wait for it to finish "
                        + "(or stop it) before starting this one there");
            }
            return new FolderLock(channel, lock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use " + dir + " for the " + what + ": " + reason(e) + ". Choose a folder you "
                    + "can write to with --out", e);
        }
    }

    /**
     * What went wrong in words, with the path it went wrong at: Java's messages for these are often
     * the path alone ("/proc/x"), which says nothing of why.
     */
    public static String reason(IOException e) {
        String where = e instanceof java.nio.file.FileSystemException f && f.getFile() != null ? f.getFile() + ": " : "";
        return where + switch (e) {
            case java.nio.file.AccessDeniedException a -> "permission denied";
            case java.nio.file.NoSuchFileException n -> "no such file or folder, and none can be made there";
            case java.nio.file.FileAlreadyExistsException x -> "a file of that name is in the way";
            case java.nio.file.NotDirectoryException x -> "not a folder";
            case java.nio.file.FileSystemException f when f.getReason() != null -> f.getReason();
            default -> e.getMessage() != null ? e.getMessage() : e.toString();
        };
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
