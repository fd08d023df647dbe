package nnlab.data;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Resolves what a user names with {@code --data NAME|PATH} and loads it.
 *
 * <p>A <b>name</b> from the {@link Catalogue} ({@code fashion-mnist}, {@code mnist}, {@code kmnist},
 * {@code octmnist}, {@code intel-landscapes}, {@code ames}, {@code fashion-mnist-sample}) is looked up
 * as a folder {@code NAME/} holding the dataset's files, in order:
 * <ol>
 *   <li>{@code $NNLAB_DATA/NAME},</li>
 *   <li>the user cache {@code ~/.cache/nnlab/NAME} (or {@code $XDG_CACHE_HOME/nnlab/NAME}),</li>
 *   <li>{@code /usr/share/datasets/NAME} (Debian's {@code dataset-fashion-mnist} installs
 *       {@code fashion-mnist} there),</li>
 *   <li>then the copy embedded in nnlab's jar ({@code ames}, {@code fashion-mnist-sample}), or a
 *       download from the official source into the cache, checked against the catalogue's checksum.</li>
 * </ol>
 * A folder counts only when it holds every file; one that lacks some is passed over and reported.
 * When nothing is found the error lists every place looked at and how to get the data.
 *
 * <p>Anything else is a <b>path</b>: a course {@code .npz}, a {@code .csv} or a folder of IDX files,
 * loaded by {@link CourseFiles}. A name wins over a file or folder of the same name in the working
 * directory: write {@code ./fashion-mnist} for the folder.
 *
 * <p>Gzipped IDX files read through a resolver leave their decompressed bytes in the user cache's
 * {@code decoded/} folder, read instead of inflating them again while the source is unchanged ({@link IdxCache}).
 *
 * <p>The places and the download source are a {@link DataPlaces}, so tests and users can move them.
 */
public final class Datasets {
    private static final System.Logger LOG = System.getLogger(Datasets.class.getName());

    private final DataPlaces places;
    private final List<CatalogEntry> catalogue;

    /** A resolver looking in the given places, knowing the datasets of the {@link Catalogue}. */
    public Datasets(DataPlaces places) {
        this(places, Catalogue.ENTRIES);
    }

    /** A resolver knowing other datasets (tests). */
    Datasets(DataPlaces places, List<CatalogEntry> catalogue) {
        this.places = places;
        this.catalogue = List.copyOf(catalogue);
    }

    /** A resolver for this machine and user: {@link DataPlaces#standard()}. */
    public static Datasets standard() {
        return new Datasets(DataPlaces.standard());
    }

    public DataPlaces places() {
        return places;
    }

    /** Loads a named dataset or a path, with the OCTMNIST test subset chosen by file name ({@link TestSplit#AUTO}). */
    public CourseData load(String nameOrPath) {
        return load(nameOrPath, TestSplit.AUTO);
    }

    /**
     * Loads a named dataset or a path.
     *
     * @throws DataFileException when a name is found nowhere (listing where it looked and how to get
     *                           the data), when a path does not exist or when the files are bad
     */
    public CourseData load(String nameOrPath, TestSplit testSplit) {
        CatalogEntry entry = entry(nameOrPath);
        if (entry == null) {
            Path path = Path.of(nameOrPath);
            if (!Files.exists(path)) {
                throw new DataFileException(nameOrPath, "is neither a dataset name nor an existing file or folder",
                        "Give one of the names " + String.join(", ", names()) + ", or the path of a course .npz, "
                                + "a .csv dataset or a folder of IDX files");
            }
            return CourseFiles.load(path, CourseFiles.nameOf(path), testSplit, 0, decoded());
        }
        Optional<Path> folder = locate(entry);
        if (folder.isEmpty()) return loadEmbedded(entry, testSplit);
        return CourseFiles.load(entry.dataPath(folder.get()), entry.name(), testSplit, entry.classes(), decoded());
    }

    /**
     * The folder holding a named dataset's files, downloading them into the cache when no place
     * has them; empty for an embedded dataset ({@code ames}, {@code fashion-mnist-sample}) that no
     * folder overrides.
     *
     * @throws IllegalArgumentException if the name is not in the catalogue
     * @throws DataFileException        when the dataset is found nowhere and cannot be downloaded
     */
    public Optional<Path> locate(String name) {
        CatalogEntry entry = entry(name);
        if (entry == null) {
            throw new IllegalArgumentException("no dataset is called '" + name + "'; the names are " + names());
        }
        return locate(entry);
    }

    /** The names this resolver knows, in catalogue order. */
    public List<String> names() {
        return catalogue.stream().map(CatalogEntry::name).toList();
    }

    private CatalogEntry entry(String name) {
        String key = name.toLowerCase(Locale.ROOT);
        return catalogue.stream().filter(e -> e.name().equals(key)).findFirst().orElse(null);
    }

