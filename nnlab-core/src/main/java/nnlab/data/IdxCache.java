package nnlab.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;

/**
 * Decompressed copies of gzipped IDX files in a cache folder, so that a dataset read again is not
 * inflated again: inflating Fashion-MNIST's training images takes longer than the rest of what a
 * run does before its first step (docs/speed.md, "Startup").
 *
 * <p>One copy per source file, named after the source's path. A copy starts with a header — a magic
 * number, the format's version, the source's absolute path, size and modification time, then the
 * length and CRC-32C of the decompressed bytes — and the bytes follow. A copy is used only when its
 * header matches the source as it is now, its length matches the file's, and its bytes match the
 * CRC once read; anything else (a copy missing, stale, truncated or corrupted) is read past: the
 * source is read as without a cache, and a new copy replaces the old. So a copy is never trusted
 * beyond what it can prove, and the examples read are the same with or without it.
 *
 * <p>A copy is written while the source is read (no second pass over it), to a temporary file that
 * is renamed into place only once the source has been read whole and without error. A cache folder
 * that cannot be written, or a disk that fills, only means no copy.
 */
final class IdxCache {
    private static final System.Logger LOG = System.getLogger(IdxCache.class.getName());
    private static final long MAGIC = 0x6E6E6C6162494458L; // "nnlabIDX"
    /** Raise when the layout of a copy changes: older copies then read as stale. */
    private static final int VERSION = 1;
    private static final AtomicLong TEMP_COUNTER = new AtomicLong();

    private final Path folder;

    /** A cache keeping its copies in {@code folder} (created when the first copy is written). */
    IdxCache(Path folder) {
        this.folder = folder;
    }

    /** What reads the decompressed bytes of an IDX file, of a known total length. */
    interface Reader<T> {
        T read(InputStream in, long length) throws IOException;
    }

