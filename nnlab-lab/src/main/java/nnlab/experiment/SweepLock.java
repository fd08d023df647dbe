package nnlab.experiment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on a sweep folder ({@code .lock}), so the same sweep started twice — a "resume" in
 * a second terminal — fails at once instead of running the same trials into the same folders.
 * The operating system releases it when the process dies, so a killed sweep never leaves it stuck.
 */
final class SweepLock implements AutoCloseable {
    /** The lock file in the sweep's folder. */
    static final String FILE = ".lock";
    private final FileChannel channel;
    private final FileLock lock;

    private SweepLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static SweepLock acquire(Path dir) {
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
                throw new IllegalStateException(dir + " is in use by another running sweep; wait for it to finish "
                        + "(or stop it) before resuming this one");
            }
            return new SweepLock(channel, lock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + file + ": " + e.getMessage(), e);
        }
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
