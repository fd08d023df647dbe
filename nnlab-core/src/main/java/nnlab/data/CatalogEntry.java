package nnlab.data;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A dataset nnlab knows by name: what it is, the files that make it up, and where they come from.
 *
 * @param name        the name users type ({@code fashion-mnist}); also the folder that holds its files
 *                    in each place nnlab looks ({@code $NNLAB_DATA/fashion-mnist/})
 * @param description one line for listings and messages
 * @param classes     number of classes, 0 for regression
 * @param layout      how its files are loaded
 * @param files       the files a folder must hold, with their official URLs and checksums where
 *                    there is an official download
 * @param resource    the classpath resource of the copy embedded in nnlab's jar, or null
 * @param howToGet    how a user gets the data by hand, for the message when it is found nowhere
 */
public record CatalogEntry(String name, String description, int classes, Layout layout, List<DataFile> files,
                           String resource, String howToGet) {

    /** How a dataset's folder is loaded. */
    public enum Layout {
        /** Four MNIST-style IDX files, split as the course split Fashion-MNIST (see {@link CourseFiles}). */
        IDX_FOLDER,
        /** One course {@code .npz} file, the entry's only file. */
        NPZ_FILE
    }

    /**
     * One file of a dataset.
     *
     * @param name     the file's name in the dataset's folder; a {@code .gz} file also counts as present
     *                 when only its decompressed form (the name without {@code .gz}) is there
     * @param url      the official download, or null where there is none
     * @param checksum the digest of the download, or null where there is no download
     * @param maxBytes the most bytes the download may bring, 0 where there is none: the file's size
     *                 where it is known, else a bound from what the file holds. A server that sends
     *                 more is not sending this file, and is stopped there instead of filling the disk.
     */
    public record DataFile(String name, URI url, Checksum checksum, long maxBytes) {
        public DataFile {
            Objects.requireNonNull(name, "name");
            if ((url == null) != (checksum == null) || (url == null) != (maxBytes == 0) || maxBytes < 0) {
                throw new IllegalArgumentException(name + ": a download needs a URL, a checksum and a size bound, got " + url + ", "
                        + checksum + " and " + maxBytes + " bytes");
            }
        }

        /** A file with no download nnlab can use. */
        public DataFile(String name) {
            this(name, null, null, 0);
        }

        /** Whether a folder holds this file (or, for a {@code .gz} file, its decompressed form). */
        boolean presentIn(Path folder) {
            if (Files.isRegularFile(folder.resolve(name))) return true;
            return name.endsWith(".gz") && Files.isRegularFile(folder.resolve(name.substring(0, name.length() - 3)));
        }
    }

    public CatalogEntry {
        Objects.requireNonNull(name, "name");
        files = List.copyOf(files);
        if (files.isEmpty()) throw new IllegalArgumentException(name + ": a dataset needs at least one file");
        if (layout == Layout.NPZ_FILE && files.size() != 1) {
            throw new IllegalArgumentException(name + ": an NPZ_FILE dataset has exactly one file, got " + files);
        }
    }

    /** Whether every file has an official download. */
    public boolean downloadable() {
        return files.stream().allMatch(f -> f.url() != null);
    }

    /** Whether a copy ships inside nnlab's jar. */
    public boolean embedded() {
        return resource != null;
    }

    /** The names of the files a folder lacks; empty when the dataset is complete there. */
    List<String> missingIn(Path folder) {
        return files.stream().filter(f -> !f.presentIn(folder)).map(DataFile::name).toList();
    }

    /** What to load from a folder that holds the dataset: the folder itself, or its .npz file. */
    Path dataPath(Path folder) {
        return layout == Layout.IDX_FOLDER ? folder : folder.resolve(files.getFirst().name());
    }
}