    private Optional<Path> locate(CatalogEntry entry) {
        List<String> looked = new ArrayList<>();
        for (Place place : places(entry)) {
            if (place.folder == null) {
                looked.add(place.label + ": not set");
                continue;
            }
            List<String> missing = entry.missingIn(place.folder);
            if (missing.isEmpty()) {
                LOG.log(Level.DEBUG, "{0}: using {1}", entry.name(), place.folder);
                return Optional.of(place.folder);
            }
            looked.add(place.label + " " + place.folder + ": " + (Files.isDirectory(place.folder)
                    ? "lacks " + String.join(", ", missing) : Files.isRegularFile(place.folder.getParent())
                    ? "no such folder (" + place.folder.getParent() + " is a file, not a folder of datasets)" : "no such folder"));
        }
        if (entry.embedded()) return Optional.empty();
        if (!entry.downloadable()) {
            looked.add("download: there is no download nnlab can use");
            throw notFound(entry, looked);
        }
        if (!places.download()) {
            looked.add("download from " + url(entry, entry.files().getFirst()) + ": not tried, downloads are off");
            throw notFound(entry, looked);
        }
        return Optional.of(download(entry, looked));
    }

    /** Downloads the files the cache folder lacks; on failure, the not-found error with the failure added. */
    private Path download(CatalogEntry entry, List<String> looked) {
        Path folder = places.cache().resolve(entry.name());
        for (CatalogEntry.DataFile file : entry.files()) {
            if (file.presentIn(folder)) continue;
            URI url = url(entry, file);
            // One plain line on the error stream (a download takes a while): not a logger's two-line record.
            System.err.println("nnlab: " + entry.name() + ": downloading " + url + " into " + folder);
            try {
                Downloader.download(url, folder.resolve(file.name()), file.checksum(), file.maxBytes());
            } catch (DataFileException e) {
                looked.add("download: " + e.getMessage());
                throw notFound(entry, looked);
            }
        }
        return folder;
    }

    /** Decompressed copies of gzipped IDX files, in the user cache: a dataset read again starts without inflating them. */
    private IdxCache decoded() {
        return new IdxCache(places.cache().resolve("decoded"));
    }

    private URI url(CatalogEntry entry, CatalogEntry.DataFile file) {
        return places.mirror() == null ? file.url() : places.mirror().resolve(entry.name() + "/" + file.name());
    }

    private DataFileException notFound(CatalogEntry entry, List<String> looked) {
        StringBuilder problem = new StringBuilder("was found nowhere. nnlab looked in:");
        for (String place : looked) problem.append("\n  - ").append(place);
        String files = String.join(", ", entry.files().stream().map(CatalogEntry.DataFile::name).toList());
        String folders = (places.environment() != null ? places.environment().resolve(entry.name()) + " or " : "")
                + places.cache().resolve(entry.name());
        String fix = "\nTo get it: " + entry.howToGet() + "; "
                + (!entry.downloadable() ? "" : places.download()
                ? "or try again later (nnlab downloads it from " + url(entry, entry.files().getFirst()) + ", ...); "
                : "or allow downloads, and nnlab fetches it from " + url(entry, entry.files().getFirst()) + ", ...; ")
                + "or put " + files + " in " + folders + (places.environment() == null
                ? " (or in $" + DataPlaces.ENVIRONMENT_VARIABLE + "/" + entry.name() + ")" : "")
                + "; or pass --data PATH to your copy of the data.";
        return new DataFileException("dataset " + entry.name(), problem.toString(), fix);
    }

    /** The three folders looked in, in order; a folder is null when its root is not set. */
    private List<Place> places(CatalogEntry entry) {
        Path environment = places.environment();
        return List.of(
                new Place("$" + DataPlaces.ENVIRONMENT_VARIABLE + "/" + entry.name(),
                        environment == null ? null : environment.resolve(entry.name())),
                new Place("user cache", places.cache().resolve(entry.name())),
                new Place("system", places.system().resolve(entry.name())));
    }

    private record Place(String label, Path folder) {
    }

    /**
     * Loads the copy in nnlab's jar. The readers take files, so the resource is copied to a
     * temporary folder first (at most a few MB) and deleted after.
     */
    private static CourseData loadEmbedded(CatalogEntry entry, TestSplit testSplit) {
        String fileName = entry.files().getFirst().name();
        try (InputStream in = Datasets.class.getResourceAsStream(entry.resource())) {
            if (in == null) {
                throw new DataFileException(entry.resource(), "is missing from nnlab's classpath, though the dataset "
                        + entry.name() + " ships inside nnlab", "Rebuild nnlab (mvn package) from a complete checkout");
            }
            Path folder = Files.createTempDirectory("nnlab-" + entry.name() + "-");
            Path file = folder.resolve(fileName);
            try {
                Files.copy(in, file);
                return CourseFiles.load(file, entry.name(), testSplit, entry.classes());
            } finally {
                Files.deleteIfExists(file);
                Files.deleteIfExists(folder);
            }
        } catch (IOException e) {
            throw new DataFileException(entry.resource(), "could not be copied out of nnlab's jar (" + e + ")",
                    "Check that the temporary folder (" + System.getProperty("java.io.tmpdir") + ") is writable");
        }
    }
}