    /**
     * Reads the copy of {@code source} with {@code body}, or returns null (having deleted the copy
     * if it was damaged or stale) when there is no sound, current copy. {@code body} may have been
     * run on a copy whose bytes turned out not to match their CRC; what it returned then is dropped,
     * so it must be one that can start again.
     */
    <T> T read(Path source, Reader<T> body) {
        Path copy = copyOf(source);
        if (!Files.isRegularFile(copy)) return null;
        String problem;
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(copy), 1 << 16))) {
            Header header = Header.read(in);
            String key = key(source);
            if (header == null) {
                problem = "not a copy of this format";
            } else if (!header.key.equals(key)) {
                problem = "stale (made from " + header.key.replace('\n', ' ') + ", the source is now " + key.replace('\n', ' ') + ")";
            } else if (header.bytes() + header.length != Files.size(copy)) {
                problem = "truncated (" + Files.size(copy) + " bytes, " + (header.bytes() + header.length) + " expected)";
            } else {
                CheckedStream checked = new CheckedStream(in, header.length);
                T result = body.read(checked, header.length);
                // A body may stop early (readRows on images that are not bytes): the rest must pass the checksum too.
                checked.transferTo(OutputStream.nullOutputStream());
                if ((int) checked.crc.getValue() == header.crc && in.read() < 0) return result;
                problem = "corrupt (its bytes do not match their checksum)";
            }
        } catch (IOException | RuntimeException e) {
            problem = "unreadable (" + e.getMessage() + ")";
        }
        LOG.log(Level.DEBUG, "{0}: ignoring the cached copy {1}: {2}", source, copy, problem);
        try {
            Files.deleteIfExists(copy);
        } catch (IOException e) {
            // The copy will be replaced by the next one written, or read past again.
        }
        return null;
    }

    /**
     * A copy of {@code source} to write while reading it: pass the decompressed stream through
     * {@link Writer#tee}, then {@link Writer#keep} once it has been read whole and well. Close it
     * in any case; a writer that could not start copies nothing.
     */
    Writer writer(Path source) {
        try {
            String key = key(source);
            Files.createDirectories(folder);
            Path target = copyOf(source);
            Path temp = folder.resolve("." + target.getFileName() + "." + ProcessHandle.current().pid() + "-"
                    + TEMP_COUNTER.incrementAndGet() + ".tmp");
            FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            Header header = new Header(key, 0, 0);
            channel.write(ByteBuffer.wrap(header.encode()));
            return new Writer(header, channel, temp, target);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.DEBUG, "{0}: no cached copy can be written in {1}: {2}", source, folder, e);
            return new Writer(null, null, null, null);
        }
    }

    /** Where the copy of {@code source} lives: its name, and a hash of its absolute path to keep sources apart. */
    Path copyOf(Path source) {
        String path = source.toAbsolutePath().normalize().toString();
        String name = source.getFileName().toString();
        if (name.endsWith(".gz")) name = name.substring(0, name.length() - 3);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(path.getBytes(StandardCharsets.UTF_8));
            return folder.resolve(name + "-" + HexFormat.of().formatHex(digest, 0, 8));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every Java has SHA-256", e);
        }
    }

    /** What identifies a source's current content cheaply: its absolute path, size and modification time. */
    private static String key(Path source) throws IOException {
        return source.toAbsolutePath().normalize() + "\n" + Files.size(source) + "\n" + Files.getLastModifiedTime(source);
    }

    /** A copy's header: the source's key, and the length and CRC-32C of the decompressed bytes. */
    private record Header(String key, long length, int crc) {
        byte[] encode() {
            byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
            return ByteBuffer.allocate(8 + 4 + 4 + keyBytes.length + 8 + 4)
                    .putLong(MAGIC).putInt(VERSION).putInt(keyBytes.length).put(keyBytes).putLong(length).putInt(crc).array();
        }

        /** The header's own size. */
        long bytes() {
            return 8 + 4 + 4 + key.getBytes(StandardCharsets.UTF_8).length + 8 + 4;
        }

        /** The header at the start of {@code in}, or null when it is not one of this version (or a key is absurdly long). */
        static Header read(DataInputStream in) throws IOException {
            if (in.readLong() != MAGIC || in.readInt() != VERSION) return null;
            int keyLength = in.readInt();
            if (keyLength < 0 || keyLength > 1 << 16) return null;
            String key = new String(in.readNBytes(keyLength), StandardCharsets.UTF_8);
            long length = in.readLong();
            int crc = in.readInt();
            return length < 0 ? null : new Header(key, length, crc);
        }
    }

    /** The first {@code remaining} bytes of a stream, checksummed as they are read. */
    private static final class CheckedStream extends FilterInputStream {
        final Checksum crc = new CRC32C();
        long remaining;

        CheckedStream(InputStream in, long length) {
            super(in);
            this.remaining = length;
        }

        @Override
        public int read() throws IOException {
            if (remaining == 0) return -1;
            int b = in.read();
            if (b >= 0) {
                crc.update(b);
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (remaining == 0) return length == 0 ? 0 : -1;
            int got = in.read(buffer, offset, (int) Math.min(length, remaining));
            if (got > 0) {
                crc.update(buffer, offset, got);
                remaining -= got;
            }
            return got;
        }

        @Override
        public long skip(long n) throws IOException {
            // Every byte must pass the checksum, so skipping reads.
            byte[] scratch = new byte[8192];
            long skipped = 0;
            for (int got; skipped < n && (got = read(scratch, 0, (int) Math.min(scratch.length, n - skipped))) > 0; ) skipped += got;
            return skipped;
        }

        @Override
        public int available() throws IOException {
            return (int) Math.min(in.available(), remaining);
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        @Override
        public void close() {
            // The caller closes the underlying file.
        }
    }

    /** A copy being written; see {@link #writer}. */
    static final class Writer implements AutoCloseable {
        private final Header header;
        private final Checksum crc = new CRC32C();
        private final Path temp;
        private final Path target;
        private FileChannel channel;
        private OutputStream out;
        private long length;

        private Writer(Header header, FileChannel channel, Path temp, Path target) {
            this.header = header;
            this.channel = channel;
            this.temp = temp;
            this.target = target;
            this.out = channel == null ? null : new java.io.BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
        }

        /** {@code in}, whose bytes are copied as they are read; a failed write ends the copying, not the reading. */
        InputStream tee(InputStream in) {
            if (out == null) return in;
            return new FilterInputStream(in) {
                @Override
                public int read() throws IOException {
                    int b = in.read();
                    if (b >= 0) copy(new byte[] {(byte) b}, 0, 1);
                    return b;
                }

                @Override
                public int read(byte[] buffer, int offset, int count) throws IOException {
                    int got = in.read(buffer, offset, count);
                    if (got > 0) copy(buffer, offset, got);
                    return got;
                }

                @Override
                public long skip(long n) throws IOException {
                    byte[] scratch = new byte[8192];
                    long skipped = 0;
                    for (int got; skipped < n && (got = read(scratch, 0, (int) Math.min(scratch.length, n - skipped))) > 0; ) skipped += got;
                    return skipped;
                }

                @Override
                public boolean markSupported() {
                    return false;
                }
            };
        }

        private void copy(byte[] buffer, int offset, int count) {
            if (out == null) return;
            try {
                out.write(buffer, offset, count);
                crc.update(buffer, offset, count);
                length += count;
            } catch (IOException e) {
                LOG.log(Level.DEBUG, "{0}: writing the cached copy failed ({1}); reading on without it", temp, e);
                abandon();
            }
        }

        /**
         * Puts the copy in place: everything the source held has passed through {@link #tee}. Not
         * forced to disk: a copy a crash cuts short fails its length or checksum and is rebuilt.
         */
        void keep() {
            if (out == null) return;
            try {
                out.flush();
                channel.write(ByteBuffer.wrap(new Header(header.key, length, (int) crc.getValue()).encode()), 0);
                channel.close();
                channel = null;
                try {
                    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } catch (IOException e) {
                LOG.log(Level.DEBUG, "{0}: the cached copy could not be put in place: {1}", target, e);
            }
            abandon();
        }

        private void abandon() {
            out = null;
            try {
                if (channel != null) channel.close();
            } catch (IOException ignored) {
                // Closing a file being given up on: the temporary file is deleted next.
            }
            channel = null;
            try {
                if (temp != null) Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // A stray temporary file in a cache folder costs nothing but its space.
            }
        }

        @Override
        public void close() {
            abandon();
        }
    }
}
