package nnlab.data;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The datasets nnlab knows by name, with their official sources and checksums.
 *
 * <p>Checksums: SHA-256 where it could be checked against the real files (Fashion-MNIST, against
 * Debian's {@code dataset-fashion-mnist}); otherwise the MD5 the source's standard downloader
 * checks (torchvision for MNIST and Kuzushiji-MNIST, MedMNIST's INFO for OCTMNIST).
 */
public final class Catalogue {
    private static final String IDX_NOTE = "the four IDX files train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, "
            + "t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz (raw or gzipped)";

    /** Every entry, in the order listings show them. */
    public static final List<CatalogEntry> ENTRIES = List.of(
            // Sizes as Debian's dataset-fashion-mnist holds them (the same SHA-256s).
            idx("fashion-mnist", "Fashion-MNIST (Zalando): 28x28 grey clothing images, 10 classes, split 50,000/10,000/10,000 "
                            + "as the 2021-22 course did", "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
                    List.of(sized(Checksum.sha256("b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7"), 26_421_856),
                            sized(Checksum.sha256("0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056"), 29_491),
                            sized(Checksum.sha256("cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa"), 4_422_079),
                            sized(Checksum.sha256("8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05"), 5_125)),
                    "install Debian's package (apt-get install dataset-fashion-mnist), which puts " + IDX_NOTE
                            + " in /usr/share/datasets/fashion-mnist"),
            // The mirror torchvision downloads MNIST from, with the MD5s torchvision checks; sizes as MNIST's page lists them.
            idx("mnist", "MNIST: 28x28 grey handwritten digits, 10 classes, split as the course split Fashion-MNIST",
                    "https://ossci-datasets.s3.amazonaws.com/mnist/",
                    List.of(sized(Checksum.md5("f68b3c2dcbeaaa9fbdd348bbdeb94873"), 9_912_422),
                            sized(Checksum.md5("d53e105ee54ea40749a09fcbcd1e9432"), 28_881),
                            sized(Checksum.md5("9fb629c4189551a2d022fa330f9573f3"), 1_648_877),
                            sized(Checksum.md5("ec29112dd5afa0611ce80d1b7f02629c"), 4_542)),
                    "download " + IDX_NOTE + " from any MNIST mirror"),
            // Sizes unlisted: bounded by the IDX files they compress (the same shapes as MNIST's).
            idx("kmnist", "Kuzushiji-MNIST (ROIS-CODH): 28x28 grey cursive Japanese characters, 10 classes, "
                            + "split as the course split Fashion-MNIST", "http://codh.rois.ac.jp/kmnist/dataset/kmnist/",
                    List.of(sized(Checksum.md5("bdb82020997e1d708af4cf47b453dcf7"), gzipOf(16 + 60_000L * 28 * 28)),
                            sized(Checksum.md5("e144d726b3acfaa3e44228e80efcd344"), gzipOf(8 + 60_000L)),
                            sized(Checksum.md5("5c965bf0a639b31b8f53240b1b52f4d7"), gzipOf(16 + 10_000L * 28 * 28)),
                            sized(Checksum.md5("7320c461ea6c1c855c0b718fb2a4b134"), gzipOf(8 + 10_000L))),
                    "download " + IDX_NOTE + " from https://github.com/rois-codh/kmnist"),
            // About 54 MB; bounded by its arrays: 109,309 images of 28x28 bytes and their labels (8 bytes at most each).
            new CatalogEntry("octmnist", "OCTMNIST (MedMNIST v1): 28x28 grey retinal OCT scans, 4 classes; the 2023-24 "
                    + "course's data, test set cut to its 529-example subset unless the full test set is asked for",
                    CourseFiles.OCTMNIST_CLASSES, CatalogEntry.Layout.NPZ_FILE,
                    List.of(new CatalogEntry.DataFile("octmnist.npz",
                            URI.create("https://zenodo.org/record/4269852/files/octmnist.npz?download=1"),
                            Checksum.md5("c68d92d5b585d8d81f7112f81e2d0842"), (97_477L + 10_832 + 1_000) * (28 * 28 + 8) + (1 << 20))),
                    null, "download octmnist.npz (about 54 MB) from Zenodo record 4269852, or with MedMNIST's downloader "
                            + "(the course's download_octmnist.py)"),
            new CatalogEntry("intel-landscapes", "Intel Image Classification as the 2024-25 course preprocessed it: "
                    + "48x48 RGB landscapes (6912 features), 6 classes, split 12,630/1,404/3,000", 6,
                    CatalogEntry.Layout.NPZ_FILE, List.of(new CatalogEntry.DataFile("intel_landscapes.npz")),
                    null, "the course distributes intel_landscapes.npz only through Google Drive "
                            + "(https://drive.google.com/file/d/16AzJIrmra4qWdY7wU9N1ew4bwadmNt4j), which nnlab cannot "
                            + "download from: download it in a browser"),
            new CatalogEntry("ames", "Ames housing, the 2021-22 course's ames.npz: 348 standardised features, "
                    + "y = log(SalePrice), 1,465 train / 1,465 test, no dev split; embedded in nnlab", 0,
                    CatalogEntry.Layout.NPZ_FILE, List.of(new CatalogEntry.DataFile("ames.npz")),
                    "/nnlab/data/ames.npz", "it ships inside nnlab's jar: rebuild nnlab if it is missing"),
            new CatalogEntry("fashion-mnist-sample", "The first 4,000 train, 1,000 dev and 1,000 test images of "
                    + "fashion-mnist's course split; embedded in nnlab, for demos and quick runs", 10,
                    CatalogEntry.Layout.NPZ_FILE, List.of(new CatalogEntry.DataFile("fashion-mnist-sample.npz")),
                    "/nnlab/data/fashion-mnist-sample.npz", "it ships inside nnlab's jar: rebuild nnlab if it is missing"));

    private Catalogue() {
    }

    /** The entry with this name (case is ignored), or null. */
    public static CatalogEntry find(String name) {
        for (CatalogEntry entry : ENTRIES) {
            if (entry.name().equals(name.toLowerCase(Locale.ROOT))) return entry;
        }
        return null;
    }

    /** The names, in catalogue order. */
    public static List<String> names() {
        return ENTRIES.stream().map(CatalogEntry::name).toList();
    }

    /** A download's checksum and the most bytes it may be. */
    private record Sized(Checksum checksum, long maxBytes) {}

    private static Sized sized(Checksum checksum, long maxBytes) {
        return new Sized(checksum, maxBytes);
    }

    /**
     * The most a gzip file of {@code bytes} bytes can be: deflate stores what it cannot compress in
     * blocks of 65,535 bytes with 5 bytes of header each, and gzip adds a header with the file's name
     * and an 8-byte trailer; a kilobyte covers those.
     */
    private static long gzipOf(long bytes) {
        return bytes + 5 * (bytes / 65_535 + 1) + 1024;
    }

    /** An MNIST-style dataset: the four standard IDX files under one base URL, in {@link IdxFolder#FILES}' order. */
    private static CatalogEntry idx(String name, String description, String base, List<Sized> downloads, String howToGet) {
        List<CatalogEntry.DataFile> files = new ArrayList<>();
        for (int i = 0; i < downloads.size(); i++) {
            String file = IdxFolder.FILES.get(i) + ".gz";
            files.add(new CatalogEntry.DataFile(file, URI.create(base + file), downloads.get(i).checksum(), downloads.get(i).maxBytes()));
        }
        return new CatalogEntry(name, description, 10, CatalogEntry.Layout.IDX_FOLDER, files, null, howToGet);
    }
}
