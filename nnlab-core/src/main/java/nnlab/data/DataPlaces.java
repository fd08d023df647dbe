package nnlab.data;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where {@link Datasets} looks for a named dataset, in this order, and whether it may download.
 * A dataset {@code NAME} is a folder {@code NAME/} holding its files under each root.
 *
 * @param environment the folder named by {@code $NNLAB_DATA}, or null when it is not set
 * @param cache       the user cache, where downloads go: {@code $XDG_CACHE_HOME/nnlab}, else
 *                    {@code ~/.cache/nnlab}
 * @param system      the system-wide folder, {@code /usr/share/datasets} (where Debian's
 *                    {@code dataset-fashion-mnist} installs {@code fashion-mnist/})
 * @param mirror      null to download from each dataset's official source, or a base URL that
 *                    serves {@code MIRROR/NAME/FILE} instead (a local mirror, or a test's server)
 * @param download    whether a dataset found nowhere may be downloaded into the cache
 */
public record DataPlaces(Path environment, Path cache, Path system, URI mirror, boolean download) {
    /** The environment variable naming a folder of datasets, looked in first. */
    public static final String ENVIRONMENT_VARIABLE = "NNLAB_DATA";
    public static final Path SYSTEM = Path.of("/usr/share/datasets");

    public DataPlaces {
        java.util.Objects.requireNonNull(cache, "cache");
        java.util.Objects.requireNonNull(system, "system");
        if (mirror != null && !mirror.toString().endsWith("/")) mirror = URI.create(mirror + "/");
    }

    /** The places of this machine and user, downloads allowed. */
    public static DataPlaces standard() {
        return fromEnvironment(System.getenv(), Path.of(System.getProperty("user.home")));
    }

    /** The places given these environment variables and home folder (what {@link #standard()} uses). */
    static DataPlaces fromEnvironment(Map<String, String> env, Path home) {
        String data = env.get(ENVIRONMENT_VARIABLE);
        String xdg = env.get("XDG_CACHE_HOME");
        // The XDG spec says to ignore a relative XDG_CACHE_HOME.
        Path cacheRoot = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute() ? Path.of(xdg) : home.resolve(".cache");
        // NNLAB_MIRROR: a base URL serving MIRROR/NAME/FILE in place of the official sources (a local mirror).
        String mirror = env.get("NNLAB_MIRROR");
        return new DataPlaces(data == null || data.isBlank() ? null : Path.of(data), cacheRoot.resolve("nnlab"),
                SYSTEM, mirror == null || mirror.isBlank() ? null : mirror(mirror), true);
    }

    /** NNLAB_MIRROR as a base URL the downloader can fetch from (http or https, with a host), or an error saying so. */
    private static URI mirror(String value) {
        String problem;
        try {
            URI uri = new URI(value);
            if (("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme())) && uri.getHost() != null) {
                return uri;
            }
            problem = "not an http or https URL with a host";
        } catch (java.net.URISyntaxException e) {
            problem = e.getMessage();
        }
        throw new IllegalArgumentException("NNLAB_MIRROR='" + value + "' is not a base URL (" + problem + "): set it to one that "
                + "serves NAME/FILE, such as http://localhost:8000/datasets/, or unset it to download from the official sources");
    }

    /** The same places with downloads off (nothing is fetched; a missing dataset is an error). */
    public DataPlaces offline() {
        return new DataPlaces(environment, cache, system, mirror, false);
    }

    /** The same places downloading from {@code mirror} ({@code MIRROR/NAME/FILE}) instead of the official sources. */
    public DataPlaces withMirror(URI mirror) {
        return new DataPlaces(environment, cache, system, mirror, download);
    }
}
